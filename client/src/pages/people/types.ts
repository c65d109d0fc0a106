/** The rankings and account shapes these pages read (GET /api/users/:username/rating, the leaderboards, preferences). */

/** One rated contest: the rating before and after it, in the order the contests were rated. */
export interface RatingChange {
	contestId: string;
	title: string;
	place: number;
	before: number;
	after: number;
	at: string;
}

/** One contest the person took part in, rated or not. */
export interface ContestResult {
	contestId: string;
	title: string;
	place: number;
	rated: boolean;
	ratingChange: number | null;
	at: string;
}

/** A person's standing: rating (null if never rated), rank on the rating board, problems solved and rank by them. */
export interface Standing {
	rating: number | null;
	rank: number | null;
	solved: number;
	solvedRank: number | null;
	history: RatingChange[];
	contests: ContestResult[];
}

export type BoardOrder = "rating" | "solved";

export interface BoardRow {
	rank: number;
	/** `username` is null until the rankings service has heard of the account. */
	user: { id: string; username: string | null };
	rating: number | null;
	solved: number;
}

/** A page of a leaderboard, with the caller's own line (null when anonymous or not on the board). */
export interface Board {
	rows: BoardRow[];
	me: BoardRow | null;
	total: number;
	page: number;
	pageSize: number;
	totalPages: number;
	by: BoardOrder;
}

export type Theme = "light" | "dark" | "system";
export type Visibility = "public" | "private";

export interface Preferences {
	locale: string;
	timezone: string;
	theme: Theme;
	profileVisibility: Visibility;
}
