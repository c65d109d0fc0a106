import type { Group } from "./types";

/** One group in a list: its name, what kind of group it is, and the caller's place in it. */
export function GroupCard({ group }: { group: Group }) {
	return (
		<article class="card">
			<h2>
				<a href={`/groups/${group.id}`}>{group.name}</a>
			</h2>
			{group.description && <p class="group-excerpt">{group.description}</p>}
			<GroupBadges group={group} />
		</article>
	);
}

/** Visibility, join policy, size and the caller's role, as tags. */
export function GroupBadges({ group }: { group: Group }) {
	return (
		<p class="meta badges">
			<span class="tag">{group.visibility}</span>
			<span class="tag">
				{group.joinPolicy === "open" ? "open to all" : group.joinPolicy === "request" ? "on request" : "invitation only"}
			</span>
			<span>
				{group.memberCount} {group.memberCount === 1 ? "member" : "members"}
			</span>
			{group.myRole && <span class="tag role">you are {group.myRole === "member" ? "a member" : `an ${group.myRole}`}</span>}
		</p>
	);
}
