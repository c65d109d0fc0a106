interface Slot<T> {
	running: Promise<T>;
	/** The run after it, shared by every read that arrived while it ran. */
	queued?: Promise<T>;
}

const settled = (p: Promise<unknown>) =>
	p.then(
		() => undefined,
		() => undefined
	);

/**
 * Identical reads at the same time share one run, never one that started before them: a read
 * arriving while one runs waits for the next, which every read arriving meanwhile shares. So an
 * answer never predates its request (a write acknowledged before it is in), and however many
 * readers come, each key costs at most one run at a time (and one waiting). For reads too costly
 * to run once per request: the boards from PostgreSQL while Redis is away.
 */
export class SharedReads<T> {
	private readonly slots = new Map<string, Slot<T>>();

	read(key: string, run: () => Promise<T>): Promise<T> {
		const slot = this.slots.get(key);
		if (!slot) return this.begin(key, run);
		slot.queued ??= settled(slot.running).then(() => this.begin(key, run));
		return slot.queued;
	}

	private begin(key: string, run: () => Promise<T>): Promise<T> {
		const slot: Slot<T> = { running: run() };
		this.slots.set(key, slot);
		void settled(slot.running).then(() => {
			if (this.slots.get(key) === slot) this.slots.delete(key);
		});
		return slot.running;
	}
}
