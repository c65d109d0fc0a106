/** A problem's limits in words. */
export function limitsOf(p: { timeLimitMs?: number; memoryLimitMb?: number }) {
	return [p.timeLimitMs && `time ${p.timeLimitMs / 1000} s per test`, p.memoryLimitMb && `memory ${p.memoryLimitMb} MB`]
		.filter(Boolean)
		.join(" · ");
}
