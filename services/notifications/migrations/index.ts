import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { notificationsAndPreferences } from "./0001-notifications";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [notificationsAndPreferences, createInbox, createLatestApplied];
