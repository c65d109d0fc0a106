import { useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import { get } from "../../api/http";
import { me } from "../../api/session";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Time } from "../../components/Time";
import { useResource, useTitle } from "../../hooks";
import { GroupBadges } from "./GroupCard";
import { GroupPosts } from "./GroupPosts";
import { GroupSettings } from "./GroupSettings";
import { Members } from "./Members";
import { Membership } from "./Membership";
import { Moderation } from "./Moderation";
import { canModerate, canReadContent } from "./permissions";
import type { Group } from "./types";
import "./groups.css";

/**
 * A group: what it is about, the caller's membership, its posts and members, and for its owners and
 * admins the work of running it. Every change reloads what it may have changed (`version`).
 */
export default function GroupPage() {
	const { params } = useRoute();
	const [version, setVersion] = useState(0);
	const changed = () => setVersion(v => v + 1);
	const group = useResource(
		signal => get<Group>(`/groups/${encodeURIComponent(params.id)}`, undefined, signal),
		[params.id, me.value?.id, version]
	);
	useTitle(group.data?.name);
	if (group.error !== undefined && !group.data) return <ErrorNotice error={group.error} retry={group.reload} />;
	if (!group.data) return <Loading what="Loading the group" />;
	const g = group.data;
	return (
		<article class="group">
			<header>
				<h1>{g.name}</h1>
				<GroupBadges group={g} />
				<p class="meta">
					Created <Time iso={g.createdAt} />
				</p>
				{g.description ? <p class="group-description">{g.description}</p> : <p class="muted">No description.</p>}
				{group.error !== undefined && <ErrorNotice error={group.error} retry={group.reload} />}
				<Membership key={`${g.id}:${g.myRole}`} group={g} onChange={changed} />
				{canReadContent(g) && (
					<p>
						<a href={`/groups/${g.id}/leaderboard`}>The group's leaderboard</a>
					</p>
				)}
			</header>
			{canReadContent(g) ? (
				<>
					<GroupPosts group={g} version={version} />
					<Members group={g} version={version} onChange={changed} />
				</>
			) : (
				<p>Only members can read this group's posts and see its members.</p>
			)}
			{canModerate(g.myRole) && (
				<>
					<Moderation group={g} version={version} onChange={changed} />
					<GroupSettings group={g} onChange={changed} />
				</>
			)}
		</article>
	);
}
