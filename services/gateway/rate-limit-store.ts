import { createCounterStore, type CounterStore } from "../../lib/counter-store";

/** Extra keys we pass in the route's `rateLimit` options; moleculer-web hands them to the store. */
export interface RateLimitStoreOptions {
	redisUrl: string | null;
	prefix: string;
}

/**
 * moleculer-web's rate-limit store interface (`inc(key)` → count, `resetTime`) over our counter
 * store: Memory in one process, Redis in a cluster so the limit holds across gateway replicas.
 */
export class RateLimitStore {
	resetTime: number;
	private readonly counters: CounterStore;

	constructor(
		private readonly windowMs: number,
		opts?: object
	) {
		const { redisUrl, prefix } = opts as RateLimitStoreOptions;
		this.counters = createCounterStore(redisUrl, prefix);
		this.resetTime = Date.now() + windowMs;
	}

	async inc(key: string): Promise<number> {
		const { count, resetInMs } = await this.counters.increment(key, this.windowMs);
		this.resetTime = Date.now() + resetInMs;
		return count;
	}

	close(): Promise<void> {
		return this.counters.close();
	}
}
