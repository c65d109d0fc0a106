import { useRoute } from "preact-iso";
import { useEffect } from "preact/hooks";
import { get } from "../../api/http";
import { me } from "../../api/session";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Time } from "../../components/Time";
import { useResource, useTitle } from "../../hooks";
import { JudgingStatus } from "./judge/JudgingStatus";
import { useJudging } from "./judge/use-judging";
import type { Problem, Submission } from "./types";
import "./problems.css";

/** One of the caller's submissions: its judging followed live if it is not done, then its verdict and each test. */
export default function SubmissionPage() {
	const { params } = useRoute();
	useTitle("Submission");
	const submission = useResource(signal => get<Submission>(`/submissions/${params.id}`, undefined, signal), [params.id, me.value?.id]);
	// A contest's problem is not readable here until it is released to the archive: the submission is shown without its title.
	const problem = useResource(
		signal =>
			submission.data
				? get<Problem>(`/problems/${submission.data.problemId}`, undefined, signal).catch(() => null)
				: Promise.resolve(null),
		[submission.data?.problemId]
	);
	const { judging, watch } = useJudging();
	useEffect(() => {
		if (submission.data) watch(submission.data.id, submission.data);
	}, [submission.data]);

	if (me.value === null)
		return (
			<p>
				<a href={`/login?next=${encodeURIComponent(`/submissions/${params.id}`)}`}>Sign in</a> to see your submissions.
			</p>
		);
	if (submission.error !== undefined) return <ErrorNotice error={submission.error} retry={submission.reload} />;
	if (!submission.data) return <Loading what="Loading the submission" />;
	const s = submission.data;
	return (
		<section>
			<h1>Submission</h1>
			<p class="meta">
				{problem.data ? (
					<>
						To <a href={`/problems/${problem.data.id}`}>{problem.data.title}</a> ·{" "}
					</>
				) : null}
				{s.language} · sent <Time iso={s.createdAt} />
				{s.judgedAt && (
					<>
						{" "}
						· judged <Time iso={s.judgedAt} />
					</>
				)}
			</p>
			<JudgingStatus judging={judging} linkToPage={false} />
		</section>
	);
}
