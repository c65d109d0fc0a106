import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseTags, slugOf } from "./tags";

describe("post tags", () => {
	it("when tags differ only in case and separators then they are one lower-case slug", () => {
		assert.deepEqual(normaliseTags(["Web Dev", "web-dev", "WEB  DEV"]), ["web-dev"]);
	});

	it("when tags hold punctuation or accents then those are dropped or transliterated", () => {
		assert.deepEqual(normaliseTags(["Node.js", "Ünïcödé", "web_dev"]), ["nodejs", "unicode", "webdev"]);
	});

	it("when a tag has nothing left after slugging then it is dropped", () => {
		assert.deepEqual(normaliseTags(["  ", "---", "!!", "ok"]), ["ok"]);
	});

	it("when tags repeat then the first occurrence keeps its place", () => {
		assert.deepEqual(normaliseTags(["b", "a", "B", "c", "A"]), ["b", "a", "c"]);
	});

	it("when there are no tags then there are none", () => {
		assert.deepEqual(normaliseTags([]), []);
	});
});

describe("post slug", () => {
	it("when a title has punctuation, accents and spaces then the slug is lower-case words joined by dashes", () => {
		assert.equal(slugOf("Hello, World!"), "hello-world");
		assert.equal(slugOf("  Ünïcödé   Title  "), "unicode-title");
		assert.equal(slugOf("C'est l'été"), "cest-lete");
	});

	it("when a title has nothing sluggable then the slug is 'post'", () => {
		assert.equal(slugOf("!!!"), "post");
		assert.equal(slugOf(""), "post");
	});

	it("when a slug is longer than 200 characters then it is cut to 200", () => {
		assert.equal(slugOf("x".repeat(250)), "x".repeat(200));
	});

	it("when the cut at 200 leaves a trailing dash then the dash is dropped", () => {
		// "a"×199 + "-b": the cut keeps "a"×199 + "-".
		assert.equal(slugOf(`${"a".repeat(199)} b`), "a".repeat(199));
	});
});
