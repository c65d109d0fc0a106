import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { get } from "../../api/http";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { useResource, useTitle } from "../../hooks";
import { GroupCard } from "./GroupCard";
import { MyInvitations } from "./MyInvitations";
import type { Group } from "./types";
import "./groups.css";

/** The groups: public ones and the caller's own, searchable, or only the caller's; the search and page live in the address. */
export default function GroupsPage() {
	const { query, route } = useLocation();
	const q = query.q?.trim() || undefined;
	const mine = query.mine === "true" && !!me.value;
	const page = Math.max(1, Number(query.page) || 1);
	const [draft, setDraft] = useState(q ?? "");
	useTitle(q ? `Groups matching ${q}` : "Groups");

	const go = (changes: Record<string, string | number | undefined>) => {
		const next = new URLSearchParams();
		for (const [key, value] of Object.entries({ q, mine: mine ? "true" : undefined, ...changes }))
			if (value !== undefined && value !== "" && !(key === "page" && Number(value) === 1)) next.set(key, String(value));
		const search = next.toString();
		route(search ? `/groups?${search}` : "/groups");
	};

	const groups = useResource(
		signal => get<Page<Group>>("/groups", { q, mine: mine || undefined, page, pageSize: 20 }, signal),
		[q, mine, page, me.value?.id]
	);

	return (
		<section>
			<div class="page-head">
				<h1>{q ? `Groups matching “${q}”` : mine ? "Your groups" : "Groups"}</h1>
				{me.value && (
					<a href="/groups/new" class="button">
						Create a group
					</a>
				)}
			</div>
			{me.value && <MyInvitations />}
			<form
				role="search"
				class="toolbar"
				onSubmit={event => {
					event.preventDefault();
					go({ q: draft.trim() || undefined, page: undefined });
				}}
			>
				<label for="group-search">Search groups</label>
				<input id="group-search" type="search" maxLength={100} value={draft} onInput={e => setDraft(e.currentTarget.value)} />
				<button type="submit">Search</button>
			</form>
			{me.value && (
				<nav class="tabs" aria-label="Which groups">
					<a href={q ? `/groups?q=${encodeURIComponent(q)}` : "/groups"} aria-current={mine ? undefined : "page"}>
						All groups
					</a>
					<a href={`/groups?mine=true${q ? `&q=${encodeURIComponent(q)}` : ""}`} aria-current={mine ? "page" : undefined}>
						Your groups
					</a>
				</nav>
			)}
			{q && (
				<p>
					<a href={mine ? "/groups?mine=true" : "/groups"}>Clear the search</a>
				</p>
			)}
			{groups.error !== undefined && <ErrorNotice error={groups.error} retry={groups.reload} />}
			{groups.loading && !groups.data && <Loading what="Loading groups" />}
			{groups.data && (
				<>
					{groups.data.rows.length === 0 && (
						<p>{q ? "No group matches this search." : mine ? "You are in no group yet." : "No groups yet."}</p>
					)}
					<div class="cards" aria-busy={groups.loading}>
						{groups.data.rows.map(group => (
							<GroupCard key={group.id} group={group} />
						))}
					</div>
					<Pager
						page={page}
						totalPages={groups.data.totalPages ?? Math.ceil(groups.data.total / groups.data.pageSize)}
						go={p => go({ page: p })}
					/>
				</>
			)}
		</section>
	);
}
