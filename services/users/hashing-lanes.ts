import os from "node:os";
import { TooManyRequestsError } from "../../lib/errors";

/** A fixed number of password hashes at once and a short queue behind them; past it, 429. */
export class HashingLane {
	private running = 0;
	private readonly waiting: (() => void)[] = [];

	constructor(
		readonly slots: number,
		readonly maxQueue: number
	) {}

	async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.running < this.slots) this.running++;
		else if (this.waiting.length >= this.maxQueue)
			throw new TooManyRequestsError(1, "Too many password checks at once, try again shortly");
		// A released slot passes straight to the next in line, so `running` stays as it is.
		else await new Promise<void>(resolve => this.waiting.push(resolve));
		try {
			return await work();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.running--;
		}
	}

	stats(): { running: number; queued: number } {
		return { running: this.running, queued: this.waiting.length };
	}
}

export interface HashingLanes {
	/** Logins (their decoy hash too). */
	login: HashingLane;
	/** Everything that makes a new hash: registration, password change, admin creation. */
	account: HashingLane;
}

/**
 * scrypt costs 128 MiB and ~0.3 s of a core per hash, and runs on libuv's pool of 4 threads,
 * which serves a FIFO queue: whoever queues hashes fastest would take every thread. So logins and
 * new-password work get lanes of their own: a registration flood fills only its lane (one hash at
 * a time, ten waiting, then 429) while logins keep up to two cores. Three hashes at most leave a
 * libuv thread for jose's token signatures. Queues hold what finishes within the 10 s deadline.
 */
export function hashingLanes(): HashingLanes {
	const loginSlots = Math.max(1, Math.min(2, os.availableParallelism()));
	return { login: new HashingLane(loginSlots, loginSlots * 10), account: new HashingLane(1, 10) };
}
