/**
 * Seeds one running contest with many participants and their submission histories, stored as the
 * contests service stores them: shared by scripts/seed-contest.ts and the bench (a library; the
 * runnable script is scripts/seed-contest.ts, which documents the options).
 */
import { randomUUID } from "node:crypto";
import type { Sequelize, Transaction } from "sequelize";
import { type DatabaseTarget, loadConfig } from "../../config";
import { renderMarkdown } from "../../lib/markdown";
import { migrate } from "../../mixins/db/migrate";
import { openDatabase } from "../../mixins/db/open-database";
import { AnswerKey } from "../../services/contests/answers";
import type { Scoring } from "../../services/contests/contests.types";
import { migrations } from "../../services/contests/migrations";
import { prng, type Random } from "./posts";

const SCHEMA = "contests";
const MINUTE_MS = 60_000;

export interface SeedContestOptions {
	/** Participants in all, the --user-ids accounts included. */
	participants: number;
	problems?: number;
	/** The secret the nodes run with (JWT_SECRET): AnswerKey derives the answers' key from it. */
	jwtSecret: string;
	/** Real accounts registered first; the rest are random ids (accounts the contest database never checks). */
	userIds?: string[];
	scoring?: Scoring;
	startedMinutesAgo?: number;
	hours?: number;
	seed?: number;
	batchSize?: number;
}

export interface SeededProblem {
	id: string;
	position: number;
	points: number;
	/** The expected answer in clear: only the seed's caller knows it (the database holds its hash). */
	answer: string;
}

export interface SeededContest {
	contestId: string;
	startsAt: Date;
	endsAt: Date;
	problems: SeededProblem[];
	participants: number;
	submissions: number;
	/** Participants with at least one accepted answer. */
	solvers: number;
	seconds: number;
}

/** A submission row as submit inserts it. */
type SubmissionRow = [contestId: string, problemId: string, userId: string, verdict: "accepted" | "wrong", scored: boolean, at: Date];

/**
 * One participant's history: each problem tried or not (harder ones less often, stronger
 * participants more often), up to three wrong answers before the accepted one (or instead of it),
 * now and then a resubmission of a solved problem; times ordered within [start, cutoff]. A named
 * account's tries all end in a solve (`solvedOnly`): its next answer starts no wrong streak's cooldown.
 */
function history(
	random: Random,
	contestId: string,
	userId: string,
	problems: SeededProblem[],
	from: number,
	to: number,
	solvedOnly: boolean
): SubmissionRow[] {
	// A fifth of the field registers and never answers; the others' strength is skewed low.
	if (random() < 0.2) return [];
	const strength = random() ** 1.5;
	const attempts: { problem: SeededProblem; verdict: "accepted" | "wrong"; scored: boolean }[][] = [];
	for (const [k, problem] of problems.entries()) {
		const difficulty = (k + 1) / (problems.length + 1);
		if (random() > strength + 0.5 - difficulty / 2) continue;
		const solves = random() < strength + 0.6 - difficulty;
		if (solvedOnly && !solves) continue;
		const wrong = Math.floor(random() ** 2 * (solves ? 4 : 3.99)) + (solves ? 0 : 1);
		const tries: (typeof attempts)[number] = Array.from({ length: wrong }, () => ({
			problem,
			verdict: "wrong" as const,
			scored: false
		}));
		if (solves) {
			tries.push({ problem, verdict: "accepted", scored: true });
			if (random() < 0.05) tries.push({ problem, verdict: "accepted", scored: false });
		}
		attempts.push(tries);
	}
	// Problems are worked on in order, each attempt a little after the previous one.
	const flat = attempts.flat();
	const times = Array.from({ length: flat.length }, () => from + random() * (to - from)).sort((a, b) => a - b);
	return flat.map((a, i) => [contestId, a.problem.id, userId, a.verdict, a.scored, new Date(times[i])]);
}

async function insertRows(
	sequelize: Sequelize,
	table: string,
	columns: string[],
	rows: unknown[][],
	transaction: Transaction
): Promise<void> {
	if (!rows.length) return;
	const values = rows.map((_, i) => `(${columns.map((_, j) => `$${i * columns.length + j + 1}`).join(", ")})`);
	await sequelize.query(`INSERT INTO "${SCHEMA}".${table} (${columns.join(", ")}) VALUES ${values.join(", ")}`, {
		bind: rows.flat(),
		transaction
	});
}

