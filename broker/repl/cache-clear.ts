import { guarded, print, type ReplCommand } from "./command";

/**
 * Drops every cache entry of a service on every node that runs it, through the same event the
 * service's own writes use (mixins/cache-cleaner.mixin.ts). The pattern is `<service>.**`: every
 * key a service caches starts with its name, and `**` would also drop the other services' entries
 * that share the cacher.
 */
export const cacheClearCommand: ReplCommand = {
	command: "cache-clear <service>",
	description: "Drop a service's cache entries on every node that runs it",
	action: guarded(async (broker, args) => {
		const service = String(args.service);
		const event = `cache.clean.${service}`;
		const listener = broker.registry.getEventList({ onlyAvailable: true, withEndpoints: true }).find(e => e.name === event);
		if (!listener) {
			print(`>> No node up listens to '${event}': is '${service}' a running service with a cache?`);
			return;
		}
		const pattern = `${service}.**`;
		// A node skips its own broadcast (its writes clean locally first): in one process
		// (REPL=true npm start) this node runs the service, so it cleans here, then tells the others.
		if (broker.getLocalService(service)) await broker.cacher?.clean(pattern);
		await broker.broadcast(event, { keys: [], patterns: [pattern] }, { groups: [service] });
		const nodes = [...new Set((listener.endpoints ?? []).map(ep => ep.nodeID))].sort();
		print(`>> Cleared '${pattern}' on ${nodes.length} node(s): ${nodes.join(", ")}`);
	})
};
