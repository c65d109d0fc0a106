import { useState } from "preact/hooks";

/** A button's write to the API: busy while it runs (no double sends), its error kept to show beside it. */
export function useAction() {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<unknown>();
	const run = (work: () => Promise<unknown>) => {
		if (busy) return;
		setBusy(true);
		setError(undefined);
		work()
			.catch(setError)
			.finally(() => setBusy(false));
	};
	return { busy, error, run };
}
