import { QueryTypes, type Sequelize, type Transaction } from "sequelize";

/** The service's tables, schema-qualified. */
export function tablesOf(schema: string) {
	const t = (name: string) => `"${schema}".${name}`;
	return {
		players: t("players"),
		deletedUsers: t("deleted_users"),
		members: t("group_members"),
		deletedGroups: t("deleted_groups"),
		endedContests: t("ended_contests"),
		contestResults: t("contest_results"),
		archive: t("archive_problems"),
		judged: t("judged_submissions")
	};
}
export type Tables = ReturnType<typeof tablesOf>;

/**
 * SQL with bound parameters on the service's database, shared by the stores of this folder. The
 * database is looked up at each query: the stores are made when the service is created, before
 * it is connected, so that an event delivered as soon as the consumer starts finds them.
 */
export class Sql {
	readonly t: Tables;

	constructor(
		private readonly database: () => Sequelize,
		schema: string
	) {
		this.t = tablesOf(schema);
	}

	get sequelize(): Sequelize {
		return this.database();
	}

	select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
		return this.sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	async run(sql: string, bind: unknown[], transaction?: Transaction): Promise<void> {
		await this.sequelize.query(sql, { bind, transaction });
	}
}
