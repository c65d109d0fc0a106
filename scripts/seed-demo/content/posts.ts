/**
 * The demo's posts: each one's body is a Markdown file in posts/, beside its comments and the
 * reactions it gets. Comments with `replyTo` answer an earlier comment on the same post.
 */
import type { GroupKey } from "./groups";
import type { Person } from "./people";

export type Category = "algorithms" | "data-structures" | "web" | "databases" | "devops" | "languages" | "career";
export type ReactionKind = "like" | "helpful" | "insightful";

export interface DemoComment {
	author: Person;
	content: string;
	/** The index, in this post's list, of the comment this one answers. */
	replyTo?: number;
}

export interface DemoPost {
	/** The body: posts/<file>.md. */
	file: string;
	author: Person;
	title: string;
	category: Category;
	tags: string[];
	group?: GroupKey;
	comments: DemoComment[];
	reactions: Partial<Record<ReactionKind, Person[]>>;
}

export const POSTS: DemoPost[] = [
	{
		file: "postgres-index",
		author: "maya",
		title: "Why PostgreSQL ignores your index (and how to tell)",
		category: "databases",
		tags: ["postgresql", "indexes", "performance"],
		comments: [
			{
				author: "jonas",
				content: "The `lower(email)` case bit me last week. Would a `citext` column have been better than an expression index?"
			},
			{
				author: "maya",
				replyTo: 0,
				content:
					"Either works. `citext` keeps every query simple; the expression index keeps the column a plain `text`. On a new table I'd pick `citext`."
			}
		],
		reactions: { helpful: ["jonas", "amara", "lucas"], like: ["tomasz"] }
	},
	{
		file: "dijkstra",
		author: "tomasz",
		title: "Dijkstra's algorithm with a binary heap",
		category: "algorithms",
		tags: ["graphs", "shortest-paths", "cpp", "python"],
		group: "algorithms",
		comments: [
			{ author: "lucas", content: "Why is the `d > dist[u]` check needed at all? Nothing is ever removed from the heap early." },
			{
				author: "tomasz",
				replyTo: 0,
				content:
					"Exactly because nothing is removed: we push a new entry instead of decreasing a key, so old entries for the same vertex stay in the heap. The check skips them."
			},
			{ author: "jonas", content: "The overflow warning saved me on the practice round. Thanks!" }
		],
		reactions: { insightful: ["lucas", "maya"], helpful: ["jonas"], like: ["priya"] }
	},
	{
		file: "accessible-buttons",
		author: "priya",
		title: "A div is not a button",
		category: "web",
		tags: ["accessibility", "html", "css", "javascript"],
		group: "web",
		comments: [
			{
				author: "amara",
				content:
					'Also: inside a `<form>`, a `<button>` defaults to `type="submit"`. Writing `type="button"` saves a surprising page reload.'
			}
		],
		reactions: { helpful: ["lucas", "amara"], like: ["maya"] }
	},
	{
		file: "kubernetes-probes",
		author: "amara",
		title: "Liveness vs readiness: the probe difference that pages you at 3 a.m.",
		category: "devops",
		tags: ["kubernetes", "reliability", "health-checks"],
		comments: [
			{
				author: "maya",
				content:
					"Lived through exactly this: a liveness probe that pinged the database. The database failed over, and every pod restarted at once."
			}
		],
		reactions: { insightful: ["maya", "priya"], helpful: ["tomasz", "lucas"] }
	},
	{
		file: "rust-ownership",
		author: "lucas",
		title: "Ownership in Rust finally clicked for me",
		category: "languages",
		tags: ["rust", "memory", "beginners"],
		comments: [{ author: "tomasz", content: "Next stop: lifetimes. Same idea, written down in the function's signature." }],
		reactions: { like: ["tomasz", "priya", "jonas"] }
	},
	{
		file: "two-pointers",
		author: "jonas",
		title: "Two pointers: a pattern worth knowing by heart",
		category: "algorithms",
		tags: ["two-pointers", "arrays", "python", "interviews"],
		group: "interviews",
		comments: [
			{ author: "priya", content: "Great write-up. A good follow-up to practise: three-sum, which is this pattern inside a loop." },
			{ author: "lucas", content: "Saying the invariant out loud is such good advice. I always jump straight into code." }
		],
		reactions: { helpful: ["priya", "lucas"] }
	},
	{
		file: "binary-search-answer",
		author: "maya",
		title: "Binary search on the answer",
		category: "algorithms",
		tags: ["binary-search", "javascript", "python"],
		group: "algorithms",
		comments: [
			{ author: "jonas", content: "This reframing cracked 'Koko eating bananas' for me too. Same shape, different predicate." }
		],
		reactions: { insightful: ["jonas", "tomasz"], like: ["lucas"] }
	},
	{
		file: "reviewing-prs",
		author: "priya",
		title: "How I review pull requests from people new to the team",
		category: "career",
		tags: ["code-review", "mentoring", "teamwork"],
		comments: [
			{ author: "amara", content: "Labelling comments as blocking or not changed our team's reviews completely. Highly recommend." },
			{ author: "lucas", content: "As the new person on a team: point 4 matters more than you'd think." }
		],
		reactions: { like: ["amara", "lucas", "maya", "jonas"], helpful: ["tomasz"] }
	},
	{
		file: "go-errors",
		author: "lucas",
		title: "Errors are values in Go: wrap them, then check them",
		category: "languages",
		tags: ["go", "errors"],
		comments: [{ author: "amara", content: "`errors.Join` (Go 1.20+) is handy when the cleanup fails as well as the work." }],
		reactions: { helpful: ["amara", "maya"] }
	},
	{
		file: "union-find",
		author: "tomasz",
		title: "Union–Find in twenty lines",
		category: "data-structures",
		tags: ["disjoint-set", "graphs", "python"],
		group: "algorithms",
		comments: [
			{ author: "lucas", content: "Does union by size still matter once we have path halving?" },
			{
				author: "tomasz",
				replyTo: 0,
				content:
					"Each one alone gives O(log n) amortised. Only together do they give the inverse-Ackermann bound, and union by size is two lines."
			}
		],
		reactions: { insightful: ["lucas", "maya"], like: ["jonas"] }
	}
];
