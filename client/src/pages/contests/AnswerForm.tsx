import { useIntentKey } from "../../hooks";
import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import type { ContestSubmission } from "./types";

/** An answer to an answer-judged problem; the verdict comes back at once (and is announced). */
export function AnswerForm({ url, name, submitted }: { url: string; name: string; submitted: () => void }) {
	const [answer, setAnswer] = useState("");
	const [result, setResult] = useState<ContestSubmission | null>(null);
	const intent = useIntentKey();
	return (
		<>
			<Form
				label={`Answer ${name}`}
				submit="Send the answer"
				onSubmit={async () => {
					const body = { answer };
					setResult(null);
					setResult(await api<ContestSubmission>("POST", url, { body, idempotencyKey: intent.keyFor(body) }));
					intent.sent();
					submitted();
				}}
			>
				<Field label={`Your answer to ${name}`}>
					{id => (
						<input
							id={id}
							required
							maxLength={1000}
							autocomplete="off"
							value={answer}
							onInput={e => setAnswer(e.currentTarget.value)}
						/>
					)}
				</Field>
			</Form>
			<p role="status" aria-live="polite" data-testid="answer-verdict">
				{result &&
					(result.verdict === "accepted" ? (
						<strong class="verdict ok">{result.scored ? "Accepted" : "Accepted, as before: it scores nothing more"}</strong>
					) : (
						<strong class="verdict bad">Wrong answer</strong>
					))}
			</p>
		</>
	);
}
