import { Cachers, type ServiceBroker } from "moleculer";
import { REDIS_PAUSE_MS } from "./redis-options";

/**
 * Moleculer's Redis cacher, for a platform that must ride out Redis going away. A read that cannot
 * reach Redis is a miss (the action reads its database); a write to it is skipped; after a failure
 * Redis is left alone for a second. Once this node has lost Redis, a clean of its may have been
 * missed and some entry may be stale: the cache stays unused until everything it stores has been
 * cleaned, as soon as Redis answers again. A command waits half a second at most (lib/redis-options.ts); each outage
 * is logged once.
 */
export class ResilientRedisCacher extends Cachers.Redis {
	/** Redis was lost: entries may be stale until all are cleaned. */
	private mayBeStale = false;
	private pausedUntil = 0;
	private flushing?: Promise<void>;

	override init(broker: ServiceBroker): void {
		super.init(broker);
		const client = this.client as { on(event: string, listener: (err?: Error) => void): void };
		client.on("error", err => this.failed(err));
		client.on("ready", () => {
			this.pausedUntil = 0;
			if (this.mayBeStale) this.usable();
		});
	}

	override get(key: string) {
		if (!this.usable()) return Promise.resolve(this.opts.missingResponse as null);
		return super.get(key).catch(err => this.missed(err));
	}

	override getWithTTL(key: string) {
		if (!this.usable()) return Promise.resolve({ data: this.opts.missingResponse, ttl: null } as never);
		return super.getWithTTL(key).catch(err => ({ data: this.missed(err), ttl: null }) as never);
	}

	override set(key: string, data: unknown, ttl?: number) {
		if (!this.usable()) return Promise.resolve();
		return super.set(key, data, ttl).catch(this.failed);
	}

	override del(keys: string | string[]) {
		if (Date.now() < this.pausedUntil) return this.skipped();
		return super.del(keys).catch(this.failed);
	}

	override clean(match?: string | string[]) {
		if (Date.now() < this.pausedUntil) return this.skipped();
		return super.clean(match).catch(this.failed);
	}

	/** Redis may be used now; when entries may be stale, a clean of everything is started first. */
	private usable(): boolean {
		if (Date.now() < this.pausedUntil) return false;
		if (!this.mayBeStale) return true;
		this.flushing ??= super
			.clean()
			.then(() => {
				this.mayBeStale = false;
				this.logger.info("Redis is back and the cache cleaned: in use again.");
			}, this.failed)
			.finally(() => (this.flushing = undefined));
		return false;
	}

	private skipped(): Promise<void> {
		this.mayBeStale = true;
		return Promise.resolve();
	}

	private missed(err: unknown) {
		this.failed(err);
		return this.opts.missingResponse as null;
	}

	private readonly failed = (err: unknown) => {
		this.pausedUntil = Date.now() + REDIS_PAUSE_MS;
		if (this.mayBeStale) return;
		this.mayBeStale = true;
		this.logger.warn(`Redis unreachable (${(err as Error)?.message}): reading the databases, the cache unused until it is back.`);
	};
}
