import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import type { AuthUser, Role } from "./auth-types";

/** One algorithm, fixed: tokens that name another (including "none") are refused. */
const ALGORITHM = "HS256";
const ISSUER = "codelearn";
const AUDIENCE = "codelearn-api";
const CLOCK_TOLERANCE_S = 5;

export interface AccessTokenKeys {
	secret: Uint8Array;
	ttlS: number;
}

export function accessTokenKeys(secret: string, ttlS: number): AccessTokenKeys {
	return { secret: new TextEncoder().encode(secret), ttlS };
}

/**
 * "access": the Bearer token of every call. "stream": a one-minute ticket that opens the
 * notification stream, for browsers' EventSource, which cannot send an Authorization header;
 * it can do nothing else, so a URL that carries it is worth little once it has expired. A ticket
 * has an id (`jti`) so that the gateway can let it open one stream only.
 */
export type TokenKind = "access" | "stream";
const STREAM_TICKET_TTL_S = 60;

export async function signAccessToken(keys: AccessTokenKeys, user: AuthUser, kind: TokenKind = "access"): Promise<string> {
	const token = new SignJWT({ sid: user.sessionId, role: user.role, typ: kind });
	if (kind === "stream") token.setJti(randomUUID());
	return token
		.setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
		.setSubject(user.id)
		.setIssuer(ISSUER)
		.setAudience(AUDIENCE)
		.setIssuedAt()
		.setNotBefore("0s")
		.setExpirationTime(`${kind === "stream" ? STREAM_TICKET_TTL_S : keys.ttlS}s`)
		.sign(keys.secret);
}

/** A stream ticket's id and when it stops working (its `exp` plus the clock tolerance). */
export interface TicketId {
	id: string;
	validUntilMs: number;
}

export type AccessTokenResult = { ok: true; user: AuthUser; ticket?: TicketId } | { ok: false; reason: "expired" | "invalid" };

/** Verifies signature, algorithm, issuer, audience, `exp` and `nbf`; never throws. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** Far above any token we sign (a few hundred characters). */
const MAX_TOKEN_CHARS = 2048;

export async function verifyAccessToken(keys: AccessTokenKeys, token: string, kind: TokenKind = "access"): Promise<AccessTokenResult> {
	// Ours are ~300 characters; a stranger's megabyte never reaches base64 decoding or HMAC.
	if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: "invalid" };
	try {
		const { payload } = await jwtVerify(token, keys.secret, {
			algorithms: [ALGORITHM],
			issuer: ISSUER,
			audience: AUDIENCE,
			clockTolerance: CLOCK_TOLERANCE_S,
			requiredClaims: kind === "stream" ? ["sub", "exp", "nbf", "sid", "jti"] : ["sub", "exp", "nbf", "sid"]
		});
		// Ids we sign are UUIDs: anything else never reaches `users.session` (whose validation would answer 422).
		if (payload.typ !== kind || !isUuid(payload.sid) || !isUuid(payload.sub)) {
			return { ok: false, reason: "invalid" };
		}
		const user: AuthUser = { id: payload.sub, sessionId: payload.sid, role: payload.role as Role };
		if (kind !== "stream") return { ok: true, user };
		if (typeof payload.jti !== "string") return { ok: false, reason: "invalid" };
		return { ok: true, user, ticket: { id: payload.jti, validUntilMs: (payload.exp! + CLOCK_TOLERANCE_S) * 1000 } };
	} catch (err) {
		return { ok: false, reason: err instanceof errors.JWTExpired ? "expired" : "invalid" };
	}
}
