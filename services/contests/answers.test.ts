import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnswerKey, normaliseAnswer } from "./answers";

const SECRET = "test-secret-of-at-least-32-characters!";

describe("answer normalisation", () => {
	it("when an answer has outer whitespace then it is trimmed", () => {
		assert.equal(normaliseAnswer("  \t42\n ", false), "42");
	});

	it("when an answer has runs of inner whitespace (tabs, newlines, no-break spaces) then each becomes one space", () => {
		assert.equal(normaliseAnswer("O(n  \t log\n\nn)", false), "o(n log n)");
		assert.equal(normaliseAnswer("a\u00a0\u00a0b", false), "a b");
	});

	it("when the problem is not case-sensitive then the answer is lower-cased", () => {
		assert.equal(normaliseAnswer("  Hello   WORLD ", false), "hello world");
	});

	it("when the problem is case-sensitive then the case is kept, and whitespace still collapsed", () => {
		assert.equal(normaliseAnswer("  Hello   WORLD ", true), "Hello WORLD");
	});

	it("when an accent is typed as a combining mark then it equals the precomposed letter (NFC)", () => {
		assert.equal(normaliseAnswer("Caf\u0065\u0301", false), "caf\u00e9");
		assert.equal(normaliseAnswer("Caf\u0065\u0301", true), "Caf\u00e9");
	});

	it("when an answer is only whitespace then it normalises to the empty string", () => {
		assert.equal(normaliseAnswer(" \n\t ", false), "");
	});
});

describe("answer key", () => {
	const key = new AnswerKey(SECRET);

	it("when an answer is hashed then the hash is HMAC-SHA256 of its normalised form under the HKDF-derived key", () => {
		// Known answers: a change of derivation would make every stored answer hash unjudgeable.
		assert.equal(key.hash("  Hello   World ", false), "8a6a5e835590efe03c4ab232a7f39b71088f224357c71f7609472799ce6f0d8e");
		assert.equal(key.hash("Hello World", true), "f8bf1e3569239fa029dbdbbbe75703c8f7cd958e07595d82703c57d1c8cd61ae");
		assert.equal(key.hash("42", false), "6ae2ca3c19f9cc7cdfcb0e8543e3f6c5130355149a006720a91ebf500d7999a1");
	});

	it("when answers differ only in case, spacing or outer whitespace then they match a case-insensitive problem", () => {
		const expected = key.hash("Hello World", false);
		for (const answer of ["hello world", "HELLO   WORLD", "\tHello\nWorld  "])
			assert.equal(key.matches(answer, false, expected), true, answer);
	});

	it("when the case differs on a case-sensitive problem then the answer does not match", () => {
		const expected = key.hash("Hello World", true);
		assert.equal(key.matches("hello world", true, expected), false);
		assert.equal(key.matches(" Hello  World ", true, expected), true);
	});

	it("when the answer is different then it does not match", () => {
		assert.equal(key.matches("43", false, key.hash("42", false)), false);
	});

	it("when the secret differs then the same answer hashes differently (a leaked hash is useless without the key)", () => {
		assert.notEqual(new AnswerKey(`${SECRET}x`).hash("42", false), key.hash("42", false));
		assert.equal(new AnswerKey(`${SECRET}x`).matches("42", false, key.hash("42", false)), false);
	});
});
