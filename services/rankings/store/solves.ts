import type { Transaction } from "sequelize";
import type { Player } from "../boards";
import { type PlayerRecord, toPlayer } from "./players";
import type { Sql } from "./sql";

export interface Judgement {
	submissionId: string;
	userId: string;
	problemId: string;
	judgement: number;
	accepted: boolean;
}

/**
 * The practice archive's solves: the archive's problem ids, and per submission its latest
 * judgement (rows only for accepted verdicts and rejudges). A player's solved count is the number
 * of archive problems with an accepted submission of theirs, contest submissions included (a
 * contest's problem counts once it is released to the archive).
 */
export class Solves {
	constructor(private readonly sql: Sql) {}

	/** Kept unless a later judgement of the submission is kept already (rejudges may arrive out of order); whether it was. */
	async judged(j: Judgement, transaction: Transaction): Promise<boolean> {
		const rows = await this.sql.select(
			`INSERT INTO ${this.sql.t.judged} AS s (submission_id, user_id, problem_id, judgement, accepted) VALUES ($1, $2, $3, $4, $5)
			 ON CONFLICT (submission_id) DO UPDATE SET judgement = EXCLUDED.judgement, accepted = EXCLUDED.accepted
			 WHERE s.judgement < EXCLUDED.judgement
			 RETURNING submission_id`,
			[j.submissionId, j.userId, j.problemId, j.judgement, j.accepted],
			transaction
		);
		return rows.length > 0;
	}

	/** The problem joins the archive: the users with an accepted submission of it; null if it was in already. */
	async publish(problemId: string, transaction: Transaction): Promise<string[] | null> {
		const { t } = this.sql;
		const added = await this.sql.select(
			`INSERT INTO ${t.archive} (problem_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING problem_id`,
			[problemId],
			transaction
		);
		if (!added.length) return null;
		const rows = await this.sql.select<{ user_id: string }>(
			`SELECT DISTINCT user_id FROM ${t.judged} WHERE problem_id = $1 AND accepted`,
			[problemId],
			transaction
		);
		return rows.map(r => r.user_id);
	}

	/** Recounts these (locked) players' solved counts: the players whose count changed, as they are now. */
	async recount(userIds: readonly string[], transaction: Transaction): Promise<Player[]> {
		if (!userIds.length) return [];
		const { t } = this.sql;
		const rows = await this.sql.select<PlayerRecord>(
			`UPDATE ${t.players} p SET solved = c.solved, updated_at = now()
			 FROM (SELECT u.user_id, (SELECT count(DISTINCT s.problem_id) FROM ${t.judged} s JOIN ${t.archive} a USING (problem_id)
			                          WHERE s.user_id = u.user_id AND s.accepted)::int AS solved
			       FROM unnest($1::uuid[]) AS u(user_id)) c
			 WHERE p.user_id = c.user_id AND p.solved <> c.solved
			 RETURNING p.user_id, p.username, p.rating, p.solved`,
			[userIds],
			transaction
		);
		return rows.map(toPlayer);
	}

	async forgetUser(userId: string, transaction: Transaction): Promise<void> {
		await this.sql.run(`DELETE FROM ${this.sql.t.judged} WHERE user_id = $1`, [userId], transaction);
	}
}
