import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { createOutbox } from "../../../mixins/outbox/migration";
import { groupsAndMemberships } from "./0001-groups";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [groupsAndMemberships, createOutbox, createInbox, createLatestApplied];
