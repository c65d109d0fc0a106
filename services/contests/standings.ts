import type { Transaction } from "sequelize";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { Leaderboard, LeaderboardRow } from "./contests.types";
import type { Entry, Kept, LeaderboardStore, Placement } from "./leaderboard/store";
import { PageCache } from "./page-cache";
import { type Standing, scoreOf, standingOf } from "./scoring";

/** When a contest's standings freeze for non-organisers, if they do. */
export function freezeAt(contest: ContestModel): Date | null {
	return contest.freezeMinutes ? new Date(contest.endsAt.getTime() - contest.freezeMinutes * 60_000) : null;
}

/** A participant's final row, and how many submissions it counts (0: they never submitted). */
export interface FinalPlace {
	row: LeaderboardRow;
	attempts: number;
}

/** Rows each cache (pages, own rows) keeps per node: every page of two 10,000-participant boards, say. */
const CACHED_ROWS = 25_000;

/** What a page shows, read from the store, and a fingerprint of it. */
interface PlacedPage {
	entries: Entry[];
	total: number;
	ranks: Map<number, number>;
	standings: Map<string, Kept>;
	fingerprint: string;
}

interface Board {
	name: string;
	/** Null if it is incomplete again already (Redis flushed meanwhile): nothing read from it is cached. */
	version: string | null;
}

/**
 * The leaderboard of a contest: each participant's standing recomputed from their submission
 * history and kept in a sorted store. A board not marked complete (new, or Redis flushed or
 * restarted) is rebuilt from PostgreSQL first. The frozen board holds the
 * standings as they were at the freeze. Rendered pages and own rows are cached by board version,
 * so reads between two changes of a board do no SQL.
 */
export class Standings {
	/** Rebuilds in progress on this node: readers of a cold board wait for one, not start their own. */
	private readonly rebuilding = new Map<string, Promise<void>>();
	/** Points per problem of started contests: problems are fixed from the start on. */
	private readonly points = new Map<string, Map<string, number>>();
	/** Whole pages as an anonymous reader gets them (`me` null). */
	private readonly pages = new PageCache<Leaderboard>(CACHED_ROWS);
	private readonly ownRows = new PageCache<LeaderboardRow | null>(CACHED_ROWS);

	constructor(
		private readonly store: ContestStore,
		private readonly boards: LeaderboardStore
	) {}

	private board(contest: ContestModel, frozen: boolean) {
		return frozen ? `${contest.id}:frozen` : contest.id;
	}

	/** Placements recomputed from PostgreSQL: each participant's submission history, scored. */
	private async placementsOf(
		contest: ContestModel,
		opts: { userIds?: string[]; before?: Date },
		transaction?: Transaction
	): Promise<Placement[]> {
		let points = this.points.get(contest.id);
		if (!points) {
			points = new Map((await this.store.problems(contest.id, transaction)).map(p => [p.id, p.points]));
			if (contest.startedEventAt) this.points.set(contest.id, points);
		}
		const histories = await this.store.histories(contest.id, opts, transaction);
		return [...histories].map(([userId, attempts]) => {
			const standing = standingOf(attempts, contest.startsAt, points);
			return { userId, score: scoreOf(contest.scoring, standing), standing, attempts: attempts.length };
		});
	}

	/**
	 * The standings the board holds for these users; any it lacks (a board written before it kept
	 * standings) recomputed from PostgreSQL.
	 */
	private async standingsOf(contest: ContestModel, board: string, userIds: string[], frozen: boolean): Promise<Map<string, Kept>> {
		const standings = await this.boards.standings(board, userIds);
		const missing = userIds.filter(id => !standings.has(id));
		if (missing.length) {
			for (const p of await this.placementsOf(contest, { userIds: missing, before: frozen ? freezeAt(contest)! : undefined }))
				standings.set(p.userId, p);
		}
		return standings;
	}

