import type { Page } from "../../lib/page";

export interface AuditEntry {
	eventId: string;
	type: string;
	producer: string;
	aggregateId: string;
	actorId: string | null;
	occurredAt: string;
	payload: Record<string, unknown>;
}

export type AuditPage = Page<AuditEntry>;

export interface AuditListParams {
	type?: string;
	aggregateId?: string;
	actorId?: string;
	from?: Date;
	to?: Date;
	page: number;
	pageSize: number;
}

export const auditListParams = {
	$$strict: true,
	type: {
		type: "string",
		max: 100,
		pattern: /^[a-z_]+(\.[a-z_]+)+$/,
		patternMessage: "an event type such as user.created",
		optional: true
	},
	aggregateId: { type: "string", min: 1, max: 100, optional: true },
	actorId: { type: "uuid", optional: true },
	from: { type: "date", convert: true, optional: true },
	to: { type: "date", convert: true, optional: true },
	page: { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 },
	pageSize: { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 }
};
