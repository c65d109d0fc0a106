import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { useResource } from "../../hooks";

type Preferences = Record<string, { inApp: boolean }>;

/** What each kind of notification is about, in words. */
const KINDS: Record<string, string> = {
	"group.invitation.created": "Someone invites me to a group",
	"group.request.created": "Someone asks to join a group I run",
	"group.request.approved": "My request to join a group is approved",
	"group.request.rejected": "My request to join a group is declined",
	"group.member.joined": "Someone joins a group I run",
	"group.member.left": "Someone leaves a group I run",
	"group.member.removed": "I am removed from a group",
	"group.member.role_changed": "My role in a group changes",
	"group.deleted": "A group I am in is deleted",
	"post.published": "A new post in one of my groups",
	"post.commented": "A comment on my post or a reply to my comment",
	"post.reacted": "A reaction to my post",
	"contest.created": "A new contest",
	"contest.started": "A contest I registered for starts",
	"contest.ended": "A contest I took part in ends"
};

export function Preferences() {
	const prefs = useResource(signal => get<Preferences>("/notifications/preferences", undefined, signal), []);
	const [error, setError] = useState<unknown>();
	const [saved, setSaved] = useState<Preferences>();
	const current = saved ?? prefs.data;
	if (prefs.error !== undefined) return <ErrorNotice error={prefs.error} retry={prefs.reload} />;
	if (!current) return <Loading what="Loading your preferences" />;
	const toggle = async (kind: string, inApp: boolean) => {
		const next = { ...current, [kind]: { inApp } };
		setSaved(next);
		setError(undefined);
		try {
			setSaved(await api<Preferences>("PUT", "/notifications/preferences", { body: { [kind]: { inApp } } }));
		} catch (err) {
			setSaved(current);
			setError(err);
		}
	};
	return (
		<fieldset>
			<legend>Notify me when</legend>
			{Object.entries(KINDS)
				.filter(([kind]) => kind in current)
				.map(([kind, label]) => (
					<label key={kind} class="check">
						<input type="checkbox" checked={current[kind].inApp} onChange={e => void toggle(kind, e.currentTarget.checked)} />{" "}
						{label}
					</label>
				))}
			{error !== undefined && <ErrorNotice error={error} />}
		</fieldset>
	);
}
