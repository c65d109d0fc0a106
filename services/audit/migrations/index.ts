import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { auditEvents } from "./0001-audit-events";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [auditEvents, createInbox, createLatestApplied];
