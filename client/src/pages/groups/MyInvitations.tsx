import { useLocation } from "preact-iso";
import { api, get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import { useResource, useIntentKey } from "../../hooks";
import type { JoinResult, MyInvitation } from "./types";
import { useAction } from "./use-action";

/** Answering an invitation: accepting is joining (an invitee may join whatever the policy); declining withdraws it. */
export function InvitationAnswer({
	groupId,
	groupName,
	onAccepted,
	onDeclined
}: {
	groupId: string;
	groupName: string;
	/** Called once the person is a member; by default, their new group's page opens. */
	onAccepted?: () => void;
	onDeclined: () => void;
}) {
	const { route } = useLocation();
	const intent = useIntentKey();
	const { busy, error, run: act } = useAction();
	return (
		<>
			<div class="actions">
				<button
					type="button"
					disabled={busy}
					aria-label={`Accept the invitation to ${groupName}`}
					onClick={() =>
						act(async () => {
							await api<JoinResult>("POST", `/groups/${groupId}/join`, { idempotencyKey: intent.keyFor({ join: groupId }) });
							if (onAccepted) onAccepted();
							else route(`/groups/${groupId}`);
						})
					}
				>
					Accept
				</button>
				<button
					type="button"
					class="danger"
					disabled={busy}
					aria-label={`Decline the invitation to ${groupName}`}
					onClick={() => act(() => api("DELETE", `/groups/${groupId}/invitations/${me.value!.id}`).then(onDeclined))}
				>
					Decline
				</button>
			</div>
			{error !== undefined && <ErrorNotice error={error} />}
		</>
	);
}

/** The signed-in person's pending invitations, at the top of the groups page (hidden when there are none). */
export function MyInvitations() {
	const invitations = useResource(
		async signal => {
			const page = await get<Page<MyInvitation>>("/groups/invitations", { pageSize: 100 }, signal);
			void learnNames(page.rows.map(i => i.invitedBy));
			return page;
		},
		[me.value?.id]
	);
	if (invitations.error !== undefined) return <ErrorNotice error={invitations.error} retry={invitations.reload} />;
	if (!invitations.data?.rows.length) return null;
	return (
		<section class="invitations" aria-labelledby="my-invitations">
			<h2 id="my-invitations">Your invitations</h2>
			<ul>
				{invitations.data.rows.map(invitation => (
					<li key={invitation.group.id}>
						<p>
							<a href={`/groups/${invitation.group.id}`}>{invitation.group.name}</a>
							<span class="meta">
								{" "}
								· invited by <PersonLink id={invitation.invitedBy} /> <Time iso={invitation.createdAt} />
							</span>
						</p>
						<InvitationAnswer groupId={invitation.group.id} groupName={invitation.group.name} onDeclined={invitations.reload} />
					</li>
				))}
			</ul>
		</section>
	);
}
