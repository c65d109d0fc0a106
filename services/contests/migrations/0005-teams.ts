import type { Migration } from "../../../mixins/db/migrate";

/**
 * Team contests. A team is on the board as a participant keyed by the team's id (the competitor),
 * so boards, submissions and throttling work unchanged; its members are listed beside it, one team
 * per person per contest (the primary key: concurrent registrations cannot both win).
 */
export const teams: Migration = {
	name: "0005-teams",
	async up({ context: { query, schema } }) {
		// Null: an individual contest. Ratings are per person: a team contest is never rated.
		await query(`ALTER TABLE "${schema}".contests ADD COLUMN team_max_size integer CHECK (team_max_size BETWEEN 1 AND 10)`);
		await query(
			`ALTER TABLE "${schema}".contests ADD CONSTRAINT contests_rated_teams CHECK (NOT (rated AND team_max_size IS NOT NULL))`
		);
		await query(`
			CREATE TABLE "${schema}".teams (
				id uuid PRIMARY KEY,
				contest_id uuid NOT NULL,
				group_id uuid NOT NULL,
				name varchar(100) NOT NULL,
				registered_at timestamptz NOT NULL,
				UNIQUE (contest_id, id),
				FOREIGN KEY (contest_id, id) REFERENCES "${schema}".participants (contest_id, user_id) ON DELETE CASCADE
			)`);
		await query(`CREATE UNIQUE INDEX teams_name_idx ON "${schema}".teams (contest_id, lower(name))`);
		await query(`
			CREATE TABLE "${schema}".team_members (
				contest_id uuid NOT NULL,
				team_id uuid NOT NULL,
				user_id uuid NOT NULL,
				position smallint NOT NULL,
				PRIMARY KEY (contest_id, user_id),
				FOREIGN KEY (contest_id, team_id) REFERENCES "${schema}".teams (contest_id, id) ON DELETE CASCADE
			)`);
		await query(`CREATE INDEX team_members_team_idx ON "${schema}".team_members (team_id, position)`);
		await query(`CREATE INDEX team_members_user_idx ON "${schema}".team_members (user_id)`);
		// In a team contest: the member who submitted for the team (null once their account is gone).
		await query(`ALTER TABLE "${schema}".submissions ADD COLUMN submitted_by uuid`);
	}
};
