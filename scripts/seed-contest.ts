/**
 * Seeds one running contest with many participants and their submission histories, stored as the
 * contests service stores them (answers only as AnswerKey hashes, statements rendered, verdicts
 * and `scored` as submit would have set them):
 *   npm run seed-contest -- --participants 10000 --database-url postgres://postgres@127.0.0.1:5432/codelearn_contests
 * Without --database-url: CONTESTS_DATABASE_URL, else DATABASE_URL's server with codelearn_contests,
 * else the embedded database in DATA_DIR (config/index.ts; stop `npm start` first, it holds that one).
 * The answers are hashed with JWT_SECRET (or --jwt-secret): the nodes must run with the same one.
 * Runs the service's migrations first, so an empty database will do. The contest started
 * --started-minutes-ago minutes ago and runs for --hours hours; seed data announces nothing (no
 * outbox events; the start counts as announced already). Participants are random ids unless
 * --user-ids names real accounts, which come first (they then can submit and see their own row;
 * their seeded tries on a problem always end in its solve, so no wrong streak's cooldown is pending).
 * The leaderboard store is left empty: the service rebuilds it from these rows on the first read.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { contestsDatabase, seedContestDatabase } from "./seed/contest";

async function main() {
	const { values } = parseArgs({
		options: {
			participants: { type: "string", default: "10000" },
			problems: { type: "string", default: "5" },
			"database-url": { type: "string" },
			"jwt-secret": { type: "string" },
			"user-ids": { type: "string" },
			scoring: { type: "string", default: "icpc" },
			"started-minutes-ago": { type: "string", default: "10" },
			hours: { type: "string", default: "5" },
			seed: { type: "string", default: "1" }
		}
	});
	const integer = (name: keyof typeof values, min: number) => {
		const n = Number(values[name]);
		if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${values[name]}"`);
		return n;
	};
	if (values.scoring !== "icpc" && values.scoring !== "points")
		throw new Error(`--scoring must be icpc or points, got "${values.scoring}"`);
	// The secret the nodes use: --jwt-secret, else JWT_SECRET (in development, the development default).
	const jwtSecret =
		values["jwt-secret"] ?? loadConfig({ ...process.env, NODE_ENV: process.env.NODE_ENV ?? "development" }).auth.jwtSecret;
	const target = contestsDatabase(values["database-url"]);
	const seeded = await seedContestDatabase(target, {
		participants: integer("participants", 1),
		problems: integer("problems", 1),
		jwtSecret,
		userIds: values["user-ids"]
			?.split(",")
			.map(s => s.trim())
			.filter(Boolean),
		scoring: values.scoring,
		startedMinutesAgo: integer("started-minutes-ago", 2),
		hours: integer("hours", 1),
		seed: integer("seed", 0)
	});
	const where = target.kind === "postgres" ? target.url.replace(/\/\/[^@/]*@/, "//") : `embedded database in ${target.dataDir}`;
	process.stdout.write(
		`Seeded contest ${seeded.contestId} into ${where} in ${seeded.seconds.toFixed(1)} s: ${seeded.participants} participants, ` +
			`${seeded.submissions} submissions (${seeded.solvers} participants solved something); running ${seeded.startsAt.toISOString()} → ${seeded.endsAt.toISOString()}\n` +
			seeded.problems.map(p => `  problem ${p.position} ${p.id} (${p.points} points): answer ${p.answer}\n`).join("")
	);
}

if (require.main === module) {
	main().catch(err => {
		process.stderr.write(`${(err as Error).message}\n`);
		process.exit(1);
	});
}
