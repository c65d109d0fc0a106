/** A page of a list, as every list route answers (API.md). */
export interface Page<T> {
	rows: T[];
	total: number;
	page: number;
	pageSize: number;
	totalPages: number;
}

export function pageOf<T>(rows: T[], total: number, page: number, pageSize: number): Page<T> {
	return { rows, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
}

const count = { type: "number", integer: true, min: 0 } as const;

/** The response schema of a page whose rows are `row` (a props schema): `Infer` of it is `Page<Infer<row>>`. */
export function pageSchema<P extends object>(row: P) {
	return {
		$$strict: true,
		rows: { type: "array", items: { type: "object", props: row } },
		total: count,
		page: { type: "number", integer: true, min: 1 },
		pageSize: { type: "number", integer: true, min: 1 },
		totalPages: count
	} as const;
}
