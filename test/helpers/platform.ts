import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ServiceBroker } from "moleculer";
import { type Config, loadConfig } from "../../config";
import { createBroker } from "../../broker/create-broker";
import { TEST_JWT_SECRET } from "./env";
import { type Api, apiClient } from "./http";

export interface Platform {
	broker: ServiceBroker;
	config: Config;
	baseUrl: string;
	api: Api;
	stop(): Promise<void>;
}

/** Test defaults: quiet, no metrics listener, any free gateway port. */
export const TEST_ENV = {
	NODE_ENV: "test",
	JWT_SECRET: TEST_JWT_SECRET,
	LOG_LEVEL: "warn",
	METRICS_ENABLED: "false",
	PORT: "0",
	HEALTH_PORT: "0",
	// Scrypt at 2^12 instead of 2^17: tests register hundreds of users; the cost itself is
	// production's concern (the config refuses less than 2^17 there).
	PASSWORD_HASH_LOG_N: "12",
	// Every test registers from 127.0.0.1; the throttle has its own tests (users-credentials).
	REGISTER_MAX_PER_CLIENT: "1000000"
} as const;

/** Starts a broker in this process with the given environment (gateway + users by default). */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
	const config = loadConfig({ ...TEST_ENV, ...env });
	const broker = await createBroker(config);
	await broker.start();
	const gateway = broker.getLocalService("gateway") as unknown as { server?: Server } | undefined;
	const port = gateway?.server ? (gateway.server.address() as AddressInfo).port : 0;
	const baseUrl = `http://127.0.0.1:${port}`;
	return { broker, config, baseUrl, api: apiClient(baseUrl), stop: () => broker.stop() };
}
