import type { Placement, Player } from "./boards";
import { BOARD_KINDS, type BoardKind } from "./rankings.types";

/**
 * The boards and what each sorts by. Global: `rating` holds rated players only, `solved` those who
 * solved at least one archive problem. A group has one of each holding every member: on its
 * rating board the unrated sit below every rated member, ordered by solved among themselves.
 */
export interface BoardRef {
	kind: BoardKind;
	/** null: the global board. */
	groupId: string | null;
}

export const boardName = ({ kind, groupId }: BoardRef) => (groupId ? `group:${groupId}:${kind}` : kind);

/** Both boards of a group. */
export const groupBoards = (groupId: string): BoardRef[] => BOARD_KINDS.map(kind => ({ kind, groupId }));

const GLOBAL_BOARDS: BoardRef[] = BOARD_KINDS.map(kind => ({ kind, groupId: null }));

/** Below any rating a contest can give (a need of 1 halves the distance at worst), above −2^53: exact in a double. */
export const UNRATED = -(2 ** 40);

/** The player's score on the board, or null if they are not on it. */
export function scoreOn({ kind, groupId }: BoardRef, p: Player): number | null {
	if (groupId) return kind === "rating" ? (p.rating ?? UNRATED + p.solved) : p.solved;
	if (kind === "rating") return p.rating;
	return p.solved > 0 ? p.solved : null;
}

const placement = (board: BoardRef, p: Player): Placement => ({ board: boardName(board), userId: p.userId, score: scoreOn(board, p) });

/** Where a player now stands on every board they belong to: the global ones and their groups'. */
export function placementsOf(p: Player, groupIds: readonly string[]): Placement[] {
	return [...GLOBAL_BOARDS, ...groupIds.flatMap(groupBoards)].map(board => placement(board, p));
}

/** On a group's boards (they joined it). */
export function joining(groupId: string, p: Player): Placement[] {
	return groupBoards(groupId).map(board => placement(board, p));
}

/** Off a group's boards (they left it), and off the global ones too if the account is gone. */
export function removals(userId: string, groupIds: readonly string[], global: boolean): Placement[] {
	const boards = [...(global ? GLOBAL_BOARDS : []), ...groupIds.flatMap(groupBoards)];
	return boards.map(board => ({ board: boardName(board), userId, score: null }));
}
