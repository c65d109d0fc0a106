/** What a bench topology needs to start from a clean environment and to leave nothing behind. */
import { Redis } from "ioredis";
import { Client } from "pg";
import { envSchema } from "../config/schema";

/** The runner's environment without any of the application's variables, so the shell can't leak in. */
export function cleanEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const key of Object.keys(envSchema.shape)) delete env[key];
	return env;
}

export function withDatabase(serverUrl: string, database: string): string {
	const url = new URL(serverUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
	const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
	} finally {
		await client.end();
	}
}

/** Removes every Redis key of the namespace (cache entries, rate-limit and login counters). */
export async function deleteRedisKeys(redisUrl: string, namespace: string): Promise<void> {
	const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
	redis.on("error", () => {});
	try {
		await redis.connect();
		let cursor = "0";
		do {
			const [next, keys] = await redis.scan(cursor, "MATCH", `*${namespace}*`, "COUNT", 1000);
			if (keys.length) await redis.del(...keys);
			cursor = next;
		} while (cursor !== "0");
	} finally {
		redis.disconnect();
	}
}

/**
 * Removes the fanout exchanges Moleculer's AMQP transporter declares for a namespace (its queues
 * expire by themselves two minutes after their node left; these exchanges would stay for good).
 */
export async function deleteTransporterExchanges(namespace: string, amqpUrl: string): Promise<void> {
	const { default: amqp } = await import("amqplib");
	const connection = await amqp.connect(amqpUrl);
	connection.on("error", () => {});
	try {
		for (const packet of ["DISCOVER", "INFO", "HEARTBEAT", "PING", "DISCONNECT"]) {
			// A channel each: deleting a missing exchange closes the channel on some RabbitMQ versions.
			const channel = await connection.createChannel();
			channel.on("error", () => {});
			await channel.deleteExchange(`MOL-${namespace}.${packet}`).catch(() => {});
			await channel.close().catch(() => {});
		}
	} finally {
		await connection.close().catch(() => {});
	}
}
