import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { JudgingSpec } from "./problems.contract";
import type { CheckerSpec, CreateProblemParams, ListProblemsParams, ProblemTest, ProblemView } from "./problems.types";

export interface ProblemRow {
	id: string;
	title: string;
	statement: string;
	statement_html: string;
	status: "draft" | "published";
	author_id: string;
	time_limit_ms: number;
	memory_limit_mb: number;
	output_limit_kb: number;
	checker: CheckerSpec;
	scoring: ProblemView["scoring"];
	batches: { points: number }[];
	tags: string[];
	difficulty: ProblemView["difficulty"];
	contest_id: string | null;
	tests_version: number;
	test_count: number;
	solved_count: number;
	published_at: Date | null;
	created_at: Date;
	updated_at: Date;
}

/** The one mapping of a problem row to what readers see: samples given, never a custom checker's source. */
export function problemViewOf(row: ProblemRow, samples: { input: string; output: string }[], solved: boolean): ProblemView {
	return {
		id: row.id,
		title: row.title,
		statement: row.statement,
		statementHtml: row.statement_html,
		status: row.status,
		authorId: row.author_id,
		timeLimitMs: row.time_limit_ms,
		memoryLimitMb: row.memory_limit_mb,
		outputLimitKb: row.output_limit_kb,
		checker: row.checker.kind,
		scoring: row.scoring,
		batches: row.batches,
		tags: row.tags,
		difficulty: row.difficulty,
		samples,
		testCount: row.test_count,
		solvedCount: row.solved_count,
		solved,
		publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
		createdAt: new Date(row.created_at).toISOString(),
		updatedAt: new Date(row.updated_at).toISOString()
	};
}

/** The tests a reader is shown: the samples, input and expected output. */
export const samplesOf = (tests: readonly { input: string; output: string; sample: boolean }[]) =>
	tests.filter(t => t.sample).map(({ input, output }) => ({ input, output }));

export function judgingSpecOf(row: ProblemRow): JudgingSpec {
	return {
		problemId: row.id,
		testsVersion: row.tests_version,
		timeLimitMs: row.time_limit_ms,
		memoryLimitMb: row.memory_limit_mb,
		outputLimitKb: row.output_limit_kb,
		checker: row.checker,
		scoring: row.scoring,
		batches: row.batches
	};
}

type NewProblem = Omit<CreateProblemParams, "tests"> & { statementHtml: string; authorId: string; contestId?: string };

