import type { Migration } from "../../../mixins/db/migrate";

/**
 * Code problems beside answer problems: the judge's problem (in the problems service) behind each,
 * and code submissions counted once judged, keyed by the judge's submission and its judgement.
 */
export const codeProblems: Migration = {
	name: "0002-code-problems",
	async up({ context: { query, schema } }) {
		await query(
			`ALTER TABLE "${schema}".problems ADD COLUMN kind varchar(6) NOT NULL DEFAULT 'answer' CHECK (kind IN ('answer', 'code'))`
		);
		// The judge's problem as created: its id, limits, checker kind and samples (what participants are shown).
		await query(`ALTER TABLE "${schema}".problems ADD COLUMN code jsonb`);
		await query(`ALTER TABLE "${schema}".problems ALTER COLUMN answer_hash DROP NOT NULL`);
		await query(
			`ALTER TABLE "${schema}".problems ADD CHECK ((kind = 'answer') = (answer_hash IS NOT NULL) AND (kind = 'code') = (code IS NOT NULL))`
		);
		// A program handed to the judge, at the contest's time: its verdict is counted as of then.
		await query(`
			CREATE TABLE "${schema}".programs (
				judge_submission_id uuid PRIMARY KEY,
				contest_id uuid NOT NULL REFERENCES "${schema}".contests (id) ON DELETE CASCADE,
				problem_id uuid NOT NULL REFERENCES "${schema}".problems (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				submitted_at timestamptz NOT NULL
			)`);
		await query(`ALTER TABLE "${schema}".submissions ADD COLUMN judge_submission_id uuid UNIQUE`);
		await query(`ALTER TABLE "${schema}".submissions ADD COLUMN judgement integer`);
	}
};
