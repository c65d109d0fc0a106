import type { LanguageId } from "./judge.types";
import type { LanguageRuntime } from "./sandbox/sandbox.types";
import { createJavascriptRuntime } from "./sandbox/javascript";
import { createPythonRuntime } from "./sandbox/python";
import { createClangRuntime } from "./sandbox/wasi";

export interface Language {
	id: LanguageId;
	name: string;
	/**
	 * A problem's time limit is multiplied by this for the language: Python's interpreter runs the
	 * same algorithm several times slower than compiled code, and learners should not be punished for it.
	 */
	timeMultiplier: number;
	/** The runtime, built for a node with this many judging slots. */
	runtime(slots: number): LanguageRuntime;
}

/**
 * Every language the judge runs, declared once: its name, how its limits scale and which sandbox
 * runs it (compile and run steps live in the sandbox's folder). Versions are the sandbox's own,
 * read by its probe at start.
 */
export const LANGUAGES: readonly Language[] = [
	{ id: "javascript", name: "JavaScript", timeMultiplier: 1, runtime: slots => createJavascriptRuntime({ hosts: slots }) },
	{ id: "c", name: "C (C17)", timeMultiplier: 1, runtime: slots => createClangRuntime({ language: "c", workers: slots }) },
	{ id: "cpp", name: "C++ (C++20)", timeMultiplier: 1, runtime: slots => createClangRuntime({ language: "cpp", workers: slots }) },
	{ id: "python", name: "Python 3", timeMultiplier: 3, runtime: () => createPythonRuntime() }
];
