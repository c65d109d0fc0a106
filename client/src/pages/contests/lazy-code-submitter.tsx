import { useEffect, useState } from "preact/hooks";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import type CodeSubmitter from "../problems/judge/CodeSubmitter";

type Submitter = typeof CodeSubmitter;
let loading: Promise<Submitter> | null = null;

/** The code editor loads only on a contest that has a code problem to solve: an answer-only contest never pays for it. */
export function LazyCodeSubmitter(props: Parameters<Submitter>[0]) {
	const [Component, setComponent] = useState<Submitter | null>(null);
	const [error, setError] = useState<unknown>();
	const [attempt, setAttempt] = useState(0);
	useEffect(() => {
		loading ??= import("../problems/judge/CodeSubmitter").then(m => m.default);
		loading.then(
			loaded => setComponent(() => loaded),
			err => {
				loading = null;
				setError(err);
			}
		);
	}, [attempt]);
	if (error !== undefined) return <ErrorNotice error={error} retry={() => (setError(undefined), setAttempt(a => a + 1))} />;
	if (!Component) return <Loading what="Loading the editor" />;
	return <Component {...props} />;
}
