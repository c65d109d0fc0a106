import type { Transaction } from "sequelize";
import type { ContestStore } from "./contest-store";
import type { ContestModel } from "./contests.model";
import type { Placement } from "./leaderboard/store";
import { scoreOf, standingOf } from "./scoring";

/** When a contest's standings freeze for non-organisers, if they do. */
export function freezeAt(contest: ContestModel): Date | null {
	return contest.freezeMinutes ? new Date(contest.endsAt.getTime() - contest.freezeMinutes * 60_000) : null;
}

/** A placement with its rank on the whole board. */
export interface RankedPlacement extends Placement {
	rank: number;
}

/**
 * Placements in the boards' order (highest score first, equal scores by id descending, as Redis's
 * ZREVRANGE), each with its rank: one more than the placements scoring strictly higher.
 */
export function inRankOrder(placements: Placement[]): RankedPlacement[] {
	const sorted = [...placements].sort((a, b) => b.score - a.score || (a.userId < b.userId ? 1 : a.userId > b.userId ? -1 : 0));
	let rank = 0;
	return sorted.map((p, i) => {
		if (p.score !== sorted[i - 1]?.score) rank = i + 1;
		return { ...p, rank };
	});
}

/** Each competitor's place on a contest's board as PostgreSQL has it: their submission history, scored. */
export class ContestPlacements {
	/** Points per problem of started contests: problems are fixed from the start on. */
	private readonly points = new Map<string, Map<string, number>>();

	constructor(private readonly store: ContestStore) {}

	/** These competitors' placements (all, without `userIds`), counting what was submitted before `before` if given. */
	async of(contest: ContestModel, opts: { userIds?: string[]; before?: Date }, transaction?: Transaction): Promise<Placement[]> {
		let points = this.points.get(contest.id);
		if (!points) {
			points = new Map((await this.store.problems(contest.id, transaction)).map(p => [p.id, p.points]));
			if (contest.startedEventAt) this.points.set(contest.id, points);
		}
		const histories = await this.store.histories(contest.id, opts, transaction);
		return [...histories].map(([userId, attempts]) => {
			const standing = standingOf(attempts, contest.startsAt, points);
			return { userId, score: scoreOf(contest.scoring, standing), standing, attempts: attempts.length };
		});
	}

	/** The whole board, ranked: live, or as it was at `before` (the freeze). */
	async board(contest: ContestModel, before?: Date, transaction?: Transaction): Promise<RankedPlacement[]> {
		return inRankOrder(await this.of(contest, { before }, transaction));
	}
}
