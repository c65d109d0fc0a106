import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderMarkdown, renderPost, WORDS_PER_MINUTE } from "./markdown";

const words = (n: number) => Array.from({ length: n }, () => "word").join(" ");

describe("markdown rendering", () => {
	it("when markdown holds raw HTML then it is shown as text, never as markup", () => {
		assert.equal(renderMarkdown("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	});

	it("when a link is javascript: then it stays unlinked text; an https link gets rel nofollow noopener noreferrer", () => {
		assert.equal(
			renderMarkdown("[x](javascript:alert(1)) [y](https://e.com)"),
			'<p>[x](javascript:alert(1)) <a href="https://e.com" rel="nofollow noopener noreferrer">y</a></p>\n'
		);
	});

	it("when an image has a data: source then the source is dropped", () => {
		assert.equal(renderMarkdown("![i](data:image/png;base64,AA)"), '<p><img alt="i" /></p>\n');
	});
});

describe("post excerpt and reading time", () => {
	it("when a post is short then the excerpt is its whole plain text: tags dropped, entities decoded, spaces collapsed", () => {
		const post = renderPost("# Title\n\nSome *text* & <b>raw</b>\n\n`a < b`");
		assert.equal(post.excerpt, "Title Some text & <b>raw</b> a < b");
		assert.equal(post.html, "<h1>Title</h1>\n<p>Some <em>text</em> &amp; &lt;b&gt;raw&lt;/b&gt;</p>\n<p><code>a &lt; b</code></p>\n");
	});

	it("when the text is exactly 280 characters then it is kept whole, with no ellipsis", () => {
		const text = `${"abcd ".repeat(55)}abcd`.padEnd(280, "x"); // 275 + 4 + one "x": 280 characters
		assert.equal(text.length, 280);
		assert.equal(renderPost(text).excerpt, text);
	});

	it("when the text is longer than 280 characters then it is cut before the word the cut would split, and an ellipsis added", () => {
		// "abcde " × 60: character 280 falls inside the 47th word, so 46 words remain.
		const excerpt = renderPost("abcde ".repeat(60)).excerpt;
		assert.equal(excerpt, `${"abcde ".repeat(46).trimEnd()}…`);
		assert.equal(excerpt.length, 276);
	});

	it("when the cut at 280 falls inside an emoji then the emoji is left out whole", () => {
		const excerpt = renderPost(`a${"😀".repeat(200)}`).excerpt;
		assert.ok(excerpt.isWellFormed());
		assert.equal(excerpt, `a${"😀".repeat(139)}…`);
	});

	it("when the first 280 characters hold no space then the cut is at 280, with an ellipsis", () => {
		assert.equal(renderPost("y".repeat(300)).excerpt, `${"y".repeat(280)}…`);
	});

	it("when a post has n words then the reading time is n / 200 minutes rounded, at least 1", () => {
		assert.equal(WORDS_PER_MINUTE, 200);
		assert.deepEqual(
			[0, 1, 299, 300, 499, 500, 1000].map(n => renderPost(words(n)).readingTimeMinutes),
			[1, 1, 1, 2, 2, 3, 5]
		);
	});
});
