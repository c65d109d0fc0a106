import type { Migration } from "../../../mixins/db/migrate";

export const contestsProblemsSubmissions: Migration = {
	name: "0001-contests-problems-submissions",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".contests (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				title varchar(200) NOT NULL,
				description text NOT NULL DEFAULT '',
				starts_at timestamptz NOT NULL,
				ends_at timestamptz NOT NULL,
				scoring varchar(8) NOT NULL CHECK (scoring IN ('icpc', 'points')),
				group_id uuid,
				freeze_minutes integer CHECK (freeze_minutes > 0),
				organiser_id uuid NOT NULL,
				-- Set once, by whichever replica claims the transition first: each event is emitted once.
				started_event_at timestamptz,
				ended_event_at timestamptz,
				cancelled_at timestamptz,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now(),
				CHECK (ends_at > starts_at)
			)`);
		await query(`CREATE INDEX contests_schedule_idx ON "${schema}".contests (starts_at, ends_at) WHERE cancelled_at IS NULL`);
		await query(`CREATE INDEX contests_group_idx ON "${schema}".contests (group_id) WHERE group_id IS NOT NULL`);

		// answer_hash: HMAC-SHA256 of the normalised answer; the answer itself is never stored.
		await query(`
			CREATE TABLE "${schema}".problems (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				contest_id uuid NOT NULL REFERENCES "${schema}".contests (id) ON DELETE CASCADE,
				position integer NOT NULL,
				title varchar(200) NOT NULL,
				statement text NOT NULL,
				statement_html text NOT NULL,
				points integer NOT NULL CHECK (points BETWEEN 1 AND 10000),
				case_sensitive boolean NOT NULL DEFAULT false,
				answer_hash char(64) NOT NULL,
				created_at timestamptz NOT NULL DEFAULT now(),
				UNIQUE (contest_id, position)
			)`);

		await query(`
			CREATE TABLE "${schema}".participants (
				contest_id uuid NOT NULL REFERENCES "${schema}".contests (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				registered_at timestamptz NOT NULL,
				-- The account was deleted: kept for the counts, out of the leaderboard.
				anonymised boolean NOT NULL DEFAULT false,
				PRIMARY KEY (contest_id, user_id)
			)`);
		await query(`CREATE INDEX participants_user_idx ON "${schema}".participants (user_id)`);

		await query(`
			CREATE TABLE "${schema}".submissions (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				contest_id uuid NOT NULL,
				problem_id uuid NOT NULL REFERENCES "${schema}".problems (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				verdict varchar(8) NOT NULL CHECK (verdict IN ('accepted', 'wrong')),
				scored boolean NOT NULL,
				submitted_at timestamptz NOT NULL,
				FOREIGN KEY (contest_id, user_id) REFERENCES "${schema}".participants (contest_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE
			)`);
		await query(`CREATE INDEX submissions_history_idx ON "${schema}".submissions (contest_id, user_id, submitted_at)`);
		await query(`CREATE INDEX submissions_throttle_idx ON "${schema}".submissions (user_id, problem_id, submitted_at DESC)`);
	}
};
