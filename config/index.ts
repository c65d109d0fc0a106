import os from "node:os";
import path from "node:path";
import { developmentSecret } from "./development-secret";
import { DATABASE_SERVICES, type DatabaseServiceName, databaseUrlVariable, envSchema, SERVICE_NAMES, type ServiceName } from "./schema";

export { DATABASE_SERVICES, SERVICE_NAMES };
export type { DatabaseServiceName, ServiceName };

export class ConfigError extends Error {
	override name = "ConfigError";
}

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "embedded"; dataDir: string };

/**
 * JWT_SECRET, or in development without it a random secret kept in the data directory, read (and
 * made, the first time) only when something signs or verifies: loading the config for a port or a
 * database URL writes nothing.
 */
function jwtSecretOf(given: string | undefined, dataDir: string): () => string {
	let secret = given;
	return () => {
		try {
			secret ??= developmentSecret(dataDir);
		} catch (err) {
			throw new ConfigError(
				`Invalid configuration:\n  JWT_SECRET: unset, and the development secret in ${dataDir} is unusable: ${(err as Error).message}`
			);
		}
		return secret;
	};
}

function parseEnv(env: NodeJS.ProcessEnv) {
	// An empty variable means "not set", as in most .env tooling.
	const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
	const result = envSchema.safeParse(present);
	if (!result.success) {
		const lines = result.error.issues.map(i => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
		throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
	}
	return result.data;
}

/** What the process writes to, besides the environment: it picks the log format when LOG_FORMAT does not. */
export interface Terminal {
	stdoutIsTTY: boolean;
}

/** Reads and validates the environment once; the rest of the code receives this typed object. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, terminal: Terminal = { stdoutIsTTY: process.stdout.isTTY === true }) {
	const e = parseEnv(env);
	const services: ServiceName[] = e.SERVICES?.length ? [...new Set(e.SERVICES)] : [...SERVICE_NAMES];
	const dataDir = path.resolve(e.DATA_DIR);
	const jwtSecret = jwtSecretOf(e.JWT_SECRET, dataDir);

	const databaseFor = (service: DatabaseServiceName): DatabaseTarget => {
		const own = e[databaseUrlVariable(service)];
		if (own) return { kind: "postgres", url: own };
		if (e.DATABASE_URL) {
			const url = new URL(e.DATABASE_URL);
			url.pathname = `/codelearn_${service}`;
			return { kind: "postgres", url: url.toString() };
		}
		return { kind: "embedded", dataDir: path.join(dataDir, "pglite") };
	};

	return Object.freeze({
		env: e.NODE_ENV,
		isDevelopment: e.NODE_ENV === "development",
		namespace: e.NAMESPACE,
		// Default: hostname + pid, unique per process; set NODE_ID (e.g. the pod name) for a stable id.
		nodeID: e.NODE_ID ?? `${os.hostname()}-${process.pid}`,
		services,
		logLevel: e.LOG_LEVEL,
		logFormat: e.LOG_FORMAT ?? (terminal.stdoutIsTTY ? "pretty" : "json"),
		transporter: e.TRANSPORTER === "none" ? null : e.TRANSPORTER,
		amqpPrefetch: e.AMQP_PREFETCH,
		heartbeatIntervalS: e.HEARTBEAT_INTERVAL_S,
		heartbeatTimeoutS: e.HEARTBEAT_TIMEOUT_S,
		cacher: e.CACHER === "memory" ? null : e.CACHER,
		// Domain events: RabbitMQ when there is one (the AMQP transporter's, unless set), else in-process.
		events: {
			amqpUrl: e.EVENTS_AMQP_URL ?? (e.TRANSPORTER.startsWith("amqp") ? e.TRANSPORTER : null),
			// A failed delivery is retried after base, 4×base, 16×base, ... then kept as a dead letter.
			retry: { maxAttempts: e.EVENT_MAX_ATTEMPTS, baseDelayMs: e.EVENT_RETRY_BASE_MS }
		},
		database: {
			for: databaseFor,
			poolMax: e.DATABASE_POOL_MAX,
			queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS
		},
		dataDir,
		http: {
			host: e.HOST,
			port: e.PORT,
			healthPort: e.HEALTH_PORT,
			bodyLimit: e.BODY_LIMIT,
			corsOrigins: e.CORS_ORIGINS,
			cacheMaxBytes: e.HTTP_CACHE_MAX_MB * 1024 * 1024,
			trustProxy: e.TRUST_PROXY
		},
		metrics: { enabled: e.METRICS_ENABLED, port: e.METRICS_PORT },
		repl: e.REPL,
		requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
		judge: { slots: e.JUDGE_SLOTS ?? os.availableParallelism() },
		rateLimit: { windowMs: e.RATE_LIMIT_WINDOW_MS, max: e.RATE_LIMIT_MAX },
		auth: {
			get jwtSecret() {
				return jwtSecret();
			},
			usesDevelopmentSecret: !e.JWT_SECRET,
			accessTokenTtlS: e.ACCESS_TOKEN_TTL_S,
			refreshTokenTtlS: e.REFRESH_TOKEN_TTL_S,
			passwordHashLogN: e.PASSWORD_HASH_LOG_N,
			loginThrottle: {
				maxFailuresPerAccountAndClient: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_CLIENT,
				maxFailuresPerClient: e.LOGIN_MAX_FAILURES_PER_CLIENT,
				windowS: e.LOGIN_FAILURE_WINDOW_S,
				accountSlowdownAfter: e.LOGIN_ACCOUNT_SLOWDOWN_AFTER,
				accountMaxDelayMs: e.LOGIN_ACCOUNT_MAX_DELAY_MS
			},
			registrationThrottle: { maxPerClient: e.REGISTER_MAX_PER_CLIENT, windowS: e.REGISTER_WINDOW_S }
		}
	});
}

export type Config = ReturnType<typeof loadConfig>;

let current: Config | undefined;

/** The process-wide configuration, loaded on first use. */
export function config(): Config {
	current ??= loadConfig();
	return current;
}
