/**
 * Everything the bench must undo (processes, databases, Redis keys), run once in reverse order
 * whether the bench finishes, fails or is interrupted.
 */
type Task = { what: string; run: () => Promise<void> };

const tasks: Task[] = [];
let running: Promise<void> | undefined;

export function onCleanup(what: string, run: () => Promise<void>): void {
	tasks.push({ what, run });
}

export function cleanUp(): Promise<void> {
	running ??= (async () => {
		while (tasks.length) {
			const task = tasks.pop()!;
			try {
				await task.run();
			} catch (err) {
				process.stderr.write(`cleanup: ${task.what} failed: ${(err as Error).message}\n`);
			}
		}
	})();
	return running;
}
