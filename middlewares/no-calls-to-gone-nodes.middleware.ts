import { type Context, Errors, type Middleware } from "moleculer";

type Handler = (ctx: Context) => Promise<unknown>;

/**
 * A call bound to a node that is gone by the time it is sent is refused, unsent, with Moleculer's
 * retryable RequestRejectedError, as the calls already pending to that node were when it was
 * dropped. moleculer-web picks the endpoint when a request arrives, then awaits the route's
 * rate limit and authentication: a node dropped meanwhile missed that sweep, and the request,
 * published to its dead queue, waited out its whole timeout (a 504 instead of a retry elsewhere).
 * Innermost, so nothing asynchronous runs between this check and the transit's pending list.
 */
export const NoCallsToGoneNodesMiddleware: Middleware = {
	name: "NoCallsToGoneNodes",
	remoteAction(next: Handler) {
		return (ctx: Context) => {
			const node = ctx.nodeID ? ctx.broker.registry.nodes.get(ctx.nodeID) : undefined;
			if (node && !node.available) {
				return Promise.reject(new Errors.RequestRejectedError({ action: ctx.action?.name, nodeID: ctx.nodeID }));
			}
			return next(ctx);
		};
	}
};
