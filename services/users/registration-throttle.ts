import type { CounterStore } from "../../lib/counter-store";
import { RegistrationThrottledError } from "./users.errors";

export interface RegistrationThrottleLimits {
	maxPerClient: number;
	windowS: number;
}

/**
 * Registrations per client (the gateway's client key: an IPv4 address or an IPv6 /64) in a fixed
 * window, counted in the shared counter store (Redis in a cluster) before anything else runs, so
 * one client can neither mass-create accounts, nor keep the hashing lane busy, nor probe which
 * names and e-mails are taken faster than the window allows.
 */
export class RegistrationThrottle {
	constructor(
		private readonly store: CounterStore,
		private readonly limits: RegistrationThrottleLimits
	) {}

	/** Counts the attempt; past the limit, 429 with the seconds until the window ends. */
	async attempt(clientIp: string): Promise<void> {
		const { count, resetInMs } = await this.store.increment(`register:client:${clientIp}`, this.limits.windowS * 1000);
		if (count > this.limits.maxPerClient) throw new RegistrationThrottledError(Math.max(1, Math.ceil(resetInMs / 1000)));
	}
}
