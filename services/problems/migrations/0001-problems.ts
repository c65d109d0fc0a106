import type { Migration } from "../../../mixins/db/migrate";

export const problemsTestsSubmissions: Migration = {
	name: "0001-problems-tests-submissions",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".problems (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				title varchar(200) NOT NULL,
				statement text NOT NULL,
				statement_html text NOT NULL,
				status varchar(10) NOT NULL CHECK (status IN ('draft', 'published')),
				author_id uuid NOT NULL,
				time_limit_ms integer NOT NULL CHECK (time_limit_ms BETWEEN 100 AND 10000),
				memory_limit_mb integer NOT NULL CHECK (memory_limit_mb BETWEEN 16 AND 512),
				output_limit_kb integer NOT NULL CHECK (output_limit_kb BETWEEN 1 AND 16384),
				-- The checker as given (a custom one with its source); readers see its kind only.
				checker jsonb NOT NULL,
				scoring varchar(16) NOT NULL CHECK (scoring IN ('all-or-nothing', 'partial')),
				batches jsonb NOT NULL DEFAULT '[]',
				tags text[] NOT NULL DEFAULT '{}',
				difficulty varchar(8) NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
				-- A contest's problem: judged for the contest, kept out of the archive.
				contest_id uuid,
				-- Bumped whenever the tests change: a judge judges with the version its claim named.
				tests_version integer NOT NULL DEFAULT 1,
				test_count integer NOT NULL,
				solved_count integer NOT NULL DEFAULT 0,
				published_at timestamptz,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now()
			)`);
		await query(`CREATE INDEX problems_archive_idx ON "${schema}".problems (published_at DESC, id) WHERE status = 'published'`);
		await query(`CREATE INDEX problems_tags_idx ON "${schema}".problems USING gin (tags) WHERE status = 'published'`);
		await query(`CREATE INDEX problems_author_idx ON "${schema}".problems (author_id)`);

		await query(`
			CREATE TABLE "${schema}".problem_tests (
				problem_id uuid NOT NULL REFERENCES "${schema}".problems (id) ON DELETE CASCADE,
				ordinal integer NOT NULL,
				input text NOT NULL,
				output text NOT NULL,
				sample boolean NOT NULL DEFAULT false,
				pretest boolean NOT NULL DEFAULT false,
				batch integer,
				PRIMARY KEY (problem_id, ordinal)
			)`);

		await query(`
			CREATE TABLE "${schema}".submissions (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				problem_id uuid NOT NULL REFERENCES "${schema}".problems (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				language varchar(16) NOT NULL,
				source text NOT NULL,
				contest_id uuid,
				status varchar(10) NOT NULL CHECK (status IN ('queued', 'compiling', 'running', 'done')),
				verdict varchar(3),
				score integer,
				progress jsonb,
				tests jsonb NOT NULL DEFAULT '[]',
				compile_message text,
				-- Each claim by a judge adds one; reports from an older attempt are ignored.
				attempts integer NOT NULL DEFAULT 0,
				-- 1 for the first judgement; a rejudge adds one, so consumers tell a new verdict from a redelivered one.
				judgement integer NOT NULL DEFAULT 1,
				-- attempts when this judgement began: a judgement gives up after MAX_JUDGING_ATTEMPTS of its own.
				attempts_before integer NOT NULL DEFAULT 0,
				created_at timestamptz NOT NULL DEFAULT now(),
				judged_at timestamptz
			)`);
		await query(`CREATE INDEX submissions_user_problem_idx ON "${schema}".submissions (user_id, problem_id, created_at DESC)`);
		await query(`CREATE INDEX submissions_problem_idx ON "${schema}".submissions (problem_id)`);
		await query(`CREATE INDEX submissions_unfinished_idx ON "${schema}".submissions (user_id) WHERE status <> 'done'`);

		await query(`
			CREATE TABLE "${schema}".solved (
				user_id uuid NOT NULL,
				problem_id uuid NOT NULL REFERENCES "${schema}".problems (id) ON DELETE CASCADE,
				solved_at timestamptz NOT NULL DEFAULT now(),
				PRIMARY KEY (user_id, problem_id)
			)`);
	}
};
