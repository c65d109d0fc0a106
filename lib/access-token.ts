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

export async function signAccessToken(keys: AccessTokenKeys, user: AuthUser): Promise<string> {
	return new SignJWT({ sid: user.sessionId, role: user.role, typ: "access" })
		.setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
		.setSubject(user.id)
		.setIssuer(ISSUER)
		.setAudience(AUDIENCE)
		.setIssuedAt()
		.setNotBefore("0s")
		.setExpirationTime(`${keys.ttlS}s`)
		.sign(keys.secret);
}

export type AccessTokenResult = { ok: true; user: AuthUser } | { ok: false; reason: "expired" | "invalid" };

/** Verifies signature, algorithm, issuer, audience, `exp` and `nbf`; never throws. */
export async function verifyAccessToken(keys: AccessTokenKeys, token: string): Promise<AccessTokenResult> {
	try {
		const { payload } = await jwtVerify(token, keys.secret, {
			algorithms: [ALGORITHM],
			issuer: ISSUER,
			audience: AUDIENCE,
			clockTolerance: CLOCK_TOLERANCE_S,
			requiredClaims: ["sub", "exp", "nbf", "sid"]
		});
		if (payload.typ !== "access" || typeof payload.sid !== "string" || typeof payload.sub !== "string") {
			return { ok: false, reason: "invalid" };
		}
		return { ok: true, user: { id: payload.sub, sessionId: payload.sid, role: payload.role as Role } };
	} catch (err) {
		return { ok: false, reason: err instanceof errors.JWTExpired ? "expired" : "invalid" };
	}
}
