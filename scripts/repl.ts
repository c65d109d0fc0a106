/**
 * The Moleculer REPL on a running cluster:  npm run repl
 * Joins with this environment's TRANSPORTER and NAMESPACE as an extra node that runs no services
 * (no metrics, probes on any free port), then opens the REPL with the operators' commands
 * (broker/repl). For the one-process mode, start that process with it instead: REPL=true npm start.
 */
import os from "node:os";
import { config, ConfigError, loadConfig } from "../config";
import { createBroker } from "../broker/create-broker";
import { startRepl } from "../broker/repl";

async function main() {
	if (!config().transporter) {
		throw new ConfigError("TRANSPORTER is not set: there is no cluster to join. For the one-process mode run: REPL=true npm start");
	}
	const c = loadConfig({
		...process.env,
		METRICS_ENABLED: "false",
		HEALTH_PORT: "0",
		LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
		NODE_ID: `repl-${os.hostname()}-${process.pid}`
	});
	const broker = await createBroker({ ...c, services: [] });
	await broker.start();
	startRepl(broker);
}

main().catch(err => {
	process.stderr.write(`${err instanceof ConfigError ? err.message : `REPL start-up failed: ${(err as Error).stack ?? err}`}\n`);
	process.exit(1);
});
