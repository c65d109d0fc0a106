import { literal, Op, type ModelStatic, type Sequelize, type Transaction } from "sequelize";
import type { Clock } from "../../lib/clock";
import type { ContestModel } from "./contests.model";

const TICK_MS = 1000;
const BATCH = 20;
/**
 * How long a contest's end waits for its programs still being judged (submitted before the end, the judge
 * behind): the final standings of `contest.ended` count them. Past this, it ends without the stragglers.
 */
export const JUDGING_GRACE_MS = 10 * 60_000;

type Transition = (contest: ContestModel, transaction: Transaction) => Promise<void>;

/**
 * Emits each contest's start and end once, within about a second of the time (the end once its
 * programs are judged, up to JUDGING_GRACE_MS later). Every replica
 * ticks; a transition is claimed by setting its `*_event_at` column on rows locked with SKIP
 * LOCKED, in the same transaction as the event's outbox row, so exactly one replica emits it,
 * and a restart picks up whatever was due meanwhile.
 */
export class ContestScheduler {
	private timer?: NodeJS.Timeout;
	private ticking?: Promise<void>;

	constructor(
		private readonly sequelize: Sequelize,
		private readonly model: ModelStatic<ContestModel>,
		/** The contests table, schema-qualified. */
		private readonly table: string,
		/** The programs table, schema-qualified: the end waits for those not judged yet. */
		private readonly programs: string,
		private readonly clock: () => Clock,
		private readonly started: Transition,
		private readonly ended: Transition,
		private readonly onError: (err: unknown) => void
	) {}

	start(): void {
		this.timer = setInterval(() => void this.tick(), TICK_MS).unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.ticking;
	}

	/** A pass that reads the clock after the call (tests call it after moving their clock). */
	async tick(): Promise<void> {
		while (this.ticking) await this.ticking;
		this.ticking = this.pass()
			.catch(this.onError)
			.finally(() => (this.ticking = undefined));
		return this.ticking;
	}

	private async pass() {
		const now = this.clock().now();
		// Most ticks find nothing due: one indexed read, no transaction.
		const [due] = await this.sequelize.query(
			`SELECT 1 FROM ${this.table} WHERE cancelled_at IS NULL AND ((started_event_at IS NULL AND starts_at <= $1) OR (ended_event_at IS NULL AND ends_at <= $1)) LIMIT 1`,
			{ bind: [now] }
		);
		if (!due.length) return;
		// Starts first: a contest whose whole span passed while every replica was down starts, then ends.
		await this.claim({ startedEventAt: null, startsAt: { [Op.lte]: now } }, "startedEventAt", now, this.started);
		const pending = `EXISTS (SELECT 1 FROM ${this.programs} p WHERE p.contest_id = "Contest".id AND p.judged_at IS NULL)`;
		await this.claim(
			{
				startedEventAt: { [Op.ne]: null },
				endedEventAt: null,
				endsAt: { [Op.lte]: now },
				[Op.or]: [{ endsAt: { [Op.lte]: new Date(now.getTime() - JUDGING_GRACE_MS) } }, literal(`NOT ${pending}`)]
			},
			"endedEventAt",
			now,
			this.ended
		);
	}

	private async claim(where: object, column: "startedEventAt" | "endedEventAt", now: Date, transition: Transition) {
		await this.sequelize.transaction(async transaction => {
			const due = await this.model.findAll({
				where: { ...where, cancelledAt: null },
				order: [["startsAt", "ASC"]],
				limit: BATCH,
				lock: transaction.LOCK.UPDATE,
				skipLocked: true,
				transaction
			});
			for (const contest of due) {
				await contest.update({ [column]: now }, { transaction });
				await transition(contest, transaction);
			}
		});
	}
}
