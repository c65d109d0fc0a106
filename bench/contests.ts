/**
 * The contest scenarios' rig: a running contest seeded straight into the topology's contests
 * database (scripts/seed-contest.ts, answers hashed with the nodes' JWT_SECRET), registered users
 * seeded straight into its users database with active sessions, and their access tokens signed
 * with the same secret (registering a thousand users through the API would spend minutes of
 * scrypt, and the scenarios measure neither registration nor login). The users are the contest's
 * first participants. The leaderboard is read once before the runs (every topology up, the
 * processes idle), which rebuilds it from PostgreSQL: that first read is timed and reported on its own.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { accessTokenKeys, signAccessToken } from "../lib/access-token";
import { migrate } from "../mixins/db/migrate";
import { openDatabase } from "../mixins/db/open-database";
import { migrations as usersMigrations } from "../services/users/migrations";
import { type SeededContest, type SeededProblem } from "../scripts/seed/contest";
import { assertAlive, type BenchProcess } from "./processes";
import { nextPage, timeBoardReads } from "./board-pages";

/** Rows of a leaderboard page in the read scenario. */
export const LEADERBOARD_PAGE_SIZE = 50;
/** Unmeasured reads after the rebuilding one, whose median is the warm read it is compared to. */
/** A password hash verifyPassword never accepts: the seeded users cannot log in (they need not). */
const NO_PASSWORD = "!bench-seeded-user:no-password-login";

export interface ContestUser {
	id: string;
	sessionId: string;
	username: string;
	accessToken: string;
}

export interface ContestRig {
	contestId: string;
	problems: SeededProblem[];
	participants: number;
	submissionsSeeded: number;
	users: ContestUser[];
	/** Seconds spent seeding the users (with their sessions) and the contest, before the nodes started. */
	seedUsersS: number;
	seedContestS: number;
	/**
	 * The first leaderboard read (the store empty: rebuilt from PostgreSQL), and the median of the
	 * warm reads after it, in ms as the runner sees them; NaN until warmLeaderboard ran.
	 */
	firstReadMs: number;
	warmReadMs: number;
	pages: number;
	/** Reads per second of the steady leaderboard runs: set by the runner (option, or calibrated) before the rounds. */
	steadyRate?: number;
	/** Requests handed out so far (kept across runs and rounds: the submit rotation must not restart). */
	reads: number;
	submissions: number;
}

export interface SeededUsers {
	users: Omit<ContestUser, "accessToken">[];
	seconds: number;
}

/**
 * Inserts `count` users with one active session each into the users database (its migrations
 * run first, so the node finds them applied), in multi-row batches; the users service sees
 * ordinary accounts (role user), with no refresh token.
 */
export async function seedUsers(usersDatabaseUrl: string, count: number, sessionTtlS: number): Promise<SeededUsers> {
	const started = performance.now();
	const database = await openDatabase({ kind: "postgres", url: usersDatabaseUrl }, { poolMax: 2, queryTimeoutMs: 60_000, log: () => {} });
	try {
		const { sequelize } = database;
		await migrate(sequelize, "users", usersMigrations);
		const run = randomBytes(3).toString("hex");
		const users = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), sessionId: randomUUID(), username: `cb_${run}_${i}` }));
		const batch = 1000;
		await sequelize.transaction(async transaction => {
			for (let i = 0; i < users.length; i += batch) {
				const chunk = users.slice(i, i + batch);
				await sequelize.query(
					`INSERT INTO "users".users (id, username, email, display_name, password_hash)
					 SELECT id, username, username || '@example.com', username, $3 FROM unnest($1::uuid[], $2::text[]) AS u(id, username)`,
					{ bind: [chunk.map(u => u.id), chunk.map(u => u.username), NO_PASSWORD], transaction }
				);
				await sequelize.query(
					`INSERT INTO "users".sessions (id, user_id, expires_at)
					 SELECT id, user_id, now() + make_interval(secs => $3) FROM unnest($1::uuid[], $2::uuid[]) AS s(id, user_id)`,
					{ bind: [chunk.map(u => u.sessionId), chunk.map(u => u.id), sessionTtlS], transaction }
				);
			}
		});
		return { users, seconds: (performance.now() - started) / 1000 };
	} finally {
		await database.close();
	}
}

/** Access tokens as the users service issues them (same secret, claims and lifetime as the nodes'). */
export async function signTokens(users: SeededUsers["users"], jwtSecret: string, ttlS: number): Promise<ContestUser[]> {
	const keys = accessTokenKeys(jwtSecret, ttlS);
	return Promise.all(
		users.map(async u => ({ ...u, accessToken: await signAccessToken(keys, { id: u.id, sessionId: u.sessionId, role: "user" }) }))
	);
}

async function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; ms: number }> {
	const started = performance.now();
	const res = await fetch(url, { headers, signal: AbortSignal.timeout(120_000) });
	const text = await res.text();
	return { status: res.status, text, ms: performance.now() - started };
}

