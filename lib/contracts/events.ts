import type { DomainEvent, NewEvent } from "../events/envelope";

/**
 * An event catalogue maps each event type a service produces to its payload type, e.g.
 * `{ "user.deleted": UserDeletedEvent }`. These helpers type envelopes, patterns and handlers by it.
 */
export type EventTypeOf<E> = keyof E & string;

/** One event of the catalogue as delivered, discriminated by `type`. */
export type CatalogueEvent<E, K extends EventTypeOf<E> = EventTypeOf<E>> = { [T in K]: DomainEvent<E[T], T> }[K];

/** One event of the catalogue as a producer records it. */
export type NewCatalogueEvent<E, K extends EventTypeOf<E> = EventTypeOf<E>> = { [T in K]: NewEvent<E[T], T> }[K];

type FirstSegment<T extends string> = T extends `${infer Head}.${string}` ? Head : never;

/** What a consumer may bind to: `#` (everything), one type, or `<entity>.*` (every type of the entity). */
export type EventPattern<E> = "#" | EventTypeOf<E> | `${FirstSegment<EventTypeOf<E>>}.*`;

/** The events a pattern matches (the same rule as lib/events/envelope.ts `matchesType`). */
export type EventsMatching<E, P extends string> = P extends "#"
	? CatalogueEvent<E>
	: P extends `${infer Entity}.*`
		? CatalogueEvent<E, Extract<EventTypeOf<E>, `${Entity}.${string}`>>
		: P extends EventTypeOf<E>
			? CatalogueEvent<E, P>
			: never;

/**
 * What a consuming service binds to: its patterns at runtime (the event topology is built from
 * them), the catalogue they are typed against at compile time (its handlers must match them).
 */
export interface Subscription<E, P extends string = string> {
	readonly patterns: readonly P[];
	/** Type only: never set. */
	readonly catalogue?: E;
}

/** `subscription<UsersEvents & GroupsEvents>()("user.deleted", "group.*")`. */
export function subscription<E>() {
	return <P extends EventPattern<E>>(...patterns: P[]): Subscription<E, P> => ({ patterns });
}

/** Every type of a catalogue as a runtime list; `tsc` checks that none is missing or extra. */
export function eventTypes<E>(types: { [K in EventTypeOf<E>]: true }): EventTypeOf<E>[] {
	return Object.keys(types) as EventTypeOf<E>[];
}
