import { useLocation } from "preact-iso";
import { useEffect } from "preact/hooks";
import { api, get } from "../../api/http";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { Loading } from "../../components/ErrorNotice";
import { Field, NumberField } from "../../components/Field";
import { Form } from "../../components/Form";
import { useResource, useStoredState, useTitle, useIntentKey } from "../../hooks";
import { SCORING_NAMES } from "./ContestHeader";
import type { Contest, Scoring } from "./types";
import "./contests.css";

interface Draft {
	title: string;
	description: string;
	/** As the datetime-local inputs hold them: the reader's local time. */
	startsAt: string;
	endsAt: string;
	scoring: Scoring;
	freezeMinutes: string;
	groupId: string;
	forTeams: boolean;
	teamSize: number;
	rated: boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");
const localInput = (d: Date) =>
	`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** A first schedule to change: the next full hour, for two hours. */
function emptyDraft(): Draft {
	const start = new Date();
	start.setHours(start.getHours() + 1, 0, 0, 0);
	const end = new Date(start.getTime() + 2 * 3_600_000);
	return {
		title: "",
		description: "",
		startsAt: localInput(start),
		endsAt: localInput(end),
		scoring: "icpc",
		freezeMinutes: "",
		groupId: "",
		forTeams: false,
		teamSize: 3,
		rated: false
	};
}

interface GroupRow {
	id: string;
	name: string;
	myRole: "owner" | "admin" | "member" | null;
}

/** Organising a contest: its schedule and rules. Problems are added on its page, before it starts. */
export default function NewContestPage() {
	const { route } = useLocation();
	useTitle("Create a contest");
	const [draft, setDraft, forgetDraft] = useStoredState<Draft>("code-learn:draft:contest", emptyDraft());
	const intent = useIntentKey();
	const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
	const admin = me.value?.role === "admin";
	// A group's contest is organised by its owners and admins (contest.create).
	const groups = useResource(
		signal =>
			me.value
				? get<Page<GroupRow>>("/groups", { mine: true, pageSize: 100 }, signal).then(page =>
						page.rows.filter(g => g.myRole === "owner" || g.myRole === "admin")
					)
				: Promise.resolve([]),
		[me.value?.id]
	);
	useEffect(() => {
		if (me.value === null) route(`/login?next=${encodeURIComponent("/contests/new")}`, true);
	}, [me.value]);
	if (!me.value) return <Loading />;

	const create = async () => {
		const body = {
			title: draft.title,
			description: draft.description,
			// An empty or unreadable time is sent as it is: the API names the field in its answer.
			startsAt: Date.parse(draft.startsAt) ? new Date(draft.startsAt).toISOString() : draft.startsAt,
			endsAt: Date.parse(draft.endsAt) ? new Date(draft.endsAt).toISOString() : draft.endsAt,
			scoring: draft.scoring,
			...(draft.freezeMinutes.trim() ? { freezeMinutes: Number(draft.freezeMinutes) } : {}),
			...(draft.groupId ? { groupId: draft.groupId } : {}),
			...(draft.forTeams ? { teams: { maxSize: draft.teamSize } } : {}),
			...(admin && draft.rated && !draft.forTeams ? { rated: true } : {})
		};
		const created = await api<Contest>("POST", "/contests", { body, idempotencyKey: intent.keyFor(body) });
		intent.sent();
		forgetDraft();
		route(`/contests/${created.id}`);
	};

	return (
		<section>
			<h1>Create a contest</h1>
			<p>You add its problems on the contest's page, until it starts.</p>
			<Form label="Create a contest" submit="Create the contest" onSubmit={create}>
				<Field label="Title">
					{id => (
						<input
							id={id}
							required
							minLength={3}
							maxLength={200}
							value={draft.title}
							onInput={e => set({ title: e.currentTarget.value })}
						/>
					)}
				</Field>
				<Field label="Description">
					{id => (
						<textarea
							id={id}
							rows={4}
							maxLength={20000}
							value={draft.description}
							onInput={e => set({ description: e.currentTarget.value })}
						/>
					)}
				</Field>
				<div class="row">
					<Field label="Starts" hint="Your local time.">
						{(id, hint) => (
							<input
								id={id}
								type="datetime-local"
								step={1}
								required
								aria-describedby={hint}
								value={draft.startsAt}
								onInput={e => set({ startsAt: e.currentTarget.value })}
							/>
						)}
					</Field>
					<Field label="Ends" hint="Between 5 minutes and 14 days after the start.">
						{(id, hint) => (
							<input
								id={id}
								type="datetime-local"
								step={1}
								required
								aria-describedby={hint}
								value={draft.endsAt}
								onInput={e => set({ endsAt: e.currentTarget.value })}
							/>
						)}
					</Field>
				</div>
				<fieldset>
					<legend>Scoring</legend>
					{(["icpc", "points"] as const).map(scoring => (
						<label key={scoring} class="check">
							<input
								type="radio"
								name="scoring"
								value={scoring}
								checked={draft.scoring === scoring}
								onChange={() => set({ scoring })}
							/>{" "}
							{scoring === "icpc" ? "ICPC" : "Points"}: {SCORING_NAMES[scoring].replace(/^[^:]*: /, "")}
						</label>
					))}
				</fieldset>
				<Field
					label="Freeze the standings (minutes before the end)"
					hint="Everyone but you then sees the standings as they were at the freeze, until the end. Leave empty for no freeze."
				>
					{(id, hint) => (
						<input
							id={id}
							type="number"
							min={1}
							max={20160}
							aria-describedby={hint}
							value={draft.freezeMinutes}
							onInput={e => set({ freezeMinutes: e.currentTarget.value })}
						/>
					)}
				</Field>
				{!!groups.data?.length && (
					<Field label="Group" hint="A group's contest is seen by its members only.">
						{(id, hint) => (
							<select
								id={id}
								aria-describedby={hint}
								value={draft.groupId}
								onChange={e => set({ groupId: e.currentTarget.value })}
							>
								<option value="">None: open to everyone</option>
								{groups.data!.map(g => (
									<option key={g.id} value={g.id}>
										{g.name}
									</option>
								))}
							</select>
						)}
					</Field>
				)}
				<fieldset>
					<legend>Participants</legend>
					<label class="check">
						<input type="checkbox" checked={draft.forTeams} onChange={e => set({ forTeams: e.currentTarget.checked })} /> Teams:
						a group's members register together and submit for their team
					</label>
					{draft.forTeams && (
						<NumberField
							label="Members per team, at most"
							min={1}
							max={10}
							value={draft.teamSize}
							onValue={teamSize => set({ teamSize })}
						/>
					)}
				</fieldset>
				{admin && (
					<label class="check">
						<input
							type="checkbox"
							checked={draft.rated}
							disabled={draft.forTeams}
							onChange={e => set({ rated: e.currentTarget.checked })}
						/>{" "}
						Rated: the results change the participants' ratings (not for team contests)
					</label>
				)}
				<p class="hint">Your draft is kept in this browser until the contest is created.</p>
			</Form>
		</section>
	);
}
