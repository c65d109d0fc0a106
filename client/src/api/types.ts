/** The shapes the pages read (the API's own are in /api/openapi.json). */
export interface Me {
	id: string;
	username: string;
	displayName: string;
	bio: string;
	email: string;
	role: "user" | "admin";
	createdAt: string;
	preferences?: { locale: string; timezone: string; theme: "light" | "dark" | "system"; profileVisibility: "public" | "private" };
}

export interface Person {
	id: string;
	username: string;
	displayName: string;
	bio: string;
	avatarUrl: string | null;
	createdAt: string;
}

export interface Page<T> {
	rows: T[];
	total: number;
	page: number;
	pageSize: number;
	totalPages?: number;
}

export const CATEGORIES = ["algorithms", "data-structures", "web", "databases", "devops", "languages", "career"] as const;
export type Category = (typeof CATEGORIES)[number];

export const REACTIONS = ["like", "helpful", "insightful"] as const;
export type Reaction = (typeof REACTIONS)[number];

export interface PostSummary {
	id: string;
	slug: string;
	title: string;
	excerpt: string;
	category: Category;
	tags: string[];
	status: "draft" | "published";
	groupId: string | null;
	authorId: string;
	readingTimeMinutes: number;
	viewCount: number;
	reactions: Record<Reaction, number>;
	commentCount: number;
	publishedAt: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface Post extends PostSummary {
	content: string;
	html: string;
	myReactions?: Reaction[];
}

export interface Comment {
	id: string;
	postId: string;
	parentId: string | null;
	depth: number;
	authorId: string | null;
	content: string;
	html: string;
	deleted: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface Notification {
	id: string;
	type: string;
	reason: string;
	actorId: string | null;
	subject: { kind: "user" | "group" | "post" | "contest"; id: string };
	groupId: string | null;
	title: string;
	body: string;
	/** A path of the web client's own, e.g. /posts/<slug>. */
	link: string;
	read: boolean;
	createdAt: string;
}
