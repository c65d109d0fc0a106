import { type Context, Errors } from "moleculer";

/**
 * Milliseconds left before the caller gives up on this call (Infinity without a timeout).
 * Moleculer's bulkhead runs queued calls even after their caller got a 504: expensive handlers
 * check this first instead of burning CPU for nobody.
 */
export function timeLeftMs(ctx: Context): number {
	const timeout = ctx.options.timeout;
	if (!timeout || timeout <= 0 || !ctx.startHrTime) return Number.POSITIVE_INFINITY;
	const [s, ns] = process.hrtime(ctx.startHrTime);
	return timeout - (s * 1e3 + ns / 1e6);
}

export function assertTimeLeft(ctx: Context): void {
	if (timeLeftMs(ctx) <= 0) throw new Errors.RequestTimeoutError({ action: ctx.action?.name ?? "unknown", nodeID: ctx.nodeID ?? "" });
}
