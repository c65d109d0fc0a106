import type { Context, Middleware } from "moleculer";

type Handler = (ctx: Context) => Promise<unknown>;

/** Past the Timeout middleware's own deadline, so that its RequestTimeoutError reaches the caller. */
const GRACE_MS = 250;

/**
 * Moleculer 0.15.2 answers a timed-out remote call with RequestTimeoutError, but the inner
 * request promise never settles, so the context tracker keeps that context until shutdown: a
 * leak per timeout, and every later SIGTERM waits the whole shutdown budget. Settling the inner
 * promise shortly after the deadline lets the tracker let go. Innermost, next to the transit call.
 */
export const SettleTimedOutCallsMiddleware: Middleware = {
	name: "SettleTimedOutCalls",
	remoteAction(next: Handler) {
		return (ctx: Context) => {
			const timeout = ctx.options.timeout;
			const call = next(ctx);
			if (!timeout || timeout <= 0) return call;
			let timer: NodeJS.Timeout | undefined;
			const deadline = new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`Call to '${ctx.action?.name}' settled after its timeout`)), timeout + GRACE_MS);
			});
			return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
		};
	}
};
