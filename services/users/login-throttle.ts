import type { CounterStore } from "../../lib/counter-store";
import { LoginThrottledError } from "./users.errors";

export interface LoginThrottleLimits {
	maxFailuresPerAccountAndClient: number;
	maxFailuresPerClient: number;
	windowS: number;
	/** Failures on one account, from every client together, before its attempts are slowed. */
	accountSlowdownAfter: number;
	/** The slowdown's cap: an attempt on the account waits at most this long. */
	accountMaxDelayMs: number;
}

/** The first slowed attempt waits this long; each further failure doubles it, up to the cap. */
export const SLOWDOWN_STEP_MS = 100;

/** How long an attempt on an account with this many failures (all clients) waits before the hash. */
export function accountDelayMs(failures: number, limits: Pick<LoginThrottleLimits, "accountSlowdownAfter" | "accountMaxDelayMs">): number {
	const over = failures - limits.accountSlowdownAfter;
	if (over <= 0) return 0;
	return Math.min(limits.accountMaxDelayMs, SLOWDOWN_STEP_MS * 2 ** Math.min(over - 1, 16));
}

/**
 * Slows credential stuffing and password guessing without handing an attacker a lock-out
 * button. Refusals (429) count failures per (account, client) and per client, never per account
 * alone, so a flood of wrong passwords from elsewhere cannot keep the real user, on their own
 * address, from logging in. Per account alone there is only a delay: past a few failures from
 * anywhere, every attempt on that account waits a little before its hash, doubling, capped, and
 * is never refused; the real user is at most that much slower while someone guesses at them.
 * The client is the gateway's key (an IPv4 address or an IPv6 /64).
 */
export class LoginThrottle {
	constructor(
		private readonly store: CounterStore,
		private readonly limits: LoginThrottleLimits
	) {}

	private keys(login: string, clientIp: string) {
		const account = login.toLowerCase();
		return {
			pair: `login:pair:${account}:${clientIp}`,
			client: `login:client:${clientIp}`,
			account: `login:account:${account}`
		};
	}

	/** Refuses the attempt (429) while either refusal counter is at its limit; else, how long it waits. */
	async check(login: string, clientIp: string): Promise<{ delayMs: number }> {
		const keys = this.keys(login, clientIp);
		const [pair, client, account] = await Promise.all([
			this.store.peek(keys.pair),
			this.store.peek(keys.client),
			this.store.peek(keys.account)
		]);
		const blocked = [
			pair.count >= this.limits.maxFailuresPerAccountAndClient ? pair.resetInMs : 0,
			client.count >= this.limits.maxFailuresPerClient ? client.resetInMs : 0
		];
		const waitMs = Math.max(...blocked);
		if (waitMs > 0) throw new LoginThrottledError(Math.ceil(waitMs / 1000));
		return { delayMs: accountDelayMs(account.count, this.limits) };
	}

	async failed(login: string, clientIp: string): Promise<void> {
		const keys = this.keys(login, clientIp);
		const windowMs = this.limits.windowS * 1000;
		await Promise.all([keys.pair, keys.client, keys.account].map(key => this.store.increment(key, windowMs)));
	}

	/**
	 * A success clears that account's count for this client. The client's own count stays, and so
	 * does the account's: the real user logging in does not end a guessing campaign against them.
	 */
	async succeeded(login: string, clientIp: string): Promise<void> {
		await this.store.reset(this.keys(login, clientIp).pair);
	}
}
