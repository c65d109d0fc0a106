import type { Context, ServiceBroker } from "moleculer";

/**
 * Whole HTTP answers kept by the gateway, as a CDN keeps them: an action marks an answer that is
 * the same for every anonymous caller, tagged with surrogate keys ("post:<id>"); a write purges
 * those tags on every gateway. The action's own cache-aside stays for everyone else.
 */
export interface SharedResponse {
	/** Surrogate keys: a purge of any of them drops the answer. */
	tags: string[];
	ttlS: number;
	/** Each answer served from the gateway's copy is counted and reported in batches to `event` as `{ counts: { [id]: n } }`. */
	countServedAs?: { event: string; id: string };
	/**
	 * The action that shared it, set by `shareResponse`: meta flows back up through nested calls, and
	 * only the action the gateway called may share the request's answer (a rating that looked up a
	 * profile must not be kept as the profile's).
	 */
	action?: string;
}

export interface HttpCacheMeta {
	$sharedResponse?: SharedResponse;
	/** Tags a write made stale: the gateway that carried it drops them before it answers. */
	$purgedTags?: string[];
}

export interface ServedCounts {
	counts: Record<string, number>;
}

/** Parameters of a `countServedAs` event: ids are UUIDs (they reach SQL casts), counts positive. */
export const servedCountsParams = {
	counts: { type: "record", key: { type: "uuid" }, value: { type: "number", integer: true, positive: true } }
} as const;

export const PURGE_EVENT = "http-cache.purge";

/** Lets the gateway keep this answer for anonymous callers. Only for answers that depend on nothing of the caller's. */
export function shareResponse(ctx: Context<unknown, HttpCacheMeta>, response: Omit<SharedResponse, "action">): void {
	ctx.meta.$sharedResponse = { ...response, action: ctx.action?.name };
}

/**
 * Drops the gateways' copies carrying these tags: the gateway serving `ctx` (if any) before it
 * answers, so its caller reads their own write; every gateway through the broadcast.
 */
export async function purgeResponses(broker: ServiceBroker, tags: string[], ctx?: Context<unknown, HttpCacheMeta>): Promise<void> {
	if (!tags.length) return;
	if (ctx) ctx.meta.$purgedTags = [...(ctx.meta.$purgedTags ?? []), ...tags];
	await broker.broadcast(PURGE_EVENT, { tags }, { groups: ["gateway"] });
}
