import { useRoute } from "preact-iso";
import { get } from "../../api/http";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useResource, useTitle } from "../../hooks";
import { BoardTable } from "./BoardTable";
import "./people.css";

/** A group's leaderboard: every member, the rated by rating and the unrated below them (or all by problems solved). */
export default function GroupLeaderboardPage() {
	const { params } = useRoute();
	const id = params.id;
	const group = useResource(signal => get<{ id: string; name: string }>(`/groups/${encodeURIComponent(id)}`, undefined, signal), [id]);
	const name = group.data?.name;
	useTitle(name ? `${name}: leaderboard` : "Group leaderboard");
	if (group.error !== undefined) return <ErrorNotice error={group.error} retry={group.reload} />;
	return (
		<section>
			<p class="breadcrumb">
				<a href={`/groups/${id}`}>{name ?? "Back to the group"}</a>
			</p>
			<h1>{name ? `${name}: leaderboard` : "Group leaderboard"}</h1>
			<p class="muted">Every member of the group; those never rated come after the rated ones.</p>
			<BoardTable
				path={`/groups/${encodeURIComponent(id)}/leaderboard`}
				basePath={`/groups/${id}/leaderboard`}
				label={`Leaderboard of ${name ?? "the group"}`}
			/>
		</section>
	);
}
