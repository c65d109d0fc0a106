import { randomUUID } from "node:crypto";
import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { ContestModel } from "./contests.model";
import type { TeamRef, TeamView } from "./teams.types";

interface TeamRow {
	id: string;
	group_id: string;
	name: string;
	registered_at: Date;
	member_ids: string[];
}

/** Teams whose members are known once they started: a person's team is fixed from the start on. */
const REMEMBERED = 20_000;

const toRef = (r: TeamRow): TeamRef => ({ id: r.id, name: r.name, members: r.member_ids.map(userId => ({ userId })) });
const toView = (r: TeamRow): TeamView => ({
	...toRef(r),
	groupId: r.group_id,
	registeredAt: new Date(r.registered_at).toISOString()
});

/** What a board needs of a team contest's teams: their rows' names and members, and who is in which. */
export interface Rosters {
	refs(contestId: string, teamIds: string[]): Promise<Map<string, TeamRef>>;
	members(contestId: string, transaction?: Transaction): Promise<Map<string, string[]>>;
}

/**
 * Teams of team contests, in SQL. A team competes as a participant keyed by its id (the
 * competitor id), beside its members (migration 0005).
 */
export class TeamStore implements Rosters {
	private readonly t: Record<"contests" | "participants" | "teams" | "members" | "submissions", string>;
	/** `contestId:userId` → team id, for started contests only. */
	private readonly teamOfMemo = new Map<string, string>();

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.t = {
			contests: `"${schema}".contests`,
			participants: `"${schema}".participants`,
			teams: `"${schema}".teams`,
			members: `"${schema}".team_members`,
			submissions: `"${schema}".submissions`
		};
	}

	private select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	/** Teams with their members (in registration order), off-board (emptied) teams left out. */
	private teams(where: string, bind: unknown[], tail = "", transaction?: Transaction): Promise<TeamRow[]> {
		return this.select<TeamRow>(
			`SELECT t.id, t.group_id, t.name, t.registered_at,
				array(SELECT m.user_id FROM ${this.t.members} m WHERE m.team_id = t.id ORDER BY m.position) AS member_ids
			 FROM ${this.t.teams} t
			 JOIN ${this.t.participants} p ON p.contest_id = t.contest_id AND p.user_id = t.id AND NOT p.anonymised
			 WHERE ${where} ${tail}`,
			bind,
			transaction
		);
	}

	/**
	 * Registers a team: its board entry, the team and its members. Throws nothing itself: answers
	 * which rule a concurrent registration won (the name, or members already in a team).
	 */
	async register(
		transaction: Transaction,
		team: { contestId: string; groupId: string; name: string; memberIds: string[]; at: Date }
	): Promise<{ team: TeamView } | { nameTaken: true } | { inTeams: string[] }> {
		const id = randomUUID();
		await this.select(
			`INSERT INTO ${this.t.participants} (contest_id, user_id, registered_at) VALUES ($1, $2, $3) RETURNING user_id`,
			[team.contestId, id, team.at],
			transaction
		);
		const named = await this.select(
			`INSERT INTO ${this.t.teams} (id, contest_id, group_id, name, registered_at) VALUES ($1, $2, $3, $4, $5)
			 ON CONFLICT DO NOTHING RETURNING id`,
			[id, team.contestId, team.groupId, team.name, team.at],
			transaction
		);
		if (!named.length) return { nameTaken: true };
		// A member in another team, committed or not: ON CONFLICT waits for that one's outcome. In
		// id order, so that two registrations sharing members wait for each other without a deadlock.
		const added = await this.select<{ user_id: string }>(
			`INSERT INTO ${this.t.members} (contest_id, team_id, user_id, position)
			 SELECT $1, $2, m.user_id, m.position FROM unnest($3::uuid[]) WITH ORDINALITY AS m(user_id, position) ORDER BY m.user_id
			 ON CONFLICT DO NOTHING RETURNING user_id`,
			[team.contestId, id, team.memberIds],
			transaction
		);
		if (added.length < team.memberIds.length) {
			const kept = new Set(added.map(r => r.user_id));
			return { inTeams: team.memberIds.filter(userId => !kept.has(userId)) };
		}
		const [row] = await this.teams("t.id = $1", [id], "", transaction);
		return { team: toView(row) };
	}

	async page(contestId: string, page: number, pageSize: number): Promise<{ rows: TeamView[]; total: number }> {
		const [rows, [{ total }]] = await Promise.all([
			this.teams(
				"t.contest_id = $1",
				[contestId, pageSize, (page - 1) * pageSize],
				"ORDER BY t.registered_at, lower(t.name), t.id LIMIT $2 OFFSET $3"
			),
			this.select<{ total: string }>(
				`SELECT count(*) AS total FROM ${this.t.teams} t
				 JOIN ${this.t.participants} p ON p.contest_id = t.contest_id AND p.user_id = t.id AND NOT p.anonymised
				 WHERE t.contest_id = $1`,
				[contestId]
			)
		]);
		return { rows: rows.map(toView), total: Number(total) };
	}

	async find(contestId: string, teamId: string): Promise<TeamView | undefined> {
		const [row] = await this.teams("t.contest_id = $1 AND t.id = $2", [contestId, teamId]);
		return row && toView(row);
	}

	async refs(contestId: string, teamIds: string[]): Promise<Map<string, TeamRef>> {
		if (!teamIds.length) return new Map();
		const rows = await this.teams("t.contest_id = $1 AND t.id = ANY($2::uuid[])", [contestId, teamIds]);
		return new Map(rows.map(r => [r.id, toRef(r)]));
	}

	/** Every team's members, by team id. */
	async members(contestId: string, transaction?: Transaction): Promise<Map<string, string[]>> {
		const rows = await this.select<{ team_id: string; user_id: string }>(
			`SELECT team_id, user_id FROM ${this.t.members} WHERE contest_id = $1 ORDER BY team_id, position`,
			[contestId],
			transaction
		);
		const teams = new Map<string, string[]>();
		for (const r of rows) teams.set(r.team_id, [...(teams.get(r.team_id) ?? []), r.user_id]);
		return teams;
	}

	/** The user's team in the contest, with its group. */
	async teamOf(contestId: string, userId: string): Promise<{ id: string; groupId: string } | undefined> {
		const [row] = await this.select<{ id: string; group_id: string }>(
			`SELECT t.id, t.group_id FROM ${this.t.members} m JOIN ${this.t.teams} t ON t.id = m.team_id
			 WHERE m.contest_id = $1 AND m.user_id = $2`,
			[contestId, userId]
		);
		return row && { id: row.id, groupId: row.group_id };
	}

	/** The user's team id, remembered once the contest started (reads of a busy board then do no SQL for it). */
	async teamIdOf(contest: ContestModel, userId: string): Promise<string | undefined> {
		const key = `${contest.id}:${userId}`;
		const known = this.teamOfMemo.get(key);
		if (known) return known;
		const team = await this.teamOf(contest.id, userId);
		if (team && contest.startedEventAt) {
			this.teamOfMemo.set(key, team.id);
			for (const [oldest] of this.teamOfMemo) {
				if (this.teamOfMemo.size <= REMEMBERED) break;
				this.teamOfMemo.delete(oldest);
			}
		}
		return team?.id;
	}

	/** How many have registered (teams or people, emptied teams too), and the largest team's size. */
	async registrations(transaction: Transaction, contestId: string): Promise<{ registered: number; largest: number }> {
		const [row] = await this.select<{ registered: string; largest: string }>(
			`SELECT (SELECT count(*) FROM ${this.t.participants} WHERE contest_id = $1) AS registered,
				(SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM ${this.t.members} WHERE contest_id = $1 GROUP BY team_id) s) AS largest`,
			[contestId],
			transaction
		);
		return { registered: Number(row.registered), largest: Number(row.largest) };
	}

	/** Withdraws a team (its board entry, the team, its members); false if it was not there. */
	async withdraw(transaction: Transaction, contestId: string, teamId: string): Promise<boolean> {
		const rows = await this.select(
			`DELETE FROM ${this.t.participants} WHERE contest_id = $1 AND user_id = $2 RETURNING user_id`,
			[contestId, teamId],
			transaction
		);
		return rows.length > 0;
	}

	/**
	 * The group is gone: its teams leave the contests that have not started (under their rows'
	 * share lock, as a withdrawal: the scheduler's start skips them meanwhile). Those it left.
	 */
	async withdrawGroup(transaction: Transaction, groupId: string, now: Date): Promise<{ contestId: string; teamId: string }[]> {
		const upcoming = await this.select<{ id: string }>(
			`SELECT c.id FROM ${this.t.contests} c
			 WHERE c.id IN (SELECT contest_id FROM ${this.t.teams} WHERE group_id = $1)
				AND c.cancelled_at IS NULL AND c.started_event_at IS NULL AND c.starts_at > $2
			 FOR SHARE`,
			[groupId, now],
			transaction
		);
		if (!upcoming.length) return [];
		const rows = await this.select<{ contest_id: string; user_id: string }>(
			`DELETE FROM ${this.t.participants} p USING ${this.t.teams} t
			 WHERE t.group_id = $1 AND t.contest_id = ANY($2::uuid[]) AND p.contest_id = t.contest_id AND p.user_id = t.id
			 RETURNING p.contest_id, p.user_id`,
			[groupId, upcoming.map(c => c.id)],
			transaction
		);
		return rows.map(r => ({ contestId: r.contest_id, teamId: r.user_id }));
	}

	/**
	 * The user's account is gone: they leave every team, and their name leaves the submissions they
	 * made for one. A team left without members leaves the boards and the counts (its entry is
	 * anonymised, as a deleted person's is), its submissions kept. The teams it touched, by contest.
	 */
	async forgetMember(transaction: Transaction, userId: string): Promise<{ contestId: string; teamId: string; emptied: boolean }[]> {
		const left = await this.select<{ contest_id: string; team_id: string }>(
			`DELETE FROM ${this.t.members} WHERE user_id = $1 RETURNING contest_id, team_id`,
			[userId],
			transaction
		);
		await this.select(
			`UPDATE ${this.t.submissions} SET submitted_by = NULL WHERE submitted_by = $1 RETURNING id`,
			[userId],
			transaction
		);
		if (!left.length) return [];
		const emptied = await this.select<{ user_id: string }>(
			`UPDATE ${this.t.participants} p SET anonymised = true
			 WHERE p.user_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM ${this.t.members} m WHERE m.team_id = p.user_id)
			 RETURNING user_id`,
			[left.map(l => l.team_id)],
			transaction
		);
		const gone = new Set(emptied.map(e => e.user_id));
		return left.map(l => ({ contestId: l.contest_id, teamId: l.team_id, emptied: gone.has(l.team_id) }));
	}
}
