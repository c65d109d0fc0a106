import type { Person } from "./people";

export interface DemoGroup {
	name: string;
	description: string;
	joinPolicy: "open" | "request";
	owner: Person;
	/** Open groups: they join. Groups by request: they ask, and the owner approves. */
	members: Person[];
	/** Asked to join and still waiting: the owner finds a request to decide. */
	pending?: Person[];
}

/** Keys that posts use to name their group. */
export type GroupKey = "algorithms" | "web" | "interviews";

export const GROUPS: Record<GroupKey, DemoGroup> = {
	algorithms: {
		name: "Algorithms Study Circle",
		description:
			"One topic a week, from binary search to max flow. Post what you learned, ask about what you did not, and join the Saturday rounds.",
		joinPolicy: "open",
		owner: "tomasz",
		members: ["maya", "lucas", "jonas", "priya"]
	},
	web: {
		name: "Web Platform Guild",
		description: "HTML, CSS, accessibility and the browser APIs under the frameworks. Code reviews welcome.",
		joinPolicy: "open",
		owner: "priya",
		members: ["lucas", "maya", "amara"]
	},
	interviews: {
		name: "Interview Prep Club",
		description:
			"Mock interviews and the patterns behind them. Membership is approved so that the mock-interview pairs stay small and committed.",
		joinPolicy: "request",
		owner: "priya",
		members: ["jonas", "lucas"],
		pending: ["amara"]
	}
};
