/**
 * The program's WASI imports: the shim's, with the calls a judge needs to answer differently.
 * Exiting and raising a signal are recorded before they unwind (a C++ catch-all landing pad may
 * catch the unwinding and abort, which must not hide an exit); sleeping blocks the thread, at most
 * until just past the run's deadline; CPU clocks read time since the start; sockets do nothing.
 */
import type { WasmMemory } from "./wasm-api";

type Shim = typeof import("@bjorn3/browser_wasi_shim");
type WasiInstance = InstanceType<Shim["WASI"]>;

/** Thrown out of proc_exit and proc_raise to stop the program. */
export class ProgramStop extends Error {}

export interface ProgramState {
	exitCode: number | null;
	signal: number | null;
}

const CLOCK = { realtime: 0, monotonic: 1, process: 2, thread: 3 } as const;
const SUBSCRIPTION_BYTES = 48;
const EVENT_BYTES = 32;
const EVENT_CLOCK = 0;
const ABSOLUTE_TIME = 1;
/** How long past the deadline a sleep may last: the main thread has stopped the worker by then. */
const SLEEP_GRACE_MS = 250;

export function wasiImports(shim: Shim, wasi: WasiInstance, memory: WasmMemory, deadline: number, state: ProgramState) {
	const { wasi: defs } = shim;
	const started = performance.now();
	const sleeper = new Int32Array(new SharedArrayBuffer(4));
	const view = () => new DataView(memory.buffer);

	const nowNs = (clock: number): bigint | null => {
		if (clock === CLOCK.realtime) return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
		if (clock === CLOCK.monotonic) return BigInt(Math.round(performance.now() * 1e6));
		if (clock === CLOCK.process || clock === CLOCK.thread) return BigInt(Math.round((performance.now() - started) * 1e6));
		return null;
	};

	return {
		...wasi.wasiImport,
		proc_exit(code: number): never {
			state.exitCode = code;
			throw new ProgramStop(`exit(${code})`);
		},
		proc_raise(signal: number): never {
			state.signal = signal;
			throw new ProgramStop(`raise(${signal})`);
		},
		clock_res_get(clock: number, resultPtr: number): number {
			if (nowNs(clock) === null) return defs.ERRNO_INVAL;
			view().setBigUint64(resultPtr, 1000n, true);
			return defs.ERRNO_SUCCESS;
		},
		clock_time_get(clock: number, _precision: bigint, resultPtr: number): number {
			const now = nowNs(clock);
			if (now === null) return defs.ERRNO_INVAL;
			view().setBigUint64(resultPtr, now, true);
			return defs.ERRNO_SUCCESS;
		},
		// Clock subscriptions sleep; anything else (reading stdin) is ready at once.
		poll_oneoff(inPtr: number, outPtr: number, count: number, eventsPtr: number): number {
			if (count === 0) return defs.ERRNO_INVAL;
			const memoryView = view();
			let sleepMs = Infinity;
			let ready = 0;
			for (let i = 0; i < count; i++) {
				const at = inPtr + i * SUBSCRIPTION_BYTES;
				const type = memoryView.getUint8(at + 8);
				if (type !== EVENT_CLOCK) {
					writeEvent(memoryView, outPtr + ready++ * EVENT_BYTES, memoryView.getBigUint64(at, true), type);
					continue;
				}
				const clock = memoryView.getUint32(at + 16, true);
				const timeout = memoryView.getBigUint64(at + 24, true);
				const absolute = (memoryView.getUint16(at + 40, true) & ABSOLUTE_TIME) !== 0;
				const now = nowNs(clock);
				if (now === null) return defs.ERRNO_INVAL;
				sleepMs = Math.min(sleepMs, Number((absolute ? timeout - now : timeout) / 1_000_000n));
			}
			if (ready === 0) {
				const ms = Math.min(sleepMs, deadline + SLEEP_GRACE_MS - performance.now());
				if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
				for (let i = 0; i < count; i++) {
					const at = inPtr + i * SUBSCRIPTION_BYTES;
					writeEvent(memoryView, outPtr + ready++ * EVENT_BYTES, memoryView.getBigUint64(at, true), EVENT_CLOCK);
				}
			}
			view().setUint32(eventsPtr, ready, true);
			return defs.ERRNO_SUCCESS;
		},
		sock_accept: () => defs.ERRNO_NOTSUP,
		sock_recv: () => defs.ERRNO_NOTSUP,
		sock_send: () => defs.ERRNO_NOTSUP,
		sock_shutdown: () => defs.ERRNO_NOTSUP
	};
}

function writeEvent(view: DataView, at: number, userdata: bigint, type: number): void {
	view.setBigUint64(at, userdata, true);
	view.setUint16(at + 8, 0, true);
	view.setUint8(at + 10, type);
	view.setBigUint64(at + 16, 0n, true);
	view.setUint16(at + 24, 0, true);
}
