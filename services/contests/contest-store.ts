import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { CodeView, ProblemView, SubmissionView, Verdict } from "./contests.types";
import { type Attempt, MAX_PROBLEMS } from "./scoring";

export interface ProblemRow {
	id: string;
	contest_id: string;
	position: number;
	title: string;
	statement: string;
	statement_html: string;
	points: number;
	case_sensitive: boolean;
	kind: "answer" | "code";
	/** answer problems */
	answer_hash: string | null;
	/** code problems: the judge's problem as participants see it */
	code: CodeView | null;
}

interface SubmissionRow {
	id: string;
	problem_id: string;
	user_id: string;
	verdict: Verdict;
	scored: boolean;
	submitted_at: Date;
	submitted_by: string | null;
}

/** The only way a problem leaves the service: without its answer hash. */
export const toProblem = (r: ProblemRow): ProblemView => ({
	id: r.id,
	position: r.position,
	title: r.title,
	statement: r.statement,
	statementHtml: r.statement_html,
	points: r.points,
	caseSensitive: r.case_sensitive,
	kind: r.kind,
	code: r.code
});

/** `team`: of a team contest, where each submission names the member who made it. */
const toSubmission = (r: SubmissionRow, team: boolean): SubmissionView => ({
	id: r.id,
	problemId: r.problem_id,
	verdict: r.verdict,
	scored: r.scored,
	submittedAt: new Date(r.submitted_at).toISOString(),
	...(team ? { submittedBy: r.submitted_by } : {})
});

