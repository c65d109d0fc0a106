import type { ServiceBroker } from "moleculer";

export interface Readiness {
	ready: boolean;
	checks: Record<string, "ok" | string>;
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function outcome(check: () => Promise<unknown>, what: string): Promise<"ok" | string> {
	try {
		await withTimeout(check(), what);
		return "ok";
	} catch (err) {
		return (err as Error).message || "failed";
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
	const checks: Record<string, string> = {};
	checks.broker = stopping ? "stopping" : broker.started ? "ok" : "starting";

	const transit = broker.transit as { connected?: boolean } | undefined;
	if (transit) checks.transporter = transit.connected ? "ok" : "disconnected";

	const cacher = broker.cacher as { client?: { ping(): Promise<string> } } | undefined;
	if (cacher?.client) checks.cacher = await outcome(() => cacher.client!.ping(), "cacher");

	const services = broker.services as unknown as HealthCheckedService[];
	await Promise.all(
		services
			.filter(s => typeof s.healthCheck === "function")
			.map(async s => {
				checks[`${s.name}.database`] = await outcome(() => s.healthCheck!(), `${s.name} database`);
			})
	);

	return { ready: Object.values(checks).every(v => v === "ok"), checks };
}
