/**
 * Hostile request headers: `Authorization` on every route (malformed schemes, tokens up to
 * 15 kB, `alg: none`, tokens signed with another key, and tokens signed with the platform's own
 * key whose claims are wrong) and `Idempotency-Key` on every write (too long, control
 * characters, non-ASCII, empty, repeated). A value is made when the case is sent, from the
 * ordinary user's current token, so that forged tokens carry a real subject and session.
 *
 * Header values are byte strings (one character per byte, as Node sends them): non-ASCII text is
 * given as its UTF-8 bytes. Control characters other than tab cannot be sent by `http.request`,
 * so the client writes those requests on a raw socket (Node's parser must refuse them itself).
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";

export type HeaderName = "authorization" | "idempotency-key";

/** What a forged value is made from: the ordinary caller's valid access token, and the platform's JWT secret. */
export interface Credentials {
	token: string;
	secret: string;
}

export interface HeaderHostile {
	kind: string;
	/** The header's value(s): several values are sent as repeated header lines. */
	value(credentials: Credentials): string | string[];
	/**
	 * The statuses a right answer may have, whatever the route: 401 for a credential that is not a
	 * valid token, 400 for an invalid Idempotency-Key (and for bytes Node's parser refuses).
	 * Undefined when the value still carries the valid token (the answer is the route's own).
	 */
	expect?: number[];
}

const b64url = (text: string | Buffer) => Buffer.from(text).toString("base64url");
/** UTF-8 bytes as a byte string: how a client puts non-ASCII text into a header. */
export const utf8Bytes = (text: string) => Buffer.from(text, "utf8").toString("latin1");

function claimsOf(token: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
}

/** A JWT with this header and payload, signed with HMAC-SHA256 under `key` (or with the given signature). */
function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: string | { signature: string }): string {
	const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
	const signature = typeof key === "string" ? createHmac("sha256", key).update(unsigned).digest("base64url") : key.signature;
	return `${unsigned}.${signature}`;
}

const without = (claims: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== key));

const HS256 = { alg: "HS256", typ: "JWT" };
const OTHER_KEY = "not-the-platform-secret-but-just-as-long-0123456789abcdef";
const UNKNOWN_SESSION = "00000000-0000-4000-8000-000000000000";
const nowS = () => Math.floor(Date.now() / 1000);

/** The caller's own claims with changes, signed with the platform's key: only the claims are wrong. */
const realKey = (kind: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): HeaderHostile => ({
	kind: `authorization: platform key, ${kind}`,
	value: ({ token, secret }) => `Bearer ${jwt(HS256, change(claimsOf(token)), secret)}`,
	expect: [401]
});

const forged = (kind: string, make: (c: Credentials) => string): HeaderHostile => ({
	kind: `authorization: ${kind}`,
	value: c => `Bearer ${make(c)}`,
	expect: [401]
});
const refused = (kind: string, value: string | ((c: Credentials) => string | string[])): HeaderHostile => ({
	kind: `authorization: ${kind}`,
	value: typeof value === "string" ? () => value : value,
	expect: [401]
});
/** Carries the valid token in an odd form: no status is due, but an admin-only route still must not serve it. */
const oddForm = (kind: string, value: (c: Credentials) => string | string[]): HeaderHostile => ({ kind: `authorization: ${kind}`, value });
/** Bytes Node's HTTP parser refuses (400) before the gateway; should they pass, the token is invalid (401). */
const rawBytes = (kind: string, value: (c: Credentials) => string): HeaderHostile => ({
	kind: `authorization: ${kind}`,
	value,
	expect: [400, 401]
});

const long = (n: number, unit = "A") => unit.repeat(n);

