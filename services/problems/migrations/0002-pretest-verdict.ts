import type { Migration } from "../../../mixins/db/migrate";

/**
 * The verdict on a submission's pretests, known before its other tests are judged: the pretests run first, so the
 * tests stored before this are put in that order (pretests first, each kind in its order; through negative
 * ordinals, as the key is (problem_id, ordinal)).
 */
export const pretestVerdict: Migration = {
	name: "0002-pretest-verdict",
	async up({ context: { query, schema } }) {
		await query(`ALTER TABLE "${schema}".submissions ADD COLUMN pretest_verdict text`);
		await query(`
			UPDATE "${schema}".problem_tests t SET ordinal = -1 - o.judged
			FROM (SELECT problem_id, ordinal, row_number() OVER (PARTITION BY problem_id ORDER BY pretest DESC, ordinal) - 1 AS judged
			      FROM "${schema}".problem_tests) o
			WHERE t.problem_id = o.problem_id AND t.ordinal = o.ordinal`);
		await query(`UPDATE "${schema}".problem_tests SET ordinal = -1 - ordinal`);
	}
};
