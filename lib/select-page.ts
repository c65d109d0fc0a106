import { QueryTypes, type Sequelize } from "sequelize";

export interface PageQuery {
	/** `FROM … WHERE …` of the listed rows. */
	from: string;
	orderBy: string;
	/** Bound to `$1…` in `from`; the limit and offset are bound after them. */
	bind: unknown[];
	page: number;
	pageSize: number;
}

/**
 * A page of rows and the count of all of them, from one statement and so one snapshot: two
 * queries side by side could count a row that the page, read a moment earlier, lacks.
 */
export async function selectPage<R extends object>(sequelize: Sequelize, q: PageQuery): Promise<{ rows: R[]; total: number }> {
	const n = q.bind.length;
	const rows = await sequelize.query<R & { total_count: string }>(
		`SELECT *, count(*) OVER () AS total_count ${q.from} ORDER BY ${q.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
		{ bind: [...q.bind, q.pageSize, (q.page - 1) * q.pageSize], type: QueryTypes.SELECT }
	);
	if (rows.length)
		return { rows: rows.map(({ total_count: _count, ...row }) => row as unknown as R), total: Number(rows[0].total_count) };
	if (q.page === 1) return { rows: [], total: 0 };
	// Past the last page the window counts nothing: count alone.
	const [{ total }] = await sequelize.query<{ total: string }>(`SELECT count(*) AS total ${q.from}`, {
		bind: q.bind,
		type: QueryTypes.SELECT
	});
	return { rows: [], total: Number(total) };
}
