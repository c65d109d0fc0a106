import { LRUCache } from "lru-cache";
import type { ProblemTest } from "../problems/problems.contract";

/**
 * A judge node's copy of problems' tests, by problem and tests version: a problem judged a
 * thousand times is fetched once. Bounded in bytes; a changed problem has a new version, so an
 * entry is never stale, only unused.
 */
export class TestCache {
	private readonly cache: LRUCache<string, ProblemTest[]>;
	private readonly loading = new Map<string, Promise<ProblemTest[]>>();

	constructor(maxBytes: number) {
		this.cache = new LRUCache({
			maxSize: maxBytes,
			sizeCalculation: tests =>
				Math.max(
					1,
					tests.reduce((n, t) => n + t.input.length + t.output.length, 0)
				)
		});
	}

	/** The tests of this version, loaded once however many submissions ask at the same time. */
	async get(problemId: string, version: number, load: () => Promise<ProblemTest[]>): Promise<ProblemTest[]> {
		const key = `${problemId}:${version}`;
		const cached = this.cache.get(key);
		if (cached) return cached;
		let pending = this.loading.get(key);
		if (!pending) {
			pending = load().finally(() => this.loading.delete(key));
			this.loading.set(key, pending);
		}
		const tests = await pending;
		this.cache.set(key, tests);
		return tests;
	}
}
