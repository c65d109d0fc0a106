import { type Middleware, type ServiceBroker, Validators } from "moleculer";

type Hook = (next: unknown, definition: unknown) => unknown;

/**
 * Moleculer's own parameter validator, registered by us instead of as an internal middleware
 * (broker option `validator: false`). Internal middlewares wrap outside ours, so the built-in one
 * would validate before AuthorizationMiddleware runs: an anonymous caller would get 422 details
 * instead of 401. Listed first in moleculer.config.ts, it runs right before the handler.
 */
export function createValidatorMiddleware(): Middleware {
	let hooks: { localAction: Hook; localEvent: Hook } | undefined;
	// Built on first use: the broker wraps its internal `$node` service before any `created` hook.
	const validatorHooks = (broker: ServiceBroker) => {
		if (!hooks) {
			const validator = new Validators.Fastest();
			validator.init(broker);
			hooks = validator.middleware(broker) as unknown as typeof hooks;
		}
		return hooks!;
	};
	return {
		name: "Validator",
		localAction(this: ServiceBroker, next: unknown, action: unknown) {
			return validatorHooks(this).localAction(next, action);
		},
		localEvent(this: ServiceBroker, next: unknown, event: unknown) {
			return validatorHooks(this).localEvent(next, event);
		}
	} as Middleware;
}
