import type { ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Config } from "../../config";
import { isContractError } from "../../lib/contracts";
import type { DomainEvent } from "../../lib/events";
import { acquireEventTransport, releaseEventTransport } from "../../lib/events";
import { READ } from "../../lib/fault-tolerance";
import { ensureMetric, LATENCY_BUCKETS_S } from "../../lib/metrics";
import { call, EVENT_TOPOLOGY } from "../contracts";
import { PROBLEMS_ERRORS, type SubmissionQueuedEvent } from "../problems/problems.contract";
import { judgeSubmission } from "./judging/judge-submission";
import type { JudgeMethods, JudgeVars, ReadyLanguage } from "./judge.internals";
import { JUDGE_SUBSCRIPTION } from "./judge.subscription";
import { type LanguageView, languagesResponse } from "./judge.types";
import { LANGUAGES } from "./languages";
import { TestCache } from "./test-cache";

const SERVICE = "judge";
/** Tests a judge node keeps in memory across problems. */
const TEST_CACHE_BYTES = 256 * 1024 * 1024;
/** Progress goes to the database at most this often per submission (the stream gets every test). */
const PROGRESS_WRITE_MS = 250;

/**
 * Judges queued submissions: claims each from the problems service, runs it test by test in the
 * sandbox of its language, and reports progress and the verdict. Stateless, so it scales by adding
 * `SERVICES=judge` nodes: they share one durable queue, each taking as many submissions as it has
 * slots, acknowledged only once the verdict is recorded (a node killed mid-run leaves its
 * submissions to the others).
 */
export function judgeService(c: Config): ServiceSchema<ServiceSettingSchema, JudgeMethods, JudgeVars> {
	return {
		name: SERVICE,

		actions: {
			/** Every language of the table: its version here, or why this judge cannot run it (never unsandboxed). */
			languages: {
				http: "GET /judge/languages",
				visibility: "published",
				params: { $$strict: true },
				response: languagesResponse,
				...READ,
				handler(): LanguageView[] {
					return this.ready.map(({ language, availability }) => ({
						id: language.id,
						name: language.name,
						...(availability.available
							? { version: availability.version, available: true }
							: { version: "", available: false, reason: availability.reason })
					}));
				}
			}
		},

		methods: {
			/** One queued submission, start to verdict; throws (so the queue delivers it again) only if no verdict was recorded. */
			async judge(event: DomainEvent<SubmissionQueuedEvent>) {
				const claim = await call(this.broker, "problems.claimSubmission", { submissionId: event.payload.submissionId });
				if (claim.state === "done") return;
				const { submission, problem, attempt } = claim;
				const ready = this.ready.find(r => r.language.id === submission.language);
				const checkerLanguage =
					problem.checker.kind === "custom" ? this.ready.find(r => r.language.id === problem.checker.language) : undefined;
				if (!ready?.availability.available || (checkerLanguage && !checkerLanguage.availability.available)) {
					// Fail closed: another node may have the sandbox; past the last attempt, problems records IE.
					throw new Error(`This judge cannot run ${submission.language}: its sandbox is unavailable here`);
				}
				let tests;
				try {
					tests = await this.tests.get(
						problem.problemId,
						problem.testsVersion,
						async () =>
							(
								await call(this.broker, "problems.judgeTests", {
									problemId: problem.problemId,
									version: problem.testsVersion
								})
							).tests
					);
				} catch (err) {
					if (isContractError(err, PROBLEMS_ERRORS.TESTS_CHANGED))
						throw new Error("The tests changed since the claim; judging again", { cause: err });
					throw err;
				}
				const submissionId = submission.id;
				const started = performance.now();
				let lastWrite = 0;
				const judgement = await judgeSubmission({
					source: submission.source,
					problem,
					tests,
					timeMultiplier: ready.language.timeMultiplier,
					prepare: (source, limits) => ready.runtime.prepare(source, limits),
					prepareChecker: checkerLanguage && ((source, limits) => checkerLanguage.runtime.prepare(source, limits)),
					progress: report => {
						void this.broker.broadcast("submission.progress", { userId: submission.userId, submissionId, ...report });
						const now = Date.now();
						const routine = report.status === "running" && report.test !== report.of && !report.pretestVerdict;
						if (routine && now - lastWrite < PROGRESS_WRITE_MS) return;
						lastWrite = now;
						call(this.broker, "problems.reportProgress", { submissionId, attempt, ...report }).catch(err =>
							this.logger.debug("Progress not recorded", err)
						);
					}
				});
				const { recorded } = await call(this.broker, "problems.recordVerdict", { submissionId, attempt, ...judgement });
				// A superseded attempt (another node judged it meanwhile) recorded nothing, and counts for nothing.
				if (!recorded) return;
				this.broker.metrics.increment("codelearn.judge.submissions.total", {
					language: submission.language,
					verdict: judgement.verdict
				});
				this.broker.metrics.observe("codelearn.judge.duration", (performance.now() - started) / 1000, {
					language: submission.language
				});
				void this.broker.broadcast("submission.progress", {
					userId: submission.userId,
					submissionId,
					status: "done",
					verdict: judgement.verdict,
					score: judgement.score
				});
			}
		},

		created() {
			this.tests = new TestCache(TEST_CACHE_BYTES);
			this.ready = [];
			ensureMetric(this.broker, "codelearn.judge.submissions.total", "counter", "Submissions this node judged", [
				"language",
				"verdict"
			]);
			ensureMetric(
				this.broker,
				"codelearn.judge.duration",
				"histogram",
				"Seconds to judge a submission, compile included",
				["language"],
				{
					unit: "seconds",
					buckets: LATENCY_BUCKETS_S
				}
			);
		},

		async started() {
			const slots = c.judge.slots;
			this.ready = await Promise.all(
				LANGUAGES.map(async (language): Promise<ReadyLanguage> => {
					const runtime = language.runtime(slots);
					const availability = await runtime.probe();
					if (availability.available) this.logger.info(`Judge runs ${language.name}: ${availability.version}`);
					else this.logger.warn(`Judge cannot run ${language.name} on this host: ${availability.reason}`);
					return { language, runtime, availability };
				})
			);
			this.transport = acquireEventTransport(this.broker, c, EVENT_TOPOLOGY);
			await this.transport.subscribe(
				SERVICE,
				[...JUDGE_SUBSCRIPTION.patterns],
				// The binding delivers only `submission.queued` (JUDGE_SUBSCRIPTION).
				event => this.judge(event as unknown as DomainEvent<SubmissionQueuedEvent>),
				{ prefetch: slots }
			);
			this.logger.info(`Judge takes ${slots} submissions at once`);
		},

		async stopped() {
			await this.transport?.unsubscribe(SERVICE);
			await Promise.all(this.ready.map(r => r.runtime.close()));
			if (this.transport) await releaseEventTransport(this.broker);
		}
	};
}
