/**
 * A prepared JavaScript program seen from the judge: it lives in one host child. If that child dies, the program is
 * prepared again on whichever host is free (the source is kept for that); a run the dead child was executing fails,
 * and one that had not reached it yet is simply sent again.
 */
import type { PreparedProgram, RunInput, RunLimits, RunResult } from "../sandbox.types";
import { HostGoneError, type HostProcess } from "./host-process";
import type { HostPool } from "./host-pool";

/** How often a request the host never started is placed again before the failure is the caller's. */
const RETRIES = 3;
/** The wall clock of a run: a small multiple of its time limit, plus room for the sandbox's own setup. */
const WALL_FACTOR = 3;
const WALL_MARGIN_MS = 1000;
const PREPARE_WALL_MS = 10_000;
const DISPOSE_WALL_MS = 5_000;

let nextProgramId = 1;

interface Placement {
	host: HostProcess;
	generation: number;
	id: number;
}

/** What a run that outlived its wall clock reports: the child was killed, so nothing else is known. */
function wallKilled(wallMs: number): RunResult {
	return { outcome: "time-limit", exitCode: null, signal: "SIGKILL", stdout: "", stderr: "", timeMs: wallMs, memoryKb: 0 };
}

export class JavascriptProgram implements PreparedProgram {
	private placement: Placement | undefined;
	private placing: Promise<Placement> | undefined;
	private disposed = false;

	constructor(
		private readonly pool: HostPool,
		private readonly source: string,
		private readonly memoryMb: number
	) {}

	/** Prepares the program on a host: the compile error's text when it does not compile, else undefined. */
	async prepare(): Promise<string | undefined> {
		for (let attempt = 0; ; attempt++) {
			const host = this.pool.pick();
			const id = nextProgramId++;
			try {
				const answer = await host.request(
					{ op: "prepare", program: id, source: this.source, memoryMb: this.memoryMb },
					PREPARE_WALL_MS
				);
				if (!answer.value.ok) return answer.value.compileError;
				if (!host.isCurrent(answer.generation)) continue;
				host.programs++;
				this.placement = { host, generation: answer.generation, id };
				return undefined;
			} catch (err) {
				if (!(err instanceof HostGoneError) || attempt >= RETRIES) throw err;
			}
		}
	}

	async run(input: RunInput, limits: RunLimits): Promise<RunResult> {
		for (let attempt = 0; ; attempt++) {
			const { host, id } = await this.placed();
			try {
				const request = { op: "run", program: id, input, limits } as const;
				const answer = await host.request(request, WALL_FACTOR * limits.timeMs + WALL_MARGIN_MS, wallKilled);
				return answer.value;
			} catch (err) {
				if (!(err instanceof HostGoneError) || err.started || attempt >= RETRIES) throw err;
				this.placement = undefined;
			}
		}
	}

	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		const placement = this.placement;
		this.placement = undefined;
		if (placement === undefined || !placement.host.isCurrent(placement.generation)) return;
		placement.host.programs--;
		try {
			await placement.host.request({ op: "dispose", program: placement.id }, DISPOSE_WALL_MS);
		} catch {
			// The child went away, and the program with it.
		}
	}

	/** The program's live placement, prepared again (once, however many runs ask) if its child died. */
	private async placed(): Promise<Placement> {
		if (this.disposed) throw new Error("the program was disposed");
		const placement = this.placement;
		if (placement !== undefined && placement.host.isCurrent(placement.generation)) return placement;
		this.placement = undefined;
		this.placing ??= this.prepare()
			.then(compileError => {
				if (compileError !== undefined || this.placement === undefined) throw new Error("the program no longer compiles");
				return this.placement;
			})
			.finally(() => (this.placing = undefined));
		return this.placing;
	}
}
