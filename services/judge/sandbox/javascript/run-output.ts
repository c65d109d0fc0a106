/**
 * One run's output, as the isolate flushes it: standard output up to the byte limit (past it, the program is told to
 * stop), standard error trimmed, and the exit code if the program called `process.exit`.
 */
import { cutUtf8, TEXT_KEEP_BYTES } from "./text-limits";

export class RunOutput {
	private readonly stdoutChunks: string[] = [];
	private stdoutBytes = 0;
	private stderrText = "";
	/** The program wrote more than the limit: what was kept is exactly the first `limit` bytes (whole characters). */
	overflowed = false;
	/** The code given to `process.exit`, masked to 0–255 as an operating system would. */
	exitCode: number | undefined;

	constructor(private readonly limit: number) {}

	/** The host side of the prelude's `hostWrite`: answers the bytes still allowed, or -1 to stop the program. */
	readonly write = (fd: unknown, chunk: unknown): number => {
		if (typeof chunk === "string" && fd === 2) {
			if (this.stderrText.length < TEXT_KEEP_BYTES) this.stderrText += chunk.slice(0, TEXT_KEEP_BYTES);
		} else if (typeof chunk === "string" && !this.overflowed) {
			const bytes = Buffer.byteLength(chunk);
			const left = this.limit - this.stdoutBytes;
			if (bytes <= left) {
				this.stdoutChunks.push(chunk);
				this.stdoutBytes += bytes;
			} else {
				this.stdoutChunks.push(cutUtf8(chunk, left));
				this.stdoutBytes = this.limit;
				this.overflowed = true;
			}
		}
		return this.overflowed ? -1 : this.limit - this.stdoutBytes;
	};

	/** The host side of the prelude's `hostExit`. */
	readonly exit = (code: unknown): void => {
		if (this.exitCode === undefined) this.exitCode = typeof code === "number" && Number.isInteger(code) ? code & 0xff : 1;
	};

	/** The program ended itself: by `process.exit`, or by writing past the limit. */
	get ended(): boolean {
		return this.overflowed || this.exitCode !== undefined;
	}

	get stdout(): string {
		return this.stdoutChunks.join("");
	}

	/** Standard error as the program wrote it, then `extra` (an error the host saw), within the kept size. */
	stderr(extra = ""): string {
		const text = extra === "" ? this.stderrText : `${this.stderrText}${extra}\n`;
		return cutUtf8(text, TEXT_KEEP_BYTES);
	}
}