	/** After a registration or submission of this user: their live standing, recomputed. */
	async refresh(contest: ContestModel, userId: string): Promise<void> {
		const { name } = await this.ensure(contest, false);
		// Raised even if the score is unchanged (a wrong try): the raise bumps the version, and pages must show the try.
		await this.boards.raise(name, await this.placementsOf(contest, { userIds: [userId] }));
	}

	/**
	 * After the judge's verdict on a program submitted at `submittedAt`. A first judgement raises the
	 * live board like any try; the board at the freeze, which holds what was submitted before it, is
	 * rebuilt from PostgreSQL when the program was submitted before the freeze. A rejudge may lower a
	 * score, which boards never do (a score only rises there, so that racing writers cannot put an
	 * older one back): both boards are rebuilt instead.
	 */
	async recount(contest: ContestModel, userId: string, submittedAt: Date, rejudged: boolean): Promise<void> {
		if (rejudged) return this.drop(contest.id);
		await this.refresh(contest, userId);
		const frozenFrom = freezeAt(contest);
		if (frozenFrom && submittedAt < frozenFrom) await this.boards.drop(this.board(contest, true));
	}

	async remove(contest: ContestModel, userId: string): Promise<void> {
		await Promise.all([this.boards.remove(this.board(contest, false), userId), this.boards.remove(this.board(contest, true), userId)]);
	}

	async drop(contestId: string): Promise<void> {
		await Promise.all([this.boards.drop(contestId), this.boards.drop(`${contestId}:frozen`)]);
	}

	private async ensure(contest: ContestModel, frozen: boolean): Promise<Board> {
		const name = this.board(contest, frozen);
		const version = await this.boards.version(name);
		if (version) return { name, version };
		const rebuild = async () => {
			await this.boards.raise(name, await this.placementsOf(contest, { before: frozen ? freezeAt(contest)! : undefined }));
			await this.boards.markComplete(name);
		};
		let running = this.rebuilding.get(name);
		if (!running) {
			running = rebuild().finally(() => this.rebuilding.delete(name));
			this.rebuilding.set(name, running);
		}
		await running;
		return { name, version: await this.boards.version(name) };
	}

	/**
	 * A page of ranked rows, and the caller's own live row if they take part, ranked against the
	 * board shown (during a freeze, the frozen one: nothing derived from others' live results
	 * reaches a frozen reader). After a change of
	 * the board the page is read again from the store, but rendered again only if its rows
	 * changed: most changes (one participant's try) leave most pages as they were.
	 */
	async page(contest: ContestModel, page: number, pageSize: number, callerId: string | undefined, frozen: boolean): Promise<Leaderboard> {
		const board = await this.ensure(contest, frozen);
		const version = board.version;
		const key = `${board.name}:${page}:${pageSize}`;
		const kept = version === null ? undefined : this.pages.entry(key);
		let shared = kept?.version === version ? kept.value : undefined;
		if (!shared) {
			const placed = await this.placed(contest, board.name, page, pageSize, frozen);
			shared = kept?.fingerprint === placed.fingerprint ? kept.value : this.render(contest, placed, page, pageSize, frozen);
			if (version !== null) this.pages.set(key, version, shared, shared.rows.length + 1, placed.fingerprint);
		}
		// An anonymous reader gets the cached page itself: frozen, the gateway serialises it once.
		return callerId ? { ...shared, me: await this.ownRow(contest, callerId, frozen ? board : null) } : shared;
	}

