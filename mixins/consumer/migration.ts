import type { Migration } from "../db/migrate";

/** What a consuming service keeps: the events it applied, and those waiting for a retry. */
export const createInbox: Migration = {
	name: "0101-inbox",
	async up({ context: { query, schema } }) {
		// Written in the same transaction as the effect: an event applied once stays applied once.
		await query(`
			CREATE TABLE "${schema}".processed_events (
				event_id uuid PRIMARY KEY,
				type varchar(100) NOT NULL,
				processed_at timestamptz NOT NULL DEFAULT now()
			)`);
		// Failed deliveries: retried with backoff, then kept as dead letters until re-driven.
		await query(`
			CREATE TABLE "${schema}".event_retries (
				event_id uuid PRIMARY KEY,
				type varchar(100) NOT NULL,
				envelope jsonb NOT NULL,
				attempts integer NOT NULL,
				next_attempt_at timestamptz NOT NULL,
				last_error text NOT NULL,
				dead boolean NOT NULL DEFAULT false,
				claimed_until timestamptz,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now()
			)`);
		await query(`CREATE INDEX event_retries_due_idx ON "${schema}".event_retries (next_attempt_at) WHERE NOT dead`);
	}
};

/** For handlers whose events carry a whole state (`latestWins`): the sequence of the latest applied, by key. */
export const createLatestApplied: Migration = {
	name: "0102-inbox-latest-applied",
	async up({ context: { query, schema } }) {
		await query(`CREATE TABLE "${schema}".latest_applied (key varchar(200) PRIMARY KEY, sequence bigint NOT NULL)`);
	}
};
