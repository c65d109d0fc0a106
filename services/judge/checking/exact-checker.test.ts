import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExact } from "./exact-checker";

describe("the exact checker", () => {
	it("when the texts are equal then it accepts", () => {
		assert.deepEqual(checkExact("a b\n c\n", "a b\n c\n"), { verdict: "AC" });
	});

	it("when the output ends lines with CRLF then it reads them as LF", () => {
		assert.equal(checkExact("a\nb\n", "a\r\nb\r\n").verdict, "AC");
	});

	it("when one final newline is missing or added then it accepts, but not two", () => {
		assert.equal(checkExact("5\n", "5").verdict, "AC");
		assert.equal(checkExact("5", "5\n").verdict, "AC");
		assert.equal(checkExact("5\n", "5\n\n").verdict, "WA");
	});

	it("when spacing differs then it refuses and quotes the rest of the line from the first difference", () => {
		assert.deepEqual(checkExact("x\n1 2\n", "x\n1  2\n"), { verdict: "WA", message: 'line 2, column 3: expected "2", found " 2"' });
	});

	it("when the texts differ at their very start then it says line 1, column 1", () => {
		assert.deepEqual(checkExact("\nb", "a\nb"), { verdict: "WA", message: 'line 1, column 1: expected end of line, found "a"' });
	});

	it("when the output is shorter then it says it ended", () => {
		assert.deepEqual(checkExact("a\nb\nc", "a\nb"), {
			verdict: "WA",
			message: "line 2, column 2: expected end of line, found end of output"
		});
	});

	it("when a line is long then the quoted part is cut", () => {
		const message = checkExact("x".repeat(1000), "y".repeat(1000)).message!;
		assert.ok(message.length < 120, message);
	});
});
