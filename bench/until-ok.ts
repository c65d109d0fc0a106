import { setTimeout as sleep } from "node:timers/promises";

/**
 * Sends a set-up request until it succeeds: a node that is still starting answers 404 (its
 * routes not yet known), 5xx or nothing, which are retried every half second until `deadline`;
 * any other 4xx is the set-up's own mistake and fails at once. `alive` throws if a node died.
 */
export async function untilOk(
	what: string,
	deadline: number,
	alive: () => void,
	send: () => Promise<{ status: number; text: string }>
): Promise<Record<string, unknown>> {
	let last: string;
	for (;;) {
		alive();
		const answer = await send().catch((err: Error) => ({ status: 0, text: err.message }));
		if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.text) as Record<string, unknown>;
		last = `${answer.status} ${answer.text.slice(0, 300)}`;
		if (answer.status !== 0 && answer.status !== 404 && answer.status < 500) throw new Error(`${what}: ${last}`);
		if (Date.now() > deadline) throw new Error(`${what}: no success before the deadline; last: ${last}`);
		await sleep(500);
	}
}
