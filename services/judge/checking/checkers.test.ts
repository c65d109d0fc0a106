import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Checker } from "./checker.types";
import { check } from "./checkers";
import { cut, trimMessage } from "./messages";

const texts = (expected: string, actual: string) => ({ input: "", expected, actual });

describe("check", () => {
	it("judges with the checker its kind names", () => {
		assert.equal(check({ kind: "tokens" }, texts("1  2", "1 2")).verdict, "AC");
		assert.equal(check({ kind: "exact" }, texts("1  2", "1 2")).verdict, "WA");
		assert.equal(check({ kind: "floats", absolute: 0.5 }, texts("1", "1.4")).verdict, "AC");
		assert.equal(check({ kind: "lines-unordered" }, texts("a\nb", "b\na")).verdict, "AC");
	});

	it("when the checker is a custom program then it is an internal error here (it runs in the sandbox)", () => {
		const result = check({ kind: "custom", language: "cpp", source: "int main(){}" }, texts("1", "1"));
		assert.equal(result.verdict, "IE");
		assert.match(result.message!, /runCustomChecker/);
	});

	it("when the checker's kind is unknown then it is an internal error, not a throw", () => {
		assert.equal(check({ kind: "regex" } as unknown as Checker, texts("1", "1")).verdict, "IE");
	});

	it("when outputs are several MB then every built-in checker answers quickly", () => {
		const lines = Array.from({ length: 300_000 }, (_, k) => `${k} ${(k / 7).toFixed(6)}`).join("\n");
		for (const checker of [{ kind: "tokens" }, { kind: "exact" }, { kind: "floats" }, { kind: "lines-unordered" }] as Checker[]) {
			const started = performance.now();
			assert.equal(check(checker, texts(lines, lines + "\n")).verdict, "AC", checker.kind);
			const elapsed = performance.now() - started;
			assert.ok(elapsed < 1500, `${checker.kind} took ${elapsed} ms`);
		}
	});
});

describe("messages", () => {
	it("when a message is longer than 200 characters then it is cut to 200, ending with an ellipsis", () => {
		const message = trimMessage("x".repeat(500));
		assert.equal(message.length, 200);
		assert.ok(message.endsWith("…"));
		assert.equal(trimMessage("short"), "short");
	});

	it("when a cut would split a surrogate pair then it cuts before the pair", () => {
		assert.equal(cut("ab😀cd", 4), "ab…");
	});
});
