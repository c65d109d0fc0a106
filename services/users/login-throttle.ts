import type { CounterStore } from "../../lib/counter-store";
import { LoginThrottledError } from "./users.errors";

export interface LoginThrottleLimits {
	maxFailuresPerAccountAndClient: number;
	maxFailuresPerClient: number;
	windowS: number;
}

/**
 * Slows credential stuffing and password guessing without handing an attacker a lock-out
 * button: failures are counted per (account, client) and per client, never per account alone,
 * so a flood of wrong passwords from elsewhere cannot keep the real user, on their own
 * address, from logging in. The client is the gateway's resolved socket address.
 */
export class LoginThrottle {
	constructor(
		private readonly store: CounterStore,
		private readonly limits: LoginThrottleLimits
	) {}

	private keys(login: string, clientIp: string) {
		return {
			pair: `login:pair:${login.toLowerCase()}:${clientIp}`,
			client: `login:client:${clientIp}`
		};
	}

	/** Refuses the attempt (429) while either counter is at its limit. */
	async check(login: string, clientIp: string): Promise<void> {
		const keys = this.keys(login, clientIp);
		const [pair, client] = await Promise.all([this.store.peek(keys.pair), this.store.peek(keys.client)]);
		const blocked = [
			pair.count >= this.limits.maxFailuresPerAccountAndClient ? pair.resetInMs : 0,
			client.count >= this.limits.maxFailuresPerClient ? client.resetInMs : 0
		];
		const waitMs = Math.max(...blocked);
		if (waitMs > 0) throw new LoginThrottledError(Math.ceil(waitMs / 1000));
	}

	async failed(login: string, clientIp: string): Promise<void> {
		const keys = this.keys(login, clientIp);
		const windowMs = this.limits.windowS * 1000;
		await Promise.all([this.store.increment(keys.pair, windowMs), this.store.increment(keys.client, windowMs)]);
	}

	/** A success clears that account's count for this client (the client's own count stays). */
	async succeeded(login: string, clientIp: string): Promise<void> {
		await this.store.reset(this.keys(login, clientIp).pair);
	}
}
