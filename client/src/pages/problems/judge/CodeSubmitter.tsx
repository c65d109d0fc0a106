import { ErrorNotice, Loading } from "../../../components/ErrorNotice";
import { Field } from "../../../components/Field";
import { Form } from "../../../components/Form";
import CodeEditor from "../../../editor/CodeEditor";
import { useResource, useStoredState, useIntentKey } from "../../../hooks";
import type { LanguageId } from "../types";
import { JudgingStatus } from "./JudgingStatus";
import { loadLanguages } from "./languages";
import { STARTERS } from "./starters";
import { type Judging, useJudging } from "./use-judging";

/** The API's limit on a source is 64 KiB; the editor counts characters, the API bytes (it says so if over). */
const MAX_SOURCE = 65_536;

interface CodeSubmitterProps {
	/** Where what is typed is kept in this browser, per language: one key per problem. */
	draftKey: string;
	/** What the solution is for, in the form's and the editor's names. */
	title: string;
	/** Sends the program; answers the queued submission's id. */
	send: (body: { language: LanguageId; source: string }, idempotencyKey: string) => Promise<{ id: string }>;
	onJudged?: (judging: Judging) => void;
}

/**
 * An editor for a solution with its language, the code kept per problem and language so that
 * nothing typed is lost, and the judging of what was sent followed live until its verdict.
 */
export default function CodeSubmitter({ draftKey, title, send, onJudged }: CodeSubmitterProps) {
	const languages = useResource(() => loadLanguages(), []);
	const [preferred, setPreferred] = useStoredState<LanguageId>("code-learn:language", "javascript");
	const [codes, setCodes] = useStoredState<Partial<Record<LanguageId, string>>>(`code-learn:code:${draftKey}`, {});
	const { judging, watch } = useJudging(onJudged);
	const intent = useIntentKey();

	if (languages.error !== undefined) return <ErrorNotice error={languages.error} retry={languages.reload} />;
	if (!languages.data) return <Loading what="Loading the languages" />;
	const usable = languages.data.filter(l => l.available);
	if (!usable.length) return <p class="notice">The judge cannot run any language at the moment.</p>;
	const language = usable.some(l => l.id === preferred) ? preferred : usable[0].id;
	const source = codes[language] ?? STARTERS[language];
	const name = languages.data.find(l => l.id === language)!.name;

	return (
		<div class="code-submitter">
			<Form
				label={`Submit a solution to ${title}`}
				submit="Submit"
				onSubmit={async () => {
					const body = { language, source };
					const { id } = await send(body, intent.keyFor(body));
					intent.sent();
					watch(id);
				}}
			>
				<Field label="Language" hint={languages.data.find(l => l.id === language)?.version}>
					{(id, hint) => (
						<select
							id={id}
							aria-describedby={hint}
							value={language}
							onChange={e => setPreferred(e.currentTarget.value as LanguageId)}
						>
							{languages.data!.map(l => (
								<option key={l.id} value={l.id} disabled={!l.available}>
									{l.available ? l.name : `${l.name} (unavailable: ${l.reason ?? "not on this judge"})`}
								</option>
							))}
						</select>
					)}
				</Field>
				<CodeEditor
					key={language}
					label={`Solution to ${title} (${name})`}
					language={language}
					initialValue={source}
					maxLength={MAX_SOURCE}
					onChange={value => setCodes({ ...codes, [language]: value })}
				/>
				<p class="hint">Your code is kept in this browser, for each language.</p>
			</Form>
			<JudgingStatus judging={judging} />
		</div>
	);
}
