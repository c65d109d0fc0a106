import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkTokens } from "./tokens-checker";

describe("the tokens checker", () => {
	it("when the tokens are equal however they are spaced or split into lines then it accepts", () => {
		assert.deepEqual(checkTokens("1 2 3\n4\n", "  1\t2\r\n3 4"), { verdict: "AC" });
	});

	it("when both texts are empty or only whitespace then it accepts", () => {
		assert.deepEqual(checkTokens("", " \n\n"), { verdict: "AC" });
	});

	it("when a token differs then it names the output's line and the token's place on it", () => {
		assert.deepEqual(checkTokens("1 2\n5 6\n", "1 2\n\n3 5 4"), { verdict: "WA", message: "line 3, token 1: expected 5, found 3" });
		assert.deepEqual(checkTokens("1\n2 5", "1\n2 4"), { verdict: "WA", message: "line 2, token 2: expected 5, found 4" });
	});

	it("when the output stops early then it says what was expected after how many tokens", () => {
		assert.deepEqual(checkTokens("1 2 3", "1 2\n"), { verdict: "WA", message: "after 2 tokens: expected 3, found end of output" });
	});

	it("when the output has an extra token then it says where", () => {
		assert.deepEqual(checkTokens("1 2", "1 2\n7"), { verdict: "WA", message: "line 2, token 1: expected end of output, found 7" });
	});

	it("when tokens differ only in case then it refuses (tokens are compared exactly)", () => {
		assert.equal(checkTokens("YES", "yes").verdict, "WA");
	});

	it("when a token is huge then the message cuts it and stays within 200 characters", () => {
		const result = checkTokens("a".repeat(10_000), "b".repeat(10_000));
		assert.equal(result.verdict, "WA");
		assert.ok(result.message!.length <= 200);
		assert.match(result.message!, /^line 1, token 1: expected a{39}…, found b{39}…$/);
	});

	it("when outputs are several MB then it judges them in well under a second", () => {
		const numbers = Array.from({ length: 500_000 }, (_, k) => String(k * 7919)).join(" ");
		const started = performance.now();
		assert.equal(checkTokens(numbers, numbers.replaceAll(" ", "\n")).verdict, "AC");
		assert.equal(checkTokens(numbers, numbers + " 1").verdict, "WA");
		assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
	});

	it("accepts any respacing of the same tokens and refuses any change to one of them (property)", () => {
		const token = fc.stringMatching(/^[!-~]{1,6}$/);
		const space = fc.constantFrom(" ", "\n", "\t", "\r\n", "  ");
		fc.assert(
			fc.property(fc.array(token, { maxLength: 20 }), fc.array(space, { minLength: 21, maxLength: 21 }), (tokens, spaces) => {
				const respaced = tokens.map((t, k) => spaces[k] + t).join("") + spaces[20];
				assert.equal(checkTokens(tokens.join(" "), respaced).verdict, "AC");
				if (tokens.length > 0) {
					assert.equal(checkTokens(tokens.join(" "), [...tokens.slice(1), tokens[0] + "x"].join(" ")).verdict, "WA");
				}
			})
		);
	});
});
