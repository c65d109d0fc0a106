import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { CATEGORIES } from "../../services/posts/posts.types";
import { eventually } from "../helpers/eventually";
import {
	actionCalls,
	assertError,
	metric,
	ok,
	postsClient,
	postsPlatform,
	type TestUser,
	uniqueTag,
	uniqueWord,
	unsafeMarkup
} from "../helpers/posts";
import { unavailable } from "../helpers/services";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_KEYS = ["page", "pageSize", "rows", "total", "totalPages"];
const NO_REACTIONS = { like: 0, helpful: 0, insightful: 0 };
/** No test here posts in this category: its count must stay 0. */
const UNUSED_CATEGORY = "languages";

/** Markdown that must render: a heading, a code block, a link, an image and a table. */
const SAFE_MARKDOWN = [
	"# Title heading",
	"Plain text with **bold** words.",
	"```ts\nconst answer = 42;\n```",
	"[Moleculer](https://moleculer.services/)",
	"![diagram](https://example.com/diagram.png)",
	"| a | b |\n|---|---|\n| 1 | 2 |"
].join("\n\n");

/** Stored-XSS payloads, each its own block so that none swallows the next. */
const XSS_PAYLOADS = [
	"<script>alert('s')</script>",
	`<img src="x" onerror="alert('i')">`,
	`<a href="javascript:alert('a')">js link</a>`,
	`<a href="JaVaScRiPt:alert('c')">mixed case</a>`,
	"[md link](javascript:alert('m'))",
	"[entity link](jav&#x61;script:alert('e'))",
	`<svg onload="alert('v')"><circle r="1"/></svg>`,
	"<style>body { display: none }</style>",
	`<iframe src="https://evil.example/"></iframe>`,
	`<p onclick="alert('p')">para</p>`,
	`<div style="background:url(javascript:alert('d'))">styled</div>`
].join("\n\n");

