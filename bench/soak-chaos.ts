/**
 * The soak's kills: every `everyS` seconds of the load, one node of a killable group, both drawn
 * from a seeded PRNG (the same seed, the same sequence of kills), gets SIGKILL and is started
 * again. A group is killed only with all its nodes ready, so a kill always leaves a replica: when
 * the drawn group's last victim is not back yet, the kill waits for it (and says how long).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { prng } from "../lib/prng";
import type { SoakCluster } from "./soak-cluster";

/** Longest wait for a restarted node's /health/ready: tsx compiles on the fly and migrations run, on two busy cores. */
const READY_DEADLINE_MS = 120_000;

/** A kill as it happened, on the runner's performance clock. */
export interface KillEvent {
	at: number;
	group: string;
	node: string;
	pid: number;
	lateMs: number;
	/** Kill → the new incarnation ready, or null when it was not by the deadline. */
	readyMs: number | null;
}

export interface Chaos {
	/** Kills nothing more; resolves with every kill once the last restarted node is ready (or failed). */
	stop(): Promise<KillEvent[]>;
}

export function startChaos(
	cluster: SoakCluster,
	spec: { origin: number; everyS: number; durationS: number; seed: number },
	log: (line: string) => void
): Chaos {
	const random = prng(spec.seed);
	const groups = cluster.groups.filter(g => g.killable);
	const kills: KillEvent[] = [];
	const restarts: Promise<void>[] = [];
	let stopped = false;
	const wake = new AbortController();

	async function restart(event: KillEvent, run: Promise<void>): Promise<void> {
		try {
			await run;
			event.readyMs = performance.now() - event.at;
		} catch (err) {
			log(`  soak: ${event.node} did not come back: ${(err as Error).message}`);
		}
	}

	const loop = (async () => {
		for (let k = 1; k * spec.everyS < spec.durationS; k++) {
			const due = spec.origin + k * spec.everyS * 1000;
			// Drawn before any wait, so the sequence depends on the seed only.
			const group = groups[Math.floor(random() * groups.length)];
			const node = group.nodes[Math.floor(random() * group.nodes.length)];
			await sleep(Math.max(0, due - performance.now()), undefined, { signal: wake.signal }).catch(() => {});
			while (!stopped && !group.nodes.every(n => n.ready)) await sleep(100);
			if (stopped) return;
			const at = performance.now();
			const event: KillEvent = { at, group: group.services, node: node.name, pid: node.process.pid, lateMs: at - due, readyMs: null };
			kills.push(event);
			log(`  soak: +${((at - spec.origin) / 1000).toFixed(1)} s kill -9 ${node.name} (pid ${node.process.pid}, ${group.services})`);
			restarts.push(restart(event, cluster.killAndRestart(node, READY_DEADLINE_MS)));
		}
	})();

	return {
		async stop() {
			stopped = true;
			wake.abort();
			await loop;
			await Promise.all(restarts);
			return kills;
		}
	};
}
