import type { Migration } from "../../../mixins/db/migrate";

/** When the organiser released the contest's code problems to the practice archive: once, after the end. */
export const archivedAt: Migration = {
	name: "0003-archived-at",
	async up({ context: { query, schema } }) {
		await query(`ALTER TABLE "${schema}".contests ADD COLUMN archived_at timestamptz`);
	}
};
