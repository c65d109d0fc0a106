import { deepFreeze } from "../../lib/deep-freeze";

/**
 * Rendered leaderboard parts (pages, callers' own rows) by the version of the board they were
 * rendered from: a value is served as it is only while its board's version is unchanged, so any
 * change of the board, on any node, retires it. Callers read the version before rendering, so a
 * change racing the rendering leaves a value under the old version, never served again. A
 * retired value keeps a fingerprint of what it was rendered from: a caller finding the same
 * fingerprint under the new version may keep the value instead of rendering it again.
 *
 * Bounded by rows (the weight of a value): the oldest values go first; a value heavier than a
 * quarter of the budget (a page as large as the board) is not kept.
 */
interface Cached<T> {
	version: string;
	value: T;
	weight: number;
	fingerprint: string;
}

export class PageCache<T> {
	private readonly values = new Map<string, Cached<T>>();
	private weight = 0;

	constructor(private readonly maxWeight: number) {}

	get(key: string, version: string): T | undefined {
		const hit = this.values.get(key);
		return hit?.version === version ? hit.value : undefined;
	}

	/** What is kept under `key`, whatever its version. */
	entry(key: string): Readonly<Cached<T>> | undefined {
		return this.values.get(key);
	}

	set(key: string, version: string, value: T, weight: number, fingerprint = ""): void {
		this.delete(key);
		if (weight > this.maxWeight / 4) return;
		this.values.set(key, { version, value: deepFreeze(value), weight, fingerprint });
		this.weight += weight;
		for (const [oldest] of this.values) {
			if (this.weight <= this.maxWeight) break;
			this.delete(oldest);
		}
	}

	private delete(key: string) {
		const old = this.values.get(key);
		if (!old) return;
		this.values.delete(key);
		this.weight -= old.weight;
	}
}
