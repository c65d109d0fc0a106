import { pageRanks } from "../../../lib/rank-order";
import { SharedReads } from "../../../lib/shared-reads";
import type { BoardRead, Placed } from "../boards";
import { boardName, type BoardRef, UNRATED } from "../placements";
import type { Sql } from "./sql";

interface LineRecord {
	user_id: string;
	username: string | null;
	rating: number | null;
	solved: number;
	score: number;
}

interface PageRecord {
	total: number;
	/** Entries scoring above the page's first. */
	above: number;
	rows: LineRecord[] | null;
	me: LineRecord | null;
	me_above: number | null;
}

/**
 * The board's members with the score it sorts by, as `scoreOn` (placements.ts) gives it and its
 * rebuild reads them: global boards hold the rated players, or those with a solve; a group's
 * every member (a deleted group has none left), the unrated below the rated.
 */
function membersSql({ kind, groupId }: BoardRef, t: Sql["t"]): string {
	const columns = "p.user_id, p.username, p.rating, p.solved";
	if (!groupId) {
		return kind === "rating"
			? `SELECT ${columns}, p.rating::bigint AS score FROM ${t.players} p WHERE p.rating IS NOT NULL`
			: `SELECT ${columns}, p.solved::bigint AS score FROM ${t.players} p WHERE p.solved > 0`;
	}
	const score = kind === "rating" ? `COALESCE(p.rating::bigint, ${UNRATED} + p.solved)` : "p.solved::bigint";
	return `SELECT ${columns}, ${score} AS score FROM ${t.players} p JOIN ${t.members} m USING (user_id) WHERE m.group_id = $4 AND m.member`;
}

const placed = (r: LineRecord, rank: number): Placed => ({
	userId: r.user_id,
	rank,
	row: { username: r.username, rating: r.rating, solved: r.solved }
});

/**
 * A page of a board read straight from PostgreSQL, for when the board store cannot answer (Redis
 * away): the same entries, order (highest first, equal scores by user id descending) and ranks
 * (one more than the entries strictly above) as the store's, in one statement, so one snapshot.
 * It scans the board's members each time: slower than the store on a large board, never wrong.
 * Identical reads at the same time share one statement (lib/shared-reads.ts).
 */
export class BoardPages {
	private readonly pages = new SharedReads<BoardRead>();

	constructor(private readonly sql: Sql) {}

	read(board: BoardRef, offset: number, limit: number, callerId?: string): Promise<BoardRead> {
		const key = JSON.stringify([boardName(board), offset, limit, callerId ?? null]);
		return this.pages.read(key, () => this.select(board, offset, limit, callerId));
	}

	private async select(board: BoardRef, offset: number, limit: number, callerId?: string): Promise<BoardRead> {
		const [page] = await this.sql.select<PageRecord>(
			`WITH board AS MATERIALIZED (${membersSql(board, this.sql.t)}),
			 page AS (SELECT * FROM board ORDER BY score DESC, user_id DESC OFFSET $1 LIMIT $2),
			 me AS (SELECT * FROM board WHERE user_id::text = $3)
			 SELECT (SELECT count(*) FROM board)::int AS total,
			        (SELECT count(*) FROM board WHERE score > (SELECT max(score) FROM page))::int AS above,
			        (SELECT json_agg(page ORDER BY score DESC, user_id DESC) FROM page) AS rows,
			        (SELECT row_to_json(me) FROM me) AS me,
			        (SELECT count(*) FROM board WHERE score > (SELECT score FROM me))::int AS me_above`,
			[offset, limit, callerId ?? null, ...(board.groupId ? [board.groupId] : [])]
		);
		const rows = page.rows ?? [];
		const ranks = pageRanks(
			offset,
			page.above,
			rows.map(r => Number(r.score))
		);
		return {
			total: page.total,
			rows: rows.map((r, j) => placed(r, ranks[j])),
			me: page.me && placed(page.me, (page.me_above ?? 0) + 1)
		};
	}
}