	/**
	 * What a page shows, from the store: its entries, their ranks and standings, and a fingerprint
	 * of it all (a standing is fixed by the user and the count of attempts it counts).
	 */
	private async placed(contest: ContestModel, board: string, page: number, pageSize: number, frozen: boolean): Promise<PlacedPage> {
		const [entries, total] = await Promise.all([this.boards.range(board, (page - 1) * pageSize, pageSize), this.boards.size(board)]);
		const scores = [...new Set(entries.map(e => e.score))];
		const higher = await Promise.all(scores.map(score => this.boards.higherThan(board, score)));
		const ranks = new Map(scores.map((score, i) => [score, higher[i] + 1]));
		const standings = await this.standingsOf(
			contest,
			board,
			entries.map(e => e.userId),
			frozen
		);
		const fingerprint = `${total};${entries.map(e => `${e.userId}:${ranks.get(e.score)}:${standings.get(e.userId)?.attempts}`).join(",")}`;
		return { entries, total, ranks, standings, fingerprint };
	}

	private render(
		contest: ContestModel,
		{ entries, total, ranks, standings }: PlacedPage,
		page: number,
		pageSize: number,
		frozen: boolean
	): Leaderboard {
		const rows = entries
			.filter(e => standings.has(e.userId))
			.map(e => this.row(contest, e.userId, ranks.get(e.score)!, standings.get(e.userId)!.standing));
		return {
			rows,
			total,
			page,
			pageSize,
			totalPages: Math.ceil(total / pageSize),
			me: null,
			frozenAt: frozen ? freezeAt(contest)!.toISOString() : null
		};
	}

	/**
	 * The participant's live standing (null if they do not take part), ranked among the live board,
	 * or among the `frozen` board during a freeze: where their live score would place them in the
	 * standings everyone sees, not among others' results since the freeze.
	 */
	private async ownRow(contest: ContestModel, userId: string, frozen: Board | null): Promise<LeaderboardRow | null> {
		const live = await this.ensure(contest, false);
		const rankedOn = frozen ?? live;
		const key = `${rankedOn.name}:${userId}`;
		const version = live.version === null || rankedOn.version === null ? null : `${live.version}|${rankedOn.version}`;
		const cached = version === null ? undefined : this.ownRows.get(key, version);
		if (cached !== undefined) return cached;
		const standing = (await this.standingsOf(contest, live.name, [userId], false)).get(userId)?.standing;
		const row = standing
			? this.row(contest, userId, (await this.boards.higherThan(rankedOn.name, scoreOf(contest.scoring, standing))) + 1, standing)
			: null;
		if (version !== null) this.ownRows.set(key, version, row, 1);
		return row;
	}

	/** Every participant's rank, live or (`frozen`) at the freeze, from the board alone (no rows rendered). */
	async ranks(contest: ContestModel, frozen: boolean): Promise<{ userId: string; rank: number }[]> {
		const { name } = await this.ensure(contest, frozen);
		const entries = await this.boards.range(name, 0, await this.boards.size(name));
		// In rank order: a rank is one more than the entries ahead of the first of its score.
		let rank = 0;
		return entries.map((e, i) => {
			if (e.score !== entries[i - 1]?.score) rank = i + 1;
			return { userId: e.userId, rank };
		});
	}

	/**
	 * The final standings (for `contest.ended`, inside its transaction), recomputed from PostgreSQL:
	 * the board in Redis may lag a commit. Live (the freeze is over), in the boards' order (equal
	 * scores by user id, descending) and with their ranks.
	 */
	async final(contest: ContestModel, transaction: Transaction): Promise<FinalPlace[]> {
		const placements = await this.placementsOf(contest, {}, transaction);
		placements.sort((a, b) => b.score - a.score || (a.userId < b.userId ? 1 : a.userId > b.userId ? -1 : 0));
		let rank = 0;
		return placements.map((p, i) => {
			if (p.score !== placements[i - 1]?.score) rank = i + 1;
			return { row: this.row(contest, p.userId, rank, p.standing), attempts: p.attempts };
		});
	}

	private row(contest: ContestModel, userId: string, rank: number, s: Standing): LeaderboardRow {
		const key = contest.scoring === "icpc" ? { penalty: s.penalty } : { points: s.points };
		return { rank, userId, solved: s.solved, ...key, problems: s.problems };
	}
}