/** Inserts the contest, its problems, participants and submissions, in one transaction. */
export async function seedContest(sequelize: Sequelize, options: SeedContestOptions): Promise<SeededContest> {
	const started = performance.now();
	const {
		participants,
		problems: problemCount = 5,
		jwtSecret,
		userIds = [],
		scoring = "icpc",
		startedMinutesAgo = 10,
		hours = 5,
		seed = 1,
		batchSize = 2000
	} = options;
	if (userIds.length > participants) throw new Error(`${userIds.length} user ids for ${participants} participants`);
	if (!(startedMinutesAgo >= 2))
		throw new Error("the contest must have started at least 2 minutes ago, for its submissions to be in the past");
	const random = prng(seed);
	const key = new AnswerKey(jwtSecret);
	const now = Date.now();
	const startsAt = new Date(now - startedMinutesAgo * MINUTE_MS);
	const endsAt = new Date(startsAt.getTime() + hours * 60 * MINUTE_MS);
	const contestId = randomUUID();
	const problems: SeededProblem[] = Array.from({ length: problemCount }, (_, i) => ({
		id: randomUUID(),
		position: i + 1,
		points: 100 * (i + 1),
		answer: `${Math.floor(random() * 1e9)}-${String.fromCharCode(97 + i)}`
	}));
	// Submissions end a minute before now: the longest cooldown they leave behind (three wrong in a row: 20 s) has run out.
	const cutoff = now - MINUTE_MS;
	let submissions = 0;
	let solvers = 0;

	await sequelize.transaction(async transaction => {
		await sequelize.query(
			`INSERT INTO "${SCHEMA}".contests (id, title, description, starts_at, ends_at, scoring, freeze_minutes, organiser_id, started_event_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $4)`,
			{
				bind: [
					contestId,
					`Seeded contest (${participants} participants)`,
					"A running contest seeded by scripts/seed-contest.ts.",
					startsAt,
					endsAt,
					scoring,
					60,
					randomUUID()
				],
				transaction
			}
		);
		await insertRows(
			sequelize,
			"problems",
			["id", "contest_id", "position", "title", "statement", "statement_html", "points", "case_sensitive", "answer_hash"],
			problems.map(p => {
				const statement = `## Problem ${p.position}\n\nCompute the answer and submit it as **text**: digits, a dash, then a letter.`;
				return [
					p.id,
					contestId,
					p.position,
					`Problem ${p.position}`,
					statement,
					renderMarkdown(statement),
					p.points,
					false,
					key.hash(p.answer, false)
				];
			}),
			transaction
		);
		let people: unknown[][] = [];
		const rows: SubmissionRow[] = [];
		const flush = async (force: boolean) => {
			// Participants first, always: each submission references its participant.
			if (people.length && (force || people.length >= batchSize || rows.length >= batchSize)) {
				await insertRows(sequelize, "participants", ["contest_id", "user_id", "registered_at"], people, transaction);
				people = [];
			}
			while (rows.length && (force || rows.length >= batchSize)) {
				await insertRows(
					sequelize,
					"submissions",
					["contest_id", "problem_id", "user_id", "verdict", "scored", "submitted_at"],
					rows.splice(0, batchSize),
					transaction
				);
			}
		};
		for (let i = 0; i < participants; i++) {
			const userId = userIds[i] ?? randomUUID();
			// Most registered in the days before; a tenth late, while it runs (before their first answer).
			const late = random() < 0.1;
			const registeredAt = late
				? startsAt.getTime() + random() * (cutoff - startsAt.getTime()) * 0.5
				: startsAt.getTime() - random() * 3 * 24 * 60 * MINUTE_MS;
			const own = history(
				random,
				contestId,
				userId,
				problems,
				Math.max(registeredAt, startsAt.getTime()),
				cutoff,
				i < userIds.length
			);
			people.push([contestId, userId, new Date(registeredAt)]);
			rows.push(...own);
			submissions += own.length;
			if (own.some(r => r[3] === "accepted")) solvers++;
			await flush(false);
		}
		await flush(true);
	});
	// Fresh statistics, as after any bulk load.
	await sequelize.query(`ANALYZE "${SCHEMA}".participants, "${SCHEMA}".submissions, "${SCHEMA}".problems`);
	return { contestId, startsAt, endsAt, problems, participants, submissions, solvers, seconds: (performance.now() - started) / 1000 };
}

/** The contests database as the service finds it: --database-url, else CONTESTS_DATABASE_URL or DATABASE_URL (config/index.ts). */
export function contestsDatabase(url?: string): DatabaseTarget {
	const { CONTESTS_DATABASE_URL, DATABASE_URL, DATA_DIR } = process.env;
	return loadConfig({ CONTESTS_DATABASE_URL: url ?? CONTESTS_DATABASE_URL, DATABASE_URL, DATA_DIR }).database.for("contests");
}

/** Migrates one contests database (the service's own migrations) and seeds a running contest in it (the bench seeds each topology's with this). */
export async function seedContestDatabase(target: DatabaseTarget, options: SeedContestOptions): Promise<SeededContest> {
	const database = await openDatabase(target, { poolMax: 2, queryTimeoutMs: 120_000, log: () => {} });
	try {
		await migrate(database.sequelize, SCHEMA, migrations);
		return await seedContest(database.sequelize, options);
	} finally {
		await database.close();
	}
}
