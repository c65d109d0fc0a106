/** fastest-validator rules that several schemas share (docs/schemas.md). */

/** A timestamp as our views send it: `Date#toISOString()`, always UTC. */
export const isoDateTime = {
	type: "string",
	max: 30,
	pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
	patternMessage: "an ISO 8601 date-time in UTC"
} as const;
