/**
 * Fills an empty, running platform with a small living site through its public HTTP API: people,
 * groups, posts with comments and reactions, a practice problem and a running contest.
 *   npm run seed-demo [-- --url http://127.0.0.1:8080] [--password PASSWORD]
 * SEED_URL and SEED_PASSWORD do the same. It refuses a platform that already has content (exit 1,
 * nothing written). The demo accounts share one password, random unless given, printed at the end.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { NotEmptyError } from "./seed-demo/emptiness";
import { seedDemo, summaryLines } from "./seed-demo/seed";

const DEFAULT_URL = "http://127.0.0.1:8080";

/** Why a request never got an answer (fetch fails with a TypeError), in words a newcomer can act on. */
function unreachable(err: Error, baseUrl: string): string | null {
	if (err.name !== "TypeError" || !(err.cause instanceof Error)) return null;
	const why = (err.cause as NodeJS.ErrnoException).code ?? err.cause.message;
	return `Cannot reach Code-Learn at ${baseUrl} (${why}): start it with \`npm start\`, or point --url (or SEED_URL) at it.`;
}

async function main() {
	const { values } = parseArgs({ options: { url: { type: "string" }, password: { type: "string" } }, strict: true });
	const baseUrl = new URL(values.url ?? process.env.SEED_URL ?? DEFAULT_URL).toString();
	const password = values.password ?? process.env.SEED_PASSWORD ?? randomBytes(12).toString("base64url");
	try {
		const seeded = await seedDemo(baseUrl, password);
		process.stdout.write(`${summaryLines(seeded).join("\n")}\n`);
	} catch (err) {
		if (err instanceof NotEmptyError) throw err;
		throw new Error(unreachable(err as Error, baseUrl) ?? `Seeding failed: ${(err as Error).message}`, { cause: err });
	}
}

main().catch(err => {
	process.stderr.write(`${(err as Error).message}\n`);
	process.exit(1);
});
