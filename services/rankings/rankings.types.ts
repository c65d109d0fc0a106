import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";

/** What a board sorts by: the rating, or the problems solved in the practice archive. */
export const BOARD_KINDS = ["rating", "solved"] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

const id = { type: "uuid" } as const;
const count = { type: "number", integer: true, min: 0 } as const;
const rank = { type: "number", integer: true, min: 1 } as const;
const rating = { type: "number", integer: true } as const;

/** A user as the boards show them; `username` is null until their account's `user.created` has arrived. */
export const userRefSchema = {
	$$strict: true,
	id,
	username: { type: "string", max: 32, nullable: true }
} as const;

/** One line of a leaderboard: equal scores share a rank; `rating` is null for someone never rated. */
export const leaderboardRowSchema = {
	$$strict: true,
	rank,
	user: { type: "object", props: userRefSchema },
	rating: { ...rating, nullable: true },
	solved: count
} as const;
export type LeaderboardRow = Infer<typeof leaderboardRowSchema>;

/** A page of a board, and the caller's own row on it (null: anonymous, or not on this board). */
export const leaderboardSchema = {
	...pageSchema(leaderboardRowSchema),
	by: { type: "enum", values: BOARD_KINDS },
	me: { type: "object", props: leaderboardRowSchema, nullable: true }
} as const;
export type Leaderboard = Infer<typeof leaderboardSchema>;

/** One rated contest of a user: their place in its final standings and their rating before and after. */
export const ratingChangeSchema = {
	$$strict: true,
	contestId: id,
	title: { type: "string", max: 200 },
	place: rank,
	before: rating,
	after: rating,
	/** When the contest ended. */
	at: isoDateTime
} as const;
export type RatingChange = Infer<typeof ratingChangeSchema>;

/** A user's rating (null: never rated), their rank on the global rating board, and every change, oldest first. */
/** One ended contest a user took part in, rated or not: their place (a team's, in a team contest), their rating's change. */
export const contestResultSchema = {
	$$strict: true,
	contestId: id,
	title: { type: "string", max: 200 },
	place: rank,
	rated: { type: "boolean" },
	/** null in an unrated contest. */
	ratingChange: { ...rating, nullable: true },
	at: isoDateTime
} as const;
export type ContestResult = Infer<typeof contestResultSchema>;

/** What a profile shows of a user's standing: rating and rank, problems solved and rank by them, their contests. */
export const ratingViewSchema = {
	$$strict: true,
	rating: { ...rating, nullable: true },
	/** Their place on the global rating board; null when unrated. */
	rank: { ...rank, nullable: true },
	/** Problems of the practice archive they solved, and their place on the global solved board (null at 0). */
	solved: count,
	solvedRank: { ...rank, nullable: true },
	/** Rated contests, oldest first: each change's `before` is the previous one's `after`. */
	history: { type: "array", items: { type: "object", props: ratingChangeSchema } },
	/** Every ended contest they took part in, rated or not, newest first. */
	contests: { type: "array", items: { type: "object", props: contestResultSchema } }
} as const;
export type RatingView = Infer<typeof ratingViewSchema>;

// --- Action params ---

const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;
const by = { type: "enum", values: BOARD_KINDS, default: "rating" } as const;

export const leaderboardParams = { $$strict: true, by, page, pageSize } as const;
export type LeaderboardParams = Infer<typeof leaderboardParams>;

export const groupLeaderboardParams = { $$strict: true, id, by, page, pageSize } as const;
export type GroupLeaderboardParams = Infer<typeof groupLeaderboardParams>;

export const ratingParams = { $$strict: true, username: { type: "string", min: 1, max: 32 } } as const;
export type RatingParams = Infer<typeof ratingParams>;
