import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkLinesUnordered } from "./lines-unordered-checker";

describe("the unordered lines checker", () => {
	it("when the same lines come in another order, trimmed, with empty lines anywhere then it accepts", () => {
		assert.deepEqual(checkLinesUnordered("1 2\n3 4\n5 6\n", "\n  5 6\r\n1 2\n\n3 4  "), { verdict: "AC" });
	});

	it("when a line repeats more often than in the answer then it refuses (lines are a multiset)", () => {
		assert.deepEqual(checkLinesUnordered("a\nb\n", "a\na\n"), {
			verdict: "WA",
			message: 'line 1: "a" is there more times than in the answer'
		});
	});

	it("when the output has a line the answer lacks then it names it and its line", () => {
		assert.deepEqual(checkLinesUnordered("b\n", "b\n\n a"), { verdict: "WA", message: 'line 3: "a" is not in the answer' });
	});

	it("when the output has no line at all then the first missing line is named", () => {
		assert.deepEqual(checkLinesUnordered("x\n", "\n"), { verdict: "WA", message: 'missing line "x"' });
		assert.deepEqual(checkLinesUnordered("", " \n"), { verdict: "AC" });
	});

	it("when a line is missing then it names it", () => {
		assert.deepEqual(checkLinesUnordered("a\nb\nc\n", "c\na\n"), { verdict: "WA", message: 'missing line "b"' });
	});

	it("when spacing inside a line differs then the lines differ", () => {
		assert.equal(checkLinesUnordered("1 2", "1  2").verdict, "WA");
	});
});
