import type { ActionSchema, Context, Middleware } from "moleculer";
import type { RequestMeta, Role } from "../lib/auth-types";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";

type Handler = (ctx: Context<unknown, RequestMeta>) => Promise<unknown>;
/** The keys declared in types/moleculer.d.ts, as the middleware hook receives them. */
type GuardedAction = ActionSchema & { auth?: "required" | "optional"; roles?: Role[] };

/**
 * Enforces the `auth` and `roles` keys declared on actions, in one place, on the node that
 * serves the action. The gateway authenticates the caller and puts it in `ctx.meta.user`.
 */
export const AuthorizationMiddleware: Middleware = {
	name: "Authorization",
	localAction(next: Handler, action: GuardedAction) {
		const roles = action.roles;
		if (!roles && action.auth !== "required") return next;
		// Refusals are rejections, never synchronous throws: the bulkhead outside gives its slot
		// back only when the call settles, and 20 thrown refusals used to close the action to everyone.
		return (ctx: Context<unknown, RequestMeta>) => {
			const user = ctx.meta.user;
			if (!user) return Promise.reject(new UnauthorizedError());
			if (roles && !roles.includes(user.role)) return Promise.reject(new ForbiddenError());
			return next(ctx);
		};
	}
};
