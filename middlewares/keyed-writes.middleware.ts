import type { ActionSchema, Context, Middleware } from "moleculer";
import type { RequestMeta } from "../lib/auth-types";
import type { DbMethods } from "../mixins/db.mixin";

type Handler = (ctx: Context<unknown, RequestMeta>) => Promise<unknown>;

/**
 * The action the gateway called with an Idempotency-Key runs exactly once, when its service owns
 * a database (DbMixin's `keyedWrite`); the calls it makes in turn carry the key in their meta but
 * are not keyed by it. Innermost, so that a replay is validated and authorised like a first call.
 */
export const KeyedWritesMiddleware: Middleware = {
	name: "KeyedWrites",
	localAction(next: Handler, action: ActionSchema) {
		const service = action.service as Partial<DbMethods> | undefined;
		if (typeof service?.keyedWrite !== "function") return next;
		return (ctx: Context<unknown, RequestMeta>) =>
			ctx.meta.idempotency?.action === action.name ? service.keyedWrite!(ctx, () => next(ctx)) : next(ctx);
	}
};
