/**
 * What "no state change" means, per service database: the outbox (every state change writes a
 * row there) and a digest of every row of every table of the service's schema. Left out only
 * what background work changes by itself: the relay's `sent_at` and lease, and event retries.
 */
import { setTimeout as delay } from "node:timers/promises";
import { Client } from "pg";
import { eventually } from "../helpers/eventually";

export interface ServiceState {
	/** Rows in the outbox: one per state change. */
	outbox: number;
	/** Rows in the service's other tables. */
	rows: number;
	/** md5 over every table's rows, in a stable order. */
	digest: string;
	/** The md5 of each table's rows (the outbox by sequence and event id only). */
	tables: Record<string, string>;
}

export type Fingerprint = Record<string, ServiceState>;

/** Changed by the relay and the consumers' retry loop on their own, not by a request. */
const BACKGROUND_TABLES = new Set(["outbox", "outbox_relay_lease", "event_retries", "schema_migrations"]);
/**
 * Columns a timer writes: post views are counted in memory on every successful read and added
 * every 2 s (services/posts/view-counter.ts), so they change after whatever case comes next.
 */
const BACKGROUND_COLUMNS: Record<string, string[]> = { "posts.posts": ["view_count"] };
/**
 * Work a successful request leaves behind, which writes rows for a while after the answer: a
 * queued submission is claimed, judged test by test (its progress written at most every 250 ms)
 * and given its verdict. The state has settled only once none is left.
 */
const PENDING_WORK: Record<string, string> = { "problems.submissions": "status <> 'done'" };

export class StateProbe {
	private readonly clients = new Map<string, { client: Client; sql: string; unsent: string }>();

	/** `databases`: service name → URL of its database (the tables live in the schema of that name). */
	constructor(private readonly databases: Record<string, string>) {}

	async open(): Promise<void> {
		for (const [service, url] of Object.entries(this.databases)) {
			const client = new Client({ connectionString: url });
			await client.connect();
			const tables = await client.query<{ table_name: string }>(
				"SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
				[service]
			);
			const names = tables.rows.map(r => r.table_name).filter(name => !BACKGROUND_TABLES.has(name));
			if (!names.length) {
				throw new Error(
					`${service}: no tables to fingerprint in schema "${service}" (${tables.rows.map(r => r.table_name).join(", ")})`
				);
			}
			const q = (name: string) => `"${service}"."${name}"`;
			const hasOutbox = tables.rows.some(r => r.table_name === "outbox");
			const rowText = (name: string) => {
				const skipped = BACKGROUND_COLUMNS[`${service}.${name}`];
				return skipped ? `(to_jsonb(t) - ARRAY[${skipped.map(c => `'${c}'`).join(", ")}])::text` : "t::text";
			};
			const digests = names.map(
				name =>
					`'${name}', (SELECT md5(coalesce(string_agg(${rowText(name)}, '|' ORDER BY ${rowText(name)}), '')) FROM ${q(name)} t)`
			);
			if (hasOutbox)
				digests.unshift(
					`'outbox', (SELECT md5(coalesce(string_agg(seq::text || ':' || event_id::text, '|' ORDER BY seq), '')) FROM ${q("outbox")})`
				);
			const counts = names.map(name => `(SELECT count(*) FROM ${q(name)})`);
			const sql = `SELECT ${hasOutbox ? `(SELECT count(*) FROM ${q("outbox")})` : "0"}::int AS outbox,
				(${counts.join(" + ")})::int AS rows,
				json_build_object(${digests.join(", ")}) AS tables`;
			const pending = [
				...(hasOutbox ? [`(SELECT count(*) FROM ${q("outbox")} WHERE sent_at IS NULL)`] : []),
				...names
					.filter(name => PENDING_WORK[`${service}.${name}`])
					.map(name => `(SELECT count(*) FROM ${q(name)} WHERE ${PENDING_WORK[`${service}.${name}`]})`)
			];
			const unsent = `SELECT (${pending.join(" + ") || "0"})::int AS n`;
			this.clients.set(service, { client, sql, unsent });
		}
	}

	async fingerprint(): Promise<Fingerprint> {
		const entries = await Promise.all(
			[...this.clients].map(async ([service, { client, sql }]) => {
				const { rows } = await client.query<Omit<ServiceState, "digest">>(sql);
				const digest = Object.values(rows[0].tables).join(",");
				return [service, { ...rows[0], digest }] as const;
			})
		);
		return Object.fromEntries(entries);
	}

	/** The services whose state differs, with what differs. */
	static changes(before: Fingerprint, after: Fingerprint): string[] {
		return Object.keys(before)
			.filter(s => before[s].digest !== after[s].digest || before[s].outbox !== after[s].outbox)
			.map(s => {
				const tables = Object.keys(after[s].tables).filter(t => before[s].tables[t] !== after[s].tables[t]);
				return `${s}: outbox ${before[s].outbox}→${after[s].outbox}, rows ${before[s].rows}→${after[s].rows}, tables changed: ${tables.join(", ")}`;
			});
	}

	/**
	 * After a successful write: every outbox row relayed and no work pending (PENDING_WORK: every
	 * submission judged), and then the whole state unchanged over two reads 150 ms apart (consumers
	 * have applied what the events caused). The settled state. A rejudge requeues every judged
	 * submission of a problem, hence the time allowed.
	 */
	async settle(timeoutMs = 30_000): Promise<Fingerprint> {
		await eventually(
			"every outbox row relayed and every submission judged",
			async () =>
				(
					await Promise.all([...this.clients.values()].map(async c => (await c.client.query<{ n: number }>(c.unsent)).rows[0].n))
				).reduce((a, b) => a + b, 0),
			n => n === 0,
			timeoutMs
		);
		const deadline = Date.now() + timeoutMs;
		let last = await this.fingerprint();
		for (;;) {
			await delay(150);
			const current = await this.fingerprint();
			const changed = StateProbe.changes(last, current);
			last = current;
			if (!changed.length) break;
			if (Date.now() > deadline) throw new Error(`the state did not settle within ${timeoutMs} ms: ${changed.join("; ")}`);
		}
		return last;
	}

	async close(): Promise<void> {
		await Promise.all([...this.clients.values()].map(c => c.client.end()));
	}
}
