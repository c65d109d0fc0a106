import type { Migration } from "../../../mixins/db/migrate";
import { createInbox, createLatestApplied } from "../../../mixins/consumer/migration";
import { createOutbox } from "../../../mixins/outbox/migration";
import { contestsProblemsSubmissions } from "./0001-contests";
import { codeProblems } from "./0002-code-problems";
import { archivedAt } from "./0003-archive";
import { rated } from "./0004-rated";
import { teams } from "./0005-teams";
import { programsJudged } from "./0006-programs-judged";

/** In order; a migration, once released, is never edited: add the next one. */
export const migrations: Migration[] = [
	contestsProblemsSubmissions,
	createOutbox,
	createInbox,
	codeProblems,
	archivedAt,
	rated,
	teams,
	programsJudged,
	createLatestApplied
];
