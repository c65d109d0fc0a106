import { useId, useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { learnNames, personNamed } from "../../api/people";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import { useResource } from "../../hooks";
import { canChangeRole, canRemove } from "./permissions";
import { type Group, type Member, type Role, ROLES } from "./types";
import { useAction } from "./use-action";

const nameOf = (id: string) => personNamed(id)?.displayName ?? "this member";

/** An owner's control for one member's role: owner (ownership shared or handed over), admin, member. */
function RoleChange({ group, member, onChange }: { group: Group; member: Member; onChange: () => void }) {
	const id = useId();
	const [role, setRole] = useState<Role>(member.role);
	const { busy, error, run } = useAction();
	return (
		<form
			class="inline"
			aria-label={`Change the role of ${nameOf(member.userId)}`}
			onSubmit={event => {
				event.preventDefault();
				run(() => api("PATCH", `/groups/${group.id}/members/${member.userId}`, { body: { role } }).then(onChange));
			}}
		>
			<label class="visually-hidden" for={id}>
				Role of {nameOf(member.userId)}
			</label>
			<select id={id} value={role} onChange={e => setRole(e.currentTarget.value as Role)}>
				{ROLES.map(r => (
					<option key={r} value={r}>
						{r}
					</option>
				))}
			</select>
			<button type="submit" class="secondary" disabled={busy || role === member.role}>
				Change role
			</button>
			{error !== undefined && <ErrorNotice error={error} />}
		</form>
	);
}

function RemoveMember({ group, member, onChange }: { group: Group; member: Member; onChange: () => void }) {
	const { busy, error, run } = useAction();
	const name = nameOf(member.userId);
	return (
		<>
			<button
				type="button"
				class="link danger"
				disabled={busy}
				aria-label={`Remove ${name} from the group`}
				onClick={() =>
					confirm(`Remove ${name} from ${group.name}?`) &&
					run(() => api("DELETE", `/groups/${group.id}/members/${member.userId}`).then(onChange))
				}
			>
				Remove
			</button>
			{error !== undefined && <ErrorNotice error={error} />}
		</>
	);
}

/** The members with their roles; owners change roles, owners and admins remove those they may. */
export function Members({ group, version, onChange }: { group: Group; version: number; onChange: () => void }) {
	const [page, setPage] = useState(1);
	const members = useResource(
		async signal => {
			const result = await get<Page<Member>>(`/groups/${group.id}/members`, { page, pageSize: 50 }, signal);
			void learnNames(result.rows.map(m => m.userId));
			return result;
		},
		[group.id, page, version]
	);
	const myId = me.value?.id;
	const managing = group.myRole === "owner" || group.myRole === "admin";
	return (
		<section aria-labelledby="members-heading">
			<h2 id="members-heading">Members ({group.memberCount})</h2>
			{members.error !== undefined && <ErrorNotice error={members.error} retry={members.reload} />}
			{members.loading && !members.data && <Loading what="Loading members" />}
			{members.data && (
				<>
					<div class="table-wrap">
						<table>
							<caption class="visually-hidden">Members of {group.name}</caption>
							<thead>
								<tr>
									<th scope="col">Name</th>
									<th scope="col">Role</th>
									<th scope="col">Joined</th>
									{managing && <th scope="col">Manage</th>}
								</tr>
							</thead>
							<tbody aria-busy={members.loading}>
								{members.data.rows.map(member => (
									<tr key={member.userId}>
										<th scope="row">
											<PersonLink id={member.userId} />
											{member.userId === myId && <span class="muted"> (you)</span>}
										</th>
										<td>
											{canChangeRole(group, member) ? (
												<RoleChange key={member.role} group={group} member={member} onChange={onChange} />
											) : (
												member.role
											)}
										</td>
										<td>
											<Time iso={member.joinedAt} />
										</td>
										{managing && (
											<td>
												{canRemove(group, member, myId) && (
													<RemoveMember group={group} member={member} onChange={onChange} />
												)}
											</td>
										)}
									</tr>
								))}
							</tbody>
						</table>
					</div>
					<Pager page={page} totalPages={members.data.totalPages ?? 1} go={setPage} />
				</>
			)}
		</section>
	);
}
