/**
 * TypeScript types derived from fastest-validator schemas, so a schema is written once and its
 * type follows it (docs/schemas.md). Declare the schema `as const`, then
 * `type X = Infer<typeof xSchema>`.
 *
 * - A props object (an action's `params`, an entity's schema) gives an object type; `$$` keys
 *   are options and not properties. A `$$root: true` schema is one rule (`{ $$root: true, type: "boolean" }`).
 * - string, email, url, uuid → string; number → number; boolean; date → Date (`convert: true`
 *   turns a query's string into one); enum → the union of its `values`; equal → its `value`;
 *   array → its `items`' type; object → its `props`; record → `Record<string, value>`; multi
 *   and alternatives (`[ruleA, ruleB]`) → the union; anything else → unknown.
 * - `optional: true` → an optional property, unless a `default` fills it in (the type is what the
 *   handler sees after validation); `nullable: true` → `| null`.
 */

/** Flattens an intersection into one object type (readable, and equal to a written-out type). */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ScalarType<T> = T extends "string" | "email" | "url" | "uuid" | "objectID" | "luhn" | "mac"
	? string
	: T extends "number"
		? number
		: T extends "boolean"
			? boolean
			: T extends "date"
				? Date
				: T extends "class"
					? object
					: unknown;

/** The first word of a shorthand rule such as `"string|min:3|optional"`. */
type ShorthandType<S extends string> = S extends `${infer T}|${string}` ? T : S;

type RuleType<R> = R extends readonly (infer A)[]
	? Value<A>
	: R extends string
		? ScalarType<ShorthandType<R>>
		: R extends { type: "enum"; values: readonly (infer V)[] }
			? V
			: R extends { type: "equal"; value: infer V }
				? V
				: R extends { type: "array"; items: infer I }
					? Value<I>[]
					: R extends { type: "array" }
						? unknown[]
						: R extends { type: "object"; props: infer P }
							? InferProps<P>
							: R extends { type: "object"; properties: infer P }
								? InferProps<P>
								: R extends { type: "object" }
									? Record<string, unknown>
									: R extends { type: "record"; value: infer V }
										? Record<string, Value<V>>
										: R extends { type: "record" }
											? Record<string, unknown>
											: R extends { type: "multi"; rules: readonly (infer A)[] }
												? Value<A>
												: R extends { type: infer T }
													? ScalarType<T>
													: unknown;

/** A rule's value after validation: its type, and null where it is nullable. */
type Value<R> = RuleType<R> | (R extends { nullable: true } ? null : never);

/** Whether the caller may leave the property out and the handler may still not find it. */
type IsOptional<R> = R extends { default: unknown }
	? false
	: R extends { optional: true }
		? true
		: R extends `${string}|optional${string}`
			? true
			: false;

/** Whether the caller may leave the property out (a default fills it in). */
type IsInputOptional<R> = R extends { default: unknown } ? true : IsOptional<R>;

type PropKey<K> = K extends `$$${string}` ? never : K;

type InferProps<P> = Simplify<
	{ -readonly [K in keyof P as IsOptional<P[K]> extends true ? never : PropKey<K>]: Value<P[K]> } & {
		-readonly [K in keyof P as IsOptional<P[K]> extends true ? PropKey<K> : never]?: Value<P[K]>;
	}
>;

type InferInputProps<P> = Simplify<
	{ -readonly [K in keyof P as IsInputOptional<P[K]> extends true ? never : PropKey<K>]: Value<P[K]> } & {
		-readonly [K in keyof P as IsInputOptional<P[K]> extends true ? PropKey<K> : never]?: Value<P[K]>;
	}
>;

/** The type a schema accepts, as the handler sees it after validation (defaults filled in). */
export type Infer<S> = S extends { $$root: true } ? Value<S> : InferProps<S>;

/** The type a caller may send: like Infer, but a property with a `default` may be left out. */
export type InferInput<S> = S extends { $$root: true } ? Value<S> : InferInputProps<S>;

/** A props schema: property name → rule, plus `$$` options. */
export type PropsSchema = { readonly [key: string]: unknown };

/** The property names of a props schema (its `$$` options left out), typed as keys of its type. */
export function fieldsOf<S extends PropsSchema>(schema: S): (keyof Infer<S> & string)[] {
	return Object.keys(schema).filter(key => !key.startsWith("$$")) as (keyof Infer<S> & string)[];
}
