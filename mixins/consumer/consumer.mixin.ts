import type { ActionSchema, Context, Service, ServiceSchema } from "moleculer";
import type { Config } from "../../config";
import type {
	ConsumerActionSpecs,
	DeadLetter,
	DeadLettersParams,
	EventsMatching,
	RedriveDeadLettersParams,
	Subscription
} from "../../lib/contracts";
import { acquireEventTransport, releaseEventTransport } from "../../lib/events";
import type { EventTopology } from "../../lib/events/topology";
import type { EventTransport } from "../../lib/events/transport";
import { type ApplyEvent, type EventHandler, Inbox } from "./inbox";

const SWEEP_INTERVAL_MS = 1000;

/** One handler per pattern of the subscription, each typed by the events its pattern matches. */
export type ConsumerHandlers<E, P extends string> = { [K in P]: EventHandler<EventsMatching<E, K>> };

export interface ConsumerMixinOptions<E, P extends string> {
	service: string;
	config: Config;
	/** Every consumer's bindings (services/contracts.ts, built from each subscription), declared by every node. */
	topology: EventTopology;
	/** The patterns this service binds to (from its contract), typed against the producers' catalogues. */
	subscription: Subscription<E, P>;
	/** By pattern, exactly the subscription's; the first match handles an event, with the service as `this`. */
	handlers: ConsumerHandlers<E, P>;
}

/**
 * Makes a service a durable, idempotent consumer of domain events (needs DbMixin and the
 * `createInbox` and `createLatestApplied` migrations). It binds to its subscription's patterns; the same subscription is
 * this service's entry in the event topology. Dead letters are visible and re-drivable through
 * two actions, the consumer contract (lib/contracts/consumer.ts): `<service>.deadLetters` and
 * `<service>.redriveDeadLetters`, which the REPL's `dead-letters` command calls.
 */
export function ConsumerMixin<E, P extends string>(options: ConsumerMixinOptions<E, P>): Partial<ServiceSchema> {
	const patterns = [...options.subscription.patterns];
	const bound = options.topology[options.service] ?? [];
	if (patterns.length !== bound.length || patterns.some(p => !bound.includes(p)))
		throw new Error(`The event topology's bindings for '${options.service}' are not its subscription's`);
	const declared = Object.keys(options.handlers);
	if (declared.length !== patterns.length || declared.some(p => !patterns.includes(p as P)))
		throw new Error(`'${options.service}' must handle exactly the patterns it subscribes to`);
	return {
		// The consumer contract's actions, by their names there (tsc checks none is missing or extra).
		actions: {
			/** Operators: events given up after their last attempt. */
			deadLetters: {
				visibility: "public",
				params: { $$strict: true, limit: { type: "number", integer: true, min: 1, max: 1000, default: 100, convert: true } },
				// The validator has set the default limit.
				async handler(ctx: Context<Required<DeadLettersParams>>): Promise<DeadLetter[]> {
					return (this.inbox as Inbox).deadLetters(ctx.params.limit);
				}
			},
			/** Operators: retry dead letters (all, or those ids) from the first attempt. */
			redriveDeadLetters: {
				visibility: "public",
				params: { $$strict: true, eventIds: { type: "array", items: "uuid", optional: true, max: 1000 } },
				async handler(ctx: Context<RedriveDeadLettersParams>): Promise<ConsumerActionSpecs["redriveDeadLetters"]["result"]> {
					return { redriven: await (this.inbox as Inbox).redrive(ctx.params.eventIds) };
				}
			}
		} satisfies { [A in keyof ConsumerActionSpecs]: ActionSchema<Service & Record<string, unknown>> },
		async started() {
			// The transport delivers what the bindings match: each handler gets the events its pattern types.
			const bind = (handler: EventHandler<never>): EventHandler =>
				typeof handler === "function"
					? (handler.bind(this) as EventHandler)
					: {
							prepare: handler.prepare?.bind(this),
							latestWins: handler.latestWins?.bind(this),
							handle: handler.handle.bind(this) as ApplyEvent<unknown>
						};
			const handlers = Object.fromEntries(
				Object.entries<EventHandler<never>>(options.handlers).map(([pattern, handler]) => [pattern, bind(handler)])
			);
			const inbox = new Inbox(this.sequelize, options.service, handlers, options.config.events.retry, this.broker);
			this.inbox = inbox;
			const transport: EventTransport = acquireEventTransport(this.broker, options.config, options.topology);
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
