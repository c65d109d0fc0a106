/**
 * The demo's judged content: a practice problem in the archive, and a contest running now. Each
 * code problem's statement is problems/<file>.md; its reference solutions are submitted by demo
 * people, so the archive and the board show accepted programs.
 */
import type { Person } from "./people";

export interface Test {
	input: string;
	output: string;
	sample?: boolean;
}

export interface Solution {
	author: Person;
	language: "javascript" | "python";
	source: string;
}

const BALANCED_JS = `const s = require("fs").readFileSync(0, "utf8").trim();
const opening = { ")": "(", "]": "[", "}": "{" };
const stack = [];
let balanced = true;
for (const c of s) {
	if (!(c in opening)) stack.push(c);
	else if (stack.pop() !== opening[c]) {
		balanced = false;
		break;
	}
}
console.log(balanced && stack.length === 0 ? "YES" : "NO");
`;

const BALANCED_PY = `import sys

s = sys.stdin.readline().strip()
opening = {")": "(", "]": "[", "}": "{"}
stack = []
balanced = True
for c in s:
    if c not in opening:
        stack.append(c)
    elif not stack or stack.pop() != opening[c]:
        balanced = False
        break
print("YES" if balanced and not stack else "NO")
`;

const KADANE_PY = `import sys

data = sys.stdin.read().split()
n = int(data[0])
best = current = int(data[1])
for token in data[2 : n + 1]:
    value = int(token)
    current = max(value, current + value)
    best = max(best, current)
print(best)
`;

export const PRACTICE_PROBLEM = {
	author: "tomasz" as Person,
	title: "Balanced Brackets",
	file: "balanced-brackets",
	difficulty: "easy",
	tags: ["stack", "strings"],
	timeLimitMs: 1000,
	memoryLimitMb: 64,
	tests: [
		{ input: "([]{})\n", output: "YES\n", sample: true },
		{ input: "([)]\n", output: "NO\n", sample: true },
		{ input: "((\n", output: "NO\n" },
		{ input: "}{\n", output: "NO\n" },
		{ input: "{[()()]}\n", output: "YES\n" },
		// Long enough that a quadratic scan shows, small enough for the API's 100 kB body limit.
		{ input: `${"(".repeat(20_000)}${")".repeat(20_000)}\n`, output: "YES\n" },
		{ input: `${"()".repeat(14_999)}(\n`, output: "NO\n" }
	] satisfies Test[],
	solutions: [
		{ author: "jonas", language: "python", source: BALANCED_PY },
		{ author: "lucas", language: "javascript", source: BALANCED_JS }
	] satisfies Solution[]
};

export const CONTEST = {
	organiser: "maya" as Person,
	title: "Saturday Practice Round #1",
	description:
		"A relaxed round for the Algorithms Study Circle and anyone else: two quick questions and one classic. " +
		"ICPC scoring: solved problems first, then time. Join any time before it ends.",
	/** Seconds from now to the start: a contest must start in the future, and the seed waits for it. */
	startsInS: 5,
	durationDays: 7,
	participants: ["lucas", "jonas", "amara", "priya"] as Person[],
	answerProblems: [
		{
			title: "Handshakes",
			statement: "Six people meet, and each one shakes hands with every other person exactly once. How many handshakes are there?",
			answer: "15"
		},
		{
			title: "Past a million",
			statement: "What is the smallest whole number `n` such that `2^n` is greater than 1 000 000?",
			answer: "20"
		}
	],
	codeProblem: {
		title: "Maximum Subarray",
		file: "maximum-subarray",
		timeLimitMs: 1000,
		memoryLimitMb: 64,
		tests: [
			{ input: "9\n-2 1 -3 4 -1 2 1 -5 4\n", output: "6\n", sample: true },
			{ input: "1\n-7\n", output: "-7\n" },
			{ input: "4\n1 2 3 4\n", output: "10\n" },
			{ input: "6\n-1 -2 -3 -4 -5 -6\n", output: "-1\n" },
			{ input: "8\n100 -1 -1 -1 -1 -1 -1 100\n", output: "194\n" },
			{ input: "3\n1000000000 1000000000 -1\n", output: "2000000000\n" }
		] satisfies Test[]
	},
	/** Answers given once the round runs: [who, problem index in answerProblems, answer]. */
	answers: [
		["lucas", 0, "15"],
		["jonas", 0, "30"],
		["jonas", 1, "20"],
		["amara", 1, "20"]
	] as [Person, number, string][],
	programs: [{ author: "jonas", language: "python", source: KADANE_PY }] satisfies Solution[]
};
