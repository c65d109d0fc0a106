import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { LanguageId, Verdict } from "../judge/judge.contract";
import type { JudgedParams, ProgressParams } from "./problems.contract";
import type { SubmissionView, TestResult } from "./problems.types";

export interface SubmissionRow {
	id: string;
	problem_id: string;
	user_id: string;
	contest_id: string | null;
	language: LanguageId;
	source: string;
	status: SubmissionView["status"];
	verdict: Verdict | null;
	pretest_verdict: Verdict | null;
	score: number | null;
	progress: { test: number; of: number } | null;
	tests: TestResult[];
	compile_message: string | null;
	attempts: number;
	attempts_before: number;
	judgement: number;
	created_at: Date;
	judged_at: Date | null;
}

/** The one mapping of a submission row to what its author sees (the source stays out: they have it). */
export function submissionViewOf(row: SubmissionRow): SubmissionView {
	return {
		id: row.id,
		problemId: row.problem_id,
		userId: row.user_id,
		language: row.language,
		status: row.status,
		verdict: row.verdict,
		pretestVerdict: row.pretest_verdict,
		score: row.score,
		progress: row.status === "running" ? row.progress : null,
		tests: row.tests,
		compileMessage: row.compile_message,
		createdAt: new Date(row.created_at).toISOString(),
		judgedAt: row.judged_at ? new Date(row.judged_at).toISOString() : null
	};
}

/** The columns of a view: everything but the source. */
const VIEW_COLUMNS =
	"id, problem_id, user_id, contest_id, language, status, verdict, pretest_verdict, score, progress, tests, compile_message, attempts, attempts_before, judgement, created_at, judged_at";

/**
 * Submissions in SQL. Judging is claimed, reported and recorded under a fencing token: each claim
 * adds an attempt, and only the latest attempt's reports count, so a judge that lost its message
 * (its node died, another took over) can never write over the one judging now.
 */
export class SubmissionStore {
	private readonly submissions: string;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.submissions = `"${schema}".submissions`;
	}

	async create(
		submission: { problemId: string; userId: string; language: LanguageId; source: string; contestId?: string },
		transaction: Transaction
	): Promise<SubmissionRow> {
		const [row] = await this.sequelize.query<SubmissionRow>(
			`INSERT INTO ${this.submissions} (problem_id, user_id, language, source, status, contest_id) VALUES ($1, $2, $3, $4, 'queued', $5) RETURNING *`,
			{
				bind: [submission.problemId, submission.userId, submission.language, submission.source, submission.contestId ?? null],
				type: QueryTypes.SELECT,
				transaction
			}
		);
		return row;
	}

	async unfinishedOf(userId: string): Promise<number> {
		const [{ n }] = await this.sequelize.query<{ n: string }>(
			`SELECT count(*) AS n FROM ${this.submissions} WHERE user_id = $1 AND status <> 'done'`,
			{ bind: [userId], type: QueryTypes.SELECT }
		);
		return Number(n);
	}

	async find(id: string): Promise<SubmissionRow | null> {
		const [row] = await this.sequelize.query<SubmissionRow>(`SELECT ${VIEW_COLUMNS} FROM ${this.submissions} WHERE id = $1`, {
			bind: [id],
			type: QueryTypes.SELECT
		});
		return row ?? null;
	}

	async pageOf(userId: string, problemId: string, page: number, pageSize: number): Promise<{ rows: SubmissionRow[]; total: number }> {
		const rows = await this.sequelize.query<SubmissionRow & { total: string }>(
			`SELECT ${VIEW_COLUMNS}, count(*) OVER () AS total FROM ${this.submissions}
			 WHERE user_id = $1 AND problem_id = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
			{ bind: [userId, problemId, pageSize, (page - 1) * pageSize], type: QueryTypes.SELECT }
		);
		return { rows, total: rows.length ? Number(rows[0].total) : 0 };
	}

	/** Takes an unfinished submission for one more attempt (with its source); null when it is done. */
	async claim(id: string, transaction: Transaction): Promise<SubmissionRow | null> {
		const [row] = await this.sequelize.query<SubmissionRow>(
			`UPDATE ${this.submissions} SET attempts = attempts + 1, status = 'compiling', progress = NULL, pretest_verdict = NULL
			 WHERE id = $1 AND status <> 'done' RETURNING *`,
			{ bind: [id], type: QueryTypes.SELECT, transaction }
		);
		return row ?? null;
	}

	/** Moves the current attempt's progress; false when the attempt is no longer current. */
	async progress(report: ProgressParams): Promise<boolean> {
		const progress = report.status === "running" && report.of !== undefined ? { test: report.test ?? 0, of: report.of } : null;
		const rows = await this.sequelize.query(
			`UPDATE ${this.submissions} SET status = $3, progress = $4, pretest_verdict = COALESCE($5, pretest_verdict)
			 WHERE id = $1 AND attempts = $2 AND status <> 'done' RETURNING id`,
			{
				bind: [
					report.submissionId,
					report.attempt,
					report.status,
					progress && JSON.stringify(progress),
					report.pretestVerdict ?? null
				],
				type: QueryTypes.SELECT
			}
		);
		return rows.length > 0;
	}

	/** Writes the verdict of the current attempt, once; the row it finished, or null. */
	async finish(
		result: Omit<JudgedParams, "attempt"> & { attempt: number | null },
		transaction: Transaction
	): Promise<SubmissionRow | null> {
		const [row] = await this.sequelize.query<SubmissionRow>(
			`UPDATE ${this.submissions}
			 SET status = 'done', verdict = $3, score = $4, tests = $5, compile_message = $6, pretest_verdict = $7, progress = NULL,
			     judged_at = now()
			 WHERE id = $1 AND ($2::int IS NULL OR attempts = $2) AND status <> 'done' RETURNING ${VIEW_COLUMNS}`,
			{
				bind: [
					result.submissionId,
					result.attempt,
					result.verdict,
					result.score,
					JSON.stringify(result.tests),
					result.compileMessage,
					result.pretestVerdict
				],
				type: QueryTypes.SELECT,
				transaction
			}
		);
		return row ?? null;
	}

	/**
	 * Every judged submission of a problem back in the queue for a new judgement (its tests or checker
	 * changed); what is still waiting or running is left to finish. The attempts so far stay counted,
	 * so a judge still holding an older claim can never record over the new judgement.
	 */
	async requeue(problemId: string, transaction: Transaction): Promise<SubmissionRow[]> {
		return this.sequelize.query<SubmissionRow>(
			`UPDATE ${this.submissions} SET status = 'queued', judgement = judgement + 1, attempts_before = attempts, progress = NULL, pretest_verdict = NULL
			 WHERE problem_id = $1 AND status = 'done' RETURNING ${VIEW_COLUMNS}`,
			{ bind: [problemId], type: QueryTypes.SELECT, transaction }
		);
	}

	/** A deleted account's submissions go with it. */
	async forgetUser(userId: string, transaction: Transaction): Promise<void> {
		await this.sequelize.query(`DELETE FROM ${this.submissions} WHERE user_id = $1`, { bind: [userId], transaction });
	}
}
