/**
 * What every answer to a hostile request must be, as a list of problems (empty when it is
 * right): never a 5xx, the public error shape on every 4xx with `code` equal to the status, no
 * stack trace or internal path, within a second, 400 for prototype keys, 401 for a credential
 * that is not a valid token and 400 for an invalid Idempotency-Key, no admin-only answer to an
 * ordinary user's token however it is dressed, and no state change after a 4xx.
 */
import type { Answer } from "./client";
import type { HostileCase } from "./cases";
import { adminOnly } from "./routes";

export const MAX_ANSWER_MS = 1000;
export const MAX_HEALTH_MS = 100;

const ERROR_KEYS = new Set(["name", "message", "code", "type", "data"]);

/** Text that only an internal detail would put in an answer. */
const LEAKS: [string, RegExp][] = [
	["a stack frame", /\n?\s{4}at \S/],
	["an internal path", /\/work\/|\/home\/|\/usr\/|\/app\//],
	["node_modules", /node_modules/],
	["a source file name", /\.(?:ts|js|mjs|cjs):\d+/],
	[
		"a database message",
		/\bSequelize|\bsyntax error at or near|\bviolates (?:not-null|unique|check|foreign key) constraint|invalid input syntax for/i
	]
];

/** Problems with a 4xx body: it must be `{ name, message, code, type, data? }` with `code` the status. */
export function errorShapeProblems(status: number, text: string): string[] {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return [`a ${status} without a JSON body: ${JSON.stringify(text.slice(0, 80))}`];
	}
	if (!body || typeof body !== "object" || Array.isArray(body)) return [`a ${status} whose body is not an object`];
	const b = body as Record<string, unknown>;
	const problems: string[] = [];
	const extra = Object.keys(b).filter(k => !ERROR_KEYS.has(k));
	if (extra.length) problems.push(`error body has extra keys ${extra.join(", ")}`);
	for (const key of ["name", "message", "type"]) if (typeof b[key] !== "string") problems.push(`error body without a string "${key}"`);
	if (b.code !== status) problems.push(`error code ${JSON.stringify(b.code)} is not the status ${status}`);
	return problems;
}

export function leakProblems(text: string): string[] {
	return LEAKS.filter(([, pattern]) => pattern.test(text)).map(([what]) => `the answer shows ${what}`);
}

/** Everything wrong with the answer to one hostile case; `stateChanges` as StateProbe.changes gave them. */
export function answerProblems(c: HostileCase, answer: Answer, stateChanges: string[]): string[] {
	if (answer.error && !answer.status) return [`no answer: ${answer.error}`];
	const problems: string[] = [];
	if (answer.status >= 500) problems.push(`a ${answer.status}`);
	if (answer.ms > MAX_ANSWER_MS) problems.push(`answered in ${Math.round(answer.ms)} ms (> ${MAX_ANSWER_MS})`);
	if (answer.status >= 400 && answer.status < 500) problems.push(...errorShapeProblems(answer.status, answer.text));
	problems.push(...leakProblems(answer.text));
	if (c.proto) {
		const allowed = c.anonymous && c.route.auth === "required" ? [400, 401] : [400];
		if (!allowed.includes(answer.status)) problems.push(`a prototype key answered ${answer.status}, not ${allowed.join(" or ")}`);
	}
	if (c.expect && answer.status && !c.expect.includes(answer.status))
		problems.push(`${c.header ?? "the request"} answered ${answer.status}, not ${c.expect.join(" or ")}`);
	// Authorization cases are made from an ordinary user's token: an admin-only route serves none of them.
	if (c.header === "authorization" && adminOnly(c.route) && answer.status >= 200 && answer.status < 400) {
		problems.push(`an admin-only route answered ${answer.status} to an ordinary user's credential in another form`);
	}
	if (answer.status >= 400 && answer.status < 500 && stateChanges.length)
		problems.push(`state changed after a ${answer.status}: ${stateChanges.join("; ")}`);
	return problems;
}