/**
 * Waits until the gateway reaches the contests service (a cheap route that leaves the
 * leaderboard alone) and checks that a seeded user's token is accepted; the leaderboard stays
 * untouched (warmLeaderboard reads it first, once every topology is up and idle).
 */
export async function prepareContest(
	baseUrl: string,
	deadline: number,
	processes: BenchProcess[],
	seeded: SeededContest,
	users: ContestUser[],
	seedUsersS: number
): Promise<ContestRig> {
	const contestUrl = `${baseUrl}/api/contests/${seeded.contestId}`;
	let last: string;
	for (;;) {
		assertAlive(processes);
		const res = await timedGet(contestUrl).catch((err: Error) => ({ status: 0, text: err.message, ms: 0 }));
		if (res.status === 200) break;
		last = `${res.status} ${res.text.slice(0, 300)}`;
		// 404 (a contest the service does not know: it is the wrong database) is retried too, briefly:
		// the gateway answers 404 while it has not discovered the service.
		if (res.status !== 0 && res.status !== 404 && res.status < 500) throw new Error(`GET /api/contests/:id: ${last}`);
		if (Date.now() > deadline) throw new Error(`GET /api/contests/:id: no success before the deadline; last: ${last}`);
		await sleep(500);
	}
	const mine = await timedGet(`${contestUrl}/submissions/me`, { authorization: `Bearer ${users[0].accessToken}` });
	if (mine.status !== 200)
		throw new Error(
			`a seeded user's token was refused: GET /api/contests/:id/submissions/me: ${mine.status} ${mine.text.slice(0, 300)}`
		);
	return {
		contestId: seeded.contestId,
		problems: seeded.problems,
		participants: seeded.participants,
		submissionsSeeded: seeded.submissions,
		users,
		seedUsersS,
		seedContestS: seeded.seconds,
		firstReadMs: NaN,
		warmReadMs: NaN,
		pages: Math.ceil(seeded.participants / LEADERBOARD_PAGE_SIZE),
		reads: 0,
		submissions: 0
	};
}

/**
 * The first leaderboard read, which finds the store empty and rebuilds it from PostgreSQL
 * (timed), then a few warm reads of pages across the board (their median timed): one request at
 * a time, each checked for the seeded participants.
 */
export async function warmLeaderboard(baseUrl: string, rig: ContestRig): Promise<void> {
	const read = async (page: number) => {
		const res = await timedGet(`${baseUrl}/api/contests/${rig.contestId}/leaderboard?page=${page}&pageSize=${LEADERBOARD_PAGE_SIZE}`);
		if (res.status !== 200) throw new Error(`GET /api/contests/:id/leaderboard?page=${page}: ${res.status} ${res.text.slice(0, 300)}`);
		const board = JSON.parse(res.text) as { total: number; rows: unknown[] };
		if (
			board.total !== rig.participants ||
			board.rows.length !== Math.min(LEADERBOARD_PAGE_SIZE, rig.participants - (page - 1) * LEADERBOARD_PAGE_SIZE)
		) {
			throw new Error(
				`leaderboard page ${page}: total ${board.total}, ${board.rows.length} rows; expected ${rig.participants} participants`
			);
		}
		return res.ms;
	};
	await timeBoardReads(rig, read);
}

/** The path of the rig's next leaderboard read: pages spread over the whole board. */
export function nextLeaderboardPath(rig: ContestRig): string {
	return `/api/contests/${rig.contestId}/leaderboard?page=${nextPage(rig)}&pageSize=${LEADERBOARD_PAGE_SIZE}`;
}

/**
 * The rig's next submission. Requests go round the users first (consecutive ones never wait on
 * the same participant's row lock), then the problems, so a (user, problem) pair comes back
 * after users × problems requests: with the default 1,000 users and 5 problems, 5,000 requests
 * later, i.e. at least 5 s (the per-pair throttle) below 1,000 submissions/s. Half the answers
 * are right (in another case and spacing: the service normalises), half wrong, alternating from
 * one request to the next and, for each pair, from one visit to the next: no pair builds a streak
 * of wrong answers, whose cooldown grows (the seed ends these users' seeded tries with a solve).
 * A right answer on an unsolved problem is a first solve (scored: the leaderboard entry is
 * refreshed, contest.problem_solved recorded), on a solved one a resubmission (recorded, scores nothing).
 */
export function nextSubmission(rig: ContestRig): { path: string; headers: Record<string, string>; body: string } {
	const n = rig.submissions++;
	const users = rig.users.length;
	const pairs = users * rig.problems.length;
	const user = rig.users[n % users];
	const problem = rig.problems[Math.floor(n / users) % rig.problems.length];
	const right = (Math.floor(n / pairs) + (n % pairs)) % 2 === 0;
	return {
		path: `/api/contests/${rig.contestId}/problems/${problem.id}/submissions`,
		headers: { authorization: `Bearer ${user.accessToken}` },
		body: JSON.stringify({ answer: right ? `  ${problem.answer.toUpperCase()} ` : `${n}-wrong` })
	};
}
