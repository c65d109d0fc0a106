/**
 * The last thing a start prints on a node that runs the gateway: where to point a browser. Readable
 * lines when the logs are pretty (a person at a terminal), one info line with the URLs as fields
 * when they are JSON (a collector reads it).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceBroker } from "moleculer";
import type { Config } from "../config";

export interface Urls {
	web: string;
	docs: string;
	/** Null when metrics are off, or on a port picked at start (METRICS_PORT=0) that the config cannot name. */
	metrics: string | null;
}

/** Addresses that mean "every interface": a browser cannot connect to them, so we name loopback instead. */
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/** A host as it goes in a URL: loopback for a wildcard, brackets around an IPv6 address. */
export function urlHost(host: string): string {
	if (WILDCARDS.has(host)) return "127.0.0.1";
	return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

export function urlsOf(host: string, gatewayPort: number, metrics: { enabled: boolean; port: number }): Urls {
	const origin = `http://${urlHost(host)}:${gatewayPort}`;
	return {
		web: `${origin}/`,
		docs: `${origin}/api/docs`,
		metrics: metrics.enabled && metrics.port !== 0 ? `http://${urlHost(host)}:${metrics.port}/metrics` : null
	};
}

export function bannerLines(urls: Urls): string[] {
	const rows: [string, string | null][] = [
		["Web client", urls.web],
		["API docs", urls.docs],
		["Metrics", urls.metrics]
	];
	return [
		"",
		"  Code-Learn is running.",
		"",
		...rows.filter(([, url]) => url).map(([label, url]) => `    ${label.padEnd(12)}${url}`),
		"",
		"  An empty platform? `npm run seed-demo` fills it with demo people, posts, groups and a contest.",
		""
	];
}

/** The port the gateway listens on: the configured one, or the one it was given for PORT=0. */
function gatewayPort(broker: ServiceBroker, configured: number): number {
	const gateway = broker.getLocalService("gateway") as unknown as { server?: Server } | undefined;
	const address = gateway?.server?.address() as AddressInfo | null | undefined;
	return address?.port ?? configured;
}

/** Prints the banner once the broker has started; nothing on a node without the gateway. */
export function printBanner(broker: ServiceBroker, c: Config, stdout: NodeJS.WritableStream = process.stdout): void {
	if (!c.services.includes("gateway")) return;
	const urls = urlsOf(c.http.host, gatewayPort(broker, c.http.port), c.metrics);
	if (c.logFormat === "pretty") stdout.write(`${bannerLines(urls).join("\n")}\n`);
	else broker.logger.info("Code-Learn is running", urls);
}
