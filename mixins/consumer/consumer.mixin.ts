import type { Context, ServiceSchema } from "moleculer";
import type { Config } from "../../config";
import { acquireEventTransport, releaseEventTransport } from "../../lib/events";
import { EVENT_CONSUMERS } from "../../lib/events/topology";
import type { EventTransport } from "../../lib/events/transport";
import { type EventHandler, Inbox } from "./inbox";

const SWEEP_INTERVAL_MS = 1000;

export interface ConsumerMixinOptions {
	service: string;
	config: Config;
	/** By event type pattern (`user.created`, `user.*`, `#`); the first match handles an event, with the service as `this`. */
	handlers: Record<string, EventHandler>;
}

/**
 * Makes a service a durable, idempotent consumer of domain events (needs DbMixin and the
 * `createInbox` migration; its bindings come from lib/events/topology.ts). Dead letters are
 * visible and re-drivable through two internal actions, e.g. from the REPL:
 * `call audit.deadLetters`, `call audit.redriveDeadLetters`.
 */
export function ConsumerMixin(options: ConsumerMixinOptions): Partial<ServiceSchema> {
	const patterns = EVENT_CONSUMERS[options.service];
	if (!patterns) throw new Error(`No event bindings for '${options.service}' in lib/events/topology.ts`);
	return {
		actions: {
			/** Operators: events given up after their last attempt. */
			deadLetters: {
				visibility: "public",
				params: { $$strict: true, limit: { type: "number", integer: true, min: 1, max: 1000, default: 100, convert: true } },
				async handler(ctx: Context<{ limit: number }>) {
					return (this.inbox as Inbox).deadLetters(ctx.params.limit);
				}
			},
			/** Operators: retry dead letters (all, or those ids) from the first attempt. */
			redriveDeadLetters: {
				visibility: "public",
				params: { $$strict: true, eventIds: { type: "array", items: "uuid", optional: true, max: 1000 } },
				async handler(ctx: Context<{ eventIds?: string[] }>) {
					return { redriven: await (this.inbox as Inbox).redrive(ctx.params.eventIds) };
				}
			}
		},
		async started() {
			const bound = (handler: EventHandler): EventHandler =>
				typeof handler === "function"
					? handler.bind(this)
					: { prepare: handler.prepare.bind(this), apply: handler.apply.bind(this) };
			const handlers = Object.fromEntries(Object.entries(options.handlers).map(([pattern, handler]) => [pattern, bound(handler)]));
			const inbox = new Inbox(this.sequelize, options.service, handlers, options.config.events.retry, this.broker);
			this.inbox = inbox;
			const transport: EventTransport = acquireEventTransport(this.broker, options.config);
			this.eventTransport = transport;
			await transport.subscribe(options.service, patterns, inbox.deliver);
			let sweeping = false;
			this.retrySweeper = setInterval(() => {
				if (sweeping) return;
				sweeping = true;
				inbox
					.retryDue()
					.catch(err => this.logger.warn("Retry sweep failed", err))
					.finally(() => (sweeping = false));
			}, SWEEP_INTERVAL_MS);
		},
		async stopped() {
			clearInterval(this.retrySweeper);
			// Undefined when stopped before it started (another service failed to start).
			await (this.eventTransport as EventTransport | undefined)?.unsubscribe(options.service);
			await releaseEventTransport(this.broker);
		}
	};
}
