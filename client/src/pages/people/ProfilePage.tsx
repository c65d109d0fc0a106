import { useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { get } from "../../api/http";
import { me } from "../../api/session";
import type { Person } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { useResource, useTitle } from "../../hooks";
import { AuthoredPosts } from "./AuthoredPosts";
import { ProfileEditor } from "./ProfileEditor";
import { StandingSection } from "./StandingSection";
import "./people.css";

const joined = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });

/**
 * A person's profile: name, bio, standing, contests and posts. One's own profile shows what the
 * signed-in account holds (a private profile is 404 to everyone, its owner included), with an editor.
 */
export default function ProfilePage() {
	const { params } = useRoute();
	const username = params.username;
	const [editing, setEditing] = useState(false);
	const [notice, setNotice] = useState("");
	const profile = useResource(signal => get<Person>(`/users/${encodeURIComponent(username)}`, undefined, signal), [username]);
	const own = me.value && me.value.username.toLowerCase() === username.toLowerCase() ? me.value : undefined;
	const person: Person | undefined = own ? { ...own, avatarUrl: null } : profile.data;
	useTitle(person?.displayName ?? username);

	if (!person) {
		if (profile.error instanceof ApiError && profile.error.status === 404 && me.value !== undefined)
			return (
				<section>
					<h1>No such profile</h1>
					<p>There is no public profile named “{username}”: the account may not exist, or its owner keeps it private.</p>
				</section>
			);
		if (profile.error !== undefined) return <ErrorNotice error={profile.error} retry={profile.reload} />;
		return <Loading what="Loading the profile" />;
	}
	return (
		<article class="profile">
			<header>
				<h1>{person.displayName}</h1>
				<p class="meta">
					@{person.username} · joined <time dateTime={person.createdAt}>{joined(person.createdAt)}</time>
				</p>
				{person.bio ? <p class="bio">{person.bio}</p> : <p class="muted">No bio yet.</p>}
				{own && (
					<div class="actions">
						<button type="button" aria-expanded={editing} onClick={() => (setEditing(!editing), setNotice(""))}>
							{editing ? "Close the editor" : "Edit profile"}
						</button>
						<a href="/settings" class="button secondary">
							Account settings
						</a>
					</div>
				)}
				<p role="status" class="saved">
					{notice}
				</p>
				{own && editing && <ProfileEditor user={own} onDone={() => (setEditing(false), setNotice("Profile saved."))} />}
			</header>
			<StandingSection username={person.username} mine={!!own} />
			<AuthoredPosts authorId={person.id} />
		</article>
	);
}
