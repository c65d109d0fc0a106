/**
 * fastest-validator rules (the `params` and `response` of our actions) as JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1. Rules may come from another node's INFO packet: serialised as JSON, a RegExp
 * pattern arrives as `{}` and a function default not at all, so both are optional here.
 */
export type JsonSchema = Record<string, unknown>;
export type Rule = string | Rule[] | Record<string, unknown>;

export interface ConvertedRule {
	schema: JsonSchema;
	/** The caller may leave it out: `optional`, or a `default` fills it in. */
	optional: boolean;
}

/** `"string|min:3|optional"` → `{ type: "string", min: 3, optional: true }`. */
function parseShorthand(rule: string): Record<string, unknown> {
	const [type, ...flags] = rule.split("|");
	const parsed: Record<string, unknown> = { type: type.trim() };
	for (const flag of flags) {
		const [key, value] = flag.split(":").map(s => s.trim());
		if (value === undefined) parsed[key] = true;
		else parsed[key] = value === "true" ? true : value === "false" ? false : Number.isNaN(Number(value)) ? value : Number(value);
	}
	return parsed;
}

const num = (value: unknown) => (typeof value === "number" ? value : undefined);

function patternOf(pattern: unknown): string | undefined {
	if (pattern instanceof RegExp) return pattern.source;
	return typeof pattern === "string" ? pattern : undefined;
}

/** Only the keys whose value is defined. */
function defined(schema: JsonSchema): JsonSchema {
	return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}

function stringSchema(r: Record<string, unknown>, format?: string): JsonSchema {
	const notes = [
		r.trim ? "Leading and trailing whitespace is trimmed." : undefined,
		r.patternMessage ? `Format: ${String(r.patternMessage)}.` : undefined
	];
	return defined({
		type: "string",
		format,
		minLength: num(r.length) ?? num(r.min) ?? (r.empty === false ? 1 : undefined),
		maxLength: num(r.length) ?? num(r.max),
		pattern: patternOf(r.pattern),
		enum: Array.isArray(r.enum) ? r.enum : undefined,
		description: notes.filter(Boolean).join(" ") || undefined
	});
}

function numberSchema(r: Record<string, unknown>): JsonSchema {
	return defined({
		type: r.integer ? "integer" : "number",
		minimum: num(r.min),
		maximum: num(r.max),
		exclusiveMinimum: r.positive ? 0 : undefined,
		exclusiveMaximum: r.negative ? 0 : undefined,
		const: num(r.equal)
	});
}

function arraySchema(r: Record<string, unknown>): JsonSchema {
	return defined({
		type: "array",
		items: r.items === undefined ? undefined : convertRule(r.items as Rule).schema,
		minItems: num(r.length) ?? num(r.min) ?? (r.empty === false ? 1 : undefined),
		maxItems: num(r.length) ?? num(r.max),
		uniqueItems: r.unique === true ? true : undefined
	});
}

/**
 * A `type: "object"` rule, or a whole params or response schema (its `$$` keys are options; a
 * nested entity schema says `$$strict` among its props).
 */
export function objectSchema(props: Record<string, unknown>, strict: unknown): JsonSchema {
	const properties: Record<string, JsonSchema> = {};
	const required: string[] = [];
	for (const [name, rule] of Object.entries(props)) {
		if (name.startsWith("$$")) continue;
		const converted = convertRule(rule as Rule);
		if ((converted.schema as { not?: unknown }).not) continue; // a forbidden field: not part of the API
		properties[name] = converted.schema;
		if (!converted.optional) required.push(name);
	}
	return defined({
		type: "object",
		properties,
		required: required.length ? required : undefined,
		// `strict: "remove"` drops unknown keys silently: they are allowed, just never used.
		additionalProperties: strict === true ? false : undefined
	});
}

function typedSchema(r: Record<string, unknown>): JsonSchema {
	switch (r.type) {
		case "string":
			return stringSchema(r);
		case "uuid":
			return stringSchema(r, "uuid");
		case "email":
			return stringSchema(r, "email");
		case "url":
			return stringSchema(r, "uri");
		case "date":
			return { type: "string", format: "date-time" };
		case "number":
			return numberSchema(r);
		case "boolean":
			return { type: "boolean" };
		case "enum":
			return { enum: Array.isArray(r.values) ? r.values : [] };
		case "equal":
			return { const: r.value };
		case "array":
			return arraySchema(r);
		case "object":
			return r.props || r.properties
				? objectSchema(
						(r.props ?? r.properties) as Record<string, unknown>,
						r.strict ?? (r.props as { $$strict?: unknown })?.$$strict
					)
				: { type: "object" };
		case "record":
			return defined({
				type: "object",
				propertyNames: r.key === undefined ? undefined : convertRule(r.key as Rule).schema,
				additionalProperties: r.value === undefined ? undefined : convertRule(r.value as Rule).schema
			});
		case "multi":
			return { anyOf: (Array.isArray(r.rules) ? r.rules : []).map(rule => convertRule(rule as Rule).schema) };
		case "forbidden":
			return { not: {} };
		default: // any, custom, and types we do not know: no constraint we could state
			return {};
	}
}

/** Adds `null` to whatever the schema allows. */
function withNull(schema: JsonSchema): JsonSchema {
	if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
	if (Array.isArray(schema.enum)) return { ...schema, enum: [...schema.enum, null] };
	if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: "null" }] };
	return schema;
}

/** A whole `response` schema: a props object, or one `$$root: true` rule. */
export function responseSchema(schema: Record<string, unknown>): JsonSchema {
	if (schema.$$root === true) return convertRule(schema).schema;
	return objectSchema(schema, schema.$$strict);
}

/** One fastest-validator rule (object, shorthand string or array of alternatives) as JSON Schema. */
export function convertRule(rule: Rule): ConvertedRule {
	if (Array.isArray(rule)) {
		const alternatives = rule.map(convertRule);
		return { schema: { anyOf: alternatives.map(a => a.schema) }, optional: alternatives.some(a => a.optional) };
	}
	const r = typeof rule === "string" ? parseShorthand(rule) : rule;
	let schema = typedSchema(r);
	if (r.nullable === true) schema = withNull(schema);
	// A default (a function one too) fills a missing value in, so the caller may leave it out.
	if (r.default !== undefined && typeof r.default !== "function") schema = { ...schema, default: r.default };
	return { schema, optional: r.optional === true || r.default !== undefined };
}
