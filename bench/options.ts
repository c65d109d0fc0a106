import path from "node:path";
import { LANGUAGE_IDS, type LanguageId } from "../services/judge/judge.contract";
import { OPT_IN_SCENARIOS, SCENARIO_IDS, type ScenarioId, STEADY_LEADERBOARD, TOPOLOGIES, TOPOLOGY_IDS, type TopologyId } from "./model";

export interface BenchOptions {
	/** Seconds of each measured run. */
	duration: number;
	/** Seconds of load before each measured window, not counted (login takes at least 8). */
	warmup: number;
	/**
	 * Seconds of the login window: logins answer in bursts (the JWT signature waits in libuv's
	 * thread pool behind every queued scrypt), many seconds apart, so 10 s catch 0 or 1 burst.
	 */
	loginDuration: number;
	connections: number;
	rounds: number;
	topologies: TopologyId[];
	/** The scenarios to run, where their topologies have them; "raw" (the baseline of every ratio) always. */
	scenarios: ScenarioId[];
	/** Posts seeded into each topology that runs a posts scenario. */
	posts: number;
	/** Participants of the contest seeded into each topology that runs a contest scenario. */
	participants: number;
	/**
	 * Of those, users with accounts and access tokens, whose submissions the submit scenario
	 * rotates through (× 5 problems: the pairs that must outlast the service's 5 s throttle).
	 */
	contestUsers: number;
	/** Reads per second of the steady leaderboard runs; undefined: calibrated (leaderboardLoad × saturated reads/s). */
	leaderboardRate?: number;
	/** Fraction of the saturated leaderboard read throughput the steady runs offer (contest and global boards). */
	leaderboardLoad: number;
	/** Rated players seeded into each topology's rankings database for the ranking scenarios. */
	rankingPlayers: number;
	/** Reads per second of the steady global board runs; undefined: calibrated (leaderboardLoad × saturated reads/s). */
	rankingRate?: number;
	/** Participants of the contest whose rating recomputation is timed (in the runner) when a ranking scenario runs. */
	ratingParticipants: number;
	/** REQUEST_TIMEOUT_MS of the nodes: long enough that 50 queued scrypt logins are not cut at 3 s. */
	requestTimeoutMs: number;
	/** Seconds a topology may take to become ready. */
	startupTimeout: number;
	/** Longest wait, in seconds, for every process to go quiet between runs. */
	settleTimeout: number;
	output: string;
	postgresUrl: string;
	redisUrl: string;
	amqpUrl: string;
	/** Writes per second of the steady (paced) event runs; undefined: calibrated (eventLoad × saturated writes/s). */
	eventRate?: number;
	/** Fraction of the saturated write throughput (consumer attached) the steady runs offer. */
	eventLoad: number;
	/** Registered users whose access tokens the write scenarios rotate through. */
	eventUsers: number;
	/** Longest wait, in seconds, for every event of a measured window to reach the audit database. */
	eventsDeadline: number;
	/** The judge scenario (opt-in): whether it runs, its languages, and the seconds of each of its windows. */
	judge: boolean;
	judgeLanguages: LanguageId[];
	judgeDuration: number;
	/** The soak scenario (opt-in): whether it runs, its minutes of load, seconds between kills, requests per second, and its PRNG's seed. */
	soak: boolean;
	soakMinutes: number;
	soakKillEvery: number;
	soakRate: number;
	soakSeed: number;
}

