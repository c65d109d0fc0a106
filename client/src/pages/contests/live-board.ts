import { useEffect } from "preact/hooks";
import { listen } from "../../api/stream";

/** How often an open board asks again while the contest runs. */
export const POLL_MS = 4000;

/**
 * Keeps a running contest's board current without a reload. Polling, because the stream tells the
 * caller only of their own submissions: the board moves with anyone's answer, and no event says so.
 * So the page asks again every few seconds while it is visible (a hidden tab asks nothing, and asks
 * at once when shown again), and at once when the judge has judged one of the caller's own
 * programs. It is cheap for the API: a board's pages are cached per board version, so a poll
 * between two changes does no I/O.
 */
export function useLiveBoard(reload: () => void, live: boolean) {
	useEffect(() => {
		if (!live) return;
		const visible = () => document.visibilityState === "visible";
		const poll = setInterval(() => visible() && reload(), POLL_MS);
		const shown = () => visible() && reload();
		document.addEventListener("visibilitychange", shown);
		// The verdict reaches the board through the contests service's inbox a moment after the judge announces it.
		let late: ReturnType<typeof setTimeout> | undefined;
		const stop = listen({
			submission: data => {
				if ((data as { status?: string }).status !== "done") return;
				reload();
				clearTimeout(late);
				late = setTimeout(reload, 1000);
			}
		});
		return () => {
			clearInterval(poll);
			clearTimeout(late);
			document.removeEventListener("visibilitychange", shown);
			stop();
		};
	}, [live, reload]);
}
