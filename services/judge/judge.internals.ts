/** The judge service's own shape (its `this`), apart from the service file. */
import type { DomainEvent, EventTransport } from "../../lib/events";
import type { SubmissionQueuedEvent } from "../problems/problems.contract";
import type { Language } from "./languages";
import type { Availability, LanguageRuntime } from "./sandbox/sandbox.types";
import type { TestCache } from "./test-cache";

/** A language of the table with its runtime on this node and whether its sandbox works here. */
export interface ReadyLanguage {
	language: Language;
	runtime: LanguageRuntime;
	availability: Availability;
}

export interface JudgeVars {
	ready: ReadyLanguage[];
	tests: TestCache;
	transport?: EventTransport;
}

export interface JudgeMethods {
	judge(event: DomainEvent<SubmissionQueuedEvent>): Promise<void>;
}
