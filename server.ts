/**
 * The one entry point of the image: runs the services named in SERVICES (all by default) on one
 * broker. With no environment, everything runs in this process on embedded defaults.
 */
import { config, ConfigError } from "./config";
import { printBanner } from "./broker/banner";
import { createBroker } from "./broker/create-broker";

async function main() {
	const c = config();
	const broker = await createBroker(c);
	if (c.auth.usesDevelopmentSecret) {
		broker.logger.warn(
			`JWT_SECRET is not set: using a random development secret kept in ${c.dataDir}. Never do this outside development.`
		);
	}
	await broker.start();
	broker.logger.info(`Code-Learn node ${c.nodeID} runs: ${c.services.join(", ")}`);
	printBanner(broker, c);
	// Loaded only when asked for: moleculer-repl brings node:domain and vorpal into the process.
	if (c.repl) (await import("./broker/repl/index.js")).startRepl(broker);
}

main().catch(err => {
	const message = err instanceof ConfigError ? err.message : `Start-up failed: ${(err as Error).stack ?? err}`;
	process.stderr.write(`${message}\n`);
	process.exit(1);
});
