import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { GroupRole, MemberView, PendingView } from "./groups.types";

interface MemberRow {
	user_id: string;
	role: GroupRole;
	joined_at: Date;
}

interface PendingRow {
	group_id: string;
	user_id: string;
	created_at: Date;
	invited_by?: string;
}

export const toMember = (r: MemberRow): MemberView => ({ userId: r.user_id, role: r.role, joinedAt: new Date(r.joined_at).toISOString() });
const toPending = (r: PendingRow): PendingView => ({
	userId: r.user_id,
	createdAt: new Date(r.created_at).toISOString(),
	...(r.invited_by ? { invitedBy: r.invited_by } : {})
});

/** Owners first, then admins, then members; the longest-standing first within each. */
const BY_RANK = "CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, joined_at, user_id";

/**
 * Memberships, join requests and invitations of groups, in SQL. Every change runs in the
 * caller's transaction, after the caller locked the group row (`FOR UPDATE`): changes to one
 * group are serialised, so checks such as "the last owner" hold when the change commits.
 */
export class Memberships {
	private readonly members: string;
	private readonly requests: string;
	private readonly invitations: string;
	private readonly groups: string;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.members = `"${schema}".memberships`;
		this.requests = `"${schema}".join_requests`;
		this.invitations = `"${schema}".invitations`;
		this.groups = `"${schema}".groups`;
	}

	private select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	private async count(sql: string, bind: unknown[], transaction?: Transaction): Promise<number> {
		const [row] = await this.select<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, bind, transaction);
		return Number(row.n);
	}

	// --- Reads ---

	async roleOf(groupId: string, userId: string | null, transaction?: Transaction): Promise<GroupRole | null> {
		if (!userId) return null;
		const [row] = await this.select<MemberRow>(
			`SELECT role FROM ${this.members} WHERE group_id = $1 AND user_id = $2`,
			[groupId, userId],
			transaction
		);
		return row?.role ?? null;
	}

	async hasPending(
		kind: "requests" | "invitations",
		groupId: string,
		userId: string | null,
		transaction?: Transaction
	): Promise<boolean> {
		if (!userId) return false;
		return (await this.count(`${this[kind]} WHERE group_id = $1 AND user_id = $2`, [groupId, userId], transaction)) > 0;
	}

	/** The caller's role in each of these groups. */
	async rolesOf(userId: string | null, groupIds: string[]): Promise<Map<string, GroupRole>> {
		if (!userId || !groupIds.length) return new Map();
		const rows = await this.select<{ group_id: string; role: GroupRole }>(
			`SELECT group_id, role FROM ${this.members} WHERE user_id = $1 AND group_id = ANY($2::uuid[])`,
			[userId, groupIds]
		);
		return new Map(rows.map(r => [r.group_id, r.role]));
	}

	async ownersOf(groupIds: string[], transaction?: Transaction): Promise<Map<string, string[]>> {
		const owners = new Map<string, string[]>(groupIds.map(id => [id, []]));
		if (!groupIds.length) return owners;
		const rows = await this.select<{ group_id: string; user_id: string }>(
			`SELECT group_id, user_id FROM ${this.members} WHERE role = 'owner' AND group_id = ANY($1::uuid[]) ORDER BY joined_at`,
			[groupIds],
			transaction
		);
		for (const r of rows) owners.get(r.group_id)!.push(r.user_id);
		return owners;
	}

	/** The members with these roles (all by default). */
	async memberIds(groupId: string, roles: GroupRole[] = ["owner", "admin", "member"], transaction?: Transaction): Promise<string[]> {
		const rows = await this.select<MemberRow>(
			`SELECT user_id FROM ${this.members} WHERE group_id = $1 AND role = ANY($2::text[])`,
			[groupId, roles],
			transaction
		);
		return rows.map(r => r.user_id);
	}

	async listMembers(groupId: string, page: number, pageSize: number): Promise<{ rows: MemberView[]; total: number }> {
		const [rows, total] = await Promise.all([
			this.select<MemberRow>(
				`SELECT user_id, role, joined_at FROM ${this.members} WHERE group_id = $1 ORDER BY ${BY_RANK} LIMIT $2 OFFSET $3`,
				[groupId, pageSize, (page - 1) * pageSize]
			),
			this.count(`${this.members} WHERE group_id = $1`, [groupId])
		]);
		return { rows: rows.map(toMember), total };
	}

	async listPending(
		kind: "requests" | "invitations",
		groupId: string,
		page: number,
		pageSize: number
	): Promise<{ rows: PendingView[]; total: number }> {
		const table = this[kind];
		const [rows, total] = await Promise.all([
			this.select<PendingRow>(`SELECT * FROM ${table} WHERE group_id = $1 ORDER BY created_at, user_id LIMIT $2 OFFSET $3`, [
				groupId,
				pageSize,
				(page - 1) * pageSize
			]),
			this.count(`${table} WHERE group_id = $1`, [groupId])
		]);
		return { rows: rows.map(toPending), total };
	}

	/** A user's pending invitations, newest first. */
	async invitationsOf(
		userId: string,
		page: number,
		pageSize: number
	): Promise<{ rows: (PendingView & { groupId: string; invitedBy: string })[]; total: number }> {
		const [rows, total] = await Promise.all([
			// invited_by is NOT NULL on invitations.
			this.select<PendingRow & { invited_by: string }>(
				`SELECT * FROM ${this.invitations} WHERE user_id = $1 ORDER BY created_at DESC, group_id LIMIT $2 OFFSET $3`,
				[userId, pageSize, (page - 1) * pageSize]
			),
			this.count(`${this.invitations} WHERE user_id = $1`, [userId])
		]);
		return { rows: rows.map(r => ({ ...toPending(r), groupId: r.group_id, invitedBy: r.invited_by })), total };
	}

	// --- Changes (in the caller's transaction, the group row locked) ---

	/** Adds the member, counts them, and consumes their request and invitation. */
	async add(transaction: Transaction, groupId: string, userId: string, role: GroupRole): Promise<MemberView> {
		const [row] = await this.select<MemberRow>(
			`INSERT INTO ${this.members} (group_id, user_id, role) VALUES ($1, $2, $3) RETURNING user_id, role, joined_at`,
			[groupId, userId, role],
			transaction
		);
		await this.adjustCount(transaction, groupId, +1);
		await this.withdraw(transaction, groupId, userId);
		return toMember(row);
	}

	/** Removes the member; false if they were none. */
	async remove(transaction: Transaction, groupId: string, userId: string): Promise<boolean> {
		const rows = await this.select(
			`DELETE FROM ${this.members} WHERE group_id = $1 AND user_id = $2 RETURNING user_id`,
			[groupId, userId],
			transaction
		);
		if (rows.length) await this.adjustCount(transaction, groupId, -1);
		return rows.length > 0;
	}

	async setRole(transaction: Transaction, groupId: string, userId: string, role: GroupRole): Promise<MemberView> {
		const [row] = await this.select<MemberRow>(
			`UPDATE ${this.members} SET role = $3 WHERE group_id = $1 AND user_id = $2 RETURNING user_id, role, joined_at`,
			[groupId, userId, role],
			transaction
		);
		return toMember(row);
	}

	async ownerCount(transaction: Transaction, groupId: string): Promise<number> {
		return this.count(`${this.members} WHERE group_id = $1 AND role = 'owner'`, [groupId], transaction);
	}

	/** Who inherits a group whose last owner left: the longest-standing admin, else member. */
	async successor(transaction: Transaction, groupId: string): Promise<MemberView | null> {
		const [row] = await this.select<MemberRow>(
			`SELECT * FROM ${this.members} WHERE group_id = $1 ORDER BY ${BY_RANK} LIMIT 1`,
			[groupId],
			transaction
		);
		return row ? toMember(row) : null;
	}

	async addPending(kind: "requests", transaction: Transaction, groupId: string, userId: string): Promise<PendingView>;
	async addPending(
		kind: "invitations",
		transaction: Transaction,
		groupId: string,
		userId: string,
		invitedBy: string
	): Promise<PendingView>;
	async addPending(
		kind: "requests" | "invitations",
		transaction: Transaction,
		groupId: string,
		userId: string,
		invitedBy?: string
	): Promise<PendingView> {
		const [row] =
			kind === "requests"
				? await this.select<PendingRow>(
						`INSERT INTO ${this.requests} (group_id, user_id) VALUES ($1, $2) RETURNING *`,
						[groupId, userId],
						transaction
					)
				: await this.select<PendingRow>(
						`INSERT INTO ${this.invitations} (group_id, user_id, invited_by) VALUES ($1, $2, $3) RETURNING *`,
						[groupId, userId, invitedBy],
						transaction
					);
		return toPending(row);
	}

	/** Deletes a pending request or invitation; false if there was none. */
	async deletePending(kind: "requests" | "invitations", transaction: Transaction, groupId: string, userId: string): Promise<boolean> {
		const rows = await this.select(
			`DELETE FROM ${this[kind]} WHERE group_id = $1 AND user_id = $2 RETURNING user_id`,
			[groupId, userId],
			transaction
		);
		return rows.length > 0;
	}

	/** The groups a user belongs to, in a fixed order so that concurrent clean-ups lock alike. */
	async groupsOf(transaction: Transaction, userId: string): Promise<string[]> {
		const rows = await this.select<{ group_id: string }>(
			`SELECT group_id FROM ${this.members} WHERE user_id = $1 ORDER BY group_id`,
			[userId],
			transaction
		);
		return rows.map(r => r.group_id);
	}

	/** Drops every request and invitation of a user; the groups they concerned. */
	async forgetPendingOf(transaction: Transaction, userId: string): Promise<string[]> {
		const rows = await this.select<{ group_id: string }>(
			`WITH r AS (DELETE FROM ${this.requests} WHERE user_id = $1 RETURNING group_id),
			      i AS (DELETE FROM ${this.invitations} WHERE user_id = $1 RETURNING group_id)
			 SELECT group_id FROM r UNION SELECT group_id FROM i`,
			[userId],
			transaction
		);
		return rows.map(r => r.group_id);
	}

	private async withdraw(transaction: Transaction, groupId: string, userId: string) {
		await this.deletePending("requests", transaction, groupId, userId);
		await this.deletePending("invitations", transaction, groupId, userId);
	}

	private async adjustCount(transaction: Transaction, groupId: string, by: number) {
		await this.sequelize.query(`UPDATE ${this.groups} SET member_count = member_count + $2 WHERE id = $1`, {
			bind: [groupId, by],
			transaction
		});
	}
}
