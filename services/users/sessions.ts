import { createHash, randomBytes } from "node:crypto";
import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { Role } from "../../lib/auth-types";

export interface IssuedSession {
	sessionId: string;
	refreshToken: string;
}

export type RotationResult =
	| { outcome: "rotated"; sessionId: string; userId: string; role: Role; refreshToken: string }
	| { outcome: "reused"; sessionId: string }
	| { outcome: "invalid" };

/** Only a hash is stored: a database leak yields no usable refresh token. */
function hashToken(token: string): string {
	return createHash("sha256").update(token).digest("hex");
}

function newToken(): string {
	return randomBytes(32).toString("base64url");
}

/**
 * Sessions and their rotating refresh tokens, in the users schema. Every query inside a
 * transaction is given that transaction (required by the one-session embedded database).
 */
export class SessionStore {
	constructor(
		private readonly sequelize: Sequelize,
		private readonly schema: string,
		private readonly ttlS: number
	) {}

	private async rows<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	private async issueToken(sessionId: string, transaction?: Transaction): Promise<string> {
		const token = newToken();
		await this.sequelize.query(`INSERT INTO "${this.schema}".refresh_tokens (token_hash, session_id) VALUES ($1, $2)`, {
			bind: [hashToken(token), sessionId],
			transaction
		});
		return token;
	}

	async create(userId: string, transaction?: Transaction): Promise<IssuedSession> {
		const [session] = await this.rows<{ id: string }>(
			`INSERT INTO "${this.schema}".sessions (user_id, expires_at) VALUES ($1, now() + make_interval(secs => $2)) RETURNING id`,
			[userId, this.ttlS],
			transaction
		);
		return { sessionId: session.id, refreshToken: await this.issueToken(session.id, transaction) };
	}

	/**
	 * Spends a refresh token and issues its successor, atomically: of two concurrent uses of one
	 * token exactly one wins. A token that was already spent reports "reused".
	 */
	async rotate(refreshToken: string): Promise<RotationResult> {
		const tokenHash = hashToken(refreshToken);
		return this.sequelize.transaction(async transaction => {
			const [spent] = await this.rows<{ session_id: string; user_id: string; role: Role; active: boolean }>(
				`UPDATE "${this.schema}".refresh_tokens t SET used_at = now()
				 FROM "${this.schema}".sessions s JOIN "${this.schema}".users u ON u.id = s.user_id
				 WHERE t.token_hash = $1 AND t.used_at IS NULL AND s.id = t.session_id
				 RETURNING t.session_id, s.user_id, u.role, (s.revoked_at IS NULL AND s.expires_at > now()) AS active`,
				[tokenHash],
				transaction
			);
			if (spent) {
				if (!spent.active) return { outcome: "invalid" } as const;
				const token = await this.issueToken(spent.session_id, transaction);
				return {
					outcome: "rotated",
					sessionId: spent.session_id,
					userId: spent.user_id,
					role: spent.role,
					refreshToken: token
				} as const;
			}
			const [known] = await this.rows<{ session_id: string }>(
				`SELECT session_id FROM "${this.schema}".refresh_tokens WHERE token_hash = $1`,
				[tokenHash],
				transaction
			);
			return known ? ({ outcome: "reused", sessionId: known.session_id } as const) : ({ outcome: "invalid" } as const);
		});
	}

	/** Revokes sessions; returns the ids that were active, so their cached checks can be dropped. */
	async revoke(where: { sessionId: string } | { userId: string; exceptSessionId?: string }, reason: string): Promise<string[]> {
		const [condition, bind] =
			"sessionId" in where
				? ["id = $2", [reason, where.sessionId]]
				: ["user_id = $2 AND id IS DISTINCT FROM $3::uuid", [reason, where.userId, where.exceptSessionId ?? null]];
		const rows = await this.rows<{ id: string }>(
			`UPDATE "${this.schema}".sessions SET revoked_at = now(), revoked_reason = $1
			 WHERE ${condition} AND revoked_at IS NULL RETURNING id`,
			bind
		);
		return rows.map(r => r.id);
	}

	/** The session's user and current role, if the session is still active. */
	async active(sessionId: string): Promise<{ userId: string; role: Role } | null> {
		const [row] = await this.rows<{ user_id: string; role: Role }>(
			`SELECT s.user_id, u.role FROM "${this.schema}".sessions s JOIN "${this.schema}".users u ON u.id = s.user_id
			 WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
			[sessionId]
		);
		return row ? { userId: row.user_id, role: row.role } : null;
	}

	async idsOfUser(userId: string): Promise<string[]> {
		const rows = await this.rows<{ id: string }>(`SELECT id FROM "${this.schema}".sessions WHERE user_id = $1`, [userId]);
		return rows.map(r => r.id);
	}
}
