/** People, groups and posts, written through the API as each person would write them. */
import fs from "node:fs";
import path from "node:path";
import type { Api } from "./api";
import { type GroupKey, GROUPS } from "./content/groups";
import { PEOPLE, type Person } from "./content/people";
import { POSTS, type ReactionKind } from "./content/posts";

export interface Account {
	id: string;
	token: string;
}

export type Accounts = Record<Person, Account>;
export type GroupIds = Record<GroupKey, string>;

interface Created {
	id: string;
}

/** Markdown beside the content's code: content/<folder>/<file>.md. */
export function markdown(folder: string, file: string): string {
	return fs.readFileSync(path.join(__dirname, "content", folder, `${file}.md`), "utf8");
}

/**
 * All at once: each registration is a deliberately slow password hash, which the platform runs
 * one at a time behind a short queue, so this costs the hashes and overlaps the rest.
 */
export async function registerPeople(api: Api, password: string): Promise<Accounts> {
	const entries = await Promise.all(
		(Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]).map(async ([key, { username, displayName, bio }]) => {
			const session = await api<{ accessToken: string; user: Created }>("POST", "/api/auth/register", {
				body: { username, displayName, email: `${username}@example.com`, password }
			});
			await api("PATCH", "/api/users/me", { token: session.accessToken, body: { bio } });
			return [key, { id: session.user.id, token: session.accessToken }] as const;
		})
	);
	return Object.fromEntries(entries) as Accounts;
}

/** Groups with their members; a group joined by request keeps one request waiting for its owner. */
export async function createGroups(api: Api, accounts: Accounts): Promise<GroupIds> {
	const ids: Partial<GroupIds> = {};
	for (const [key, group] of Object.entries(GROUPS) as [GroupKey, (typeof GROUPS)[GroupKey]][]) {
		const owner = accounts[group.owner];
		const { name, description, joinPolicy } = group;
		const { id } = await api<Created>("POST", "/api/groups", {
			token: owner.token,
			body: { name, description, joinPolicy, visibility: "public" }
		});
		ids[key] = id;
		for (const member of [...group.members, ...(group.pending ?? [])]) {
			await api("POST", `/api/groups/${id}/join`, { token: accounts[member].token });
		}
		if (joinPolicy === "request") {
			for (const member of group.members) {
				await api("POST", `/api/groups/${id}/requests/${accounts[member].id}/approve`, { token: owner.token });
			}
		}
	}
	return ids as GroupIds;
}

/** Published posts, each with its comments (replies after what they answer) and reactions. */
export async function writePosts(api: Api, accounts: Accounts, groups: GroupIds): Promise<{ comments: number; reactions: number }> {
	let comments = 0;
	let reactions = 0;
	for (const post of POSTS) {
		const { id } = await api<Created>("POST", "/api/posts", {
			token: accounts[post.author].token,
			body: {
				title: post.title,
				content: markdown("posts", post.file),
				category: post.category,
				tags: post.tags,
				status: "published",
				...(post.group ? { groupId: groups[post.group] } : {})
			}
		});
		const commentIds: string[] = [];
		for (const comment of post.comments) {
			const parentId = comment.replyTo === undefined ? undefined : commentIds[comment.replyTo];
			const created = await api<Created>("POST", `/api/posts/${id}/comments`, {
				token: accounts[comment.author].token,
				body: { content: comment.content, ...(parentId ? { parentId } : {}) }
			});
			commentIds.push(created.id);
		}
		const given = Object.entries(post.reactions).flatMap(([kind, people]) => people.map(person => [kind, person] as const));
		await Promise.all(
			given.map(([kind, person]) =>
				api("PUT", `/api/posts/${id}/reactions/${kind as ReactionKind}`, { token: accounts[person].token })
			)
		);
		comments += commentIds.length;
		reactions += given.length;
	}
	return { comments, reactions };
}