describe("posts API through the gateway, on the real PostgreSQL and Redis", { skip: unavailable("postgres", "redis") }, () => {
	const h = postsPlatform();
	const posts = postsClient(h);
	let author: TestUser;
	let other: TestUser;
	let third: TestUser;
	let likers: TestUser[];
	let admin: TestUser;

	before(async () => {
		await h.start();
		[author, other, third, ...likers] = await h.registerMany(53);
		admin = await h.registerAdmin();
	});

	after(() => h.stop());

	describe("creating posts", () => {
		it("when a valid post is published then 201 with a Location, a slug, html, an excerpt, a reading time and zero counts", async () => {
			const long = `Halve the **range** each step. ${"The invariant holds while the range is not empty. ".repeat(30)}`;
			const body = {
				title: "Binary search, explained",
				content: `## Idea\n\n${long}`,
				category: "algorithms",
				tags: ["search"],
				status: "published"
			};
			const res = await posts.post(author, body);
			const view = ok(res, 201);
			assert.equal(res.headers.get("location"), `/api/posts/${view.slug}`);
			assert.match(view.id, UUID);
			assert.match(view.slug, /^binary-search-explained(-[a-z0-9]+)*$/);
			assert.equal(view.title, body.title);
			assert.equal(view.content, body.content);
			assert.equal(view.category, "algorithms");
			assert.deepEqual(view.tags, ["search"]);
			assert.equal(view.status, "published");
			assert.equal(view.authorId, author.id);
			assert.equal(view.groupId, null);
			assert.match(view.html, /<h2[^>]*>Idea<\/h2>/);
			assert.match(view.html, /<strong>range<\/strong>/);
			assert.ok(view.excerpt.startsWith("Idea") || view.excerpt.startsWith("Halve"), view.excerpt);
			assert.ok(view.excerpt.length > 0 && view.excerpt.length <= 310, `excerpt of ${view.excerpt.length} chars`);
			assert.ok(!/[<>*#]/.test(view.excerpt), `plain text excerpt: ${view.excerpt}`);
			assert.ok(Number.isInteger(view.readingTimeMinutes) && view.readingTimeMinutes >= 1, String(view.readingTimeMinutes));
			assert.deepEqual(view.reactions, NO_REACTIONS);
			assert.equal(view.commentCount, 0);
			assert.equal(view.viewCount, 0);
			assert.deepEqual(view.myReactions, []);
			assert.match(view.publishedAt, ISO);
			assert.match(view.createdAt, ISO);
			assert.match(view.updatedAt, ISO);

			const read = await posts.read(view.slug);
			assert.equal(read.id, view.id);
			assert.equal(read.html, view.html);
		});

		it("when no status is given then the post is a draft without publishedAt that only its author can read", async () => {
			const draft = ok(await posts.post(author, posts.body()), 201);
			assert.equal(draft.status, "draft");
			assert.equal(draft.publishedAt, null);
			assert.equal((await posts.read(draft.id, author)).id, draft.id);
			assert.equal((await posts.read(draft.slug, author)).id, draft.id);
			assertError(await posts.get(draft.id, other), 404);
			assertError(await posts.get(draft.slug, other), 404);
			assertError(await posts.get(draft.id), 404);
			const listed = await posts.rows(`author=${author.id}&pageSize=100`);
			assert.ok(!listed.some(p => p.id === draft.id), "a draft is in no public list");
		});

		it("when two posts have the same title then their slugs differ and each resolves to its own post", async () => {
			const title = `Same title ${uniqueWord(6)}`;
			const first = await posts.create(author, { title });
			const second = await posts.create(other, { title });
			assert.notEqual(first.slug, second.slug);
			assert.equal((await posts.read(first.slug)).id, first.id);
			assert.equal((await posts.read(second.slug)).id, second.id);
		});

		it("when a post is long then its reading time grows, and 100,000 characters of content are accepted", async () => {
			const short = await posts.create(author, { content: "A few words only." });
			const long = await posts.create(author, { content: `${"word ".repeat(19_999)}word!` });
			assert.equal(long.content.length, 100_000);
			assert.ok(short.readingTimeMinutes >= 1);
			assert.ok(long.readingTimeMinutes > 10, `20,000 words read in ${long.readingTimeMinutes} min`);
			assert.ok(long.excerpt.length <= 310, `excerpt of ${long.excerpt.length} chars`);
		});

		it("when tags come in any case, padded or twice then they are stored once each as lowercase slugs", async () => {
			const post = await posts.create(author, { tags: ["Rust", " rust ", "Web Dev"] });
			assert.deepEqual(post.tags, ["rust", "web-dev"]);
			assert.deepEqual((await posts.read(post.id)).tags, ["rust", "web-dev"]);
		});

		it("when the markdown carries XSS payloads then none reaches html, and code, links, images, tables and headings survive", async () => {
			const post = await posts.create(author, { content: `${SAFE_MARKDOWN}\n\n${XSS_PAYLOADS}` });
			for (const html of [post.html, (await posts.read(post.id)).html]) {
				assert.deepEqual(unsafeMarkup(html), [], html);
				assert.match(html, /<h1[^>]*>Title heading<\/h1>/);
				const code = /<pre[^>]*>\s*<code[^>]*>([\s\S]*?)<\/code>\s*<\/pre>/.exec(html)?.[1] ?? "";
				assert.match(code.replace(/<[^>]+>/g, ""), /const answer = 42;/, "the code block survives (highlighted or not)");
				assert.match(html, /<a [^>]*href="https:\/\/moleculer\.services\/"/);
				assert.match(html, /<img [^>]*src="https:\/\/example\.com\/diagram\.png"/);
				assert.match(html, /<table[\s>][\s\S]*<td[^>]*>1<\/td>/);
			}
		});

		it("when forbidden fields such as authorId, viewCount, slug, html or id are sent then 422 and nothing is stored", async () => {
			const before = await posts.mineTotal(author);
			for (const extra of [
				{ authorId: other.id },
				{ viewCount: 1000 },
				{ slug: "chosen-slug" },
				{ html: "<b>mine</b>" },
				{ id: randomUUID() }
			]) {
				assertError(await posts.post(author, posts.body({ status: "published", ...extra })), 422, "VALIDATION_ERROR");
			}
			assert.equal(await posts.mineTotal(author), before, "no post was stored");
			assertError(await posts.get("chosen-slug"), 404);
		});

		it("when the title, content, tags, category or status is out of bounds then 422 naming the field and nothing is stored", async () => {
			const before = await posts.mineTotal(author);
			const cases: [string, Record<string, unknown>][] = [
				["title", { title: "ab" }],
				["title", { title: "x".repeat(201) }],
				["content", { content: "x".repeat(100_001) }],
				["content", { content: "" }],
				["tags", { tags: ["a", "b", "c", "d", "e", "f"] }],
				["category", { category: "cooking" }],
				["status", { status: "archived" }]
			];
			for (const [field, extra] of cases) {
				const res = await posts.post(author, posts.body(extra));
				assertError(res, 422, "VALIDATION_ERROR");
				assert.ok(
					(res.body.data as { field: string }[]).some(d => d.field.startsWith(field)),
					`${field} named in ${JSON.stringify(res.body.data)}`
				);
			}
			assert.equal(await posts.mineTotal(author), before, "no post was stored");
		});

		it("when nobody is logged in then creating a post is 401", async () => {
			assertError(await posts.post(undefined, posts.body({ status: "published" })), 401);
		});
	});

	describe("group posts", () => {
		it("when a member posts into a group then 201 with its groupId; an outsider gets 403 FORBIDDEN and nothing is stored", async () => {
			const group = await posts.group(other, { members: [third] });
			const post = await posts.create(third, { groupId: group.id });
			assert.equal(post.groupId, group.id);
			const before = await posts.mineTotal(author);
			assertError(await posts.post(author, posts.body({ groupId: group.id, status: "published" })), 403, "FORBIDDEN");
			assert.equal(await posts.mineTotal(author), before, "no post was stored");
		});

		it("when the group is private and the caller not in it, or does not exist, then posting into it is 404 and nothing is stored", async () => {
			const hidden = await posts.group(other, { visibility: "private" });
			assertError(await h.api("GET", `/api/groups/${hidden.id}`, { token: author.token }), 404);
			const before = await posts.mineTotal(author);
			assertError(await posts.post(author, posts.body({ groupId: hidden.id, status: "published" })), 404);
			assertError(await posts.post(author, posts.body({ groupId: randomUUID(), status: "published" })), 404);
			assert.equal(await posts.mineTotal(author), before, "no post was stored");
		});

		it("when a post belongs to a private group then only members read it, its comments and the group's feed; it is in no public list or count", async () => {
			const group = await posts.group(other, { visibility: "private", members: [third] });
			const tag = uniqueTag();
			const countsBefore = ok(await h.api("GET", "/api/categories")) as { name: string; count: number }[];
			const post = await posts.create(third, { groupId: group.id, tags: [tag], category: "devops" });

			assert.equal((await posts.read(post.id, third)).id, post.id);
			assert.equal((await posts.read(post.slug, other)).id, post.id);
			assert.equal((await posts.thread(post.id, other)).length, 0);
			assert.deepEqual(
				(await posts.rows(`group=${group.id}`, other)).map(p => p.id),
				[post.id]
			);

			for (const outsider of [author, undefined]) {
				assertError(await posts.get(post.id, outsider), 404);
				assertError(await posts.get(post.slug, outsider), 404);
				assertError(await posts.comments(post.id, outsider), 404);
				assertError(await posts.list(`group=${group.id}`, outsider), 404);
				assert.deepEqual(await posts.rows(`tag=${tag}`, outsider), []);
			}
			assertError(await posts.comment(post.id, author, { content: "let me in" }), 404);
			assertError(await posts.react(post.id, "like", author), 404);
			assert.equal((await posts.read(post.id, third)).commentCount, 0, "the outsider's comment was not stored");
			assert.deepEqual((await posts.read(post.id, third)).reactions, NO_REACTIONS, "the outsider's like was not stored");

			const countsAfter = ok(await h.api("GET", "/api/categories")) as { name: string; count: number }[];
			assert.equal(countsAfter.find(c => c.name === "devops")!.count, countsBefore.find(c => c.name === "devops")!.count);
		});

		it("when a group moderator deletes another member's post or comment then 204; a plain member gets 403 and it stays", async () => {
			const plain = likers[0];
			const group = await posts.group(author, { admins: [other], members: [third, plain] });
			const byOwner = await posts.create(author, { groupId: group.id });
			const byMember = await posts.create(third, { groupId: group.id });
			const comment = await posts.createComment(byOwner.id, third, "a member's remark");

			assertError(await posts.remove(byOwner.id, third), 403, "FORBIDDEN");
			assert.equal((await posts.read(byOwner.id)).id, byOwner.id, "still there");
			assertError(await posts.remove(byMember.id, plain), 403, "FORBIDDEN");

			const ownerRemark = await posts.createComment(byMember.id, author, "the owner's remark");
			assertError(await posts.removeComment(byMember.id, ownerRemark.id, plain), 403, "FORBIDDEN");
			assert.equal((await posts.thread(byMember.id))[0].deleted, false);

			assert.equal((await posts.removeComment(byOwner.id, comment.id, other)).status, 204, "a group admin deletes a comment");
			assert.equal((await posts.thread(byOwner.id))[0].deleted, true);
			assert.equal((await posts.remove(byMember.id, other)).status, 204, "a group admin deletes a member's post");
			assert.equal((await posts.remove(byOwner.id, author)).status, 204);
			assertError(await posts.get(byMember.id), 404);
			assertError(await posts.get(byOwner.id), 404);
		});
	});

	describe("authorization at every change", () => {
		it("when a member removed from a private group publishes their draft into it then 403, it stays a draft and no post.published is recorded", async () => {
			const [removed, member] = [likers[1], likers[2]];
			const group = await posts.group(other, { visibility: "private", members: [removed, member] });
			const draft = await posts.create(removed, { groupId: group.id, status: "draft" });
			assert.equal((await h.api("DELETE", `/api/groups/${group.id}/members/${removed.id}`, { token: other.token })).status, 204);

			assertError(await posts.patch(draft.id, removed, { status: "published" }), 403, "FORBIDDEN");
			assertError(await posts.patch(draft.id, removed, { title: "A quiet edit meanwhile" }), 403, "FORBIDDEN");
			const kept = await posts.read(draft.id, removed);
			assert.deepEqual([kept.status, kept.title, kept.publishedAt], ["draft", draft.title, null], "still their draft, unchanged");
			assertError(await posts.get(draft.id, member), 404);
			assert.equal(await h.recorded(draft.id, "post.published"), 0, "nobody was told of a publication");
		});

		it("when a member who left a group edits or publishes their posts in it then 403 for a public group, 404 for a private one, and nothing changes", async () => {
			const leaver = likers[3];
			const open = await posts.group(other, { members: [leaver] });
			const hidden = await posts.group(other, { visibility: "private", members: [leaver] });
			const draft = await posts.create(leaver, { groupId: open.id, status: "draft" });
			const published = await posts.create(leaver, { groupId: open.id });
			const secret = await posts.create(leaver, { groupId: hidden.id });
			for (const group of [open, hidden])
				assert.equal((await h.api("POST", `/api/groups/${group.id}/leave`, { token: leaver.token })).status, 204);

			assertError(await posts.patch(draft.id, leaver, { status: "published" }), 403, "FORBIDDEN");
			assertError(await posts.patch(published.id, leaver, { title: "Edited after leaving" }), 403, "FORBIDDEN");
			assertError(await posts.patch(secret.id, leaver, { title: "Edited after leaving" }), 404);
			assertError(await posts.get(secret.id, leaver), 404);
			assert.equal((await posts.read(published.id)).title, published.title);
			assert.equal((await posts.read(secret.id, other)).title, secret.title);
			assert.equal(await h.recorded(draft.id, "post.published"), 0);
		});

		it("when a non-member comments on or reacts to a public group's post then 403 and nothing is stored; a member may, until they leave", async () => {
			const [member, outsider] = [likers[4], likers[5]];
			const group = await posts.group(other, { members: [member] });
			const post = await posts.create(other, { groupId: group.id });

			assertError(await posts.comment(post.id, outsider, { content: "a drive-by remark" }), 403, "FORBIDDEN");
			assertError(await posts.react(post.id, "like", outsider), 403, "FORBIDDEN");
			const remark = await posts.createComment(post.id, member, "a member's remark");
			ok(await posts.react(post.id, "like", member));

			assert.equal((await h.api("POST", `/api/groups/${group.id}/leave`, { token: member.token })).status, 204);
			assertError(await posts.comment(post.id, member, { content: "after leaving" }), 403, "FORBIDDEN");
			assertError(await posts.react(post.id, "helpful", member), 403, "FORBIDDEN");
			assertError(await posts.patchComment(post.id, remark.id, member, { content: "edited after leaving" }), 403, "FORBIDDEN");

			const read = await posts.read(post.id);
			assert.deepEqual([read.commentCount, read.reactions], [1, { ...NO_REACTIONS, like: 1 }]);
			assert.deepEqual(
				(await posts.thread(post.id)).map(c => c.content),
				["a member's remark"]
			);
		});

		it("when a platform admin patches or deletes another user's draft then 404 and it stays: drafts are their author's alone", async () => {
			const draft = await posts.create(author, { status: "draft" });
			assertError(await posts.patch(draft.id, admin, { title: "Moderated draft" }), 404);
			assertError(await posts.remove(draft.id, admin), 404);
			assert.equal((await posts.read(draft.id, author)).title, draft.title);
		});
	});

	describe("reading and listing", () => {
		it("when posts are listed then published summaries without a body come back, newest first, paginated", async () => {
			const tag = uniqueTag();
			const older = await posts.create(author, { tags: [tag] });
			const newer = await posts.create(other, { tags: [tag] });
			await posts.create(author, { tags: [tag], status: "draft" });

			const first = ok(await posts.list(`tag=${tag}&pageSize=1`));
			assert.deepEqual(Object.keys(first).sort(), PAGE_KEYS);
			assert.equal(first.total, 2);
			assert.equal(first.totalPages, 2);
			assert.equal(first.page, 1);
			assert.equal(first.pageSize, 1);
			assert.deepEqual(
				first.rows.map((p: any) => p.id),
				[newer.id]
			);
			const second = ok(await posts.list(`tag=${tag}&pageSize=1&page=2`));
			assert.deepEqual(
				second.rows.map((p: any) => p.id),
				[older.id]
			);
			for (const row of [...first.rows, ...second.rows]) {
				assert.ok(!("content" in row) && !("html" in row), `a summary has no body: ${Object.keys(row).join(",")}`);
				assert.equal(row.status, "published");
				assert.deepEqual(row.reactions, NO_REACTIONS);
				assert.equal(typeof row.excerpt, "string");
			}
			assert.deepEqual(
				(await posts.rows(`tag=${tag}`, author)).map(p => p.id),
				[newer.id, older.id],
				"the author's draft is not listed either"
			);
		});

		it("when filtering by category, author or tag then only matching posts come back", async () => {
			const tag = uniqueTag();
			const web = await posts.create(author, { tags: [tag], category: "web" });
			const db = await posts.create(other, { tags: [tag], category: "databases" });
			assert.deepEqual(
				(await posts.rows(`tag=${tag}&category=web`)).map(p => p.id),
				[web.id]
			);
			assert.deepEqual(
				(await posts.rows(`tag=${tag}&author=${other.id}`)).map(p => p.id),
				[db.id]
			);
			const byAuthor = await posts.rows(`author=${author.id}&pageSize=100`);
			assert.ok(byAuthor.some(p => p.id === web.id));
			assert.ok(byAuthor.every(p => p.authorId === author.id));
			const byCategory = await posts.rows("category=web&pageSize=100");
			assert.ok(byCategory.some(p => p.id === web.id));
			assert.ok(byCategory.every(p => p.category === "web"));
		});

		it("when mine=true then the caller's own posts come back, drafts included; anonymous gets 401", async () => {
			const tag = uniqueTag();
			const draft = await posts.create(author, { tags: [tag], status: "draft" });
			const published = await posts.create(author, { tags: [tag] });
			await posts.create(other, { tags: [tag] });
			assert.deepEqual((await posts.rows(`mine=true&tag=${tag}`, author)).map(p => p.id).sort(), [draft.id, published.id].sort());
			assert.equal((await posts.rows(`mine=true&tag=${tag}`, third)).length, 0);
			assertError(await posts.list("mine=true"), 401);
		});

		it("when searching then a title match ranks above a content-only match, drafts are not found, and websearch syntax works", async () => {
			const word = uniqueWord();
			const partner = uniqueWord();
			const excluded = uniqueWord();
			const inTitle = await posts.create(author, { title: `All about ${word}` });
			const inContent = await posts.create(other, {
				content: `This text mentions ${word} ${partner} in passing, and ${excluded} too.`
			});
			await posts.create(author, { title: `Draft about ${word}`, status: "draft" });

			const ranked = ok(await posts.list(`q=${word}`));
			assert.equal(ranked.total, 2);
			assert.deepEqual(
				ranked.rows.map((p: any) => p.id),
				[inTitle.id, inContent.id],
				"relevance by default with q"
			);
			assert.deepEqual(
				(await posts.rows(`q=${word}&sort=relevance`)).map(p => p.id),
				[inTitle.id, inContent.id]
			);
			assert.deepEqual(
				(await posts.rows(`q=${word}&sort=recent`)).map(p => p.id),
				[inContent.id, inTitle.id]
			);
			assert.deepEqual(
				(await posts.rows(`q=${encodeURIComponent(`${word} -${excluded}`)}`)).map(p => p.id),
				[inTitle.id]
			);
			assert.deepEqual(
				(await posts.rows(`q=${encodeURIComponent(`"${word} ${partner}"`)}`)).map(p => p.id),
				[inContent.id]
			);
			assert.deepEqual(await posts.rows(`q=${encodeURIComponent(`"${partner} ${word}"`)}`), [], "a phrase keeps its order");
			assert.deepEqual(
				(await posts.rows(`q=${word.toUpperCase()}`)).map(p => p.id),
				[inTitle.id, inContent.id]
			);
		});

		it("when sort=popular then the most reacted post comes first; sort=recent puts the newest first", async () => {
			const tag = uniqueTag();
			const popular = await posts.create(author, { tags: [tag] });
			const quiet = await posts.create(author, { tags: [tag] });
			for (const liker of likers.slice(0, 3)) ok(await posts.react(popular.id, "like", liker));
			assert.deepEqual(
				(await posts.rows(`tag=${tag}&sort=popular`)).map(p => p.id),
				[popular.id, quiet.id]
			);
			assert.deepEqual(
				(await posts.rows(`tag=${tag}&sort=recent`)).map(p => p.id),
				[quiet.id, popular.id]
			);
			assert.deepEqual(
				(await posts.rows(`tag=${tag}`)).map(p => p.id),
				[quiet.id, popular.id],
				"recent by default without q"
			);
		});

		it("when pagination, sort or a filter is out of range then 422", async () => {
			for (const query of [
				"pageSize=101",
				"pageSize=0",
				"page=0",
				"pageSize=abc",
				"sort=oldest",
				"sort=title",
				"category=cooking",
				"author=not-a-uuid"
			]) {
				assertError(await posts.list(query), 422);
			}
		});

		it("when injection is attempted through the query string then 200 or 422, never 500, and the posts table is intact", async () => {
			const tag = uniqueTag();
			const post = await posts.create(author, { tags: [tag] });
			// [query, whether a 200 must leave out the unrelated post (it would, were the filter honoured)]
			const queries: [string, boolean][] = [
				[`sort=${encodeURIComponent("title;DROP TABLE posts")}`, false],
				[`sort=${encodeURIComponent("recent; DROP TABLE posts.posts --")}`, false],
				[`q=${encodeURIComponent("' OR 1=1 --")}`, true],
				[`q=${encodeURIComponent("'); DROP TABLE posts; --")}`, true],
				[`q=${encodeURIComponent("(a+)+$")}`, false],
				["tag[$ne]=x", true],
				[`tag=${encodeURIComponent("x' OR '1'='1")}`, true],
				["author[$gt]=", true]
			];
			for (const [query, leavesOut] of queries) {
				const res = await posts.list(query);
				assert.ok(res.status === 200 || res.status === 422, `${query}: ${res.status} ${JSON.stringify(res.body)}`);
				if (res.status === 422) assertError(res, 422);
				else if (leavesOut) assert.ok(!res.body.rows.some((p: any) => p.id === post.id), `${query} found an unrelated post`);
			}
			assert.equal((await posts.read(post.id)).id, post.id);
			assert.deepEqual(
				(await posts.rows(`tag=${tag}`)).map(p => p.id),
				[post.id]
			);
			assert.ok(ok(await posts.list("pageSize=1")).total >= 1);
		});

		it("when reading another user's draft, an unknown id or an unknown slug then 404", async () => {
			const draft = await posts.create(other, { status: "draft" });
			assertError(await posts.get(draft.id, author), 404);
			assertError(await posts.get(randomUUID(), author), 404);
			assertError(await posts.get(`no-such-post-${uniqueWord(6)}`), 404);
		});

		it("when a post is read then its viewCount eventually goes up", async () => {
			const post = await posts.create(author);
			assert.equal(post.viewCount, 0);
			for (let i = 0; i < 3; i++) await posts.read(post.id);
			await eventually(
				"the views are counted",
				async () => (await posts.read(post.slug)).viewCount as number,
				n => n >= 1,
				15_000,
				200
			);
		});
	});

	describe("updating and deleting", () => {
		it("when the author patches a post then 200, the slug stays, and reads by id, slug and list return the update at once", async () => {
			const oldTag = uniqueTag();
			const newTag = uniqueTag();
			const post = await posts.create(author, { tags: [oldTag] });
			// Fill the caches first: the reads after the PATCH must not be served from them.
			await posts.read(post.id);
			await posts.read(post.slug);
			await posts.read(post.id, author);
			assert.deepEqual(
				(await posts.rows(`tag=${oldTag}`)).map(p => p.title),
				[post.title]
			);

			const title = `Renamed ${uniqueWord(6)}`;
			const patched = ok(await posts.patch(post.id, author, { title, content: "## New body", tags: [newTag], category: "web" }));
			assert.equal(patched.slug, post.slug);
			assert.equal(patched.title, title);
			assert.match(patched.html, /<h2[^>]*>New body<\/h2>/);
			assert.deepEqual(patched.tags, [newTag]);
			assert.equal(patched.category, "web");
			assert.ok(patched.updatedAt >= post.updatedAt);

			for (const [key, as] of [
				[post.id, undefined],
				[post.slug, undefined],
				[post.id, author]
			] as const) {
				const read = await posts.read(key, as);
				assert.equal(read.title, title, `read by ${key}`);
				assert.equal(read.content, "## New body");
				assert.equal(read.slug, post.slug);
			}
			assert.deepEqual(await posts.rows(`tag=${oldTag}`), []);
			assert.deepEqual(
				(await posts.rows(`tag=${newTag}`)).map(p => p.title),
				[title]
			);
		});

		it("when a draft is published then publishedAt is set and others can read it at once", async () => {
			const draft = await posts.create(author, { status: "draft" });
			assertError(await posts.get(draft.id, other), 404);
			const published = ok(await posts.patch(draft.id, author, { status: "published" }));
			assert.equal(published.status, "published");
			assert.match(published.publishedAt, ISO);
			assert.equal((await posts.read(draft.id, other)).status, "published");
			assert.equal((await posts.read(draft.slug)).publishedAt, published.publishedAt);
		});

		it("when another user or nobody patches a post, or forbidden fields are sent, then 403/401/422 and nothing changes", async () => {
			const post = await posts.create(author);
			assertError(await posts.patch(post.id, other, { title: "Hijacked title" }), 403, "FORBIDDEN");
			assertError(await h.api("PATCH", `/api/posts/${post.id}`, { body: { title: "Anonymous title" } }), 401);
			for (const extra of [{ authorId: other.id }, { viewCount: 5 }, { slug: "new-slug" }, { title: "ok title", html: "<b>x</b>" }]) {
				assertError(await posts.patch(post.id, author, extra), 422, "VALIDATION_ERROR");
			}
			assertError(await posts.patch(post.id, author, { title: "no" }), 422, "VALIDATION_ERROR");
			assertError(await posts.patch(post.id, author, { tags: ["a", "b", "c", "d", "e", "f"] }), 422, "VALIDATION_ERROR");
			const read = await posts.read(post.id);
			assert.equal(read.title, post.title);
			assert.equal(read.slug, post.slug);
			assert.equal(read.authorId, author.id);
			assert.equal(read.updatedAt, post.updatedAt);
			assertError(await posts.patch(randomUUID(), author, { title: "Nothing there" }), 404);
		});

		it("when a platform admin patches or deletes another user's post then it works", async () => {
			const post = await posts.create(author);
			const patched = ok(await posts.patch(post.id, admin, { title: "Moderated title" }));
			assert.equal(patched.title, "Moderated title");
			assert.equal(patched.authorId, author.id, "the author stays the author");
			assert.equal((await posts.remove(post.id, admin)).status, 204);
			assertError(await posts.get(post.id), 404);
		});

		it("when the author deletes a post then 204 and it is gone; another user gets 403 FORBIDDEN and it stays", async () => {
			const tag = uniqueTag();
			const post = await posts.create(author, { tags: [tag] });
			await posts.read(post.slug);
			assertError(await posts.remove(post.id, other), 403, "FORBIDDEN");
			assertError(await h.api("DELETE", `/api/posts/${post.id}`), 401);
			assert.equal((await posts.read(post.id)).id, post.id, "still there");
			const res = await posts.remove(post.id, author);
			assert.equal(res.status, 204);
			assertError(await posts.get(post.id), 404);
			assertError(await posts.get(post.slug), 404);
			assert.deepEqual(await posts.rows(`tag=${tag}`), []);
			assertError(await posts.remove(post.id, author), 404);
		});
	});

	describe("reactions", () => {
		it("when a user likes a post twice then the count is 1 and myReactions has it; unliking brings it back to 0", async () => {
			const post = await posts.create(author);
			const first = ok(await posts.react(post.id, "like", other));
			assert.deepEqual(first, { reactions: { ...NO_REACTIONS, like: 1 }, myReactions: ["like"] });
			const again = ok(await posts.react(post.id, "like", other));
			assert.deepEqual(again.reactions, { ...NO_REACTIONS, like: 1 });
			ok(await posts.react(post.id, "insightful", other));

			const asOther = await posts.read(post.id, other);
			assert.deepEqual(asOther.reactions, { like: 1, helpful: 0, insightful: 1 });
			assert.deepEqual([...asOther.myReactions].sort(), ["insightful", "like"]);
			assert.deepEqual((await posts.read(post.slug, third)).myReactions, []);
			assert.deepEqual((await posts.read(post.id)).myReactions, []);

			const removed = ok(await posts.unreact(post.id, "like", other));
			assert.deepEqual(removed, { reactions: { like: 0, helpful: 0, insightful: 1 }, myReactions: ["insightful"] });
			assert.deepEqual(
				ok(await posts.unreact(post.id, "like", other)).reactions,
				{ like: 0, helpful: 0, insightful: 1 },
				"unliking twice is harmless"
			);
			assert.deepEqual((await posts.read(post.id, other)).reactions, { like: 0, helpful: 0, insightful: 1 });
		});

		it("when 50 users like a post at once then the count is 50", async () => {
			const post = await posts.create(author);
			const results = await Promise.all(likers.slice(0, 50).map(liker => posts.react(post.id, "like", liker)));
			assert.deepEqual(
				results.map(r => r.status),
				Array(50).fill(200)
			);
			assert.equal((await posts.read(post.id)).reactions.like, 50);
			assert.equal((await posts.read(post.slug, author)).reactions.like, 50);
		});

		it("when the kind is unknown or the post does not exist then 422/404 and nothing is counted", async () => {
			const post = await posts.create(author);
			assertError(await posts.react(post.id, "love", other), 422);
			assertError(await posts.unreact(post.id, "love", other), 422);
			assertError(await posts.react(randomUUID(), "like", other), 404);
			assertError(await h.api("PUT", `/api/posts/${post.id}/reactions/like`), 401);
			const read = await posts.read(post.id, other);
			assert.deepEqual(read.reactions, NO_REACTIONS);
			assert.deepEqual(read.myReactions, []);
		});

		it("when reacting to a draft then 409 POST_NOT_PUBLISHED for its author and 404 for others; nothing is counted", async () => {
			const draft = await posts.create(author, { status: "draft" });
			assertError(await posts.react(draft.id, "like", author), 409, "POST_NOT_PUBLISHED");
			assertError(await posts.react(draft.id, "like", other), 404);
			assert.deepEqual((await posts.read(draft.id, author)).reactions, NO_REACTIONS);
		});
	});

	describe("comments", () => {
		it("when commenting then 201 with depth 1, replies nest, the thread is oldest first and commentCount follows", async () => {
			const post = await posts.create(author);
			const res = await posts.comment(post.id, other, { content: "First, **nice** post" });
			const top = ok(res, 201);
			assert.match(top.id, UUID);
			assert.equal(top.postId, post.id);
			assert.equal(top.parentId, null);
			assert.equal(top.depth, 1);
			assert.equal(top.authorId, other.id);
			assert.equal(top.content, "First, **nice** post");
			assert.match(top.html, /<strong>nice<\/strong>/);
			assert.equal(top.deleted, false);
			assert.match(top.createdAt, ISO);
			const reply = await posts.createComment(post.id, author, "Thanks!", top.id);
			assert.equal(reply.parentId, top.id);
			assert.equal(reply.depth, 2);
			const second = await posts.createComment(post.id, third, "Another thought");

			const thread = await posts.thread(post.id);
			assert.deepEqual(
				thread.map(c => c.id),
				[top.id, reply.id, second.id]
			);
			assert.equal((await posts.read(post.id)).commentCount, 3);
			const page = ok(await posts.comments(post.id));
			assert.deepEqual(Object.keys(page).sort(), PAGE_KEYS);
			assert.equal(page.total, 3);
		});

		it("when a reply would go beyond depth 3 then 422 COMMENT_TOO_DEEP and nothing is stored", async () => {
			const post = await posts.create(author);
			const one = await posts.createComment(post.id, other, "depth one");
			const two = await posts.createComment(post.id, third, "depth two", one.id);
			const three = await posts.createComment(post.id, other, "depth three", two.id);
			assert.deepEqual([one.depth, two.depth, three.depth], [1, 2, 3]);
			assertError(await posts.comment(post.id, third, { content: "depth four", parentId: three.id }), 422, "COMMENT_TOO_DEEP");
			assert.equal((await posts.thread(post.id)).length, 3);
			assert.equal((await posts.read(post.id)).commentCount, 3);
		});

		it("when parentId belongs to another post or to nothing then 404 and nothing is stored", async () => {
			const post = await posts.create(author);
			const elsewhere = await posts.create(other);
			const foreign = await posts.createComment(elsewhere.id, third, "on the other post");
			assertError(await posts.comment(post.id, third, { content: "misplaced", parentId: foreign.id }), 404);
			assertError(await posts.comment(post.id, third, { content: "orphan", parentId: randomUUID() }), 404);
			assertError(await posts.comment(randomUUID(), third, { content: "nowhere" }), 404);
			assert.deepEqual(await posts.thread(post.id), []);
			assert.equal((await posts.read(post.id)).commentCount, 0);
			assert.equal((await posts.thread(elsewhere.id)).length, 1);
		});

		it("when a comment is empty, too long, carries unknown fields or comes from nobody then 422/401 and nothing is stored", async () => {
			const post = await posts.create(author);
			assertError(await posts.comment(post.id, other, { content: "" }), 422, "VALIDATION_ERROR");
			assertError(await posts.comment(post.id, other, { content: "x".repeat(10_001) }), 422, "VALIDATION_ERROR");
			assertError(await posts.comment(post.id, other, { content: "hi", authorId: third.id }), 422, "VALIDATION_ERROR");
			assertError(await posts.comment(post.id, undefined, { content: "anonymous" }), 401);
			assert.deepEqual(await posts.thread(post.id), []);
			assert.equal((await posts.read(post.id)).commentCount, 0);
			assert.equal((await posts.createComment(post.id, other, "y".repeat(10_000))).content.length, 10_000);
		});

		it("when a comment carries XSS payloads then its html keeps none of them", async () => {
			const post = await posts.create(author);
			const comment = await posts.createComment(post.id, other, `**ok** [link](https://example.com/)\n\n${XSS_PAYLOADS}`);
			for (const html of [comment.html, (await posts.thread(post.id))[0].html]) {
				assert.deepEqual(unsafeMarkup(html), [], html);
				assert.match(html, /<strong>ok<\/strong>/);
				assert.match(html, /<a [^>]*href="https:\/\/example\.com\/"/);
			}
		});

		it("when commenting on a draft then 409 POST_NOT_PUBLISHED for its author and 404 for others; nothing is stored", async () => {
			const draft = await posts.create(author, { status: "draft" });
			assertError(await posts.comment(draft.id, author, { content: "note to self" }), 409, "POST_NOT_PUBLISHED");
			assertError(await posts.comment(draft.id, other, { content: "sneaky" }), 404);
			assertError(await posts.comments(draft.id, other), 404);
			assertError(await posts.comments(draft.id), 404);
			assert.equal((await posts.read(draft.id, author)).commentCount, 0);
		});

		it("when the comment author edits it then 200 with new html; anyone else gets 403 FORBIDDEN and nothing changes", async () => {
			const post = await posts.create(author);
			const comment = await posts.createComment(post.id, other, "first version");
			assertError(await posts.patchComment(post.id, comment.id, author, { content: "the post author's words" }), 403, "FORBIDDEN");
			assertError(await posts.patchComment(post.id, comment.id, third, { content: "someone else's words" }), 403, "FORBIDDEN");
			assertError(await posts.patchComment(post.id, comment.id, other, { content: "" }), 422);
			assert.equal((await posts.thread(post.id))[0].content, "first version");

			const edited = ok(await posts.patchComment(post.id, comment.id, other, { content: "second **version**" }));
			assert.equal(edited.content, "second **version**");
			assert.match(edited.html, /<strong>version<\/strong>/);
			assert.equal((await posts.thread(post.id))[0].content, "second **version**");
		});

		it("when a comment is deleted then it stays in the thread as deleted, its replies keep their place, and commentCount goes down", async () => {
			const post = await posts.create(author);
			const top = await posts.createComment(post.id, other, "to be deleted");
			const reply = await posts.createComment(post.id, third, "a reply", top.id);
			const own = await posts.createComment(post.id, third, "my own, to delete");
			const countBefore = (await posts.read(post.id)).commentCount;
			assert.equal(countBefore, 3);

			assertError(await posts.removeComment(post.id, top.id, likers[0]), 403, "FORBIDDEN");
			assertError(await posts.removeComment(post.id, top.id, third), 403, "FORBIDDEN");
			assert.equal((await posts.thread(post.id))[0].deleted, false, "still there after the 403s");
			assert.equal((await posts.read(post.id)).commentCount, 3);

			assert.equal(
				(await posts.removeComment(post.id, top.id, author)).status,
				204,
				"the post's author may delete any comment on it"
			);
			const thread = await posts.thread(post.id);
			assert.deepEqual(
				thread.map(c => c.id),
				[top.id, reply.id, own.id]
			);
			assert.equal(thread[0].deleted, true);
			assert.equal(thread[0].authorId, null);
			assert.equal(thread[0].content, "");
			assert.ok(!thread[0].html.includes("to be deleted"));
			assert.equal(thread[1].parentId, top.id);
			assert.equal(thread[1].content, "a reply");
			assert.equal((await posts.read(post.id)).commentCount, 2);

			assert.equal((await posts.removeComment(post.id, own.id, third)).status, 204, "a comment's author may delete it");
			assert.equal((await posts.removeComment(post.id, reply.id, admin)).status, 204, "a platform admin may delete any comment");
			assert.equal((await posts.read(post.id)).commentCount, 0);
		});
	});

	describe("categories and tags", () => {
		it("when categories are read then every category is listed with its count of published public posts, zero included", async () => {
			const before = ok(await h.api("GET", "/api/categories")) as { name: string; count: number }[];
			assert.deepEqual(before.map(c => c.name).sort(), [...CATEGORIES].sort());
			assert.ok(
				before.every(c => Number.isInteger(c.count) && c.count >= 0),
				JSON.stringify(before)
			);
			assert.equal(before.find(c => c.name === UNUSED_CATEGORY)!.count, 0);
			const careerBefore = before.find(c => c.name === "career")!.count;

			await posts.create(author, { category: "career" });
			await posts.create(author, { category: "career", status: "draft" });
			const after = ok(await h.api("GET", "/api/categories")) as { name: string; count: number }[];
			assert.equal(
				after.find(c => c.name === "career")!.count,
				careerBefore + 1,
				"the published post counts at once; the draft does not"
			);
			assert.equal(after.find(c => c.name === UNUSED_CATEGORY)!.count, 0);
		});

		it("when tags are read with a prefix then the matching tags come with their counts, most used first", async () => {
			const prefix = uniqueTag("tg");
			await posts.create(author, { tags: [`${prefix}-alpha`, `${prefix}-beta`] });
			await posts.create(other, { tags: [`${prefix}-alpha`] });
			await posts.create(third, { tags: [`${prefix}-alpha`, `x-${prefix}`] });
			const tags = ok(await h.api("GET", `/api/tags?q=${prefix}`));
			assert.deepEqual(tags, [
				{ name: `${prefix}-alpha`, count: 3 },
				{ name: `${prefix}-beta`, count: 1 }
			]);
			const all = ok(await h.api("GET", "/api/tags"));
			assert.ok(
				Array.isArray(all) && all.every((t: any) => typeof t.name === "string" && Number.isInteger(t.count)),
				JSON.stringify(all)
			);
			assertError(await h.api("GET", `/api/tags?q=${"x".repeat(33)}`), 422);
		});
	});

	describe("events", () => {
		it("when a post is created, updated, published, commented, reacted and deleted then each event reaches the audit trail with the post and author ids", async () => {
			const post = await posts.create(author, { status: "draft" });
			ok(await posts.patch(post.id, author, { title: `Edited ${uniqueWord(6)}` }));
			ok(await posts.patch(post.id, author, { status: "published" }));
			await posts.createComment(post.id, other, "an event-worthy remark");
			ok(await posts.react(post.id, "helpful", other));
			assert.equal((await posts.remove(post.id, author)).status, 204);

			for (const type of ["post.created", "post.updated", "post.published", "post.commented", "post.reacted", "post.deleted"]) {
				const [event] = await h.audited(admin, post.id, type);
				assert.equal(event.payload.postId, post.id, type);
				assert.equal(event.payload.authorId, author.id, type);
				assert.ok(!/password|hash|token/i.test(JSON.stringify(event)), `${type} carries no secret`);
			}
		});
	});

	describe("lifecycle", () => {
		it("when a user deletes their account then their posts are deleted and their comments on others' posts are anonymised", async () => {
			const leaving = await h.register("leaving");
			const own = await posts.create(leaving);
			const host = await posts.create(author);
			const comment = await posts.createComment(host.id, leaving, "a remark that outlives me");
			await posts.read(own.id);
			await posts.thread(host.id);

			assert.equal((await h.api("DELETE", "/api/users/me", { token: leaving.token })).status, 204);

			await eventually(
				"the leaving user's post is deleted",
				async () => (await posts.get(own.id)).status,
				status => status === 404,
				15_000,
				100
			);
			assertError(await posts.get(own.slug), 404);
			const [kept] = await eventually(
				"the comment is anonymised",
				async () => (await posts.thread(host.id)).filter(c => c.id === comment.id),
				rows => rows.length === 1 && rows[0].authorId === null,
				15_000,
				100
			);
			assert.equal(kept.content, "a remark that outlives me");
			assert.equal((await posts.read(host.id)).id, host.id, "the other author's post stays");
			assert.deepEqual(await posts.rows(`author=${leaving.id}`), []);
		});

		it("when a group is deleted then its posts are removed", async () => {
			const group = await posts.group(other, { members: [third] });
			const byOwner = await posts.create(other, { groupId: group.id });
			const byMember = await posts.create(third, { groupId: group.id });
			const outside = await posts.create(third);
			await posts.read(byOwner.id);
			await posts.read(byMember.slug);

			assert.equal((await h.api("DELETE", `/api/groups/${group.id}`, { token: other.token })).status, 204);

			for (const post of [byOwner, byMember]) {
				await eventually(
					`post ${post.id} of the deleted group is removed`,
					async () => (await posts.get(post.id)).status,
					status => status === 404,
					15_000,
					100
				);
				assertError(await posts.get(post.slug), 404);
			}
			assert.equal((await posts.read(outside.id)).id, outside.id, "a post outside the group stays");
		});
	});

	describe("cache", () => {
		it("when a post is read, patched and read again then the second read has the update", async () => {
			const post = await posts.create(author, { content: "before the edit" });
			assert.equal((await posts.read(post.slug)).content, "before the edit");
			assert.equal((await posts.read(post.id)).content, "before the edit");
			ok(await posts.patch(post.id, author, { content: "after the edit" }));
			assert.equal((await posts.read(post.slug)).content, "after the edit");
			assert.equal((await posts.read(post.id)).content, "after the edit");
		});

		it("when a list page was read and a post is then published, edited or deleted then the next read of that page shows it", async () => {
			const tag = uniqueTag();
			assert.deepEqual(await posts.rows(`tag=${tag}`), []);
			assert.deepEqual(await posts.rows(`mine=true&tag=${tag}`, author), []);
			const post = await posts.create(author, { tags: [tag], status: "draft" });
			assert.deepEqual(await posts.rows(`tag=${tag}`), [], "a draft is not public");
			assert.deepEqual(
				(await posts.rows(`mine=true&tag=${tag}`, author)).map(p => p.id),
				[post.id]
			);
			assert.deepEqual(await posts.rows(`mine=true&tag=${tag}`, other), [], "another caller's page is not the author's");

			ok(await posts.patch(post.id, author, { status: "published" }));
			assert.deepEqual(
				(await posts.rows(`tag=${tag}`)).map(p => p.id),
				[post.id]
			);
			ok(await posts.patch(post.id, author, { title: "A fresher title" }));
			assert.deepEqual(
				(await posts.rows(`tag=${tag}`)).map(p => p.title),
				["A fresher title"]
			);
			ok(await posts.react(post.id, "like", other));
			assert.equal((await posts.rows(`tag=${tag}`))[0].reactions.like, 1);
			assert.equal((await posts.remove(post.id, author)).status, 204);
			assert.deepEqual(await posts.rows(`tag=${tag}`), []);
			assert.deepEqual(await posts.rows(`mine=true&tag=${tag}`, author), []);
		});

		it("when a logged-in reader reads a post repeatedly then the cacher counts hits in the metrics", async () => {
			const post = await posts.create(author);
			await posts.read(post.slug, other);
			const hitsBefore = metric(h.platform.broker, "moleculer.cacher.found.total");
			for (let i = 0; i < 5; i++) await posts.read(post.slug, other);
			const hitsAfter = metric(h.platform.broker, "moleculer.cacher.found.total");
			assert.ok(hitsAfter > hitsBefore, `cache hits ${hitsBefore} → ${hitsAfter}`);
			assert.ok(metric(h.platform.broker, "moleculer.cacher.get.total") >= hitsAfter);
		});
	});

	describe("the gateway's copies of anonymous reads", () => {
		const HITS = "codelearn.http.cache.hits.total";
		const postsGetCalls = () => actionCalls(h.platform.broker, "posts.get");

		it("when anonymous readers read a published post then the gateway answers from its copy: same body and ETag, 304 on If-None-Match", async () => {
			const post = await posts.create(author);
			const first = await posts.get(post.slug);
			assert.equal(first.status, 200);
			const etag = first.headers.get("etag");
			assert.match(etag ?? "", /^"[\w-]+"$/);
			assert.equal(first.headers.get("cache-control"), "no-cache");
			const [hitsBefore, callsBefore] = [metric(h.platform.broker, HITS), postsGetCalls()];
			for (let i = 0; i < 5; i++) {
				const again = await posts.get(post.slug);
				assert.deepEqual(again.body, first.body);
				assert.ok(again.headers.get("x-request-id"), "a copy carries a request id too");
				assert.equal(again.headers.get("x-rate-limit-limit"), "1000000", "a copy counts against the rate limit");
			}
			const [hits, calls] = [metric(h.platform.broker, HITS) - hitsBefore, postsGetCalls() - callsBefore];
			// The view counter's flush (every 2 s) drops the copy: a read right after it is a miss.
			assert.equal(hits + calls, 5);
			assert.ok(hits >= 3, `${hits} of 5 reads answered from the copy, ${calls} by posts.get`);
			const revalidated = await h.api("GET", `/api/posts/${post.slug}`, { headers: { "If-None-Match": etag! } });
			assert.equal(revalidated.status, 304);
			assert.equal(revalidated.body, null);
		});

		it("when a post is read anonymously from the copy then its views still add up", async () => {
			const post = await posts.create(author);
			for (let i = 0; i < 6; i++) await posts.read(post.slug);
			await eventually(
				"six views counted",
				async () => (await posts.read(post.id, other)).viewCount as number,
				n => n >= 6,
				15_000,
				200
			);
		});

		it("when a post is reacted to, commented on, edited or deleted then the next anonymous read shows it at once", async () => {
			const post = await posts.create(author);
			await posts.read(post.slug);
			ok(await posts.react(post.id, "like", other));
			assert.equal((await posts.read(post.slug)).reactions.like, 1);
			await posts.createComment(post.id, other, "A comment");
			assert.equal((await posts.read(post.slug)).commentCount, 1);
			ok(await posts.patch(post.id, author, { title: "An edited title" }));
			assert.equal((await posts.read(post.slug)).title, "An edited title");
			assert.equal((await posts.remove(post.id, author)).status, 204);
			assertError(await posts.get(post.slug), 404);
		});

		it("when a logged-in reader reads a post an anonymous reader has cached then they get their own reactions, not the copy", async () => {
			const post = await posts.create(author);
			ok(await posts.react(post.id, "helpful", other));
			assert.deepEqual((await posts.read(post.slug)).myReactions, []);
			await posts.read(post.slug);
			const mine = await posts.get(post.slug, other);
			assert.deepEqual(mine.body.myReactions, ["helpful"]);
			assert.equal(mine.headers.get("etag"), null, "an answer for one caller carries no shared ETag");
		});

		it("when a post is a draft, or in a group that turns private, then no anonymous copy outlives what the reader may see", async () => {
			const draft = await posts.create(author, { status: "draft" });
			assertError(await posts.get(draft.slug), 404);
			ok(await posts.patch(draft.id, author, { status: "published" }));
			assert.equal((await posts.read(draft.slug)).status, "published");

			const group = await posts.group(author);
			const grouped = await posts.create(author, { groupId: group.id });
			await posts.read(grouped.slug);
			await posts.read(grouped.slug);
			ok(await h.api("PATCH", `/api/groups/${group.id}`, { token: author.token, body: { visibility: "private" } }));
			await eventually(
				"the private group's post is hidden from anonymous readers",
				async () => (await posts.get(grouped.slug)).status,
				status => status === 404,
				10_000,
				100
			);
		});
	});
});