/** Problems and their tests in SQL: every value bound, every clause from the code. */
export class ProblemStore {
	private readonly problems: string;
	private readonly tests: string;
	private readonly solved: string;
	private readonly submissions: string;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.problems = `"${schema}".problems`;
		this.tests = `"${schema}".problem_tests`;
		this.solved = `"${schema}".solved`;
		this.submissions = `"${schema}".submissions`;
	}

	async create(problem: NewProblem, tests: ProblemTest[], transaction: Transaction): Promise<ProblemRow> {
		const [row] = await this.sequelize.query<ProblemRow>(
			`INSERT INTO ${this.problems} (title, statement, statement_html, status, author_id, time_limit_ms, memory_limit_mb,
				output_limit_kb, checker, scoring, batches, tags, difficulty, test_count, contest_id)
			 VALUES ($title, $statement, $html, 'draft', $author, $time, $memory, $output, $checker, $scoring, $batches, $tags, $difficulty, $count, $contest)
			 RETURNING *`,
			{
				bind: {
					title: problem.title,
					statement: problem.statement,
					html: problem.statementHtml,
					author: problem.authorId,
					time: problem.timeLimitMs,
					memory: problem.memoryLimitMb,
					output: problem.outputLimitKb,
					checker: JSON.stringify(problem.checker),
					scoring: problem.scoring,
					batches: JSON.stringify(problem.batches),
					tags: problem.tags,
					difficulty: problem.difficulty,
					count: tests.length,
					contest: problem.contestId ?? null
				},
				type: QueryTypes.SELECT,
				transaction
			}
		);
		await this.writeTests(row.id, tests, transaction);
		return row;
	}

	/** New tests for a problem: a new tests version, so that no judge mixes the old tests with the new. */
	async replaceTests(problemId: string, tests: ProblemTest[], transaction: Transaction): Promise<ProblemRow> {
		await this.writeTests(problemId, tests, transaction);
		const [row] = await this.sequelize.query<ProblemRow>(
			`UPDATE ${this.problems} SET tests_version = tests_version + 1, test_count = $2, updated_at = now() WHERE id = $1 RETURNING *`,
			{ bind: [problemId, tests.length], type: QueryTypes.SELECT, transaction }
		);
		return row;
	}

	/**
	 * The tests in judging order, one statement (unnest of parallel arrays), whatever their number: the pretests
	 * first, so that their verdict is known before the other tests run, each kind in the order given.
	 */
	private async writeTests(problemId: string, given: ProblemTest[], transaction: Transaction): Promise<void> {
		const tests = [...given.filter(test => test.pretest), ...given.filter(test => !test.pretest)];
		await this.sequelize.query(`DELETE FROM ${this.tests} WHERE problem_id = $1`, { bind: [problemId], transaction });
		await this.sequelize.query(
			`INSERT INTO ${this.tests} (problem_id, ordinal, input, output, sample, pretest, batch)
			 SELECT $1, t.ordinal, t.input, t.output, t.sample, t.pretest, t.batch
			 FROM unnest($2::int[], $3::text[], $4::text[], $5::boolean[], $6::boolean[], $7::int[]) AS t(ordinal, input, output, sample, pretest, batch)`,
			{
				bind: [
					problemId,
					tests.map((_, i) => i),
					tests.map(t => t.input),
					tests.map(t => t.output),
					tests.map(t => t.sample),
					tests.map(t => t.pretest),
					tests.map(t => t.batch ?? null)
				],
				transaction
			}
		);
	}

	async find(id: string, transaction?: Transaction, lock = false): Promise<ProblemRow | null> {
		const [row] = await this.sequelize.query<ProblemRow>(`SELECT * FROM ${this.problems} WHERE id = $1${lock ? " FOR UPDATE" : ""}`, {
			bind: [id],
			type: QueryTypes.SELECT,
			transaction
		});
		return row ?? null;
	}

	async publish(id: string, transaction: Transaction): Promise<ProblemRow> {
		const [row] = await this.sequelize.query<ProblemRow>(
			`UPDATE ${this.problems} SET status = 'published', published_at = now(), updated_at = now() WHERE id = $1 RETURNING *`,
			{ bind: [id], type: QueryTypes.SELECT, transaction }
		);
		return row;
	}

	/** A contest's problems, still drafts, join the archive; those it published (none when done already). */
	async publishForContest(contestId: string, problemIds: string[], transaction: Transaction): Promise<ProblemRow[]> {
		return this.sequelize.query<ProblemRow>(
			`UPDATE ${this.problems} SET status = 'published', published_at = now(), updated_at = now()
			 WHERE contest_id = $1 AND id = ANY($2::uuid[]) AND status = 'draft' RETURNING *`,
			{ bind: [contestId, problemIds], type: QueryTypes.SELECT, transaction }
		);
	}

	async samples(problemIds: string[]): Promise<Map<string, { input: string; output: string }[]>> {
		const rows = await this.sequelize.query<{ problem_id: string; input: string; output: string }>(
			`SELECT problem_id, input, output FROM ${this.tests} WHERE problem_id = ANY($1::uuid[]) AND sample ORDER BY problem_id, ordinal`,
			{ bind: [problemIds], type: QueryTypes.SELECT }
		);
		const byProblem = new Map<string, { input: string; output: string }[]>();
		for (const r of rows) byProblem.set(r.problem_id, [...(byProblem.get(r.problem_id) ?? []), { input: r.input, output: r.output }]);
		return byProblem;
	}

	async testsOf(problemId: string): Promise<ProblemTest[]> {
		const rows = await this.sequelize.query<{ input: string; output: string; sample: boolean; pretest: boolean; batch: number | null }>(
			`SELECT input, output, sample, pretest, batch FROM ${this.tests} WHERE problem_id = $1 ORDER BY ordinal`,
			{ bind: [problemId], type: QueryTypes.SELECT }
		);
		return rows.map(r => ({
			input: r.input,
			output: r.output,
			sample: r.sample,
			pretest: r.pretest,
			...(r.batch === null ? {} : { batch: r.batch })
		}));
	}

	/** Published problems (a contest's, once its organiser released them), newest first, with the number of all that match. */
	async page(query: ListProblemsParams): Promise<{ rows: ProblemRow[]; total: number }> {
		const conditions = ["status = 'published'"];
		const bind: Record<string, unknown> = { limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
		if (query.tag) {
			conditions.push("tags @> ARRAY[$tag]::text[]");
			bind.tag = query.tag;
		}
		if (query.difficulty) {
			conditions.push("difficulty = $difficulty");
			bind.difficulty = query.difficulty;
		}
		const rows = await this.sequelize.query<ProblemRow & { total: string }>(
			`SELECT *, count(*) OVER () AS total FROM ${this.problems} WHERE ${conditions.join(" AND ")}
			 ORDER BY published_at DESC, id LIMIT $limit OFFSET $offset`,
			{ bind, type: QueryTypes.SELECT }
		);
		return { rows, total: rows.length ? Number(rows[0].total) : 0 };
	}

	/** Which of these problems the user has solved. */
	async solvedAmong(userId: string | undefined, problemIds: string[]): Promise<Set<string>> {
		if (!userId || !problemIds.length) return new Set();
		const rows = await this.sequelize.query<{ problem_id: string }>(
			`SELECT problem_id FROM ${this.solved} WHERE user_id = $1 AND problem_id = ANY($2::uuid[])`,
			{ bind: [userId, problemIds], type: QueryTypes.SELECT }
		);
		return new Set(rows.map(r => r.problem_id));
	}

	/** Records a first solve and counts it; false when the user had solved it already. */
	async markSolved(userId: string, problemId: string, transaction: Transaction): Promise<boolean> {
		const inserted = await this.sequelize.query(
			`INSERT INTO ${this.solved} (user_id, problem_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING problem_id`,
			{ bind: [userId, problemId], type: QueryTypes.SELECT, transaction }
		);
		if (!inserted.length) return false;
		await this.sequelize.query(`UPDATE ${this.problems} SET solved_count = solved_count + 1 WHERE id = $1`, {
			bind: [problemId],
			transaction
		});
		return true;
	}

	/** After a rejudge: the user keeps the problem solved only while an accepted submission of it remains. */
	async unmarkUnlessAccepted(userId: string, problemId: string, transaction: Transaction): Promise<void> {
		await this.sequelize.query(
			`WITH gone AS (
				DELETE FROM ${this.solved} s WHERE s.user_id = $1 AND s.problem_id = $2 AND NOT EXISTS (
					SELECT 1 FROM ${this.submissions} x
					WHERE x.user_id = $1 AND x.problem_id = $2 AND x.status = 'done' AND x.verdict = 'AC')
				RETURNING problem_id)
			 UPDATE ${this.problems} p SET solved_count = solved_count - 1 FROM gone WHERE p.id = gone.problem_id`,
			{ bind: [userId, problemId], transaction }
		);
	}

	/** A deleted account leaves no solves behind: the counts drop with them. */
	async forgetUser(userId: string, transaction: Transaction): Promise<void> {
		await this.sequelize.query(
			`WITH gone AS (DELETE FROM ${this.solved} WHERE user_id = $1 RETURNING problem_id)
			 UPDATE ${this.problems} p SET solved_count = solved_count - 1 FROM gone WHERE p.id = gone.problem_id`,
			{ bind: [userId], transaction }
		);
	}
}
