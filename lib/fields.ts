/**
 * The source's own values of these fields and nothing else: writes copy an explicit list into a
 * model, never parameters whole, so an unknown or inherited key (a `__proto__` smuggled into the
 * parameters) cannot reach the database. Undefined values are left out (an absent optional field).
 */
export function ownFields<T extends object, K extends keyof T>(source: T, fields: readonly K[]): Partial<Pick<T, K>> {
	const picked: Partial<Pick<T, K>> = {};
	for (const field of fields) {
		if (Object.hasOwn(source, field) && source[field] !== undefined) picked[field] = source[field];
	}
	return picked;
}
