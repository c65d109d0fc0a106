import type { Transaction } from "sequelize";
import { RedisUnavailableError } from "../../lib/redis-link";
import { boardRow, type PageContent, renderPage } from "./board-rows";
import { ContestPlacements, freezeAt } from "./contest-placements";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { Leaderboard, LeaderboardRow } from "./contests.types";
import type { Kept, LeaderboardStore } from "./leaderboard/store";
import { PageCache } from "./page-cache";
import { scoreOf } from "./scoring";
import { DatabaseStandings } from "./standings-from-database";
import type { Rosters } from "./team-store";

/** A competitor's final place, and how many submissions it counts (0: they never submitted). */
export interface FinalPlace {
	/** The user's id, or the team's in a team contest. */
	competitorId: string;
	rank: number;
	solved: number;
	penalty?: number;
	points?: number;
	attempts: number;
}

/** Rows each cache (pages, own rows) keeps per node: every page of two 10,000-participant boards, say. */
const CACHED_ROWS = 25_000;

/** What a page shows, read from the store, and a fingerprint of it. */
interface PlacedPage extends PageContent {
	fingerprint: string;
}

/** A complete board and its version. */
interface Board {
	name: string;
	version: string;
}

/** Something left the boards while the board was rebuilt (lib/redis-link.ts's clean, a removal): not complete yet. */
class IncompleteBoardError extends Error {}

/** Whether a read of the store failed in a way PostgreSQL answers instead. */
const readFromDatabase = (err: unknown) => err instanceof RedisUnavailableError || err instanceof IncompleteBoardError;

/**
 * The leaderboard of a contest: each competitor's standing recomputed from their submission
 * history and kept in a sorted store. A competitor is a participant, or a team in a team contest:
 * boards key them by id alike, and only a row's rendering names the team. A board not marked complete (new, or Redis flushed or
 * restarted) is rebuilt from PostgreSQL first. The frozen board holds the
 * standings as they were at the freeze. Rendered pages and own rows are cached by board version,
 * so reads between two changes of a board do no SQL. When the store cannot answer (Redis away),
 * reads are answered from PostgreSQL, and the changes the store misses never fail their callers.
 */
export class Standings {
	/** Rebuilds in progress on this node: readers of a cold board wait for one, not start their own. */
	private readonly rebuilding = new Map<string, Promise<void>>();
	private readonly placements: ContestPlacements;
	private readonly database: DatabaseStandings;
	/** Whole pages as an anonymous reader gets them (`me` null). */
	private readonly pages = new PageCache<Leaderboard>(CACHED_ROWS);
	private readonly ownRows = new PageCache<LeaderboardRow | null>(CACHED_ROWS);

	constructor(
		store: ContestStore,
		private readonly boards: LeaderboardStore,
		private readonly rosters: Rosters
	) {
		this.placements = new ContestPlacements(store);
		this.database = new DatabaseStandings(this.placements, rosters);
	}

	private board(contest: ContestModel, frozen: boolean) {
		return frozen ? `${contest.id}:frozen` : contest.id;
	}

	/**
	 * The standings the board holds for these users; any it lacks (a board written before it kept
	 * standings) recomputed from PostgreSQL.
	 */
	private async standingsOf(contest: ContestModel, board: string, userIds: string[], frozen: boolean): Promise<Map<string, Kept>> {
		const standings = await this.boards.standings(board, userIds);
		const missing = userIds.filter(id => !standings.has(id));
		if (missing.length) {
			for (const p of await this.placements.of(contest, { userIds: missing, before: frozen ? freezeAt(contest)! : undefined }))
				standings.set(p.userId, p);
		}
		return standings;
	}

