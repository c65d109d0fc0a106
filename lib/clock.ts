/**
 * Where services read the time when time is part of the rules (contest schedules, submission
 * deadlines). Production uses the system clock; tests swap in one they can move.
 */
export interface Clock {
	now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