export const AUTHORIZATION: HeaderHostile[] = [
	// Malformed schemes and shapes.
	refused("Basic scheme", `Basic ${b64url("admin:admin")}`),
	refused("Digest scheme", 'Digest username="admin", realm="api", nonce="x", response="y"'),
	refused("scheme without a token", "Bearer"),
	refused("scheme and a blank", "Bearer    "),
	refused("Bearer null", "Bearer null"),
	refused("Bearer [object Object]", "Bearer [object Object]"),
	refused("three dots", "Bearer ..."),
	refused("not a JWT", "Bearer a.b.c"),
	refused("token without its signature", c => `Bearer ${c.token.split(".").slice(0, 2).join(".")}.`),
	refused("token with a fourth part", c => `Bearer ${c.token}.e30`),
	refused("token with a changed signature", c => `Bearer ${c.token.slice(0, -4)}${c.token.endsWith("AAAA") ? "BBBB" : "AAAA"}`),
	refused("a forged token first, the valid one repeated after it", c => [
		`Bearer ${jwt(HS256, claimsOf(c.token), OTHER_KEY)}`,
		`Bearer ${c.token}`
	]),
	refused("non-ASCII token (UTF-8 bytes)", utf8Bytes("Bearer tökén😀.\u202e.ж")),
	refused("JSON as the token", `Bearer {"sub":"x","role":"admin"}`),
	// Long tokens, within Node's 16 kB for all headers.
	refused("2049 characters", `Bearer ${long(2049)}`),
	refused("8000 characters", `Bearer ${long(8000)}`),
	refused("15000 characters", `Bearer ${long(15_000)}`),
	refused("15000 characters of '='", `Bearer x${long(14_999, "=")}`),
	forged("a JWT of 15000 characters signed with the platform key", c =>
		jwt(HS256, { ...claimsOf(c.token), pad: long(11_000, "p") }, c.secret)
	),
	// alg none and alg confusion.
	forged("alg none, role admin", c => jwt({ alg: "none", typ: "JWT" }, { ...claimsOf(c.token), role: "admin" }, { signature: "" })),
	forged("alg None, no header typ", c => jwt({ alg: "None" }, claimsOf(c.token), { signature: "" })),
	forged("alg NONE keeping the real signature", c =>
		jwt({ alg: "NONE", typ: "JWT" }, claimsOf(c.token), { signature: c.token.split(".")[2] ?? "" })
	),
	forged("alg RS256 header, HMAC under another key", c => jwt({ alg: "RS256", typ: "JWT" }, claimsOf(c.token), OTHER_KEY)),
	forged("alg HS512 header over an HS256 signature", c => jwt({ alg: "HS512", typ: "JWT" }, claimsOf(c.token), c.secret)),
	// Signed with another key, or not signed again after a change.
	forged("signed with another key", c => jwt(HS256, claimsOf(c.token), OTHER_KEY)),
	forged("signed with another key, role admin", c => jwt(HS256, { ...claimsOf(c.token), role: "admin" }, OTHER_KEY)),
	forged("signed with an empty key", c => jwt(HS256, claimsOf(c.token), "")),
	forged("role admin under the original signature", c =>
		jwt(HS256, { ...claimsOf(c.token), role: "admin" }, { signature: c.token.split(".")[2] ?? "" })
	),
	// The platform's own key, wrong claims: each must still be refused.
	realKey("expired an hour ago", c => ({ ...c, iat: nowS() - 7200, nbf: nowS() - 7200, exp: nowS() - 3600 })),
	realKey("not valid for an hour", c => ({ ...c, nbf: nowS() + 3600 })),
	realKey("unknown session", c => ({ ...c, sid: UNKNOWN_SESSION })),
	realKey("session id not a UUID", c => ({ ...c, sid: "x'; DROP TABLE sessions; --" })),
	realKey("session id a number", c => ({ ...c, sid: 42 })),
	realKey("session id an object with a prototype key", c => ({ ...c, sid: JSON.parse('{"__proto__":{"role":"admin"}}') })),
	realKey("no session id", c => without(c, "sid")),
	realKey("no subject", c => without(c, "sub")),
	realKey("a stream ticket's type", c => ({ ...c, typ: "stream", jti: UNKNOWN_SESSION })),
	realKey("a refresh type", c => ({ ...c, typ: "refresh" })),
	realKey("another issuer", c => ({ ...c, iss: "evil" })),
	realKey("another audience", c => ({ ...c, aud: "other-api" })),
	// The valid token in odd forms.
	oddForm("lower-case scheme", c => `bearer ${c.token}`),
	oddForm("two blanks after the scheme", c => `Bearer  ${c.token}`),
	oddForm("no scheme", c => c.token),
	oddForm("Token scheme", c => `Token ${c.token}`),
	oddForm("two tokens in one value", c => `Bearer ${c.token}, Bearer ${c.token}`),
	oddForm("tab after the scheme", c => `Bearer\t${c.token}`),
	oddForm("the valid token first, a forged one repeated after it", c => [
		`Bearer ${c.token}`,
		`Bearer ${jwt(HS256, { ...claimsOf(c.token), role: "admin" }, OTHER_KEY)}`
	]),
	oddForm("platform key, role admin in the claims", c => `Bearer ${jwt(HS256, { ...claimsOf(c.token), role: "admin" }, c.secret)}`),
	// Bytes Node's parser refuses.
	rawBytes("NUL after the token", c => `Bearer ${c.token}\u0000`),
	rawBytes("escape sequence", () => "Bearer \u001b[31mred\u001b[0m"),
	rawBytes("bare CR inside", c => `Bearer ${c.token}\rX-Role: admin`),
	rawBytes("bare LF inside", c => `Bearer ${c.token}\nX-Role: admin`)
];

