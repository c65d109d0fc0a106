import type { HttpCacheMeta } from "./http-cache";

export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, set in `ctx.meta.user` by the gateway. */
export interface AuthUser {
	id: string;
	role: Role;
	/** The session (refresh-token family) the access token belongs to. */
	sessionId: string;
}

/** A write's Idempotency-Key, as the gateway hands it to the action it calls (mixins/db/keyed-writes.ts). */
export interface IdempotencyMeta {
	/** Hex SHA-256 of the caller and their key: a key is per caller. */
	key: string;
	/** Hex SHA-256 of the method, path and body: the same key with another request is refused. */
	fingerprint: string;
	/** The action called: the actions it calls in turn are not keyed by it. */
	action: string;
}

/** What the gateway puts in `ctx.meta` of every call it makes, and what actions hand back to it. */
export interface RequestMeta extends HttpCacheMeta {
	user?: AuthUser;
	/** The client's address as resolved by the gateway (proxy-aware only for trusted proxies). */
	clientIp?: string;
	idempotency?: IdempotencyMeta;
	$statusCode?: number;
	$location?: string;
	$responseHeaders?: Record<string, string>;
}
