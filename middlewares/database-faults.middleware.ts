import type { ActionSchema, Context, Middleware } from "moleculer";
import { DatabaseUnavailableError } from "../lib/errors";
import type { DbMethods } from "../mixins/db.mixin";
import { isTransientDatabaseError } from "../mixins/db/transient";

type Handler = (ctx: Context) => Promise<unknown>;

/**
 * An action of a service with a database whose server is away or dropped the connection answers
 * 503 DATABASE_UNAVAILABLE (retryable), not a 500 for a bug: in the handler, its authorization or
 * its keyed-write bookkeeping. Outermost of ours, so that it sees all of them.
 */
export const DatabaseFaultsMiddleware: Middleware = {
	name: "DatabaseFaults",
	localAction(next: Handler, action: ActionSchema) {
		const service = action.service as Partial<DbMethods> | undefined;
		if (typeof service?.healthCheck !== "function") return next;
		return (ctx: Context) =>
			next(ctx).catch((err: unknown) => {
				throw isTransientDatabaseError(err) ? new DatabaseUnavailableError() : err;
			});
	}
};
