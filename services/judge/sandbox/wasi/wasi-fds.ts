/**
 * The only files a program sees: its standard input, a standard output that stops the run at the
 * output limit, a standard error kept to a few KB, and a read-only "." holding the run's files.
 * Built on the WASI shim, which is loaded in the worker (it is an ES module).
 */
type Shim = typeof import("@bjorn3/browser_wasi_shim");

/** Thrown out of fd_write when standard output passes its limit; unwinds through the program. */
export class OutputLimitExceeded extends Error {}

export interface Output {
	/** Whether the program wrote past the limit. */
	readonly exceeded: boolean;
	bytes(): Uint8Array;
}

export function makeFds(shim: Shim, stdin: string, files: Readonly<Record<string, string>>, stdoutBytes: number, stderrBytes: number) {
	const { wasi } = shim;

	class LimitedOutput extends shim.Fd implements Output {
		#buffer = new Uint8Array(0);
		#length = 0;
		exceeded = false;

		constructor(
			readonly limit: number,
			readonly stopAtLimit: boolean
		) {
			super();
		}

		override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
			const room = this.limit - this.#length;
			this.#append(data.subarray(0, Math.max(0, room)));
			if (data.length > room) {
				this.exceeded = true;
				if (this.stopAtLimit) throw new OutputLimitExceeded();
			}
			return { ret: wasi.ERRNO_SUCCESS, nwritten: data.length };
		}

		// A regular file, not a terminal: stdio then buffers fully instead of writing line by line.
		override fd_fdstat_get() {
			return { ret: wasi.ERRNO_SUCCESS, fdstat: new wasi.Fdstat(wasi.FILETYPE_REGULAR_FILE, 0) };
		}

		bytes(): Uint8Array {
			return this.#buffer.slice(0, this.#length);
		}

		#append(data: Uint8Array): void {
			if (data.length === 0) return;
			if (this.#length + data.length > this.#buffer.length) {
				const grown = new Uint8Array(Math.min(this.limit, Math.max(this.#length + data.length, this.#buffer.length * 2, 4096)));
				grown.set(this.#buffer.subarray(0, this.#length));
				this.#buffer = grown;
			}
			this.#buffer.set(data, this.#length);
			this.#length += data.length;
		}
	}

	// Nothing may be created, removed or renamed: the folder holds the run's files, read-only.
	class ReadOnlyDirectory extends shim.PreopenDirectory {
		override path_open(dirflags: number, path: string, oflags: number, rightsBase: bigint, rightsInheriting: bigint, fdFlags: number) {
			if (oflags & (wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC)) return { ret: wasi.ERRNO_ROFS, fd_obj: null };
			return super.path_open(dirflags, path, oflags, rightsBase, rightsInheriting, fdFlags);
		}
		override path_create_directory(): number {
			return wasi.ERRNO_ROFS;
		}
		override path_link(): number {
			return wasi.ERRNO_ROFS;
		}
		override path_unlink() {
			return { ret: wasi.ERRNO_ROFS, inode_obj: null };
		}
		override path_unlink_file(): number {
			return wasi.ERRNO_ROFS;
		}
		override path_remove_directory(): number {
			return wasi.ERRNO_ROFS;
		}
	}

	const encoder = new TextEncoder();
	const readOnly = (text: string) => new shim.File(encoder.encode(text), { readonly: true });
	const stdout = new LimitedOutput(stdoutBytes, true);
	const stderr = new LimitedOutput(stderrBytes, false);
	const folder = new ReadOnlyDirectory(".", new Map(Object.entries(files).map(([name, text]) => [name, readOnly(text)])));
	return { fds: [new shim.OpenFile(readOnly(stdin)), stdout, stderr, folder], stdout: stdout as Output, stderr: stderr as Output };
}
