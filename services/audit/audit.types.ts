import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";

/** One stored domain event (the columns of `audit.audit_events`, as the view sends them). */
export const auditEntrySchema = {
	$$strict: true,
	eventId: { type: "uuid" },
	type: { type: "string", max: 100 },
	producer: { type: "string", max: 50 },
	aggregateId: { type: "string", max: 100 },
	actorId: { type: "uuid", nullable: true },
	occurredAt: isoDateTime,
	payload: { type: "record" }
} as const;
export type AuditEntry = Infer<typeof auditEntrySchema>;

export const auditPageSchema = pageSchema(auditEntrySchema);
export type AuditPage = Infer<typeof auditPageSchema>;

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
} as const;
export type AuditListParams = Infer<typeof auditListParams>;
