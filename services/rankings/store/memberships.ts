import type { Transaction } from "sequelize";
import type { Player } from "../boards";
import { COLUMNS, type PlayerRecord, toPlayer } from "./players";
import type { Sql } from "./sql";

/**
 * Who is in which group, as the groups service's events say. The inbox applies only the latest
 * event of each membership (`latestWins`), so events delivered out of order (replicas, retries)
 * converge; a leave is kept as a row (not a member), and deleted groups are remembered, so that
 * a late event cannot revive either.
 */
export class Memberships {
	constructor(private readonly sql: Sql) {}

	/** A join (`member`) or a leave, unless the group is deleted; whether it applied. */
	async set(groupId: string, userId: string, member: boolean, transaction: Transaction): Promise<boolean> {
		const { t } = this.sql;
		const rows = await this.sql.select<{ member: boolean }>(
			`INSERT INTO ${t.members} AS m (group_id, user_id, member, changed_at)
			 SELECT $1::uuid, $2::uuid, $3::boolean, now() WHERE NOT EXISTS (SELECT 1 FROM ${t.deletedGroups} WHERE group_id = $1::uuid)
			 ON CONFLICT (group_id, user_id) DO UPDATE SET member = EXCLUDED.member, changed_at = EXCLUDED.changed_at
			 RETURNING member`,
			[groupId, userId, member],
			transaction
		);
		return rows.length > 0;
	}

	/** The groups each of these users is a member of (deleted groups left out). */
	async groupsOf(userIds: readonly string[], transaction: Transaction): Promise<Map<string, string[]>> {
		const { t } = this.sql;
		const rows = await this.sql.select<{ user_id: string; group_id: string }>(
			`SELECT m.user_id, m.group_id FROM ${t.members} m
			 WHERE m.user_id = ANY($1::uuid[]) AND m.member
			 AND NOT EXISTS (SELECT 1 FROM ${t.deletedGroups} d WHERE d.group_id = m.group_id)`,
			[userIds],
			transaction
		);
		const groups = new Map<string, string[]>(userIds.map(id => [id, []]));
		for (const r of rows) groups.get(r.user_id)?.push(r.group_id);
		return groups;
	}

	/** For a group board's rebuild: its members as players; null if the group was deleted. */
	async members(groupId: string, transaction: Transaction): Promise<Player[] | null> {
		const { t } = this.sql;
		const [gone] = await this.sql.select(`SELECT 1 FROM ${t.deletedGroups} WHERE group_id = $1`, [groupId], transaction);
		if (gone) return null;
		const rows = await this.sql.select<PlayerRecord>(
			`SELECT ${COLUMNS} FROM ${t.players} WHERE user_id IN (SELECT user_id FROM ${t.members} WHERE group_id = $1 AND member)`,
			[groupId],
			transaction
		);
		return rows.map(toPlayer);
	}

	/** The group is gone: remembered as deleted, its memberships dropped. */
	async dropGroup(groupId: string, transaction: Transaction): Promise<void> {
		const { t } = this.sql;
		await this.sql.run(`INSERT INTO ${t.deletedGroups} (group_id) VALUES ($1) ON CONFLICT DO NOTHING`, [groupId], transaction);
		await this.sql.run(`DELETE FROM ${t.members} WHERE group_id = $1`, [groupId], transaction);
	}

	/** The account is gone: its memberships dropped; the groups it was in. */
	async forgetUser(userId: string, transaction: Transaction): Promise<string[]> {
		const rows = await this.sql.select<{ group_id: string; member: boolean }>(
			`DELETE FROM ${this.sql.t.members} WHERE user_id = $1 RETURNING group_id, member`,
			[userId],
			transaction
		);
		return rows.filter(r => r.member).map(r => r.group_id);
	}
}
