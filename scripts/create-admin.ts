/**
 * Creates the first admin (or promotes an existing user):
 *   npm run create-admin -- --username ada --email ada@example.com --password '…'
 * In a cluster (TRANSPORTER set) it joins as a node without services and calls users.createAdmin
 * on a running users node. Without a transporter it opens the users database itself (stop a
 * running one-process `npm start` first, or use its REPL: `call users.createAdmin --username …`).
 */
import { parseArgs } from "node:util";
import { config, ConfigError, loadConfig } from "../config";
import { createBroker } from "../broker/create-broker";

async function main() {
	const { values } = parseArgs({
		options: { username: { type: "string" }, email: { type: "string" }, password: { type: "string" } },
		strict: true
	});
	const password = values.password ?? process.env.ADMIN_PASSWORD;
	if (!values.username || !values.email || !password) {
		throw new ConfigError("Usage: npm run create-admin -- --username NAME --email EMAIL --password PASSWORD (or ADMIN_PASSWORD)");
	}
	const base = config();
	const c = loadConfig({
		...process.env,
		SERVICES: base.transporter ? "" : "users",
		METRICS_ENABLED: "false",
		LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
		NODE_ID: `create-admin-${process.pid}`
	});
	const broker = await createBroker(base.transporter ? { ...c, services: [] } : c);
	await broker.start();
	try {
		await broker.waitForServices("users", 15_000);
		const admin = await broker.call("users.createAdmin", { username: values.username, email: values.email, password });
		process.stdout.write(`Admin ready: ${JSON.stringify(admin)}\n`);
	} finally {
		await broker.stop();
	}
}

main().catch(err => {
	process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
	process.exit(1);
});
