import { useRef } from "preact/hooks";

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
