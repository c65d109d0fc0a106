import { Errors } from "moleculer";

/** Rules that run a pattern over a string: the validator checks their `max` only after it (or never). */
const PATTERN_RULES = new Set(["string", "email", "url"]);
/** Rules whose value is one scalar: the validator's `convert` would call `Number()` on an object. */
const SCALAR_RULES = new Set(["string", "email", "url", "uuid", "number", "boolean", "date"]);

export interface GateViolation {
	field: string;
	type: string;
	expected?: number;
	actual?: number;
	message: string;
}

type Check = (value: unknown, field: string, found: GateViolation[]) => void;
type Rule = Record<string, unknown> & { type?: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * What fastest-validator gets wrong on hostile input, checked before it runs, from the same
 * schema (built once per action):
 * - lengths first: it tests an e-mail's pattern even when `max` has failed (quadratic on
 *   `@`-heavy input) and never checks a URL's `max`; a string rule without `max` throws here, at
 *   start-up, so an unbounded string parameter cannot ship;
 * - null only where a rule says `nullable`: it lets null through every optional rule, and a
 *   partial update would then write `null` into a required column;
 * - scalars only where a rule wants one: its `convert` calls `Number()` on an object, which
 *   throws on a null-prototype one (a query's `?page[a]=1`).
 */
export function paramsGate(owner: string, schema: Record<string, unknown>): ((params: unknown) => void) | undefined {
	const check = propsCheck(owner, schema);
	if (!check) return undefined;
	return params => {
		const found: GateViolation[] = [];
		check(params, "", found);
		if (found.length) throw new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", found);
	};
}

function propsCheck(owner: string, props: Record<string, unknown>, path = ""): Check | undefined {
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
	if (Array.isArray(raw)) return firstOf(raw.map(r => ruleCheck(owner, r, path)));
	if (typeof raw === "string") {
		if (PATTERN_RULES.has(raw.split("|")[0])) throw unbounded(owner, path);
		return undefined;
	}
	if (!isObject(raw)) return undefined;
	const rule = raw as Rule;
	if (rule.$$type) return ruleCheck(owner, { ...rule, type: rule.$$type }, path);
	if (rule.type === "multi") return Array.isArray(rule.rules) ? firstOf(rule.rules.map(r => ruleCheck(owner, r, path))) : undefined;
	const inner = valueCheck(owner, rule, path);
	const nullable = rule.nullable === true;
	return (value, field, found) => {
		if (value === null) {
			if (!nullable) found.push({ field, type: "required", message: `The '${field}' field must not be null.` });
		} else if (value !== undefined) {
			inner?.(value, field, found);
		}
	};
}

/** The checks of a present, non-null value. */
function valueCheck(owner: string, rule: Rule, path: string): Check | undefined {
	switch (rule.type) {
		case "object":
			return isObject(rule.props ?? rule.properties)
				? propsCheck(owner, (rule.props ?? rule.properties) as Record<string, unknown>, path)
				: undefined;
		case "array":
			return arrayCheck(owner, rule, path);
		case "record":
			return recordCheck(owner, rule, path);
	}
	const type = rule.type as string;
	if (!SCALAR_RULES.has(type)) return undefined;
	if (PATTERN_RULES.has(type) && typeof rule.max !== "number") throw unbounded(owner, path);
	const max = PATTERN_RULES.has(type) ? (rule.max as number) : Infinity;
	return (value, field, found) => {
		if (typeof value === "object") {
			found.push({ field, type, message: `The '${field}' field must be a ${type}.` });
		} else if (typeof value === "string" && value.length > max) {
			found.push({
				field,
				type: "stringMax",
				expected: max,
				actual: value.length,
				message: `The '${field}' field length must be less than or equal to ${max} characters long.`
			});
		}
	};
}

function arrayCheck(owner: string, rule: Rule, path: string): Check {
	const max = typeof rule.max === "number" ? rule.max : undefined;
	const items = rule.items === undefined ? undefined : ruleCheck(owner, rule.items, `${path}[]`);
	return (value, field, found) => {
		if (!Array.isArray(value)) return;
		if (max !== undefined && value.length > max) {
			found.push({
				field,
				type: "arrayMax",
				expected: max,
				actual: value.length,
				message: `The '${field}' field must not contain more than ${max} items.`
			});
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

/**
 * Alternatives (`multi` rules): the first alternative's complaint stands only if every
 * alternative complains (a value fits if one alternative fits).
 */
function firstOf(checks: (Check | undefined)[]): Check | undefined {
	if (checks.some(c => c === undefined)) return undefined;
	return (value, field, found) => {
		const complaints = checks.map(c => {
			const mine: GateViolation[] = [];
			c!(value, field, mine);
			return mine;
		});
		if (complaints.every(c => c.length)) found.push(...complaints[0]);
	};
}

const unbounded = (owner: string, path: string) => new Error(`${owner}: parameter "${path}" is a string without a max length`);
