import type { Migration } from "../../../mixins/db/migrate";

/** Whether the contest is rated: set by its organiser, fixed from the start on. */
export const rated: Migration = {
	name: "0004-rated",
	async up({ context: { query, schema } }) {
		await query(`ALTER TABLE "${schema}".contests ADD COLUMN rated boolean NOT NULL DEFAULT false`);
	}
};
