import { z } from "zod";
import { DATABASE_SERVICES, type DatabaseServiceName, SERVICE_NAMES, type ServiceName } from "../services/manifests";

// The service lists come from the services' manifests (a light file: names and flags, no code).
export { DATABASE_SERVICES, SERVICE_NAMES };
export type { DatabaseServiceName, ServiceName };

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const positiveSeconds = z.coerce.number().positive();
const bool = z.enum(["true", "false", "1", "0"]).transform(v => v === "true" || v === "1");
const list = z.string().transform(s =>
	s
		.split(",")
		.map(x => x.trim())
		.filter(Boolean)
);

const urlWithProtocol = (protocols: string[]) =>
	z.string().refine(
		value => {
			try {
				return protocols.includes(new URL(value).protocol);
			} catch {
				return false;
			}
		},
		{ message: `must be a URL starting with ${protocols.map(p => `${p}//`).join(" or ")}` }
	);

const databaseUrl = urlWithProtocol(["postgres:", "postgresql:"]).optional();

type DatabaseUrlVariable = `${Uppercase<DatabaseServiceName>}_DATABASE_URL`;

/** The variable overriding a service's database URL: `POSTS_DATABASE_URL` for posts. */
export const databaseUrlVariable = (service: DatabaseServiceName) => `${service.toUpperCase()}_DATABASE_URL` as DatabaseUrlVariable;

/** One optional URL variable per service with a database (its manifest says `database: true`). */
const serviceDatabaseUrls = Object.fromEntries(DATABASE_SERVICES.map(s => [databaseUrlVariable(s), databaseUrl])) as Record<
	DatabaseUrlVariable,
	typeof databaseUrl
>;

/** The environment as we accept it: names, types, defaults. Nothing else reads process.env. */
export const envSchema = z
	.object({
		NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
		NAMESPACE: z
			.string()
			.regex(/^[a-z0-9-]*$/, "lowercase letters, digits and dashes")
			.default("codelearn"),
		NODE_ID: z.string().min(1).optional(),
		SERVICES: list.pipe(z.array(z.enum(SERVICE_NAMES))).optional(),
		LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
		/** Unset: readable lines on a terminal, JSON lines otherwise (what collectors and tests read). */
		LOG_FORMAT: z.enum(["pretty", "json"]).optional(),

		TRANSPORTER: z.union([z.literal("none"), urlWithProtocol(["amqp:", "amqps:", "nats:"])]).default("none"),
		AMQP_PREFETCH: positiveInt.default(50),
		HEARTBEAT_INTERVAL_S: positiveSeconds.default(1),
		HEARTBEAT_TIMEOUT_S: positiveSeconds.default(2.5),
		EVENTS_AMQP_URL: urlWithProtocol(["amqp:", "amqps:"]).optional(),
		EVENT_MAX_ATTEMPTS: positiveInt.default(5),
		EVENT_RETRY_BASE_MS: positiveInt.default(1000),
		CACHER: z.union([z.literal("memory"), urlWithProtocol(["redis:", "rediss:"])]).default("memory"),

		DATABASE_URL: databaseUrl,
		...serviceDatabaseUrls,
		DATABASE_POOL_MAX: positiveInt.default(10),
		DATABASE_QUERY_TIMEOUT_MS: positiveInt.default(10_000),
		DATA_DIR: z.string().min(1).default(".data"),

		HOST: z.string().min(1).default("127.0.0.1"),
		PORT: port.default(8080),
		HEALTH_PORT: port.default(3001),
		METRICS_ENABLED: bool.default(true),
		METRICS_PORT: port.default(3030),
		REPL: bool.default(false),

		REQUEST_TIMEOUT_MS: positiveInt.default(3000),
		/** Submissions a judge node runs at once (each a sandbox busy on one core): its cores by default. */
		JUDGE_SLOTS: positiveInt.optional(),
		BODY_LIMIT: z
			.string()
			.regex(/^\d+(b|kb|mb)$/i, "a size such as 100kb")
			.default("100kb"),
		CORS_ORIGINS: list.pipe(z.array(z.url())).default([]),
		HTTP_CACHE_MAX_MB: positiveInt.default(64),
		TRUST_PROXY: list.default([]),
		RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
		RATE_LIMIT_MAX: positiveInt.default(600),

		JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
		PASSWORD_HASH_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
		ACCESS_TOKEN_TTL_S: positiveInt.default(900),
		REFRESH_TOKEN_TTL_S: positiveInt.default(30 * 24 * 3600),
		LOGIN_MAX_FAILURES_PER_ACCOUNT_CLIENT: positiveInt.default(5),
		LOGIN_MAX_FAILURES_PER_CLIENT: positiveInt.default(30),
		LOGIN_FAILURE_WINDOW_S: positiveInt.default(15 * 60),
		// Below the login's 10 s deadline with room for the hash itself.
		LOGIN_ACCOUNT_MAX_DELAY_MS: z.coerce
			.number()
			.int()
			.min(0)
			.max(5000, "must be at most 5000 (a login has 10 s in all)")
			.default(2000),
		LOGIN_ACCOUNT_SLOWDOWN_AFTER: positiveInt.default(10),
		REGISTER_MAX_PER_CLIENT: positiveInt.default(20),
		REGISTER_WINDOW_S: positiveInt.default(3600)
	})
	.superRefine((env, ctx) => {
		if (env.NODE_ENV === "production" && env.PASSWORD_HASH_LOG_N < 17) {
			ctx.addIssue({
				code: "custom",
				path: ["PASSWORD_HASH_LOG_N"],
				message: "must be at least 17 in production (OWASP's scrypt floor)"
			});
		}
		if (!env.JWT_SECRET && env.NODE_ENV !== "development") {
			ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required outside development" });
		}
		if (env.TRANSPORTER.startsWith("nats:") && !env.EVENTS_AMQP_URL) {
			ctx.addIssue({
				code: "custom",
				path: ["EVENTS_AMQP_URL"],
				message: "is required with a NATS transporter: domain events need RabbitMQ's durable queues"
			});
		}
		if (env.HEARTBEAT_TIMEOUT_S <= env.HEARTBEAT_INTERVAL_S) {
			ctx.addIssue({
				code: "custom",
				path: ["HEARTBEAT_TIMEOUT_S"],
				message: "must be greater than HEARTBEAT_INTERVAL_S"
			});
		}
	});

export type Env = z.infer<typeof envSchema>;
