/**
 * The audit service's contract: what other services may call. It produces no domain events and
 * consumes all of them (audit.subscription.ts).
 */
import type { ActionSpec } from "../../lib/contracts";
import type { AuditListParams, AuditPage } from "./audit.types";

export type { AuditEntry, AuditListParams, AuditPage } from "./audit.types";

export interface AuditActions {
	/** Admins: the stored events, filtered. */
	"audit.list": ActionSpec<AuditListParams, AuditPage>;
}
