import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Resource<T> {
	data: T | undefined;
	error: unknown;
	loading: boolean;
	reload: () => void;
}

/** Loads what `load` answers whenever `deps` change; an older answer never overwrites a newer one. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Resource<T> {
	const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
	const [attempt, setAttempt] = useState(0);
	useEffect(() => {
		const controller = new AbortController();
		setState(s => ({ data: s.data, loading: true }));
		load(controller.signal).then(
			data => !controller.signal.aborted && setState({ data, loading: false }),
			error => !controller.signal.aborted && setState(s => ({ data: s.data, error, loading: false }))
		);
		return () => controller.abort();
	}, [...deps, attempt]);
	const reload = useCallback(() => setAttempt(a => a + 1), []);
	return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A value kept in localStorage under `key` (a draft survives a reload or a failed save). */
export function useStoredState<T>(key: string, initial: T): [T, (value: T) => void, () => void] {
	const [value, setValue] = useState<T>(() => {
		try {
			const saved = localStorage.getItem(key);
			return saved === null ? initial : (JSON.parse(saved) as T);
		} catch {
			return initial;
		}
	});
	const keyRef = useRef(key);
	keyRef.current = key;
	const store = useCallback((next: T) => {
		setValue(next);
		try {
			localStorage.setItem(keyRef.current, JSON.stringify(next));
		} catch {
			// Storage full or refused: the draft stays in memory only.
		}
	}, []);
	const clear = useCallback(() => localStorage.removeItem(keyRef.current), []);
	return [value, store, clear];
}

/** Sets the document's title (what a screen reader announces on navigation). */
export function useTitle(title: string | undefined) {
	useEffect(() => {
		document.title = title ? `${title} · Code-Learn` : "Code-Learn";
	}, [title]);
}

/**
 * The Idempotency-Key of the next send: the same request retried after a failure keeps its key (the
 * API does it once), a changed request gets a new one (a key reused with another body is refused),
 * and once a send succeeded the next one is a new intent (the same program sent again on purpose).
 */
export function useIntentKey() {
	const last = useRef<{ body: string; key: string } | null>(null);
	return {
		keyFor(body: unknown): string {
			const text = JSON.stringify(body);
			if (last.current?.body !== text) last.current = { body: text, key: crypto.randomUUID() };
			return last.current.key;
		},
		sent() {
			last.current = null;
		}
	};
}
