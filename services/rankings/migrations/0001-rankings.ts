import type { Migration } from "../../../mixins/db/migrate";

/** What the boards are derived from: players, group memberships, ended contests and ratings, the archive's solves. */
export const rankings: Migration = {
	name: "0001-rankings",
	async up({ context: { query, schema } }) {
		// One row per known user: what every board shows of them. `username` is null until `user.created` arrives.
		await query(`
			CREATE TABLE "${schema}".players (
				user_id uuid PRIMARY KEY,
				username varchar(32),
				rating integer,
				solved integer NOT NULL DEFAULT 0,
				updated_at timestamptz NOT NULL DEFAULT now()
			)`);
		// Deleted accounts: a late event about one of them creates nothing again.
		await query(`
			CREATE TABLE "${schema}".deleted_users (
				user_id uuid PRIMARY KEY,
				deleted_at timestamptz NOT NULL DEFAULT now()
			)`);

		// Kept after a leave (member = false): an older event never undoes a newer one.
		await query(`
			CREATE TABLE "${schema}".group_members (
				group_id uuid NOT NULL,
				user_id uuid NOT NULL,
				member boolean NOT NULL,
				changed_at timestamptz NOT NULL,
				PRIMARY KEY (group_id, user_id)
			)`);
		await query(`CREATE INDEX group_members_user_idx ON "${schema}".group_members (user_id) WHERE member`);
		await query(`
			CREATE TABLE "${schema}".deleted_groups (
				group_id uuid PRIMARY KEY,
				deleted_at timestamptz NOT NULL DEFAULT now()
			)`);

		// The once-per-contest guard: recording (and rating) an ended contest starts by inserting its row here.
		await query(`
			CREATE TABLE "${schema}".ended_contests (
				contest_id uuid PRIMARY KEY,
				title varchar(200) NOT NULL,
				ended_at timestamptz NOT NULL,
				participants integer NOT NULL,
				rated boolean NOT NULL,
				recorded_at timestamptz NOT NULL DEFAULT now()
			)`);
		// Every participant's place (a profile's contest history), and in a rated contest their rating before and
		// after. `seq`: the order of recording, which a user's chain of changes follows (contests ending together are
		// rated in turn).
		await query(`
			CREATE TABLE "${schema}".contest_results (
				seq bigint GENERATED ALWAYS AS IDENTITY,
				user_id uuid NOT NULL,
				contest_id uuid NOT NULL REFERENCES "${schema}".ended_contests (contest_id),
				place integer NOT NULL,
				rating_before integer,
				rating_after integer,
				PRIMARY KEY (user_id, contest_id)
			)`);

		// The practice archive's problems, and per submission its latest judgement: rows only for
		// accepted verdicts and for rejudges (judgement > 1), so that a first wrong answer costs nothing.
		await query(`
			CREATE TABLE "${schema}".archive_problems (
				problem_id uuid PRIMARY KEY,
				published_at timestamptz NOT NULL DEFAULT now()
			)`);
		await query(`
			CREATE TABLE "${schema}".judged_submissions (
				submission_id uuid PRIMARY KEY,
				user_id uuid NOT NULL,
				problem_id uuid NOT NULL,
				judgement integer NOT NULL,
				accepted boolean NOT NULL
			)`);
		await query(`CREATE INDEX judged_submissions_user_idx ON "${schema}".judged_submissions (user_id) WHERE accepted`);
		await query(`CREATE INDEX judged_submissions_problem_idx ON "${schema}".judged_submissions (problem_id) WHERE accepted`);
	}
};
