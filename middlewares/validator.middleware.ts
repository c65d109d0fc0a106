import { type Context, type Middleware, type ServiceBroker, Validators } from "moleculer";
import { paramsGate } from "../lib/validation/params-gate";

type Handler = (ctx: Context) => unknown;
type Hook = (next: Handler, definition: unknown) => Handler;
type Declared = { name?: string; params?: Record<string, unknown> };
type ActionDefinitions = Record<string, unknown>;

/** A copy of the plain objects and arrays of a schema (RegExps and functions are kept as they are). */
function ownCopy<T>(value: T): T {
	if (Array.isArray(value)) return value.map(ownCopy) as T;
	if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return value;
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ownCopy(v)])) as T;
}

/**
 * Moleculer's own parameter validator, registered by us instead of as an internal middleware
 * (broker option `validator: false`). Internal middlewares wrap outside ours, so the built-in one
 * would validate before AuthorizationMiddleware runs: an anonymous caller would get 422 details
 * instead of 401. Listed first in moleculer.config.ts, it runs right before the handler.
 * Lengths, nulls and shapes are checked before the validator's rules (lib/validation/params-gate.ts).
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
	const gated = (validated: Handler, declared: Declared): Handler => {
		// `$node.*` are Moleculer's own actions: never reachable from outside, not ours to bound.
		const ours = declared.params && !declared.name?.startsWith("$");
		const gate = ours ? paramsGate(declared.name ?? "?", declared.params!) : undefined;
		if (!gate) return validated;
		// A rejection, never a synchronous throw: the bulkhead outside counts a slot back only on settle.
		return ctx => {
			try {
				gate(ctx.params);
			} catch (err) {
				return Promise.reject(err);
			}
			return validated(ctx);
		};
	};
	return {
		name: "Validator",
		/**
		 * Each action gets its own copy of its `params` and `response` schemas. Schemas share rule
		 * objects (an entity schema answers several actions), and Moleculer's INFO packet drops an
		 * object it has already serialised anywhere in the packet: another node (the gateway's
		 * OpenAPI document) would see the second action's rule missing.
		 */
		serviceCreating(_service: unknown, schema: { actions?: ActionDefinitions }) {
			for (const action of Object.values(schema.actions ?? {})) {
				if (action === null || typeof action !== "object") continue;
				const definition = action as { params?: unknown; response?: unknown };
				if (definition.params) definition.params = ownCopy(definition.params);
				if (definition.response) definition.response = ownCopy(definition.response);
			}
		},
		localAction(this: ServiceBroker, next: Handler, action: Declared) {
			return gated(validatorHooks(this).localAction(next, action), action);
		},
		localEvent(this: ServiceBroker, next: Handler, event: Declared) {
			return gated(validatorHooks(this).localEvent(next, event), event);
		}
	} as Middleware;
}
