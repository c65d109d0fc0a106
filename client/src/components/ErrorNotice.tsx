import { describeError } from "../api/errors";

/** An API error in words, with a way to try again when trying again can help. */
export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
	return (
		<div class="notice error" role="alert">
			<p>{describeError(error)}</p>
			{retry && (
				<button type="button" onClick={retry}>
					Try again
				</button>
			)}
		</div>
	);
}

export function Loading({ what = "Loading" }: { what?: string }) {
	return (
		<p class="loading" role="status" aria-live="polite">
			{what}…
		</p>
	);
}
