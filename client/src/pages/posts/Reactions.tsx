import { useState } from "preact/hooks";
import { api } from "../../api/http";
import { me } from "../../api/session";
import { REACTIONS, type Post, type Reaction } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";

const LABELS: Record<Reaction, string> = { like: "Like", helpful: "Helpful", insightful: "Insightful" };

/** Toggle buttons for the three reactions, updated at once and put back if the server refuses. */
export function Reactions({ post }: { post: Post }) {
	const [counts, setCounts] = useState(post.reactions);
	const [mine, setMine] = useState(new Set(post.myReactions ?? []));
	const [error, setError] = useState<unknown>();
	const signedIn = !!me.value;

	const toggle = async (kind: Reaction) => {
		const on = !mine.has(kind);
		const apply = (add: boolean) => {
			setMine(prev => {
				const next = new Set(prev);
				if (add) next.add(kind);
				else next.delete(kind);
				return next;
			});
			setCounts(prev => ({ ...prev, [kind]: prev[kind] + (add ? 1 : -1) }));
		};
		apply(on);
		setError(undefined);
		try {
			await api(on ? "PUT" : "DELETE", `/posts/${post.id}/reactions/${kind}`);
		} catch (err) {
			apply(!on);
			setError(err);
		}
	};

	return (
		<div class="reactions" role="group" aria-label="Reactions">
			{REACTIONS.map(kind => (
				<button
					key={kind}
					type="button"
					aria-pressed={mine.has(kind)}
					disabled={!signedIn}
					title={signedIn ? undefined : "Sign in to react"}
					onClick={() => void toggle(kind)}
				>
					{LABELS[kind]} <span>{counts[kind]}</span>
				</button>
			))}
			{error !== undefined && <ErrorNotice error={error} />}
		</div>
	);
}
