import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { learnNames, personNamed } from "../../api/people";
import type { Page, Person } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { Pager } from "../../components/Pager";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import { useResource, useIntentKey } from "../../hooks";
import type { Group, Pending } from "./types";
import { useAction } from "./use-action";

interface SectionProps {
	group: Group;
	version: number;
	onChange: () => void;
}

/** Inviting someone by username: the API takes their id, which their public profile gives. */
function InviteForm({ group, onChange }: Omit<SectionProps, "version">) {
	const [username, setUsername] = useState("");
	const [invited, setInvited] = useState("");
	const intent = useIntentKey();
	const invite = async () => {
		setInvited("");
		const person = await get<Person>(`/users/${encodeURIComponent(username.trim())}`);
		await api("POST", `/groups/${group.id}/invitations`, {
			body: { userId: person.id },
			idempotencyKey: intent.keyFor({ invite: person.id })
		});
		setInvited(person.displayName);
		setUsername("");
		onChange();
	};
	return (
		<Form label="Invite someone" submit="Invite" onSubmit={invite}>
			<Field
				label="Username to invite"
				hint="They are notified and may then join, whatever the join policy. People with a private profile cannot be found."
			>
				{(id, hint) => (
					<input
						id={id}
						name="username"
						required
						maxLength={32}
						autoComplete="off"
						aria-describedby={hint}
						value={username}
						onInput={e => setUsername(e.currentTarget.value)}
					/>
				)}
			</Field>
			<p role="status" class="ok">
				{invited && `${invited} is invited.`}
			</p>
		</Form>
	);
}

/** A page of pending requests or invitations, each with its buttons. */
function PendingList({
	path,
	version,
	empty,
	label,
	actions
}: {
	path: string;
	version: number;
	empty: string;
	label: string;
	actions: (pending: Pending, name: string) => ComponentChildren;
}) {
	const [page, setPage] = useState(1);
	const list = useResource(
		async signal => {
			const result = await get<Page<Pending>>(path, { page, pageSize: 20 }, signal);
			void learnNames(result.rows.flatMap(p => [p.userId, p.invitedBy]));
			return result;
		},
		[path, page, version]
	);
	if (list.error !== undefined) return <ErrorNotice error={list.error} retry={list.reload} />;
	if (!list.data) return <Loading what={`Loading ${label}`} />;
	if (!list.data.rows.length) return <p class="muted">{empty}</p>;
	return (
		<>
			<ul class="pending" aria-label={label}>
				{list.data.rows.map(pending => (
					<li key={pending.userId}>
						<span>
							<PersonLink id={pending.userId} />{" "}
							<span class="meta">
								{pending.invitedBy && (
									<>
										invited by <PersonLink id={pending.invitedBy} />{" "}
									</>
								)}
								<Time iso={pending.createdAt} />
							</span>
						</span>
						{actions(pending, personNamed(pending.userId)?.displayName ?? "this person")}
					</li>
				))}
			</ul>
			<Pager page={page} totalPages={list.data.totalPages ?? 1} go={setPage} />
		</>
	);
}

/** One row's buttons, each a write whose error shows beside them. */
function RowActions({ buttons }: { buttons: { label: string; name: string; danger?: boolean; send: () => Promise<unknown> }[] }) {
	const { busy, error, run } = useAction();
	return (
		<span class="row-actions">
			{buttons.map(b => (
				<button
					key={b.label}
					type="button"
					class={b.danger ? "danger" : "secondary"}
					disabled={busy}
					aria-label={b.name}
					onClick={() => run(b.send)}
				>
					{b.label}
				</button>
			))}
			{error !== undefined && <ErrorNotice error={error} />}
		</span>
	);
}

/** Owners' and admins' work: inviting, answering join requests, revoking invitations. */
export function Moderation({ group, version, onChange }: SectionProps) {
	const base = `/groups/${group.id}`;
	return (
		<section aria-labelledby="moderation-heading" class="moderation">
			<h2 id="moderation-heading">Manage the group</h2>
			<h3>Invite</h3>
			<InviteForm group={group} onChange={onChange} />
			<h3>Requests to join</h3>
			<PendingList
				path={`${base}/requests`}
				version={version}
				label="Requests to join"
				empty={
					group.joinPolicy === "request"
						? "No request is waiting."
						: "No request is waiting (only groups that join on request get them)."
				}
				actions={(pending, name) => (
					<RowActions
						buttons={[
							{
								label: "Approve",
								name: `Approve ${name}'s request`,
								send: () => api("POST", `${base}/requests/${pending.userId}/approve`).then(onChange)
							},
							{
								label: "Reject",
								name: `Reject ${name}'s request`,
								danger: true,
								send: () => api("POST", `${base}/requests/${pending.userId}/reject`).then(onChange)
							}
						]}
					/>
				)}
			/>
			<h3>Pending invitations</h3>
			<PendingList
				path={`${base}/invitations`}
				version={version}
				label="Pending invitations"
				empty="No invitation is waiting for an answer."
				actions={(pending, name) => (
					<RowActions
						buttons={[
							{
								label: "Revoke",
								name: `Revoke the invitation of ${name}`,
								danger: true,
								send: () => api("DELETE", `${base}/invitations/${pending.userId}`).then(onChange)
							}
						]}
					/>
				)}
			/>
		</section>
	);
}
