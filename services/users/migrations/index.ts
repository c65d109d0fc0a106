import type { Migration } from "../../../mixins/db/migrate";
import { createOutbox } from "../../../mixins/outbox/migration";
import { usersAndSessions } from "./0001-users-and-sessions";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [usersAndSessions, createOutbox];
