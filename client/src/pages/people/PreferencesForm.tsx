import { useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { me } from "../../api/session";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { useResource } from "../../hooks";
import type { Preferences, Theme, Visibility } from "./types";

const THEMES: [Theme, string][] = [
	["system", "As my device"],
	["light", "Light"],
	["dark", "Dark"]
];

/** The time zones this browser knows, the saved one first among them if the browser lacks it. */
function timeZones(current: string): string[] {
	const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
	return [...new Set(["UTC", current, ...known])];
}

function Editor({ initial }: { initial: Preferences }) {
	const [prefs, setPrefs] = useState(initial);
	const [saved, setSaved] = useState(false);
	const set = (changes: Partial<Preferences>) => (setPrefs({ ...prefs, ...changes }), setSaved(false));
	const save = async () => {
		const stored = await api<Preferences>("PUT", "/users/me/preferences", { body: prefs });
		setPrefs(stored);
		// The page's theme follows at once (Layout reads it from the signed-in person).
		if (me.value) me.value = { ...me.value, preferences: stored };
		setSaved(true);
	};
	return (
		<Form label="Preferences" submit="Save preferences" onSubmit={save}>
			<fieldset>
				<legend>Who can see my profile</legend>
				{(
					[
						["public", "Everyone: my profile, standing and name beside my posts"],
						["private", "Only me: others find no profile, and my name is hidden beside my posts"]
					] as [Visibility, string][]
				).map(([value, text]) => (
					<label key={value} class="check">
						<input
							type="radio"
							name="profileVisibility"
							value={value}
							checked={prefs.profileVisibility === value}
							onChange={() => set({ profileVisibility: value })}
						/>{" "}
						{text}
					</label>
				))}
			</fieldset>
			<div class="row">
				<Field label="Theme">
					{id => (
						<select id={id} value={prefs.theme} onChange={e => set({ theme: e.currentTarget.value as Theme })}>
							{THEMES.map(([value, text]) => (
								<option key={value} value={value}>
									{text}
								</option>
							))}
						</select>
					)}
				</Field>
				<Field label="Language" hint="A language tag such as en or pt-BR.">
					{(id, hint) => (
						<input
							id={id}
							name="locale"
							required
							maxLength={35}
							pattern="[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
							aria-describedby={hint}
							value={prefs.locale}
							onInput={e => set({ locale: e.currentTarget.value })}
						/>
					)}
				</Field>
				<Field label="Time zone">
					{id => (
						<select id={id} value={prefs.timezone} onChange={e => set({ timezone: e.currentTarget.value })}>
							{timeZones(initial.timezone).map(zone => (
								<option key={zone} value={zone}>
									{zone.replace(/_/g, " ")}
								</option>
							))}
						</select>
					)}
				</Field>
			</div>
			<p role="status" class="saved">
				{saved ? "Preferences saved." : ""}
			</p>
		</Form>
	);
}

/** The account's preferences (GET/PUT /api/users/me/preferences), profile visibility among them. */
export function PreferencesForm() {
	const prefs = useResource(signal => get<Preferences>("/users/me/preferences", undefined, signal), []);
	if (prefs.error !== undefined) return <ErrorNotice error={prefs.error} retry={prefs.reload} />;
	if (!prefs.data) return <Loading what="Loading your preferences" />;
	return <Editor initial={prefs.data} />;
}
