/** The API's error body (API.md), or one the client makes for a network failure. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly type: string,
		message: string,
		readonly details: { field?: string; message?: string }[] = [],
		/** Seconds to wait before trying again (429 and 503 send Retry-After). */
		readonly retryAfterS?: number
	) {
		super(message);
	}

	get offline() {
		return this.status === 0;
	}
}

/** What to tell a person about an error: the API's message, with what to do next where it helps. */
export function describeError(err: unknown): string {
	if (!(err instanceof ApiError)) return "Something went wrong. Please try again.";
	if (err.offline) return "The server cannot be reached. Check your connection, then try again.";
	if (err.status === 429) return `Too many requests. Try again in ${err.retryAfterS ?? 60} seconds.`;
	if (err.status === 503) return `The service is busy or restarting. Try again in ${err.retryAfterS ?? 10} seconds.`;
	if (err.status >= 500) return "The server could not answer. Please try again.";
	const fields = err.details.filter(d => d.message).map(d => d.message);
	return fields.length ? `${err.message}: ${fields.join("; ")}` : err.message;
}
