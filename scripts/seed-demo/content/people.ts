/** The demo's people: who they are and what they write about. Emails are on example.com (RFC 2606). */
export const PEOPLE = {
	maya: {
		username: "maya_chen",
		displayName: "Maya Chen",
		bio: "Backend engineer in Lisbon. I write about PostgreSQL, queues and the occasional algorithm, and run the Saturday practice rounds."
	},
	tomasz: {
		username: "tomasz_nowak",
		displayName: "Tomasz Nowak",
		bio: "Competitive programmer turned teaching assistant. Graphs, dynamic programming and far too much C++."
	},
	priya: {
		username: "priya_raman",
		displayName: "Priya Raman",
		bio: "Frontend developer: accessibility, TypeScript and CSS that does not fight back. I mentor people moving into tech."
	},
	lucas: {
		username: "lucas_martins",
		displayName: "Lucas Martins",
		bio: "Second-year CS student in São Paulo, learning Go and Rust. I ask a lot of questions here."
	},
	amara: {
		username: "amara_okafor",
		displayName: "Amara Okafor",
		bio: "Site reliability engineer at a payments company. Kubernetes, observability, and postmortems people actually read."
	},
	jonas: {
		username: "jonas_weber",
		displayName: "Jonas Weber",
		bio: "Self-taught Python developer, data pipelines by day. Currently working through interview problems, one pattern at a time."
	}
} as const;

export type Person = keyof typeof PEOPLE;
