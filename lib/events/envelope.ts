import { randomUUID } from "node:crypto";

/**
 * Every domain event travels in this envelope, from the producer's outbox to each consumer.
 * Version 1. Payloads never carry secrets; each producer's contract (`services/<name>/<name>.contract.ts`)
 * types its payloads in its event catalogue.
 */
export interface DomainEvent<P = Record<string, unknown>, T extends string = string> {
	/** Unique per event; consumers record it to apply each event once. */
	id: string;
	/** `<entity>.<past-tense verb>`, e.g. `user.created`. */
	type: T;
	version: 1;
	/** The service that produced it. */
	producer: string;
	/** The entity the event is about (its id); events of one aggregate are relayed in order. */
	aggregateId: string;
	/**
	 * The event's place in its producer's outbox, stamped when it is relayed: of two events of one
	 * aggregate, the later change has the larger number (its transaction waited for the other's
	 * lock on the aggregate's row). Not contiguous. Absent from envelopes stored by the producer.
	 */
	sequence?: number;
	/** Who caused it, or null for the system. */
	actorId: string | null;
	/** ISO-8601, when the change committed (the outbox row's time). */
	occurredAt: string;
	payload: P;
}

export interface NewEvent<P = Record<string, unknown>, T extends string = string> {
	type: T;
	aggregateId: string;
	actorId: string | null;
	payload: P;
}

export function createEvent<P, T extends string>(producer: string, event: NewEvent<P, T>): DomainEvent<P, T> {
	return { id: randomUUID(), version: 1, producer, occurredAt: new Date().toISOString(), ...event };
}

/** `user.*` matches `user.created`; `#` or `*` alone matches everything (AMQP topic style, one level). */
export function matchesType(pattern: string, type: string): boolean {
	if (pattern === "#" || pattern === "*") return true;
	if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
	if (pattern.endsWith(".#")) return type.startsWith(pattern.slice(0, -1));
	return pattern === type;
}
