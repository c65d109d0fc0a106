import type { Probe } from "./api";

/** Lists anyone may read: anything in one of them means someone already uses this platform. */
const LISTS = [
	["/api/posts", "post"],
	["/api/groups", "group"],
	["/api/contests", "contest"],
	["/api/problems", "problem"]
] as const;

export class NotEmptyError extends Error {
	override name = "NotEmptyError";
}

/**
 * Refuses a platform that already has content or any of the demo's usernames, before anything is
 * written: the demo belongs on a fresh platform, never mixed into someone's data. Answers the
 * server's clock (its `Date`) minus ours, which the contest's start is set by.
 */
export async function assertEmpty(probe: Probe, baseUrl: string, usernames: readonly string[]): Promise<number> {
	const refuse = (what: string) =>
		new NotEmptyError(`Refusing to seed: the platform at ${baseUrl} is not empty (${what}); seed-demo only fills an empty one.`);
	let clockSkewMs = 0;
	for (const [path, noun] of LISTS) {
		const { status, body, date } = await probe(`${path}?pageSize=1`);
		if (status !== 200) throw new Error(`${baseUrl} does not answer like Code-Learn: GET ${path} answered ${status}`);
		if (date) clockSkewMs = date.getTime() - Date.now();
		const total = (body as { total?: number }).total ?? 0;
		if (total > 0) throw refuse(`it has ${total} ${noun}${total === 1 ? "" : "s"}`);
	}
	for (const username of usernames) {
		const { status } = await probe(`/api/users/${username}`);
		if (status !== 404) throw refuse(`the user ${username} exists`);
	}
	return clockSkewMs;
}
