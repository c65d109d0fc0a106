import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { createOutbox } from "../../../mixins/outbox/migration";
import { problemsTestsSubmissions } from "./0001-problems";
import { pretestVerdict } from "./0002-pretest-verdict";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [problemsTestsSubmissions, createOutbox, createInbox, pretestVerdict, createLatestApplied];
