import type { CheckResult } from "./checker.types";
import type { TokenCursor } from "./token-cursor";
import { compareTokenwise, expectedButFound } from "./tokenwise";

/** The error allowed when the problem gives neither: testlib's usual 1e-6, absolute or relative. */
export const DEFAULT_FLOAT_ERROR = 1e-6;
/** Rounding slack, as testlib's doubleCompare adds, so an error of exactly epsilon is not refused by the last bit. */
const SLACK = 1e-15;

export interface FloatTolerance {
	absolute?: number;
	relative?: number;
}

/**
 * Token by token: where both tokens are finite decimal numbers (`-1.5`, `2e-3`, `.5`; not `0x10`, `inf`, `nan`),
 * they match when within the absolute OR the relative error (relative to the answer's number); other tokens
 * must be equal. Without any tolerance both errors are 1e-6; when only one is given the other is 0.
 */
export function checkFloats(expected: string, actual: string, tolerance: FloatTolerance = {}): CheckResult {
	const given = tolerance.absolute !== undefined || tolerance.relative !== undefined;
	const absolute = tolerance.absolute ?? (given ? 0 : DEFAULT_FLOAT_ERROR);
	const relative = tolerance.relative ?? (given ? 0 : DEFAULT_FLOAT_ERROR);
	return compareTokenwise(expected, actual, (want, got) => {
		const wanted = numberAt(want);
		const found = numberAt(got);
		if (wanted === null || found === null) return want.sameTokenAs(got) ? null : expectedButFound(want, got);
		const error = Math.abs(found - wanted);
		if (error <= absolute + SLACK || error <= relative * Math.abs(wanted) + SLACK) return null;
		return `${expectedButFound(want, got)}, off by ${error.toPrecision(3)}`;
	});
}

/** The token's value when it is a finite decimal number, else null. */
function numberAt(cursor: TokenCursor): number | null {
	if (!isDecimalNumber(cursor.text, cursor.start, cursor.end)) return null;
	const value = Number(cursor.token());
	return Number.isFinite(value) ? value : null;
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** `[+-]? digits? (. digits?)? ([eE] [+-]? digits)?` with at least one mantissa digit, checked by one scan. */
export function isDecimalNumber(text: string, start: number, end: number): boolean {
	let i = skipSign(text, start, end);
	let mantissaDigits = skipDigits(text, i, end) - i;
	i += mantissaDigits;
	if (i < end && text.charCodeAt(i) === DOT) {
		const fractionEnd = skipDigits(text, i + 1, end);
		mantissaDigits += fractionEnd - i - 1;
		i = fractionEnd;
	}
	if (mantissaDigits === 0) return false;
	if (i < end && (text.charCodeAt(i) === LOWER_E || text.charCodeAt(i) === UPPER_E)) {
		const exponentStart = skipSign(text, i + 1, end);
		i = skipDigits(text, exponentStart, end);
		if (i === exponentStart) return false;
	}
	return i === end;
}

// Plain functions, not closures: this runs once per token of outputs of several MB.
function skipSign(text: string, i: number, end: number): number {
	return i < end && (text.charCodeAt(i) === PLUS || text.charCodeAt(i) === MINUS) ? i + 1 : i;
}

function skipDigits(text: string, i: number, end: number): number {
	while (i < end && isDigit(text.charCodeAt(i))) i++;
	return i;
}