const HELP = `Usage: npm run bench -- [options]   (each option also as BENCH_<NAME>, e.g. BENCH_DURATION=2)

  --duration <s>          seconds per measured run (10)
  --warmup <s>            seconds of load before each measured window, not counted (2; login: at least 8)
  --login-duration <s>    seconds per measured login run (3 × duration): logins answer in bursts
  --connections <n>       concurrent connections (50)
  --rounds <n>            rounds; each runs every scenario once, medians are reported (3)
  --topologies <list>     comma-separated, from ${TOPOLOGY_IDS.join(", ")} (all)
  --scenarios <list>      comma-separated, from ${SCENARIO_IDS.join(", ")} (all);
                          raw, the baseline of every ratio, always runs; topologies left without a scenario don't start;
                          and ${OPT_IN_SCENARIOS.join(", ")}, only when named (minutes long: once, after the rounds, on its own topology)
  --posts <n>             posts seeded into each topology running a posts scenario (10000)
  --participants <n>      participants of the contest seeded into each topology running a contest scenario (10000)
  --contest-users <n>     of those, users with accounts whose submissions the submit scenario rotates through (1000);
                          a (user, problem) pair comes back every users × 5 requests, and the service accepts one per 5 s
  --leaderboard-rate <n>  reads/s of the steady leaderboard runs (default: calibrated, see --leaderboard-load)
  --leaderboard-load <f>  steady rate as a fraction of the saturated leaderboard read throughput (0.5)
  --ranking-players <n>   rated players seeded into the rankings database for ranking-read(-steady) (100000)
  --ranking-rate <n>      reads/s of the steady global board runs (default: calibrated, see --leaderboard-load)
  --rating-participants <n> participants of the contest whose rating recomputation is timed beside the ranking scenarios (10000)
  --request-timeout-ms <n> REQUEST_TIMEOUT_MS of the nodes (30000)
  --startup-timeout <s>   deadline for a topology's /health/ready (90)
  --settle-timeout <s>    longest wait for the processes to go idle between runs (180: queued logins drain slowly)
  --output <file>         JSON results (bench/results/latest.json)
  --event-rate <n>        writes/s of the steady event runs (default: calibrated, see --event-load)
  --event-load <f>        steady rate as a fraction of the saturated write throughput, consumer attached (0.5)
  --event-users <n>       users whose tokens the writes rotate through (4)
  --events-deadline <s>   longest wait for every event of a window to reach the audit database (60)
  --judge-languages <list> the judge scenario's languages, from ${LANGUAGE_IDS.join(", ")} (all)
  --judge-duration <s>    seconds of each judge window: saturated, then half that rate (10)
  --soak-minutes <m>      minutes of the soak's mixed load (10)
  --soak-kill-every <s>   seconds between two kills of the soak (30)
  --soak-rate <n>         requests/s of the soak's load (30)
  --soak-seed <n>         seed of the soak's choices: its mix and which node each kill hits (1)
  --postgres-url, --redis-url, --amqp-url   the real services (127.0.0.1 defaults)

Quick smoke run: npm run bench -- --duration 2 --warmup 1 --rounds 1
Event throughput only: npm run bench -- --topologies events
Posts only: npm run bench -- --scenarios post-read,post-search,post-write --duration 5 --rounds 1
Scale-out only (kill -9 a posts node under load, start a third): npm run bench -- --scenarios scale-out --rounds 1
Contests only: npm run bench -- --scenarios leaderboard-read,leaderboard-read-steady,leaderboard-read-live,submit --duration 8 --rounds 1
Judge only (about 6 minutes on 2 cores): npm run bench -- --scenarios judge --rounds 1
Soak only (kill -9 under mixed load; 10 minutes and the drain): npm run bench -- --scenarios soak --rounds 1 [--soak-minutes 2]
`;

