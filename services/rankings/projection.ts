import type { Transaction } from "sequelize";
import type { Player } from "./boards";
import type { Leaderboards } from "./leaderboards";
import { groupBoards, joining, removals } from "./placements";
import type { HeardEvent } from "./rankings.subscription";
import { rateContest } from "./rating/codeforces";
import type { Memberships } from "./store/memberships";
import type { Players } from "./store/players";
import type { Ratings } from "./store/ratings";
import type { Solves } from "./store/solves";

export interface ProjectionStores {
	players: Players;
	memberships: Memberships;
	ratings: Ratings;
	solves: Solves;
	boards: Leaderboards;
}

/**
 * The events' effects, each in the inbox's transaction (once per event id): SQL first, then the
 * boards, under the locks `Leaderboards` describes. Every handler converges whatever the order of
 * delivery: names and memberships are applied only when newer (the inbox's `latestWins`),
 * judgements keep the latest (their number), deleted users and groups stay deleted.
 */
export class Projection {
	constructor(private readonly s: ProjectionStores) {}

	/** `user.created`, `user.updated`: the name the boards show. */
	async named(userId: string, username: string, transaction: Transaction): Promise<void> {
		await this.s.boards.writing(transaction);
		const player = (await this.s.players.lock([userId], transaction)).get(userId);
		if (!player) return;
		await this.s.players.setUsername(userId, username, transaction);
		await this.s.boards.place([{ ...player, username }], transaction);
	}

	/** `user.deleted`: off every board, their data dropped, and never back. */
	async userDeleted(userId: string, transaction: Transaction): Promise<void> {
		await this.s.boards.writing(transaction);
		if (!(await this.s.players.lock([userId], transaction)).has(userId)) return;
		const groups = await this.s.memberships.forgetUser(userId, transaction);
		await this.s.ratings.forgetUser(userId, transaction);
		await this.s.solves.forgetUser(userId, transaction);
		await this.s.players.forget(userId, transaction);
		await this.s.boards.apply(new Map([[userId, null]]), removals(userId, groups, true));
	}

	/** `group.created` (its owner), `group.member.*`: on the group's boards or off them. */
	async membership(groupId: string, userId: string, member: boolean, transaction: Transaction): Promise<void> {
		await this.s.boards.writing(transaction);
		const player = (await this.s.players.lock([userId], transaction)).get(userId);
		if (!player || !(await this.s.memberships.set(groupId, userId, member, transaction))) return;
		await this.s.boards.apply(new Map([[userId, player]]), member ? joining(groupId, player) : removals(userId, [groupId], false));
	}

	/** `group.member.*`: the member of the event joined (`true`) or is gone. */
	member(
		event: HeardEvent<"group.member.joined" | "group.member.left" | "group.member.removed">,
		joined: boolean,
		transaction: Transaction
	) {
		return this.membership(event.payload.groupId, event.payload.userId, joined, transaction);
	}

	/** `group.deleted`: its boards are gone. */
	async groupDeleted(groupId: string, transaction: Transaction): Promise<void> {
		await this.s.boards.writing(transaction);
		await this.s.memberships.dropGroup(groupId, transaction);
		await this.s.boards.drop(groupBoards(groupId));
	}

	/**
	 * `contest.ended`: recorded once, whatever the deliveries (the claim), each participant's place kept for their
	 * profile; a rated contest also rated, by the Codeforces method from the participants' current ratings (null:
	 * newcomers).
	 */
	async contestEnded(event: HeardEvent<"contest.ended">, transaction: Transaction): Promise<void> {
		const { contestId, title, rated, standings } = event.payload;
		await this.s.boards.writing(transaction);
		const claimed = { contestId, title, endedAt: event.occurredAt, participants: standings.length, rated };
		if (!(await this.s.ratings.claim(claimed, transaction))) return;
		const players = await this.s.players.lock(
			standings.map(s => s.userId),
			transaction
		);
		// Deleted accounts are not recorded nor rated; the others keep their ranks (only the order counts).
		const ratedStandings = standings.filter(s => players.has(s.userId));
		if (!rated) {
			const lines = ratedStandings.map(s => ({ userId: s.userId, place: s.rank, before: null, after: null }));
			return this.s.ratings.record(contestId, lines, transaction);
		}
		const changes = rateContest(
			ratedStandings.map(s => ({ userId: s.userId, rank: s.rank, ratingBefore: players.get(s.userId)!.rating }))
		);
		const place = new Map(ratedStandings.map(s => [s.userId, s.rank]));
		await this.s.players.setRatings(new Map(changes.map(c => [c.userId, c.after])), transaction);
		await this.s.ratings.record(
			contestId,
			changes.map(c => ({ userId: c.userId, place: place.get(c.userId)!, before: c.before, after: c.after })),
			transaction
		);
		await this.s.boards.place(
			changes.map(c => ({ ...players.get(c.userId)!, rating: c.after })),
			transaction
		);
	}

	/** `problem.published`: a problem joins the archive; its earlier solvers' counts grow. */
	async problemPublished(problemId: string, transaction: Transaction): Promise<void> {
		await this.s.boards.writing(transaction);
		const solvers = await this.s.solves.publish(problemId, transaction);
		if (solvers?.length) await this.recount(solvers, transaction);
	}

	/** `submission.judged`: its latest judgement kept; the submitter's solved count recounted. */
	async submissionJudged(event: HeardEvent<"submission.judged">, transaction: Transaction): Promise<void> {
		const { submissionId, userId, problemId, verdict, judgement } = event.payload;
		const accepted = verdict === "AC";
		// A first judgement that is not accepted changes no count and needs no row.
		if (!accepted && judgement === 1) return;
		await this.s.boards.writing(transaction);
		if (!(await this.s.players.lock([userId], transaction)).has(userId)) return;
		if (await this.s.solves.judged({ submissionId, userId, problemId, judgement, accepted }, transaction)) {
			await this.s.boards.place(await this.s.solves.recount([userId], transaction), transaction);
		}
	}

	private async recount(userIds: string[], transaction: Transaction): Promise<void> {
		const locked = await this.s.players.lock(userIds, transaction);
		const changed: Player[] = await this.s.solves.recount([...locked.keys()], transaction);
		await this.s.boards.place(changed, transaction);
	}
}
