import type { ServiceBroker } from "moleculer";

/**
 * A check's state, and nothing else: `/health/ready` answers anonymous callers, so the reason for
 * a failure (an address, a database error) goes to the log, never into the answer.
 */
export type CheckState = "ok" | "down" | "starting" | "stopping";

export interface Readiness {
	ready: boolean;
	checks: Record<string, CheckState>;
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Each broker's last logged failure per check: a probe every few seconds logs a fault once, and its end. */
const lastFailures = new WeakMap<ServiceBroker, Map<string, string>>();

function remember(broker: ServiceBroker, check: string, failure: string | undefined) {
	const failures = lastFailures.get(broker) ?? new Map<string, string>();
	lastFailures.set(broker, failures);
	if (failure === failures.get(check)) return;
	if (failure === undefined) {
		failures.delete(check);
		broker.logger.info(`Readiness: ${check} is up again`);
	} else {
		failures.set(check, failure);
		broker.logger.warn(`Readiness: ${check} is down: ${failure}`);
	}
}

async function outcome(broker: ServiceBroker, check: string, probe: () => Promise<unknown>): Promise<CheckState> {
	try {
		await withTimeout(probe(), check);
		remember(broker, check, undefined);
		return "ok";
	} catch (err) {
		remember(broker, check, (err as Error).message || String(err));
		return "down";
	}
}

interface HealthCheckedService {
	name: string;
	healthCheck?: () => Promise<void>;
}

/**
 * Ready means this node can do its work: the broker has started, and its databases, cacher and
 * transporter answer. A stopping node is not ready, so that traffic drains before it leaves.
 */
export async function checkReadiness(broker: ServiceBroker, stopping: boolean): Promise<Readiness> {
	const checks: Record<string, CheckState> = {};
	checks.broker = stopping ? "stopping" : broker.started ? "ok" : "starting";

	const transit = broker.transit as { connected?: boolean } | undefined;
	if (transit) {
		checks.transporter = transit.connected ? "ok" : "down";
		remember(broker, "transporter", transit.connected ? undefined : "not connected");
	}

	const cacher = broker.cacher as { client?: { ping(): Promise<string> } } | undefined;
	if (cacher?.client) checks.cacher = await outcome(broker, "cacher", () => cacher.client!.ping());

	const services = broker.services as unknown as HealthCheckedService[];
	await Promise.all(
		services
			.filter(s => typeof s.healthCheck === "function")
			.map(async s => {
				checks[`${s.name}.database`] = await outcome(broker, `${s.name}.database`, () => s.healthCheck!());
			})
	);

	// The cacher is reported, not required: without Redis reads go to the databases (lib/resilient-redis-cacher.ts).
	return { ready: Object.entries(checks).every(([name, v]) => v === "ok" || name === "cacher"), checks };
}
