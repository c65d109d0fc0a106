/**
 * Times rateContest on a 10,000-person contest (issue 15's target: under 5 s). A script, not a
 * timed test, so a slow shared machine never fails the suite:
 *   npm run measure-rating -- [participants]
 */
import { rateContest, type Standing } from "../services/rankings/rating/codeforces";
import { prng as random } from "../lib/prng";

const n = Number(process.argv[2] ?? 10_000);

/** Realistic: ratings ~ N(1500, 350), 10% newcomers, places follow rating plus noise, ties in runs. */
function realistic(rnd: () => number): Standing[] {
	const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
	const people = Array.from({ length: n }, (_, i) => {
		const rating = rnd() < 0.1 ? null : Math.max(0, Math.round(1500 + 350 * normal()));
		return { userId: `u${i}`, rating, score: (rating ?? 1500) + 400 * normal() };
	});
	people.sort((a, b) => b.score - a.score);
	let rank = 1;
	return people.map((p, i) => {
		if (i > 0 && rnd() >= 0.2) rank = i + 1; // one in five ties the one above
		return { userId: p.userId, rank, ratingBefore: p.rating };
	});
}

/** The slow case for the tables: every rating in 0..7999 present, so the seed sums have ~8,000 terms. */
function spread(rnd: () => number): Standing[] {
	return Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, rank: i + 1, ratingBefore: Math.floor(rnd() * 8000) }));
}

function time(label: string, standings: Standing[]): void {
	const runs: number[] = [];
	for (let i = 0; i < 5; i++) {
		const start = process.hrtime.bigint();
		rateContest(standings);
		runs.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	const sorted = [...runs].sort((a, b) => a - b);
	const distinct = new Set(standings.map(s => s.ratingBefore)).size;
	process.stdout.write(
		`${label}: n=${n}, ${distinct} distinct ratings, first ${runs[0].toFixed(0)} ms, median ${sorted[2].toFixed(0)} ms, max ${sorted[4].toFixed(0)} ms\n`
	);
}

const rnd = random(15);
time("realistic", realistic(rnd));
time("spread over 0..7999", spread(rnd));
