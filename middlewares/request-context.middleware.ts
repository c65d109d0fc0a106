import type { Context, Middleware } from "moleculer";
import { runWithRequestContext } from "../lib/request-context";

type Handler = (ctx: Context) => void | Promise<void>;

function withRequestContext(next: Handler) {
	return (ctx: Context) => (ctx.requestID ? runWithRequestContext({ requestId: ctx.requestID }, () => next(ctx)) : next(ctx));
}

/**
 * Runs every local action and event handler inside an async context holding the request id,
 * so that the logger adds it to every line written on behalf of that request.
 */
export const RequestContextMiddleware: Middleware = {
	name: "RequestContext",
	localAction: withRequestContext,
	localEvent: withRequestContext
};
