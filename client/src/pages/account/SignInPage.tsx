import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { signIn } from "../../api/session";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { useTitle } from "../../hooks";

/** Where to go after signing in: the page that sent the person here, if it is one of ours. */
export function nextPath(query: Record<string, string>) {
	const next = query.next ?? "/";
	return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default function SignInPage() {
	useTitle("Sign in");
	const { route, query } = useLocation();
	const [login, setLogin] = useState("");
	const [password, setPassword] = useState("");
	return (
		<section class="narrow">
			<h1>Sign in</h1>
			<Form label="Sign in" submit="Sign in" onSubmit={() => signIn(login, password).then(() => route(nextPath(query)))}>
				<Field label="Username or email">
					{id => (
						<input
							id={id}
							name="login"
							autoComplete="username"
							required
							maxLength={254}
							value={login}
							onInput={e => setLogin(e.currentTarget.value)}
						/>
					)}
				</Field>
				<Field label="Password">
					{id => (
						<input
							id={id}
							name="password"
							type="password"
							autoComplete="current-password"
							required
							maxLength={128}
							value={password}
							onInput={e => setPassword(e.currentTarget.value)}
						/>
					)}
				</Field>
			</Form>
			<p>
				New here? <a href={`/register${query.next ? `?next=${encodeURIComponent(query.next)}` : ""}`}>Create an account</a>.
			</p>
		</section>
	);
}
