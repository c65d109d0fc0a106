import { useEffect, useRef, useState } from "preact/hooks";
import { get } from "../../../api/http";
import { listen } from "../../../api/stream";
import type { JudgeProgress, Submission, SubmissionStatus, Verdict } from "../types";

/** Where a submission is, as far as this page knows. */
export interface Judging {
	id: string;
	status: SubmissionStatus;
	/** While running: the test being run now, of how many. */
	test?: number;
	of?: number;
	pretestVerdict?: Verdict | null;
	verdict?: Verdict | null;
	score?: number | null;
	/** The whole record once judged: each test's verdict, the compiler's message. */
	result?: Submission;
}

type News = Omit<Judging, "id">;

const ORDER: Record<SubmissionStatus, number> = { queued: 0, compiling: 1, running: 2, done: 3 };

/** Events and reads can cross: only news further along than what is shown replaces it. */
const isAhead = (shown: Judging, news: News) =>
	ORDER[news.status] !== ORDER[shown.status] ? ORDER[news.status] > ORDER[shown.status] : (news.test ?? 0) > (shown.test ?? 0);

const fromEvent = ({ status, test, of, pretestVerdict, verdict, score }: JudgeProgress): News => ({
	status,
	test,
	of,
	...(pretestVerdict ? { pretestVerdict } : {}),
	...(verdict ? { verdict } : {}),
	...(score !== undefined ? { score } : {})
});

const fromRecord = (s: Submission): News => ({
	status: s.status,
	test: s.progress?.test,
	of: s.progress?.of,
	pretestVerdict: s.pretestVerdict,
	verdict: s.verdict,
	score: s.score,
	...(s.status === "done" ? { result: s } : {})
});

/** How long without news before the page asks the API itself: a reconnected stream does not replay progress. */
const QUIET_MS = 5000;
/** Events for submissions the page does not know yet, kept this many: a fast judge can finish before the POST answers. */
const EARLY_EVENTS = 20;

/**
 * Follows the judging of the caller's latest submission on this page: the stream's `submission`
 * events move it live (compiling, test k of n, the verdict), and the API is asked when the stream
 * is quiet. Once judged it loads the whole record (each test) and calls `onJudged`.
 */
export function useJudging(onJudged?: (judging: Judging) => void) {
	const [judging, setJudging] = useState<Judging | null>(null);
	const shown = useRef<Judging | null>(null);
	const early = useRef(new Map<string, JudgeProgress>());
	const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
	const judged = useRef(onJudged);
	judged.current = onJudged;

	const show = (next: Judging) => {
		shown.current = next;
		setJudging(next);
	};

	const advance = (id: string, news: News) => {
		const now = shown.current;
		if (now?.id !== id || now.status === "done" || !isAhead(now, news)) return;
		const next = { ...now, ...news };
		show(next);
		if (next.status !== "done") return expectNews(id);
		clearTimeout(timer.current);
		if (next.result) judged.current?.(next);
		else void loadResult(id);
	};

	const loadResult = async (id: string) => {
		try {
			const result = await get<Submission>(`/submissions/${id}`);
			if (shown.current?.id === id) show({ ...shown.current, ...fromRecord(result) });
		} catch {
			// The verdict is shown from the stream; the tests' details stay on the submission's own page.
		}
		if (shown.current?.id === id) judged.current?.(shown.current);
	};

	const ask = async (id: string) => {
		try {
			advance(id, fromRecord(await get<Submission>(`/submissions/${id}`)));
		} catch {
			// Asked again after the next quiet spell.
		}
		if (shown.current?.id === id && shown.current.status !== "done") expectNews(id);
	};

	const expectNews = (id: string) => {
		clearTimeout(timer.current);
		timer.current = setTimeout(() => void ask(id), QUIET_MS);
	};

	useEffect(() => {
		const stop = listen({
			submission: data => {
				const event = data as JudgeProgress;
				if (shown.current?.id === event.submissionId) return advance(event.submissionId, fromEvent(event));
				early.current.delete(event.submissionId);
				early.current.set(event.submissionId, event);
				if (early.current.size > EARLY_EVENTS) early.current.delete(early.current.keys().next().value!);
			}
		});
		return () => {
			stop();
			clearTimeout(timer.current);
		};
	}, []);

	/** Starts following a submission: one the API has just queued, or one read from the API (`record`). */
	const watch = (id: string, record?: Submission) => {
		show({ id, status: "queued" });
		const heard = early.current.get(id);
		if (record) advance(id, fromRecord(record));
		if (heard) advance(id, fromEvent(heard));
		if (shown.current?.status === "queued") expectNews(id);
	};

	return { judging, watch };
}