function readArgs(argv: string[]): Map<string, string> {
	const args = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === "--help" || arg === "-h") {
			process.stdout.write(HELP);
			process.exit(0);
		}
		if (!arg.startsWith("--")) throw new Error(`Unexpected argument "${arg}"\n\n${HELP}`);
		const eq = arg.indexOf("=");
		if (eq > 0) {
			args.set(arg.slice(2, eq), arg.slice(eq + 1));
		} else {
			const value = argv[i + 1];
			if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value`);
			args.set(arg.slice(2), value);
			i++;
		}
	}
	return args;
}

export function parseOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
	const args = readArgs(argv);
	const known = new Set<string>();
	const raw = (name: string): string | undefined => {
		known.add(name);
		return args.get(name) ?? (env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`] || undefined);
	};
	const number = (name: string, fallback: number, { integer = false, min = 0 } = {}): number => {
		const value = raw(name);
		if (value === undefined) return fallback;
		const n = Number(value);
		if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
			throw new Error(`--${name} must be ${integer ? "an integer" : "a number"} ≥ ${min}, got "${value}"`);
		}
		return n;
	};
	const list = <T extends string>(name: string, what: string, known: readonly T[], defaults: readonly T[] = known): T[] => {
		const items = (raw(name) ?? defaults.join(","))
			.split(",")
			.map(s => s.trim())
			.filter(Boolean);
		const unknown = items.find(item => !(known as readonly string[]).includes(item));
		if (unknown) throw new Error(`Unknown ${what} "${unknown}"; known: ${known.join(", ")}`);
		return items as T[];
	};
	const named = list("scenarios", "scenario", [...SCENARIO_IDS, ...OPT_IN_SCENARIOS], SCENARIO_IDS);
	const scenarios = named.filter((s): s is ScenarioId => !(OPT_IN_SCENARIOS as readonly string[]).includes(s));
	if (!scenarios.includes("raw")) scenarios.unshift("raw");
	// The steady leaderboard p99 comes with its control: the same open loop against the raw server.
	if (STEADY_LEADERBOARD.some(s => scenarios.includes(s)) && !scenarios.includes("raw-steady")) scenarios.push("raw-steady");
	const topologies = list("topologies", "topology", TOPOLOGY_IDS).filter(id => TOPOLOGIES[id].scenarios.some(s => scenarios.includes(s)));
	const options: BenchOptions = {
		duration: number("duration", 10, { min: 1 }),
		warmup: number("warmup", 2),
		loginDuration: 0,
		connections: number("connections", 50, { integer: true, min: 1 }),
		rounds: number("rounds", 3, { integer: true, min: 1 }),
		topologies,
		scenarios,
		posts: number("posts", 10_000, { integer: true, min: 1 }),
		participants: number("participants", 10_000, { integer: true, min: 1 }),
		contestUsers: number("contest-users", 1000, { integer: true, min: 1 }),
		leaderboardRate: raw("leaderboard-rate") === undefined ? undefined : number("leaderboard-rate", 0, { min: 1 }),
		leaderboardLoad: number("leaderboard-load", 0.5, { min: 0.01 }),
		rankingPlayers: number("ranking-players", 100_000, { integer: true, min: 1 }),
		rankingRate: raw("ranking-rate") === undefined ? undefined : number("ranking-rate", 0, { min: 1 }),
		ratingParticipants: number("rating-participants", 10_000, { integer: true, min: 1 }),
		requestTimeoutMs: number("request-timeout-ms", 30_000, { integer: true, min: 1 }),
		startupTimeout: number("startup-timeout", 90, { min: 1 }),
		settleTimeout: number("settle-timeout", 180),
		output: path.resolve(raw("output") ?? path.join(__dirname, "results", "latest.json")),
		postgresUrl: raw("postgres-url") ?? "postgres://postgres@127.0.0.1:5432/postgres",
		redisUrl: raw("redis-url") ?? "redis://127.0.0.1:6379",
		amqpUrl: raw("amqp-url") ?? "amqp://guest:guest@127.0.0.1:5672",
		eventRate: raw("event-rate") === undefined ? undefined : number("event-rate", 0, { min: 1 }),
		eventLoad: number("event-load", 0.5, { min: 0.01 }),
		eventUsers: number("event-users", 4, { integer: true, min: 1 }),
		eventsDeadline: number("events-deadline", 60, { min: 1 }),
		judge: named.includes("judge"),
		judgeLanguages: list("judge-languages", "language", LANGUAGE_IDS),
		judgeDuration: number("judge-duration", 10, { min: 1 }),
		soak: named.includes("soak"),
		soakMinutes: number("soak-minutes", 10, { min: 0.5 }),
		soakKillEvery: number("soak-kill-every", 30, { min: 5 }),
		soakRate: number("soak-rate", 30, { min: 1 }),
		soakSeed: number("soak-seed", 1, { integer: true })
	};
	if (options.leaderboardLoad > 1)
		throw new Error(`--leaderboard-load is a fraction of the saturated throughput (≤ 1), got ${options.leaderboardLoad}`);
	if (options.eventLoad > 1) throw new Error(`--event-load is a fraction of the saturated throughput (≤ 1), got ${options.eventLoad}`);
	options.loginDuration = number("login-duration", 3 * options.duration, { min: 1 });
	const unknown = [...args.keys()].filter(k => !known.has(k));
	if (unknown.length) throw new Error(`Unknown option ${unknown.map(k => `--${k}`).join(", ")}\n\n${HELP}`);
	return options;
}
