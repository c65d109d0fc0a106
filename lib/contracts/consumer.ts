import type { DomainEvent } from "../events/envelope";
import type { ActionSpec } from "./actions";

/**
 * The consumer contract: the actions `ConsumerMixin` (mixins/consumer) gives every consuming
 * service, for the operators (the REPL's `dead-letters`). Generic over the service's name, so it
 * lives here, below the mixin that implements it and the services that have it; `services/contracts.ts`
 * merges `ConsumerActions<…>` of every consuming service into the typed `call`'s map.
 */

/** An event given up after its last attempt, kept until an operator re-drives it. */
export interface DeadLetter {
	eventId: string;
	type: string;
	attempts: number;
	lastError: string;
	event: DomainEvent;
	failedAt: string;
}

export interface DeadLettersParams {
	/** How many, oldest failure first (1 to 1000; 100 by default). */
	limit?: number;
}

export interface RedriveDeadLettersParams {
	/** Only these events (all dead letters by default). */
	eventIds?: string[];
}

/** The consumer actions by their name within the service. */
export interface ConsumerActionSpecs {
	/** Operators: events given up after their last attempt. */
	deadLetters: ActionSpec<DeadLettersParams, DeadLetter[]>;
	/** Operators: retry dead letters (all, or those ids) from the first attempt. */
	redriveDeadLetters: ActionSpec<RedriveDeadLettersParams, { redriven: number }>;
}

/** `<service>.deadLetters` and `<service>.redriveDeadLetters` for each consuming service `S`. */
export type ConsumerActions<S extends string> = {
	[A in keyof ConsumerActionSpecs as `${S}.${A}`]: ConsumerActionSpecs[A];
};
