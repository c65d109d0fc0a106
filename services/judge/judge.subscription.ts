import { subscription } from "../../lib/contracts";
import type { ProblemsEvents } from "../problems/problems.contract";

/**
 * What the judge consumes: queued submissions, from one durable queue its nodes share as a work
 * queue (each node takes as many as it has free judging slots). It has no inbox: judging is not a
 * database effect, and a submission judged twice after a crash is recorded once (problems' claim).
 */
export const JUDGE_SUBSCRIPTION = subscription<ProblemsEvents>()("submission.queued");
