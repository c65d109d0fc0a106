import type { ServedCounts, SharedResponse } from "../../lib/http-cache";

const REPORT_EVERY_MS = 1000;

type Report = (event: string, counts: ServedCounts) => Promise<unknown>;

/**
 * Counts answers served from the gateway's copies (a post's views, say) and reports them once a
 * second per event: one message instead of one per read. A second's counts die with the process,
 * as the posts service's own view counter accepts.
 */
export class ServedCounter {
	private pending = new Map<string, Record<string, number>>();
	private readonly timer: NodeJS.Timeout;

	constructor(
		private readonly report: Report,
		private readonly onError: (err: unknown) => void
	) {
		this.timer = setInterval(() => void this.flush(), REPORT_EVERY_MS).unref();
	}

	served(spec: NonNullable<SharedResponse["countServedAs"]>): void {
		let counts = this.pending.get(spec.event);
		if (!counts) this.pending.set(spec.event, (counts = {}));
		counts[spec.id] = (counts[spec.id] ?? 0) + 1;
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.flush();
	}

	private async flush(): Promise<void> {
		const batch = this.pending;
		this.pending = new Map();
		await Promise.all([...batch].map(([event, counts]) => this.report(event, { counts }).catch(this.onError)));
	}
}
