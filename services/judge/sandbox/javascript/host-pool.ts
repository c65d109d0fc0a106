/** The host children of one runtime, and where a new program goes: the host with the fewest programs, then the shortest queue. */
import type { ChildEntry } from "./child-entry";
import { HostProcess } from "./host-process";

export class HostPool {
	private readonly hosts: HostProcess[];

	constructor(size: number, entry: ChildEntry) {
		this.hosts = Array.from({ length: Math.max(1, Math.floor(size)) }, () => new HostProcess(entry));
	}

	pick(): HostProcess {
		let best = this.hosts[0];
		for (const host of this.hosts) {
			if (host.programs < best.programs || (host.programs === best.programs && host.backlog < best.backlog)) best = host;
		}
		return best;
	}

	/** The children's process ids (those running now). */
	pids(): number[] {
		return this.hosts.flatMap(host => (host.pid === undefined ? [] : [host.pid]));
	}

	async close(): Promise<void> {
		await Promise.all(this.hosts.map(host => host.close()));
	}
}
