import { pageOf } from "../../lib/page";
import type { BoardRead, Placed } from "./boards";
import type { BoardKind, Leaderboard, LeaderboardRow } from "./rankings.types";

/** A line as the API shows it (its row known: the store's reader rebuilt any it lost). */
function rowView({ userId, rank, row }: Placed): LeaderboardRow | null {
	return row && { rank, user: { id: userId, username: row.username }, rating: row.rating, solved: row.solved };
}

export function leaderboardOf(read: BoardRead, by: BoardKind, page: number, pageSize: number): Leaderboard {
	const rows = read.rows.map(rowView).filter((r): r is LeaderboardRow => r !== null);
	return { ...pageOf(rows, read.total, page, pageSize), by, me: read.me && rowView(read.me) };
}
