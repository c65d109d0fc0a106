import type { BrokerOptions, Errors } from "moleculer";
import { type Config, config as loadedConfig } from "./config";
import { deadNodeWatch } from "./lib/dead-node-watch";
import { loggerOptions } from "./lib/logger";
import { boundedRedisOptions } from "./lib/redis-options";
import { ResilientRedisCacher } from "./lib/resilient-redis-cacher";
import { PromptDiscoverer } from "./lib/prompt-discoverer";
import { AuthorizationMiddleware } from "./middlewares/authorization.middleware";
import { DatabaseFaultsMiddleware } from "./middlewares/database-faults.middleware";
import { createHealthMiddleware } from "./middlewares/health.middleware";
import { KeyedWritesMiddleware } from "./middlewares/keyed-writes.middleware";
import { NoCallsToGoneNodesMiddleware } from "./middlewares/no-calls-to-gone-nodes.middleware";
import { RemoteCacheMiddleware } from "./middlewares/remote-cache.middleware";
import { RequestContextMiddleware } from "./middlewares/request-context.middleware";
import { SettleTimedOutCallsMiddleware } from "./middlewares/settle-timed-out-calls.middleware";
import { createValidatorMiddleware } from "./middlewares/validator.middleware";

/** Metric series that would publish the host's name, users, addresses or command line. */
const PRIVATE_METRICS = [
	"process.arguments",
	"process.pid",
	"process.ppid",
	"os.hostname",
	"os.user.**",
	"os.network.**",
	"os.cpu.info.**"
];

function transporterOptions(c: Config): BrokerOptions["transporter"] {
	if (!c.transporter) return null;
	if (c.transporter.startsWith("nats:")) return { type: "NATS", options: { url: c.transporter } };
	return {
		type: "AMQP",
		options: {
			url: c.transporter,
			// Measured: with Nagle's algorithm and prefetch 1 a remote call took > 2 s; these give ~140×.
			socketOptions: { noDelay: true },
			prefetch: c.amqpPrefetch,
			// Queues of nodes that died without a goodbye expire instead of piling up.
			autoDeleteQueues: 2 * 60 * 1000
		}
	};
}

/**
 * Broker options, built once from the typed configuration. Every fault-tolerance value is set
 * here explicitly: Moleculer's code defaults differ from its documentation.
 */
export function brokerOptions(c: Config = loadedConfig()): BrokerOptions {
	return {
		namespace: c.namespace,
		nodeID: c.nodeID,

		logger: loggerOptions(c.logLevel, { format: c.logFormat }),

		transporter: transporterOptions(c),
		cacher: c.cacher
			? new ResilientRedisCacher({ prefix: `${c.namespace}-cache`, ttl: 300, redis: boundedRedisOptions(c.cacher) })
			: { type: "Memory", options: { ttl: 300, clone: false } },
		serializer: "JSON",

		requestTimeout: c.requestTimeoutMs,
		retryPolicy: {
			// Off by default: only idempotent actions opt in (see lib/fault-tolerance.ts).
			enabled: false,
			retries: 3,
			delay: 100,
			maxDelay: 1000,
			factor: 2,
			// A timed-out call is not retried: the caller's own deadline has already passed.
			check: (err: Error) => (err as Errors.MoleculerRetryableError).retryable === true && err.name !== "RequestTimeoutError"
		},
		circuitBreaker: {
			enabled: true,
			threshold: 0.5,
			minRequestCount: 20,
			windowTime: 60,
			halfOpenTime: 10_000,
			check: (err: Error) => ((err as Errors.MoleculerError).code ?? 500) >= 500
		},
		bulkhead: { enabled: true, concurrency: 20, maxQueueSize: 200 },
		contextParamsCloning: false,
		maxCallLevel: 10,

		heartbeatInterval: c.heartbeatIntervalS,
		heartbeatTimeout: c.heartbeatTimeoutS,
		// stopDelay: a leaving node announces it, then waits this long before refusing calls, so
		// that callers stop routing to it first (Moleculer's default 100 ms let writes through to a 503).
		registry: { strategy: "RoundRobin", preferLocal: true, discoverer: new PromptDiscoverer(), stopDelay: 1000 },
		transit: { maxQueueSize: 50_000, disableReconnect: false },
		// Graceful shutdown: wait for in-flight requests before leaving.
		tracking: { enabled: true, shutdownTimeout: 10_000 },

		metrics: {
			enabled: c.metrics.enabled,
			collectProcessMetrics: true,
			reporter: {
				type: "Prometheus",
				options: { port: c.metrics.port, host: c.http.host, path: "/metrics", excludes: PRIVATE_METRICS }
			}
		},
		tracing: { enabled: false },
		// Validation runs inside authorization: see middlewares/validator.middleware.ts.
		validator: false,

		// The first listed runs innermost, right before the handler. Moleculer's internal
		// middlewares (cacher, bulkhead, breaker, timeout, retry) all wrap outside these.
		middlewares: [
			NoCallsToGoneNodesMiddleware,
			KeyedWritesMiddleware,
			createValidatorMiddleware(),
			AuthorizationMiddleware,
			RequestContextMiddleware,
			SettleTimedOutCallsMiddleware,
			createHealthMiddleware(c),
			DatabaseFaultsMiddleware,
			...(c.transporter?.startsWith("amqp") ? [deadNodeWatch(c.transporter, c.namespace)] : []),
			...(c.cacher ? [RemoteCacheMiddleware] : [])
		]
	};
}

export default brokerOptions;