const invalidKey = (kind: string, value: string | string[]): HeaderHostile => ({
	kind: `idempotency-key: ${kind}`,
	value: () => value,
	expect: [400]
});

/** Every one is outside 1 to 128 of letters, digits, '.', '_', ':' and '-': 400 on every write. */
export const IDEMPOTENCY_KEY: HeaderHostile[] = [
	invalidKey("129 characters", long(129, "k")),
	invalidKey("1000 characters", long(1000, "k")),
	invalidKey("15000 characters", long(15_000, "k")),
	invalidKey("empty", ""),
	invalidKey("blanks only", "   "),
	invalidKey("a blank inside", "key one"),
	invalidKey("a tab inside", "key\tone"),
	invalidKey("comma", "a,b"),
	invalidKey("path", "../../etc/passwd"),
	invalidKey("injection", "' OR '1'='1"),
	invalidKey("Cyrillic (UTF-8 bytes)", utf8Bytes("ключ")),
	invalidKey("emoji (UTF-8 bytes)", utf8Bytes("key-😀")),
	invalidKey("combining marks (UTF-8 bytes)", utf8Bytes(`a${"\u0301".repeat(40)}`)),
	invalidKey("right-to-left override (UTF-8 bytes)", utf8Bytes("key\u202e1")),
	invalidKey("latin-1 bytes", "cl\u00e9"),
	invalidKey("C1 control byte", "key\u0085"),
	invalidKey("NUL", "key\u0000"),
	invalidKey("escape", "\u001b[2J"),
	invalidKey("DEL", "key\u007f"),
	invalidKey("vertical tab", "key\u000bx"),
	invalidKey("bare CR", "key\rX-Injected: 1"),
	invalidKey("bare LF", "key\nX-Injected: 1"),
	invalidKey("the same key twice", ["adv-repeat-1", "adv-repeat-1"]),
	invalidKey(
		"the same key 300 times",
		Array.from({ length: 300 }, () => "adv-repeat-2")
	),
	invalidKey("two different keys", ["adv-repeat-3", "adv-repeat-4"]),
	invalidKey("an empty and a valid key", ["", "adv-repeat-5"])
];

/**
 * The list in an order fixed by the seed, dealt out `count` at a time: the `index`-th route gets
 * the next `count`, so that every value is sent once the routes have taken as many as there are.
 */
export function dealHeaders(list: HeaderHostile[], index: number, count: number, seed: number): HeaderHostile[] {
	const order = fc.sample(fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), { seed, numRuns: 1 })[0];
	return Array.from({ length: count }, (_, j) => order[(index * count + j) % order.length]);
}
