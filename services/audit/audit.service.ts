import type { Context, ServiceSchema } from "moleculer";
import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { Config } from "../../config";
import type { RequestMeta } from "../../lib/auth-types";
import type { DomainEvent } from "../../lib/events/envelope";
import { READ } from "../../lib/fault-tolerance";
import { pageOf } from "../../lib/page";
import { ConsumerMixin } from "../../mixins/consumer/consumer.mixin";
import { DbMixin } from "../../mixins/db.mixin";
import { EVENT_TOPOLOGY } from "../contracts";
import { AUDIT_SUBSCRIPTION } from "./audit.subscription";
import { type AuditEntry, type AuditListParams, auditListParams, type AuditPage, auditPageSchema } from "./audit.types";
import { migrations } from "./migrations";

const SERVICE = "audit";
const TABLE = `"${SERVICE}".audit_events`;

interface AuditRow {
	event_id: string;
	type: string;
	producer: string;
	aggregate_id: string;
	actor_id: string | null;
	occurred_at: Date;
	payload: Record<string, unknown>;
}

function toEntry(row: AuditRow): AuditEntry {
	return {
		eventId: row.event_id,
		type: row.type,
		producer: row.producer,
		aggregateId: row.aggregate_id,
		actorId: row.actor_id,
		occurredAt: new Date(row.occurred_at).toISOString(),
		payload: row.payload
	};
}

/** Stores every domain event, append-only: who did what, and when. */
export function auditService(c: Config): ServiceSchema {
	let sequelize: () => Sequelize;

	async function record(event: DomainEvent<object>, transaction: Transaction) {
		await sequelize().query(
			`INSERT INTO ${TABLE} (event_id, type, producer, aggregate_id, actor_id, occurred_at, payload)
			 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
			{
				bind: [
					event.id,
					event.type,
					event.producer,
					event.aggregateId,
					event.actorId,
					event.occurredAt,
					JSON.stringify(event.payload)
				],
				transaction
			}
		);
	}

	return {
		name: SERVICE,
		// DbMixin last: Moleculer runs the last mixin's `started` first, and the consumer needs its database.
		mixins: [
			ConsumerMixin({
				service: SERVICE,
				config: c,
				topology: EVENT_TOPOLOGY,
				subscription: AUDIT_SUBSCRIPTION,
				handlers: { "#": record }
			}),
			DbMixin({ service: SERVICE, config: c, migrations })
		],

		actions: {
			/** Admins: the trail, filtered by type, aggregate, actor and time, newest first. */
			list: {
				http: "GET /admin/audit",
				visibility: "published",
				roles: ["admin"],
				params: auditListParams,
				response: auditPageSchema,
				...READ,
				async handler(ctx: Context<AuditListParams, RequestMeta>): Promise<AuditPage> {
					const { type, aggregateId, actorId, from, to, page, pageSize } = ctx.params;
					const conditions: string[] = [];
					const bind: unknown[] = [];
					const where = (sql: string, value: unknown) => {
						bind.push(value);
						conditions.push(sql.replace("?", `$${bind.length}`));
					};
					if (type) where("type = ?", type);
					if (aggregateId) where("aggregate_id = ?", aggregateId);
					if (actorId) where("actor_id = ?", actorId);
					if (from) where("occurred_at >= ?", from.toISOString());
					if (to) where("occurred_at < ?", to.toISOString());
					const filter = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
					const [{ total }] = await sequelize().query<{ total: string }>(`SELECT count(*) AS total FROM ${TABLE} ${filter}`, {
						bind,
						type: QueryTypes.SELECT
					});
					const rows = await sequelize().query<AuditRow>(
						`SELECT * FROM ${TABLE} ${filter} ORDER BY occurred_at DESC, event_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
						{ bind, type: QueryTypes.SELECT }
					);
					return pageOf(rows.map(toEntry), Number(total), page, pageSize);
				}
			}
		},

		created() {
			sequelize = () => this.sequelize;
		}
	};
}
