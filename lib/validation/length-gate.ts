import { Errors } from "moleculer";

/** Rules that run a pattern over a string: the validator checks their `max` only after it (or never). */
const PATTERN_RULES = new Set(["string", "email", "url"]);

export interface LengthViolation {
	field: string;
	type: "stringMax" | "arrayMax";
	expected: number;
	actual: number;
	message: string;
}

type Check = (value: unknown, field: string, found: LengthViolation[]) => void;
type Rule = Record<string, unknown> & { type?: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A check of every string's and array's length against its rule's `max`, built once per schema
 * and run before the validator. fastest-validator tests an e-mail's pattern even when its `max`
 * has failed (quadratic on `@`-heavy input) and never checks a URL's `max`: bounding first means
 * no pattern ever meets more than `max` characters. A string rule without `max` throws here, at
 * start-up, so an unbounded string parameter cannot ship.
 */
export function lengthGate(owner: string, schema: Record<string, unknown>): ((params: unknown) => void) | undefined {
	const check = objectCheck(owner, schema);
	if (!check) return undefined;
	return params => {
		const found: LengthViolation[] = [];
		check(params, "", found);
		if (found.length) throw new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", found);
	};
}

function objectCheck(owner: string, props: Record<string, unknown>, path = ""): Check | undefined {
	const checks: [string, Check][] = [];
	for (const [key, rule] of Object.entries(props)) {
		if (key.startsWith("$$")) continue;
		const check = ruleCheck(owner, rule, path ? `${path}.${key}` : key);
		if (check) checks.push([key, check]);
	}
	if (!checks.length) return undefined;
	return (value, field, found) => {
		if (!isObject(value)) return;
		for (const [key, check] of checks) check(value[key], field ? `${field}.${key}` : key, found);
	};
}

function ruleCheck(owner: string, raw: unknown, path: string): Check | undefined {
	if (Array.isArray(raw)) return anyOf(raw.map(r => ruleCheck(owner, r, path)));
	if (typeof raw === "string") {
		if (PATTERN_RULES.has(raw.split("|")[0])) throw new Error(`${owner}: parameter "${path}" is a string without a max length`);
		return undefined;
	}
	if (!isObject(raw)) return undefined;
	const rule = raw as Rule;
	if (rule.$$type) return ruleCheck(owner, { ...rule, type: rule.$$type }, path);
	switch (rule.type) {
		case "object":
			return isObject(rule.props ?? rule.properties) ? objectCheck(owner, (rule.props ?? rule.properties) as Record<string, unknown>, path) : undefined;
		case "array":
			return arrayCheck(owner, rule, path);
		case "record":
			return recordCheck(owner, rule, path);
		case "multi":
			return Array.isArray(rule.rules) ? anyOf(rule.rules.map(r => ruleCheck(owner, r, path))) : undefined;
	}
	if (!PATTERN_RULES.has(rule.type as string)) return undefined;
	if (typeof rule.max !== "number") throw new Error(`${owner}: parameter "${path}" is a string without a max length`);
	const max = rule.max;
	return (value, field, found) => {
		if (typeof value === "string" && value.length > max) {
			found.push({ field, type: "stringMax", expected: max, actual: value.length, message: `The '${field}' field length must be less than or equal to ${max} characters long.` });
		}
	};
}

function arrayCheck(owner: string, rule: Rule, path: string): Check {
	const max = typeof rule.max === "number" ? rule.max : undefined;
	const items = rule.items === undefined ? undefined : ruleCheck(owner, rule.items, `${path}[]`);
	return (value, field, found) => {
		if (!Array.isArray(value)) return;
		if (max !== undefined && value.length > max) {
			found.push({ field, type: "arrayMax", expected: max, actual: value.length, message: `The '${field}' field must not contain more than ${max} items.` });
			return;
		}
		if (items) value.forEach((item, i) => items(item, `${field}[${i}]`, found));
	};
}

function recordCheck(owner: string, rule: Rule, path: string): Check | undefined {
	const key = rule.key === undefined ? undefined : ruleCheck(owner, rule.key, `${path}{key}`);
	const value = rule.value === undefined ? undefined : ruleCheck(owner, rule.value, `${path}{}`);
	if (!key && !value) return undefined;
	return (record, field, found) => {
		if (!isObject(record)) return;
		for (const [k, v] of Object.entries(record)) {
			key?.(k, `${field}{key}`, found);
			value?.(v, `${field}.${k}`, found);
		}
	};
}

/** Alternatives (`multi` rules): each bound applies, the tighter one wins (safe, never looser). */
function anyOf(checks: (Check | undefined)[]): Check | undefined {
	const defined = checks.filter((c): c is Check => c !== undefined);
	if (!defined.length) return undefined;
	return (value, field, found) => {
		for (const check of defined) {
			const before = found.length;
			check(value, field, found);
			if (found.length > before) return;
		}
	};
}
