import type { Sequelize } from "sequelize";

const FLUSH_EVERY_MS = 2000;

/**
 * Counts reads in memory and adds them to `posts.view_count` in one statement every two
 * seconds, so that a read never waits for a write. Counts of the last interval are lost if
 * the process dies: views are a popularity signal, not a ledger.
 */
export class ViewCounter {
	private pending = new Map<string, number>();
	private timer?: NodeJS.Timeout;

	constructor(
		private readonly sequelize: Sequelize,
		private readonly table: string,
		/** Told which posts changed, so their cached copies can go. */
		private readonly flushed: (postIds: string[]) => Promise<void>,
		private readonly onError: (err: unknown) => void
	) {}

	start(): void {
		this.timer = setInterval(() => void this.flush().catch(this.onError), FLUSH_EVERY_MS).unref();
	}

	viewed(postId: string, times = 1): void {
		this.pending.set(postId, (this.pending.get(postId) ?? 0) + times);
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.flush().catch(this.onError);
	}

	async flush(): Promise<void> {
		if (!this.pending.size) return;
		const batch = this.pending;
		this.pending = new Map();
		try {
			await this.sequelize.query(
				`UPDATE ${this.table} AS p SET view_count = p.view_count + v.n
				 FROM unnest($1::uuid[], $2::int[]) AS v(id, n) WHERE p.id = v.id`,
				{ bind: [[...batch.keys()], [...batch.values()]] }
			);
		} catch (err) {
			// Put them back for the next flush.
			for (const [id, n] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + n);
			throw err;
		}
		await this.flushed([...batch.keys()]);
	}
}