	/**
	 * After a registration or submission of this competitor: their live standing, recomputed. Raised
	 * even if the score is unchanged (a wrong try): the raise bumps the version, and pages must show
	 * the try. A board not complete takes it too (raises only merge): its rebuild completes it.
	 */
	async refresh(contest: ContestModel, userId: string): Promise<void> {
		await this.boards.raise(this.board(contest, false), await this.placements.of(contest, { userIds: [userId] }));
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

	/**
	 * After a change of what a competitor's row shows but not of its score (a team's members): both
	 * boards take its standing again, which moves their versions, so their pages render it again.
	 * Dropping the boards instead would let a page read across the drop rank its rows apart.
	 */
	async touch(contest: ContestModel, userId: string): Promise<void> {
		await this.refresh(contest, userId);
		const frozenFrom = freezeAt(contest);
		if (frozenFrom)
			await this.boards.raise(
				this.board(contest, true),
				await this.placements.of(contest, { userIds: [userId], before: frozenFrom })
			);
	}

	async remove(contest: ContestModel, userId: string): Promise<void> {
		await Promise.all([this.boards.remove(this.board(contest, false), userId), this.boards.remove(this.board(contest, true), userId)]);
	}

	async drop(contestId: string): Promise<void> {
		await Promise.all([this.boards.drop(contestId), this.boards.drop(`${contestId}:frozen`)]);
	}

	/** The board, rebuilt from PostgreSQL first if it is not complete. */
	private async ensure(contest: ContestModel, frozen: boolean): Promise<Board> {
		const name = this.board(contest, frozen);
		const version = await this.boards.version(name);
		if (version) return { name, version };
		let running = this.rebuilding.get(name);
		if (!running) {
			running = this.rebuild(contest, frozen, name).finally(() => this.rebuilding.delete(name));
			this.rebuilding.set(name, running);
		}
		await running;
		const rebuilt = await this.boards.version(name);
		if (!rebuilt) throw new IncompleteBoardError(`The board ${name} is not complete after its rebuild`);
		return { name, version: rebuilt };
	}

	private async rebuild(contest: ContestModel, frozen: boolean, name: string): Promise<void> {
		// Read first: a removal after it makes the rebuild give up rather than put the removed back.
		const epoch = await this.boards.epoch();
		await this.boards.rebuild(name, await this.placements.of(contest, { before: frozen ? freezeAt(contest)! : undefined }), epoch);
	}

	/**
	 * A page of ranked rows, and the caller's own live row if they take part, ranked against the
	 * board shown (during a freeze, the frozen one: nothing derived from others' live results
	 * reaches a frozen reader). After a change of
	 * the board the page is read again from the store, but rendered again only if its rows
	 * changed: most changes (one participant's try) leave most pages as they were. From
	 * PostgreSQL when the store cannot answer.
	 */
	async page(contest: ContestModel, page: number, pageSize: number, callerId: string | undefined, frozen: boolean): Promise<Leaderboard> {
		try {
			return await this.pageFromStore(contest, page, pageSize, callerId, frozen);
		} catch (err) {
			if (!readFromDatabase(err)) throw err;
			return this.database.page(contest, page, pageSize, callerId, frozen);
		}
	}

	private async pageFromStore(
		contest: ContestModel,
		page: number,
		pageSize: number,
		callerId: string | undefined,
		frozen: boolean
	): Promise<Leaderboard> {
		const board = await this.ensure(contest, frozen);
		const key = `${board.name}:${page}:${pageSize}`;
		const kept = this.pages.entry(key);
		let shared = kept?.version === board.version ? kept.value : undefined;
		if (!shared) {
			const placed = await this.placed(contest, board.name, page, pageSize, frozen);
			shared = kept?.fingerprint === placed.fingerprint ? kept.value : renderPage(contest, placed, page, pageSize, frozen);
			this.pages.set(key, board.version, shared, shared.rows.length + 1, placed.fingerprint);
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
		const ids = entries.map(e => e.userId);
		const [standings, teams] = await Promise.all([
			this.standingsOf(contest, board, ids, frozen),
			contest.teamMaxSize ? this.rosters.refs(contest.id, ids) : null
		]);
		// A team's row also shows its name and members (which a member's account deletion changes).
		const names = (id: string) => (teams ? `:${JSON.stringify(teams.get(id) ?? null)}` : "");
		const fingerprint = `${total};${entries.map(e => `${e.userId}:${ranks.get(e.score)}:${standings.get(e.userId)?.attempts}${names(e.userId)}`).join(",")}`;
		return { entries, total, ranks, standings, teams, fingerprint };
	}

	/**
	 * The competitor's live standing (null if they do not take part), ranked among the live board,
	 * or among the `frozen` board during a freeze: where their live score would place them in the
	 * standings everyone sees, not among others' results since the freeze.
	 */
	private async ownRow(contest: ContestModel, userId: string, frozen: Board | null): Promise<LeaderboardRow | null> {
		const live = await this.ensure(contest, false);
		const rankedOn = frozen ?? live;
		const key = `${rankedOn.name}:${userId}`;
		const version = `${live.version}|${rankedOn.version}`;
		const cached = this.ownRows.get(key, version);
		if (cached !== undefined) return cached;
		const standing = (await this.standingsOf(contest, live.name, [userId], false)).get(userId)?.standing;
		const team = standing && contest.teamMaxSize ? (await this.rosters.refs(contest.id, [userId])).get(userId) : undefined;
		const row =
			standing && (team || !contest.teamMaxSize)
				? boardRow(
						contest,
						userId,
						(await this.boards.higherThan(rankedOn.name, scoreOf(contest.scoring, standing))) + 1,
						standing,
						team
					)
				: null;
		this.ownRows.set(key, version, row, 1);
		return row;
	}

	/**
	 * Every participant's rank, live or (`frozen`) at the freeze, from the board alone (no rows
	 * rendered); in a team contest each member's, their team's rank. From PostgreSQL when the store
	 * cannot answer.
	 */
	async ranks(contest: ContestModel, frozen: boolean): Promise<{ userId: string; rank: number }[]> {
		try {
			return await this.ranksFromStore(contest, frozen);
		} catch (err) {
			if (!readFromDatabase(err)) throw err;
			return this.database.ranks(contest, frozen);
		}
	}

	private async ranksFromStore(contest: ContestModel, frozen: boolean): Promise<{ userId: string; rank: number }[]> {
		const { name } = await this.ensure(contest, frozen);
		const [entries, members] = await Promise.all([
			this.boards.range(name, 0, await this.boards.size(name)),
			contest.teamMaxSize ? this.rosters.members(contest.id) : null
		]);
		// In rank order: a rank is one more than the entries ahead of the first of its score.
		let rank = 0;
		return entries.flatMap((e, i) => {
			if (e.score !== entries[i - 1]?.score) rank = i + 1;
			return (members ? (members.get(e.userId) ?? []) : [e.userId]).map(userId => ({ userId, rank }));
		});
	}

	/**
	 * The final standings (for `contest.ended`, inside its transaction), recomputed from PostgreSQL:
	 * the board in Redis may lag a commit. Live (the freeze is over), in the boards' order (equal
	 * scores by user id, descending) and with their ranks.
	 */
	async final(contest: ContestModel, transaction: Transaction): Promise<FinalPlace[]> {
		return (await this.placements.board(contest, undefined, transaction)).map(p => {
			const key = contest.scoring === "icpc" ? { penalty: p.standing.penalty } : { points: p.standing.points };
			return { competitorId: p.userId, rank: p.rank, solved: p.standing.solved, ...key, attempts: p.attempts };
		});
	}
}
