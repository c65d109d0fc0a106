/** Settings both topologies share for the hostile runs. */
export const HOSTILE_ENV = {
	// Thousands of requests from one address in a minute: the rate limit is not what is tested here.
	RATE_LIMIT_MAX: "1000000",
	REGISTER_MAX_PER_CLIENT: "1000000",
	// The per-account login slowdown delays answers on purpose (up to 2 s) once an account has
	// failed logins; the 1 s budget is about work an input causes, so it starts later here.
	LOGIN_ACCOUNT_SLOWDOWN_AFTER: "1000",
	// The judge runs the valid submissions in the background, one at a time: the 2 cores are shared.
	JUDGE_SLOTS: "1"
} as const;
