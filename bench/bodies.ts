/**
 * The answers the baseline repeats byte for byte (model.ts SAME_BYTES): each route's answer,
 * fetched once from the first running topology that serves it, is put on the baseline server.
 */
import { SAME_BYTES, type RunningTopology } from "./model";
import { SCENARIOS } from "./scenarios";

export async function shareBodies(topologies: RunningTopology[], log: (line: string) => void): Promise<void> {
	const baseline = topologies.find(t => t.info.id === "baseline");
	if (!baseline) return;
	for (const route of Object.values(SAME_BYTES)) {
		const source = topologies.find(t => t.info.scenarios.includes(route));
		if (!source) continue;
		const { method, path, headers } = SCENARIOS[route].request(source);
		const res = await fetch(`${source.baseUrl}${path}`, { method, headers });
		if (!res.ok) throw new Error(`${route} @ ${source.info.id} answered ${res.status}: its bytes cannot be copied`);
		const body = Buffer.from(await res.arrayBuffer());
		const put = await fetch(`${baseline.baseUrl}/bodies/${route}`, {
			method: "PUT",
			headers: { "content-type": res.headers.get("content-type") ?? "application/octet-stream" },
			body
		});
		if (put.status !== 204) throw new Error(`the baseline refused ${route}'s body: ${put.status}`);
		log(`  the baseline answers ${route}'s ${body.length} bytes (from ${source.info.id})`);
	}
}
