import type { ServiceBroker } from "moleculer";
import { config } from "../../config";
import { createCounterStore, type CounterStore } from "../../lib/counter-store";

/**
 * moleculer-web's rate-limit store interface (`inc(key)` → count, `resetTime`) over our counter
 * store: Memory in one process, Redis in a cluster so the limit holds across gateway replicas.
 */
export class RateLimitStore {
	resetTime: number;
	private readonly counters: CounterStore;

	constructor(
		private readonly windowMs: number,
		_opts: unknown,
		_broker: ServiceBroker
	) {
		const c = config();
		this.counters = createCounterStore(c.cacher, `${c.namespace}:ratelimit:`);
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
