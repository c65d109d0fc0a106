import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { learnNames, personNamed } from "../../api/people";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { PersonLink } from "../../components/PersonLink";
import { useResource, useIntentKey } from "../../hooks";
import type { Contest, ContestStatus, Team } from "./types";

interface GroupRow {
	id: string;
	name: string;
}

interface MemberRow {
	userId: string;
}

/** A team of one group's members, registered by one of them (the caller is in it by default). */
function TeamForm({ contest, registered }: { contest: Contest; registered: () => void }) {
	const user = me.value!;
	const maxSize = contest.teams!.maxSize;
	const [groupId, setGroupId] = useState(contest.groupId ?? "");
	const [name, setName] = useState("");
	const [memberIds, setMemberIds] = useState<string[]>([user.id]);
	const intent = useIntentKey();
	// A group's contest takes teams of its group only; an open one, teams of any of the caller's groups.
	const groups = useResource(
		signal =>
			contest.groupId ? Promise.resolve([]) : get<Page<GroupRow>>("/groups", { mine: true, pageSize: 100 }, signal).then(p => p.rows),
		[contest.groupId, user.id]
	);
	const members = useResource(
		async signal => {
			if (!groupId) return [];
			const page = await get<Page<MemberRow>>(`/groups/${groupId}/members`, { pageSize: 100 }, signal);
			void learnNames(page.rows.map(m => m.userId));
			return page.rows;
		},
		[groupId]
	);
	const toggle = (id: string, on: boolean) => setMemberIds(on ? [...memberIds, id] : memberIds.filter(m => m !== id));

	if (groups.error !== undefined) return <ErrorNotice error={groups.error} retry={groups.reload} />;
	if (!contest.groupId && groups.data?.length === 0)
		return (
			<p>
				A team is made of a group's members: <a href="/groups">join or create a group</a> first.
			</p>
		);
	return (
		<Form
			label="Register a team"
			submit="Register the team"
			onSubmit={async () => {
				const body = { groupId, name, memberIds };
				await api("POST", `/contests/${contest.id}/teams`, { body, idempotencyKey: intent.keyFor(body) });
				intent.sent();
				registered();
			}}
		>
			{!contest.groupId && (
				<Field label="Group of the team">
					{id => (
						<select
							id={id}
							required
							value={groupId}
							onChange={e => (setGroupId(e.currentTarget.value), setMemberIds([user.id]))}
						>
							<option value="">Choose a group</option>
							{groups.data?.map(g => (
								<option key={g.id} value={g.id}>
									{g.name}
								</option>
							))}
						</select>
					)}
				</Field>
			)}
			<Field label="Team name">
				{id => <input id={id} required maxLength={100} value={name} onInput={e => setName(e.currentTarget.value)} />}
			</Field>
			{groupId && (
				<fieldset>
					<legend>Members (up to {maxSize})</legend>
					{members.error !== undefined && <ErrorNotice error={members.error} retry={members.reload} />}
					{members.loading && !members.data?.length && <Loading what="Loading the group's members" />}
					{members.data?.map(m => {
						const checked = memberIds.includes(m.userId);
						return (
							<label key={m.userId} class="check">
								<input
									type="checkbox"
									checked={checked}
									disabled={!checked && memberIds.length >= maxSize}
									onChange={e => toggle(m.userId, e.currentTarget.checked)}
								/>{" "}
								{m.userId === user.id ? `${user.displayName} (you)` : (personNamed(m.userId)?.displayName ?? "…")}
							</label>
						);
					})}
				</fieldset>
			)}
		</Form>
	);
}

/** A team contest's teams, the caller's own (withdrawn before the start), or the form to register one. */
export function TeamRegistration({ contest, status, changed }: { contest: Contest; status: ContestStatus; changed: () => void }) {
	const [withdrawError, setWithdrawError] = useState<unknown>();
	const teams = useResource(
		async signal => {
			const page = await get<Page<Team>>(`/contests/${contest.id}/teams`, { pageSize: 100 }, signal);
			void learnNames(page.rows.flatMap(t => t.members.map(m => m.userId)));
			return page;
		},
		[contest.id, contest.registered, contest.participantCount]
	);
	const user = me.value!;
	const mine = teams.data?.rows.find(t => t.members.some(m => m.userId === user.id));
	return (
		<>
			<p>A team contest: teams of up to {contest.teams!.maxSize} members of one group; any member submits for the team.</p>
			{teams.error !== undefined && <ErrorNotice error={teams.error} retry={teams.reload} />}
			{teams.data && (
				<>
					<h3>Teams ({teams.data.total})</h3>
					{teams.data.rows.length === 0 ? (
						<p>No team has registered yet.</p>
					) : (
						<ul class="teams">
							{teams.data.rows.map(team => (
								<li key={team.id}>
									<strong>{team.name}</strong>
									{team === mine && " (your team)"}:{" "}
									{team.members.map((m, i) => (
										<span key={m.userId}>
											{i > 0 && ", "}
											<PersonLink id={m.userId} />
										</span>
									))}
								</li>
							))}
						</ul>
					)}
					{mine ? (
						status === "upcoming" && (
							<>
								<button
									type="button"
									class="danger"
									onClick={() =>
										confirm(`Withdraw the team ${mine.name}?`) &&
										void api("DELETE", `/contests/${contest.id}/teams/${mine.id}`).then(changed, setWithdrawError)
									}
								>
									Withdraw your team
								</button>
								{withdrawError !== undefined && <ErrorNotice error={withdrawError} />}
							</>
						)
					) : status === "ended" ? (
						<p>The contest has ended.</p>
					) : (
						<TeamForm contest={contest} registered={changed} />
					)}
				</>
			)}
		</>
	);
}
