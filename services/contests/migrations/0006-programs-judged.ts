import type { Migration } from "../../../mixins/db/migrate";

/**
 * When a program's verdict arrived: a contest's end waits (up to a grace) for its programs still being judged, so
 * `contest.ended`'s final standings count them. The programs before this were judged long ago: marked at once.
 */
export const programsJudged: Migration = {
	name: "0006-programs-judged",
	async up({ context: { query, schema } }) {
		await query(`ALTER TABLE "${schema}".programs ADD COLUMN judged_at timestamptz`);
		await query(`UPDATE "${schema}".programs SET judged_at = submitted_at`);
		await query(`CREATE INDEX programs_pending_idx ON "${schema}".programs (contest_id) WHERE judged_at IS NULL`);
	}
};
