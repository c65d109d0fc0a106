/**
 * The judge's contract: the languages it runs and the verdicts it gives. It consumes
 * `submission.queued` (judge.subscription.ts) and reports through the problems service's actions.
 */
import type { ActionSpec } from "../../lib/contracts";
import type { LanguageView, Verdict } from "./judge.types";

export { LANGUAGE_IDS, VERDICTS } from "./judge.types";
export type { LanguageId, LanguageView, Verdict } from "./judge.types";

/**
 * Broadcast to every gateway (not a domain event: lost progress is harmless, the verdict is also
 * at /submissions/:id), which writes it to the submitter's notification streams as `event: submission`.
 */
export interface SubmissionProgress {
	userId: string;
	submissionId: string;
	status: "compiling" | "running" | "done";
	test?: number;
	of?: number;
	/** Once the pretests are judged (they run first), their verdict: shown before the other tests end. */
	pretestVerdict?: Verdict;
	verdict?: Verdict;
	score?: number;
}

export interface JudgeActions {
	/** Every language of the table, with this judge's version of it or why it is unavailable. */
	"judge.languages": ActionSpec<Record<string, never>, LanguageView[]>;
}
