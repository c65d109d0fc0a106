/**
 * The soak cluster's databases read directly, as an operator would look, never through the
 * services under test: the producers' outboxes, each consumer's inbox (processed ids, retries and
 * dead letters), and the rows the load's writes left, counted by their markers.
 */
import { Pool } from "pg";
import type { SoakDatabase } from "./soak-cluster";

/** The services whose outboxes the load's requests fill. */
export const PRODUCERS = ["users", "posts", "problems"] as const satisfies readonly SoakDatabase[];

export interface OutboxRow {
	eventId: string;
	type: string;
	sent: boolean;
}

/** Rows per marker, for the markers of the run. */
export type CountByMarker = Map<string, number>;

export interface SubmissionRow {
	marker: string;
	status: string;
	verdict: string | null;
}

export class SoakDatabases {
	private readonly pools: Record<SoakDatabase, Pool>;

	constructor(urls: Record<SoakDatabase, string>) {
		this.pools = Object.fromEntries(
			Object.entries(urls).map(([service, url]) => {
				const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
				pool.on("error", () => {});
				return [service, pool];
			})
		) as Record<SoakDatabase, Pool>;
	}

	async outbox(): Promise<OutboxRow[]> {
		const rows = await Promise.all(
			PRODUCERS.map(async service => {
				const { rows } = await this.pools[service].query<OutboxRow>(
					`SELECT event_id::text AS "eventId", type, sent_at IS NOT NULL AS sent FROM "${service}".outbox`
				);
				return rows;
			})
		);
		return rows.flat();
	}

	/** The event ids a consumer's inbox has applied (or skipped as superseded): each at most once, by its primary key. */
	async processed(consumer: SoakDatabase): Promise<Set<string>> {
		const { rows } = await this.pools[consumer].query<{ id: string }>(
			`SELECT event_id::text AS id FROM "${consumer}".processed_events`
		);
		return new Set(rows.map(r => r.id));
	}

	async retries(consumer: SoakDatabase): Promise<{ dead: number; pending: number }> {
		const { rows } = await this.pools[consumer].query<{ dead: number; pending: number }>(
			`SELECT count(*) FILTER (WHERE dead)::int AS dead, count(*) FILTER (WHERE NOT dead)::int AS pending FROM "${consumer}".event_retries`
		);
		return rows[0];
	}

	async auditRows(): Promise<number> {
		const { rows } = await this.pools.audit.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.audit_events`);
		return rows[0].n;
	}

	/** Posts per title among the titles "Soak <marker>" of the run. */
	async postsByTitle(titlePrefix: string): Promise<CountByMarker> {
		const { rows } = await this.pools.posts.query<{ title: string; n: number }>(
			`SELECT title, count(*)::int AS n FROM posts.posts WHERE starts_with(title, $1) GROUP BY title`,
			[titlePrefix]
		);
		return new Map(rows.map(r => [r.title, r.n]));
	}

	/** post.created events per title among the run's. */
	async createdEventsByTitle(titlePrefix: string): Promise<CountByMarker> {
		const { rows } = await this.pools.posts.query<{ title: string; n: number }>(
			`SELECT envelope->'payload'->>'title' AS title, count(*)::int AS n FROM posts.outbox
			 WHERE type = 'post.created' AND starts_with(envelope->'payload'->>'title', $1) GROUP BY 1`,
			[titlePrefix]
		);
		return new Map(rows.map(r => [r.title, r.n]));
	}

	/** Every submission of the run, by the marker in its source's first line ("// <marker>"). */
	async submissions(markerPrefix: string): Promise<SubmissionRow[]> {
		const { rows } = await this.pools.problems.query<SubmissionRow>(
			`SELECT substring(split_part(source, E'\\n', 1) from 4) AS marker, status, verdict FROM problems.submissions
			 WHERE starts_with(source, $1)`,
			[`// ${markerPrefix}`]
		);
		return rows;
	}

	async close(): Promise<void> {
		await Promise.allSettled(Object.values(this.pools).map(p => p.end()));
	}
}
