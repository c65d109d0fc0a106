import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Validators } from "moleculer";
import { type Page, pageSchema } from "../page";
import { fieldsOf, type Infer, type InferInput } from "./infer";

/**
 * Compile-time assertions: `tsc --noEmit` (npm run typecheck, lint's typed rules) fails when an
 * inferred type differs from the written one. The runtime tests only make the file a test.
 */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

const ROLES = ["user", "admin"] as const;
const ZONES: string[] = ["Europe/Paris"];

const scalars = {
	$$strict: true,
	name: { type: "string", max: 10 },
	email: { type: "email", max: 254 },
	site: { type: "url", max: 2048 },
	id: { type: "uuid" },
	count: { type: "number", integer: true },
	on: { type: "boolean" },
	at: { type: "date", convert: true },
	role: { type: "enum", values: ROLES },
	kind: { type: "equal", value: "fixed" },
	short: "string|max:3"
} as const;
const _scalars: Equal<
	Infer<typeof scalars>,
	{
		name: string;
		email: string;
		site: string;
		id: string;
		count: number;
		on: boolean;
		at: Date;
		role: "user" | "admin";
		kind: "fixed";
		short: string;
	}
> = true;

const modifiers = {
	a: { type: "string", max: 1, optional: true },
	b: { type: "url", max: 9, optional: true, nullable: true },
	c: { type: "uuid", nullable: true },
	page: { type: "number", default: 1, optional: true },
	size: { type: "number", default: 20 },
	d: "string|optional|max:4"
} as const;
const _modifiers: Equal<
	Infer<typeof modifiers>,
	{ a?: string; b?: string | null; c: string | null; page: number; size: number; d?: string }
> = true;
// What a caller may send: a default lets the caller leave it out.
const _input: Equal<
	InferInput<typeof modifiers>,
	{ a?: string; b?: string | null; c: string | null; page?: number; size?: number; d?: string }
> = true;

const nested = {
	tags: { type: "array", max: 5, items: { type: "string", max: 20 } },
	any: { type: "array" },
	owner: { type: "object", props: { id: { type: "uuid" }, bio: { type: "string", max: 5, optional: true } } },
	loose: { type: "object" },
	counts: { type: "record", key: { type: "string", max: 9 }, value: { type: "number" } },
	payload: { type: "record" },
	either: { type: "multi", rules: [{ type: "number" }, { type: "boolean" }] },
	alt: [{ type: "string", max: 1 }, { type: "number" }],
	timezones: { type: "enum", values: ["UTC", ...ZONES] }
} as const;
const _nested: Equal<
	Infer<typeof nested>,
	{
		tags: string[];
		any: unknown[];
		owner: { id: string; bio?: string };
		loose: Record<string, unknown>;
		counts: Record<string, number>;
		payload: Record<string, unknown>;
		either: number | boolean;
		alt: string | number;
		timezones: string;
	}
> = true;

const root = { $$root: true, type: "boolean" } as const;
const _root: Equal<Infer<typeof root>, boolean> = true;
const _empty: Equal<Infer<{ $$strict: true }>, {}> = true; // eslint-disable-line @typescript-eslint/no-empty-object-type

const row = { id: { type: "uuid" }, n: { type: "number" } } as const;
const _page: Equal<Infer<ReturnType<typeof pageSchema<typeof row>>>, Page<{ id: string; n: number }>> = true;

describe("Infer: types derived from fastest-validator schemas", () => {
	it("when the file compiles then every inferred type equals the written one", () => {
		assert.deepEqual([_scalars, _modifiers, _input, _nested, _root, _empty, _page], Array(7).fill(true));
	});

	it("when the schemas are given to fastest-validator then they compile and a value of the inferred type passes", () => {
		const check = (schema: object, value: unknown) => new Validators.Fastest().compile(schema as never)(value as never);
		const m: Infer<typeof modifiers> = { c: null, page: 2, size: 3 };
		assert.equal(check(modifiers, m), true);
		const n: Infer<typeof nested> = {
			tags: ["a"],
			any: [1],
			owner: { id: "3f1c6a4e-2b1d-4c3e-9f0a-1b2c3d4e5f60" },
			loose: {},
			counts: { a: 1 },
			payload: {},
			either: true,
			alt: 1,
			timezones: "UTC"
		};
		assert.equal(check(nested, n), true);
		assert.equal(check(root, false), true);
		assert.equal(check(row, { id: "3f1c6a4e-2b1d-4c3e-9f0a-1b2c3d4e5f60", n: 1 }), true);
	});

	it("when asked for the fields of a schema then its $$ options are left out", () => {
		const fields: ("name" | "email" | "site" | "id" | "count" | "on" | "at" | "role" | "kind" | "short")[] = fieldsOf(scalars);
		assert.deepEqual(fields, ["name", "email", "site", "id", "count", "on", "at", "role", "kind", "short"]);
	});
});
