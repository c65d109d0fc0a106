/**
 * Freezes a value and everything it holds. A value shared by every reader (a cached page) is
 * frozen so that none can change it for the next one; the gateway serialises a frozen answer
 * once (services/gateway/shared-responses.mixin.ts), which is sound only if it is frozen all through.
 */
export function deepFreeze<T>(value: T): T {
	if (value && typeof value === "object" && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const inner of Object.values(value)) deepFreeze(inner);
	}
	return value;
}
