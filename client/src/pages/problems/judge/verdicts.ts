import type { Verdict } from "../types";

/** Each verdict in words: the codes are the judge's, not everyone's. */
export const VERDICT_NAMES: Record<Verdict, string> = {
	AC: "Accepted",
	WA: "Wrong answer",
	TLE: "Time limit exceeded",
	MLE: "Memory limit exceeded",
	OLE: "Output limit exceeded",
	RE: "Runtime error",
	CE: "Compilation error",
	IE: "Internal error of the judge"
};

export function verdictName(verdict: Verdict | null | undefined): string {
	return verdict ? VERDICT_NAMES[verdict] : "Not judged yet";
}
