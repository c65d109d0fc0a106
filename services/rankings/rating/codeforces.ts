/**
 * Rating changes for a rated contest by the Codeforces rating system: Mike Mirzayanov, "Open
 * Codeforces Rating System [updated on October 2015]", https://codeforces.com/blog/entry/20762,
 * and its reference code, https://codeforces.com/contest/1/submission/13861109. Pure: no I/O, no
 * clock, no randomness; the same standings in any order give the same changes.
 *
 * Per participant: seed = 1 + Σ over the others of P(other beats me), P(a beats b) = 1 / (1 +
 * 10^((b − a) / 400)); m = √(place · seed); need = the highest integer rating in [1, 7999] whose
 * seed (the others unchanged) is still ≥ m; delta = trunc((need − before) / 2). Then everyone gets
 * trunc(−Σdelta / n) − 1, and everyone gets min(max(trunc(−Σ top deltas / k), −10), 0) where the
 * top are the k = min(4·round(√n), n) highest rated before. docs/rating.md says why this method,
 * the variant (newcomers at 1500, the contestant left out of their own need-rating seed), ties
 * and the one-participant case.
 *
 * Speed: the reference is O(n² log R). Ratings are integers, so the seed of any rating R is a sum
 * over the distinct ratings present, weighted by their counts, of a win probability that depends
 * only on the difference; tabulating that probability per difference and the seed per R over the
 * searched range makes it O(R · distinct ratings + n log R).
 */

/** A newcomer's rating before their first rated contest (the 2015 blog's value). */
export const INITIAL_RATING = 1500;
/** Ratings accepted before a contest; the bound keeps the tables small (the reference searches 1..8000). */
export const RATING_BOUND = 20_000;
// The reference's binary search bounds: the need rating is in [NEED_LOW, NEED_HIGH − 1].
const NEED_LOW = 1;
const NEED_HIGH = 8000;

/** One line of a contest's final standings. `rank` is 1-based; tied participants share a rank. */
export interface Standing {
	userId: string;
	rank: number;
	/** null for a newcomer, who starts at INITIAL_RATING. */
	ratingBefore: number | null;
}

export interface RatingChange {
	userId: string;
	before: number;
	after: number;
	delta: number;
}

interface Contestant {
	userId: string;
	rank: number;
	rating: number;
	/** The reference's rank: a tie shares the last place of its group (1, 1, 3 → 2, 2, 3). */
	place: number;
	delta: number;
}

/** The rating changes of a contest's participants, in standings order (rank, then user id). */
export function rateContest(standings: readonly Standing[]): RatingChange[] {
	const contestants = toContestants(standings);
	const n = contestants.length;
	// With no one to compare against the formula would still give −1 (its "− 1" safety term): keep it.
	if (n > 1) computeDeltas(contestants);
	return contestants.map(c => ({ userId: c.userId, before: c.rating, after: c.rating + c.delta, delta: c.delta }));
}

function toContestants(standings: readonly Standing[]): Contestant[] {
	const seen = new Set<string>();
	for (const s of standings) {
		if (typeof s.userId !== "string" || s.userId === "") throw new TypeError("rating: a userId must be a non-empty string");
		if (seen.has(s.userId)) throw new RangeError(`rating: user ${s.userId} appears twice in the standings`);
		seen.add(s.userId);
		if (!Number.isSafeInteger(s.rank) || s.rank < 1) throw new RangeError(`rating: rank of ${s.userId} must be an integer ≥ 1`);
		const r = s.ratingBefore;
		if (r !== null && (!Number.isSafeInteger(r) || Math.abs(r) > RATING_BOUND))
			throw new RangeError(`rating: ratingBefore of ${s.userId} must be null or an integer within ±${RATING_BOUND}`);
	}
	// Plain < on ids, not localeCompare: the order must not depend on the machine's locale.
	const sorted = standings
		.map(s => ({ userId: s.userId, rank: s.rank, rating: s.ratingBefore ?? INITIAL_RATING, place: 0, delta: 0 }))
		.sort((a, b) => a.rank - b.rank || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
	for (let i = sorted.length - 1, place = sorted.length; i >= 0; i--) {
		if (i < sorted.length - 1 && sorted[i].rank !== sorted[i + 1].rank) place = i + 1;
		sorted[i].place = place;
	}
	return sorted;
}

function computeDeltas(contestants: Contestant[]): void {
	const n = contestants.length;
	// The distinct ratings, ascending, with how many hold each: the seed sums run over these.
	const counts = new Map<number, number>();
	for (const c of contestants) counts.set(c.rating, (counts.get(c.rating) ?? 0) + 1);
	const ratings = [...counts.keys()].sort((a, b) => a - b);
	const weights = ratings.map(r => counts.get(r)!);
	const minRating = ratings[0];
	const maxRating = ratings[ratings.length - 1];

	// win[d − dLow]: P(someone rated R + d beats someone rated R), for every difference that occurs.
	const lo = Math.min(NEED_LOW, minRating);
	const hi = Math.max(NEED_HIGH, maxRating);
	const dLow = minRating - hi;
	const win = new Float64Array(maxRating - lo - dLow + 1);
	for (let i = 0; i < win.length; i++) win[i] = 1 / (1 + Math.pow(10, -(i + dLow) / 400));

	// seedAll[R − lo] = 1 + Σ over everyone of P(them beats R), for every R the method asks about.
	const seedAll = new Float64Array(hi - lo + 1);
	for (let R = lo; R <= hi; R++) {
		let sum = 1;
		for (let k = 0; k < ratings.length; k++) sum += weights[k] * win[ratings[k] - R - dLow];
		seedAll[R - lo] = sum;
	}
	// Leaving the contestant out of their own seed: R is "their rating, had it been R".
	const seed = (R: number, own: number) => seedAll[R - lo] - win[own - R - dLow];

	let sum = 0;
	for (const c of contestants) {
		const m = Math.sqrt(c.place * seed(c.rating, c.rating));
		let left = NEED_LOW;
		let right = NEED_HIGH;
		while (right - left > 1) {
			const mid = Math.floor((left + right) / 2);
			if (seed(mid, c.rating) < m) right = mid;
			else left = mid;
		}
		c.delta = Math.trunc((left - c.rating) / 2);
		sum += c.delta;
	}

	// The total change should not be above zero.
	const inc = Math.trunc(-sum / n) - 1;
	for (const c of contestants) c.delta += inc;

	// The top-rated's total is pulled towards zero (at most 10 each), so the top does not inflate.
	// Ties in rating are broken by place then id; those tied on both have equal deltas anyway.
	const top = [...contestants].sort((a, b) => b.rating - a.rating || a.place - b.place || (a.userId < b.userId ? -1 : 1));
	const k = Math.min(4 * Math.round(Math.sqrt(n)), n);
	let topSum = 0;
	for (let i = 0; i < k; i++) topSum += top[i].delta;
	const topInc = Math.min(Math.max(Math.trunc(-topSum / k), -10), 0);
	for (const c of contestants) c.delta += topInc;
}
