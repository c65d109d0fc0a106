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

/** What the gateway puts in `ctx.meta` of every call it makes, and what actions hand back to it. */
export interface RequestMeta extends HttpCacheMeta {
	user?: AuthUser;
	/** The client's address as resolved by the gateway (proxy-aware only for trusted proxies). */
	clientIp?: string;
	$statusCode?: number;
	$location?: string;
	$responseHeaders?: Record<string, string>;
}
