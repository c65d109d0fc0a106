import { api } from "../../api/http";
import { limitsOf } from "../problems/limits";
import { Samples } from "../problems/Samples";
import { RenderedMarkdown } from "../../components/RenderedMarkdown";
import { AnswerForm } from "./AnswerForm";
import { LazyCodeSubmitter } from "./lazy-code-submitter";
import { ProblemOrganiserTools } from "./ProblemOrganiserTools";
import { type Contest, type ContestProblem, type ContestStatus, letterOf } from "./types";
import "../problems/judge/judge.css";

interface ProblemProps {
	contest: Contest;
	problem: ContestProblem;
	status: ContestStatus;
	organiser: boolean;
	/** One of the caller's answers or programs was judged: what shows their results reads again. */
	submitted: () => void;
}

function ContestProblemItem({ contest, problem, status, organiser, submitted }: ProblemProps) {
	const letter = letterOf(problem.position);
	const name = `problem ${letter}`;
	const headingId = `problem-${problem.id}`;
	const base = `/contests/${contest.id}/problems/${problem.id}`;
	const canSubmit = contest.registered && status === "running";
	return (
		<article class="contest-problem" aria-labelledby={headingId}>
			<h3 id={headingId}>
				{letter}. {problem.title}
			</h3>
			<p class="meta">
				{problem.kind === "answer" ? "Answer" : "Program"}
				{contest.scoring === "points" && ` · ${problem.points} points`}
				{problem.code && ` · ${limitsOf(problem.code)}`}
				{problem.kind === "answer" && problem.caseSensitive && " · case-sensitive"}
			</p>
			<RenderedMarkdown class="prose statement" html={problem.statementHtml} />
			{problem.code && <Samples samples={problem.code.samples} headingLevel={4} />}
			{canSubmit &&
				(problem.code ? (
					<LazyCodeSubmitter
						draftKey={`contest:${contest.id}:${problem.id}`}
						title={`${letter}. ${problem.title}`}
						send={(body, idempotencyKey) => api<{ id: string }>("POST", `${base}/programs`, { body, idempotencyKey })}
						onJudged={submitted}
					/>
				) : (
					<AnswerForm url={`${base}/submissions`} name={name} submitted={submitted} />
				))}
			{organiser && <ProblemOrganiserTools contest={contest} problem={problem} status={status} name={name} />}
		</article>
	);
}

/** The contest's problems, in order, each with the way to answer it while the contest runs. */
export function ContestProblems({ problems, ...props }: Omit<ProblemProps, "problem"> & { problems: ContestProblem[] }) {
	if (!problems.length)
		return <p>{props.organiser ? "No problems yet: add them below, before the start." : "This contest has no problems."}</p>;
	return (
		<>
			{problems.map(problem => (
				<ContestProblemItem key={problem.id} problem={problem} {...props} />
			))}
		</>
	);
}
