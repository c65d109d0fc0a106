/**
 * The global ranking scenarios' rig (issue 15): rated players seeded straight into the topology's
 * rankings database (its migrations run first, so the node finds them applied) before its nodes
 * start, so the board store is empty and the first read of the global rating board rebuilds it from
 * PostgreSQL: that read is timed and reported on its own, as the contest leaderboard's is. Also the
 * rating recomputation of a large contest, timed in the runner (pure CPU, no topology involved).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { prng, type Random } from "../lib/prng";
import { migrate } from "../mixins/db/migrate";
import { openDatabase } from "../mixins/db/open-database";
import { migrations as rankingsMigrations } from "../services/rankings/migrations";
import { rateContest, type Standing } from "../services/rankings/rating/codeforces";
import { assertAlive, type BenchProcess } from "./processes";
import { nextPage, timeBoardReads } from "./board-pages";

/** Rows of a global leaderboard page in the ranking scenarios. */
export const RANKING_PAGE_SIZE = 50;
/** Unmeasured reads after the rebuilding one, whose median is the warm read it is compared to. */

export interface RankingRig {
	players: number;
	pages: number;
	/** Seconds spent seeding the players, before the nodes started. */
	seedS: number;
	/** The first read (board store empty: rebuilt from PostgreSQL) and the median warm read after it, ms; NaN until warmRanking ran. */
	firstReadMs: number;
	warmReadMs: number;
	/** Reads per second of the steady runs: set by the runner (option, or calibrated) before the rounds. */
	steadyRate?: number;
	/** Requests handed out so far (kept across runs and rounds). */
	reads: number;
}

/**
 * Inserts `count` rated players (username, rating ~ 800..3199 spread by a hash of the row number,
 * solved) into the rankings database in one INSERT … SELECT generate_series; returns the seconds.
 */
export async function seedRankings(rankingsDatabaseUrl: string, count: number): Promise<number> {
	const started = performance.now();
	const database = await openDatabase(
		{ kind: "postgres", url: rankingsDatabaseUrl },
		{ poolMax: 2, queryTimeoutMs: 120_000, log: () => {} }
	);
	try {
		const { sequelize } = database;
		await migrate(sequelize, "rankings", rankingsMigrations);
		await sequelize.query(
			`INSERT INTO "rankings".players (user_id, username, rating, solved)
			 SELECT gen_random_uuid(), 'rp_' || i, 800 + (hashint4(i) & 2147483647) % 2400, (hashint4(i + 1) & 2147483647) % 500
			 FROM generate_series(1, $1::int) AS i`,
			{ bind: [count] }
		);
		await sequelize.query(`ANALYZE "rankings".players`);
		return (performance.now() - started) / 1000;
	} finally {
		await database.close();
	}
}

export function rankingRig(players: number, seedS: number): RankingRig {
	return { players, pages: Math.ceil(players / RANKING_PAGE_SIZE), seedS, firstReadMs: NaN, warmReadMs: NaN, reads: 0 };
}

const pagePath = (page: number) => `/api/leaderboard?by=rating&page=${page}&pageSize=${RANKING_PAGE_SIZE}`;

/**
 * The first read of the global rating board, which finds the store empty and rebuilds it from
 * PostgreSQL (timed; retried while the gateway answers 404/503, i.e. has not discovered the
 * rankings service yet), then a few warm reads of pages across the board (their median timed):
 * one request at a time, each checked for the seeded players.
 */
export async function warmRanking(baseUrl: string, rig: RankingRig, processes: BenchProcess[], deadline: number): Promise<void> {
	const read = async (page: number) => {
		for (;;) {
			assertAlive(processes);
			const started = performance.now();
			const res = await fetch(`${baseUrl}${pagePath(page)}`, { signal: AbortSignal.timeout(120_000) });
			const text = await res.text();
			const ms = performance.now() - started;
			if ((res.status === 404 || res.status === 503) && Date.now() < deadline) {
				await sleep(500);
				continue;
			}
			if (res.status !== 200) throw new Error(`GET ${pagePath(page)}: ${res.status} ${text.slice(0, 300)}`);
			const board = JSON.parse(text) as { total: number; rows: unknown[] };
			const expected = Math.min(RANKING_PAGE_SIZE, rig.players - (page - 1) * RANKING_PAGE_SIZE);
			if (board.total !== rig.players || board.rows.length !== expected)
				throw new Error(
					`global board page ${page}: total ${board.total}, ${board.rows.length} rows; expected ${rig.players} players`
				);
			return ms;
		}
	};
	await timeBoardReads(rig, read);
}

/** The path of the rig's next global board read: pages spread over the whole board. */
export function nextRankingPath(rig: RankingRig): string {
	return pagePath(nextPage(rig));
}

export interface RatingTiming {
	participants: number;
	/** Each run's ms, in order (the first includes the JIT's warm-up). */
	runsMs: number[];
	medianMs: number;
	distinctRatings: number;
	targetMs: number;
}

/** Issue 15's target for rating a 10,000-person contest. */
export const RATING_TARGET_MS = 5000;

/**
 * The slow case for rateContest's tables (as scripts/measure-rating.ts's `spread`): every rating
 * in 0..7999 present, distinct places, drawn from lib/prng.
 */
function spreadStandings(n: number, rnd: Random): Standing[] {
	return Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, rank: i + 1, ratingBefore: Math.floor(rnd() * 8000) }));
}

/** Times rateContest on an n-person contest, `runs` times in the runner's process; the median is the figure. */
export function timeRating(n: number, runs: number): RatingTiming {
	const standings = spreadStandings(n, prng(15));
	const runsMs: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		rateContest(standings);
		runsMs.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	const sorted = [...runsMs].sort((a, b) => a - b);
	return {
		participants: n,
		runsMs,
		medianMs: sorted[sorted.length >> 1],
		distinctRatings: new Set(standings.map(s => s.ratingBefore)).size,
		targetMs: RATING_TARGET_MS
	};
}