/** Problems, participants and submissions of contests, in SQL. */
export class ContestStore {
	private readonly t: Record<"problems" | "participants" | "submissions" | "programs" | "members", string>;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.t = {
			problems: `"${schema}".problems`,
			participants: `"${schema}".participants`,
			submissions: `"${schema}".submissions`,
			programs: `"${schema}".programs`,
			members: `"${schema}".team_members`
		};
	}

	private select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	problems(contestId: string, transaction?: Transaction): Promise<ProblemRow[]> {
		return this.select<ProblemRow>(
			`SELECT * FROM ${this.t.problems} WHERE contest_id = $1 ORDER BY position`,
			[contestId],
			transaction
		);
	}

	async addProblem(
		transaction: Transaction,
		contestId: string,
		p: Omit<ProblemRow, "id" | "contest_id" | "position">
	): Promise<ProblemRow | undefined> {
		// Nothing inserted (undefined) once the contest holds MAX_PROBLEMS.
		const [row] = await this.select<ProblemRow>(
			`INSERT INTO ${this.t.problems} (contest_id, position, title, statement, statement_html, points, case_sensitive, answer_hash, kind, code)
			 SELECT $1, coalesce(max(position), 0) + 1, $2, $3, $4, $5, $6, $7, $9, $10 FROM ${this.t.problems} WHERE contest_id = $1
			 HAVING count(*) < $8
			 RETURNING *`,
			[
				contestId,
				p.title,
				p.statement,
				p.statement_html,
				p.points,
				p.case_sensitive,
				p.answer_hash,
				MAX_PROBLEMS,
				p.kind,
				p.code && JSON.stringify(p.code)
			],
			transaction
		);
		return row;
	}

	/** Problems and (non-anonymised) participants per contest, for the views. */
	async counts(contestIds: string[]): Promise<Map<string, { problems: number; participants: number }>> {
		const counts = new Map(contestIds.map(id => [id, { problems: 0, participants: 0 }]));
		if (!contestIds.length) return counts;
		const rows = await this.select<{ contest_id: string; problems: string; participants: string }>(
			`SELECT c.id AS contest_id,
				(SELECT count(*) FROM ${this.t.problems} p WHERE p.contest_id = c.id) AS problems,
				(SELECT count(*) FROM ${this.t.participants} r WHERE r.contest_id = c.id AND NOT r.anonymised) AS participants
			 FROM unnest($1::uuid[]) AS c(id)`,
			[contestIds]
		);
		for (const r of rows) counts.set(r.contest_id, { problems: Number(r.problems), participants: Number(r.participants) });
		return counts;
	}

	/** The contests the user takes part in, in person or in a team. */
	async registeredIn(userId: string | undefined, contestIds: string[]): Promise<Set<string>> {
		if (!userId || !contestIds.length) return new Set();
		const rows = await this.select<{ contest_id: string }>(
			`SELECT contest_id FROM ${this.t.participants} WHERE user_id = $1 AND contest_id = ANY($2::uuid[])
			 UNION SELECT contest_id FROM ${this.t.members} WHERE user_id = $1 AND contest_id = ANY($2::uuid[])`,
			[userId, contestIds]
		);
		return new Set(rows.map(r => r.contest_id));
	}

	/** Registers the user; false if they already were. */
	async register(contestId: string, userId: string, at: Date, transaction: Transaction): Promise<boolean> {
		const rows = await this.select(
			`INSERT INTO ${this.t.participants} (contest_id, user_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id`,
			[contestId, userId, at],
			transaction
		);
		return rows.length > 0;
	}

	/**
	 * Locks the participation: one submission of a competitor (a user, or a team: the store's
	 * `userId`s are competitor ids) at a time, so throttling and first-accepted hold.
	 */
	async lockParticipant(transaction: Transaction, contestId: string, userId: string): Promise<boolean> {
		const rows = await this.select(
			`SELECT user_id FROM ${this.t.participants} WHERE contest_id = $1 AND user_id = $2 AND NOT anonymised FOR UPDATE`,
			[contestId, userId],
			transaction
		);
		return rows.length > 0;
	}

	/** The user's latest verdicts on a problem, newest first. */
	async latestVerdicts(
		transaction: Transaction,
		userId: string,
		problemId: string,
		limit: number
	): Promise<{ verdict: Verdict; submittedAt: Date }[]> {
		const rows = await this.select<SubmissionRow>(
			`SELECT verdict, submitted_at FROM ${this.t.submissions} WHERE user_id = $1 AND problem_id = $2 ORDER BY submitted_at DESC LIMIT $3`,
			[userId, problemId, limit],
			transaction
		);
		return rows.map(r => ({ verdict: r.verdict, submittedAt: new Date(r.submitted_at) }));
	}

	async hasSolved(transaction: Transaction, userId: string, problemId: string): Promise<boolean> {
		const rows = await this.select(
			`SELECT 1 FROM ${this.t.submissions} WHERE user_id = $1 AND problem_id = $2 AND verdict = 'accepted' LIMIT 1`,
			[userId, problemId],
			transaction
		);
		return rows.length > 0;
	}

	/** `submittedBy`: in a team contest, the member submitting for the team `userId`. */
	async addSubmission(
		transaction: Transaction,
		s: { contestId: string; problemId: string; userId: string; submittedBy: string | null; verdict: Verdict; scored: boolean; at: Date }
	): Promise<SubmissionView> {
		const [row] = await this.select<SubmissionRow>(
			`INSERT INTO ${this.t.submissions} (contest_id, problem_id, user_id, verdict, scored, submitted_at, submitted_by)
			 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
			[s.contestId, s.problemId, s.userId, s.verdict, s.scored, s.at, s.submittedBy],
			transaction
		);
		return toSubmission(row, s.submittedBy !== null);
	}

	/** A program handed to the judge, remembered with the contest's time of it. */
	async addProgram(p: { judgeSubmissionId: string; contestId: string; problemId: string; userId: string; at: Date }): Promise<void> {
		await this.select(
			`INSERT INTO ${this.t.programs} (judge_submission_id, contest_id, problem_id, user_id, submitted_at) VALUES ($1, $2, $3, $4, $5) RETURNING judge_submission_id`,
			[p.judgeSubmissionId, p.contestId, p.problemId, p.userId, p.at]
		);
	}

	/** A program whose verdict came: marked judged (the contest's end waits for those that are not), and returned. */
	async judgedProgram(
		judgeSubmissionId: string,
		transaction: Transaction
	): Promise<{ contest_id: string; problem_id: string; user_id: string; submitted_at: Date } | undefined> {
		const [row] = await this.select<{ contest_id: string; problem_id: string; user_id: string; submitted_at: Date }>(
			`UPDATE ${this.t.programs} SET judged_at = COALESCE(judged_at, now()) WHERE judge_submission_id = $1
			 RETURNING contest_id, problem_id, user_id, submitted_at`,
			[judgeSubmissionId],
			transaction
		);
		return row;
	}

	/**
	 * A judged program on the board, keyed by the judge's submission: counted as accepted or wrong
	 * (a compile or internal error counts as no try at all), replaced only by a later judgement.
	 * Whether the board changed: false for a redelivery, an older judgement or the same verdict again.
	 */
	async recordJudged(
		transaction: Transaction,
		s: {
			contestId: string;
			problemId: string;
			userId: string;
			/** In a team contest, the member whose program it is (kept only while they are in the team). */
			submittedBy: string | null;
			judgeSubmissionId: string;
			judgement: number;
			verdict: Verdict | null;
			at: Date;
		}
	): Promise<{ changed: boolean; scored: boolean }> {
		const unchanged = { changed: false, scored: false };
		const [known] = await this.select<{ verdict: Verdict; judgement: number }>(
			`SELECT verdict, judgement FROM ${this.t.submissions} WHERE judge_submission_id = $1 FOR UPDATE`,
			[s.judgeSubmissionId],
			transaction
		);
		if (known && known.judgement >= s.judgement) return unchanged;
		if (known && !s.verdict) {
			await this.select(
				`DELETE FROM ${this.t.submissions} WHERE judge_submission_id = $1 RETURNING id`,
				[s.judgeSubmissionId],
				transaction
			);
			return { changed: true, scored: false };
		}
		if (known) {
			await this.select(
				`UPDATE ${this.t.submissions} SET verdict = $2, judgement = $3, scored = false WHERE judge_submission_id = $1 RETURNING id`,
				[s.judgeSubmissionId, s.verdict, s.judgement],
				transaction
			);
			return { changed: known.verdict !== s.verdict, scored: false };
		}
		if (!s.verdict) return unchanged;
		const scored = s.verdict === "accepted" && !(await this.hasSolved(transaction, s.userId, s.problemId));
		const inserted = await this.select(
			`INSERT INTO ${this.t.submissions} (contest_id, problem_id, user_id, verdict, scored, submitted_at, judge_submission_id, judgement, submitted_by)
			 SELECT $1, $2, $3, $4, $5, $6, $7, $8,
				(SELECT m.user_id FROM ${this.t.members} m WHERE m.contest_id = $1 AND m.team_id = $3 AND m.user_id = $9)
			 WHERE EXISTS (SELECT 1 FROM ${this.t.participants} WHERE contest_id = $1 AND user_id = $3 AND NOT anonymised)
			 RETURNING id`,
			[s.contestId, s.problemId, s.userId, s.verdict, scored, s.at, s.judgeSubmissionId, s.judgement, s.submittedBy],
			transaction
		);
		return { changed: inserted.length > 0, scored: scored && inserted.length > 0 };
	}

	/** A competitor's submissions: a user's, or (`team`) a team's, each naming its member. */
	async submissionsOf(contestId: string, competitorId: string, team: boolean): Promise<SubmissionView[]> {
		const rows = await this.select<SubmissionRow>(
			`SELECT * FROM ${this.t.submissions} WHERE contest_id = $1 AND user_id = $2 ORDER BY submitted_at`,
			[contestId, competitorId]
		);
		return rows.map(r => toSubmission(r, team));
	}

	/**
	 * Submission histories by competitor (oldest first), of every listed participant, or all of them;
	 * `before` cuts them at a moment (the freeze). Participants without submissions are included.
	 */
	async histories(
		contestId: string,
		opts: { userIds?: string[]; before?: Date } = {},
		transaction?: Transaction
	): Promise<Map<string, Attempt[]>> {
		// One round trip: participants without submissions come back once, with a null problem.
		const rows = await this.select<{ user_id: string; problem_id: string | null; verdict: Verdict; submitted_at: Date }>(
			`SELECT p.user_id, s.problem_id, s.verdict, s.submitted_at
			 FROM ${this.t.participants} p
			 LEFT JOIN ${this.t.submissions} s
				ON s.contest_id = p.contest_id AND s.user_id = p.user_id AND ($3::timestamptz IS NULL OR s.submitted_at < $3)
			 WHERE p.contest_id = $1 AND NOT p.anonymised AND ($2::uuid[] IS NULL OR p.user_id = ANY($2::uuid[]))
			 ORDER BY s.submitted_at NULLS FIRST, s.id`,
			[contestId, opts.userIds ?? null, opts.before ?? null],
			transaction
		);
		const histories = new Map<string, Attempt[]>();
		for (const r of rows) {
			const attempts = histories.get(r.user_id) ?? [];
			histories.set(r.user_id, attempts);
			if (r.problem_id) attempts.push({ problemId: r.problem_id, verdict: r.verdict, submittedAt: new Date(r.submitted_at) });
		}
		return histories;
	}

	/** The user's account is gone: their participations stay counted, under a random id, off the boards. */
	async anonymise(transaction: Transaction, userId: string): Promise<{ contestId: string }[]> {
		const rows = await this.select<{ contest_id: string }>(
			`UPDATE ${this.t.participants} SET user_id = gen_random_uuid(), anonymised = true WHERE user_id = $1 RETURNING contest_id`,
			[userId],
			transaction
		);
		return rows.map(r => ({ contestId: r.contest_id }));
	}
}
