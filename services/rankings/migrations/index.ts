import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { rankings } from "./0001-rankings";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [rankings, createInbox, createLatestApplied];
