import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { afterKeyedCommit } from "./db/keyed-writes";

export interface CacheCleanerMethods {
	/**
	 * Drops cache entries of this service: here first (the caller's next read must not be stale),
	 * then on every other node of the service, whatever cacher each one has.
	 */
	cleanCache(keys: string[], patterns: string[]): Promise<void>;
	/** The key the cacher stores an action's result under, for these params (and meta). */
	cacheKey(action: string, keys: string[], params: Record<string, unknown>, meta?: Record<string, unknown>): string;
	/** Cache-aside: the cached value, or `load()`'s, stored for `ttlS` unless a clean ran meanwhile. */
	cached<T>(key: string, ttlS: number, load: () => Promise<T>): Promise<T>;
}

/** Cache invalidation for a service whose writes must be seen by the next read on any node. */
export function CacheCleanerMixin(service: string): Partial<ServiceSchema> {
	const event = `cache.clean.${service}`;
	/**
	 * Counts cleans on this node. A read that loaded from the database while a clean ran may hold
	 * the value from before the write: it is returned but not cached, or it would outlive the clean.
	 */
	let cleans = 0;
	async function cleanLocal(this: { broker: ServiceBroker }, keys: string[], patterns: string[]) {
		cleans++;
		const cacher = this.broker.cacher;
		if (!cacher) return;
		if (keys.length) await cacher.del(keys);
		for (const pattern of patterns) await cacher.clean(pattern);
	}
	return {
		events: {
			[event]: {
				params: {
					keys: { type: "array", items: { type: "string", max: 1000 } },
					patterns: { type: "array", items: { type: "string", max: 1000 } }
				},
				async handler(ctx: Context<{ keys: string[]; patterns: string[] }>) {
					// The sender cleaned its own cache before broadcasting.
					if (ctx.nodeID === this.broker.nodeID) return;
					await cleanLocal.call(this, ctx.params.keys, ctx.params.patterns);
				}
			}
		},
		methods: {
			async cleanCache(keys: string[], patterns: string[]) {
				await cleanLocal.call(this, keys, patterns);
				await this.broker.broadcast(event, { keys, patterns }, { groups: [service] });
				// In a keyed write the effect is not yet visible: a read meanwhile could cache the old state.
				afterKeyedCommit(() => this.cleanCache(keys, patterns));
			},
			async cached<T>(key: string, ttlS: number, load: () => Promise<T>): Promise<T> {
				const cacher = this.broker.cacher;
				if (!cacher) return load();
				const hit = await cacher.get(key);
				if (hit !== null && hit !== undefined) return hit as T;
				const cleansBefore = cleans;
				const value = await load();
				if (cleans === cleansBefore) await cacher.set(key, value, ttlS);
				return value;
			},
			cacheKey(action: string, keys: string[], params: Record<string, unknown>, meta: Record<string, unknown> = {}) {
				const cacher = this.broker.cacher!;
				// The cacher's own key generator, so these match whatever node cached the result.
				const getCacheKey = cacher.getCacheKey.bind(cacher) as unknown as (action: object, opts: object, ctx: object) => string;
				return getCacheKey({ name: `${service}.${action}` }, { keys }, { params, meta });
			}
		}
	};
}
