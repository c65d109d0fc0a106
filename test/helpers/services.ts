import { execFileSync } from "node:child_process";

/** The machine's real services; override with TEST_* variables. */
export const TEST_SERVICES = {
	postgres: process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
	redis: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
	amqp: process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
	nats: process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222"
};

export type TestService = keyof typeof TEST_SERVICES;

function reachable(url: string): boolean {
	const { hostname, port } = new URL(url);
	try {
		// A synchronous probe, so that a suite can decide to run or skip when it is declared.
		execFileSync("bash", ["-c", `exec 3<>/dev/tcp/${hostname}/${port}`], { timeout: 3000, stdio: "ignore" });
		return true;
	} catch {
		return false;
	}
}

/**
 * `false` when every named service answers; otherwise a skip reason. In CI (CI=true) a missing
 * service is a failure, never a skip.
 */
export function unavailable(...names: TestService[]): false | string {
	const missing = names.filter(name => !reachable(TEST_SERVICES[name]));
	if (!missing.length) return false;
	const reason = `needs ${missing.map(n => `${n} (${TEST_SERVICES[n]})`).join(", ")}`;
	if (process.env.CI === "true") throw new Error(`CI: required service down: ${reason}`);
	process.stderr.write(`skipping: ${reason}\n`);
	return reason;
}
