import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import type { ApiError } from "../../api/errors";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useResource, useIntentKey } from "../../hooks";
import { InvitationAnswer } from "./MyInvitations";
import type { Group, JoinResult, MyInvitation } from "./types";
import { useAction } from "./use-action";

/** Whether the caller's notifications from this group are muted, and a button to change it. */
function MuteToggle({ groupId }: { groupId: string }) {
	const mutes = useResource(signal => get<{ groupIds: string[] }>("/notifications/mutes", undefined, signal), [groupId]);
	const [muted, setMuted] = useState<boolean>();
	const { busy, error, run } = useAction();
	const isMuted = muted ?? mutes.data?.groupIds.includes(groupId);
	if (mutes.error !== undefined) return <ErrorNotice error={mutes.error} retry={mutes.reload} />;
	if (isMuted === undefined) return null;
	return (
		<>
			<label class="check">
				<input
					type="checkbox"
					checked={isMuted}
					disabled={busy}
					onChange={() =>
						run(() => api(isMuted ? "DELETE" : "PUT", `/notifications/mutes/groups/${groupId}`).then(() => setMuted(!isMuted)))
					}
				/>{" "}
				Mute notifications from this group
			</label>
			{error !== undefined && <ErrorNotice error={error} />}
		</>
	);
}

/** A member's actions: leave (a private group then disappears for them), mute. */
function MemberActions({ group, onChange }: { group: Group; onChange: () => void }) {
	const { route } = useLocation();
	const { busy, error, run } = useAction();
	// A group always keeps an owner (the API answers 409 LAST_OWNER).
	const lastOwner = group.myRole === "owner" && group.ownerIds.length <= 1;
	const leave = async () => {
		await api("POST", `/groups/${group.id}/leave`);
		if (group.visibility === "private") route("/groups");
		else onChange();
	};
	return (
		<>
			<div class="actions">
				{lastOwner ? (
					<p class="muted">You are its only owner: make someone else owner before you can leave.</p>
				) : (
					<button type="button" class="danger" disabled={busy} onClick={() => confirm(`Leave ${group.name}?`) && run(leave)}>
						Leave the group
					</button>
				)}
				<MuteToggle groupId={group.id} />
			</div>
			{error !== undefined && <ErrorNotice error={error} />}
		</>
	);
}

/** Joining as the group's policy allows: at once (open), by a request an admin answers, or not without an invitation. */
function JoinActions({ group, onChange }: { group: Group; onChange: () => void }) {
	const { route } = useLocation();
	const intent = useIntentKey();
	const { busy, error, run } = useAction();
	const [requested, setRequested] = useState(false);
	const invitations = useResource(
		signal => get<Page<MyInvitation>>("/groups/invitations", { pageSize: 100 }, signal),
		[group.id, me.value?.id]
	);
	const invited = invitations.data?.rows.some(i => i.group.id === group.id);
	// Without the invitation a private group is no longer the person's to see.
	const declined = () => (group.visibility === "private" ? route("/groups") : invitations.reload());

	const join = async () => {
		try {
			const result = await api<JoinResult>("POST", `/groups/${group.id}/join`, { idempotencyKey: intent.keyFor({ join: group.id }) });
			if (result.status === "member") onChange();
			else setRequested(true);
		} catch (err) {
			if ((err as ApiError).type === "REQUEST_PENDING") setRequested(true);
			else throw err;
		}
	};

	if (invitations.error !== undefined) return <ErrorNotice error={invitations.error} retry={invitations.reload} />;
	if (!invitations.data) return null;
	if (invited)
		return (
			<div class="membership">
				<p>You are invited to this group.</p>
				<InvitationAnswer groupId={group.id} groupName={group.name} onDeclined={declined} onAccepted={onChange} />
			</div>
		);
	if (group.joinPolicy === "invite") return <p class="membership">Only invited people can join this group.</p>;
	return (
		<div class="membership">
			<p role="status">{requested ? "Your request to join was sent. An admin of the group will answer it." : ""}</p>
			{!requested && (
				<button type="button" disabled={busy} onClick={() => run(join)}>
					{group.joinPolicy === "open" ? "Join the group" : "Ask to join"}
				</button>
			)}
			{error !== undefined && <ErrorNotice error={error} />}
		</div>
	);
}

/** The caller's membership: what they may do to join, or as a member. */
export function Membership({ group, onChange }: { group: Group; onChange: () => void }) {
	if (me.value === undefined) return null;
	if (me.value === null)
		return (
			<p class="membership">
				<a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Sign in</a>{" "}
				{group.joinPolicy === "invite" ? "to answer an invitation to this group." : "to join this group."}
			</p>
		);
	if (group.myRole) return <MemberActions group={group} onChange={onChange} />;
	return <JoinActions group={group} onChange={onChange} />;
}
