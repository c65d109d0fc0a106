import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { createOutbox } from "../../../mixins/outbox/migration";
import { postsCommentsReactions } from "./0001-posts";
import { searchVectorInline } from "./0002-search-inline";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [postsCommentsReactions, createOutbox, createInbox, searchVectorInline, createLatestApplied];
