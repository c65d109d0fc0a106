import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { signUp } from "../../api/session";
import { Field } from "../../components/Field";
import { Form } from "../../components/Form";
import { useTitle } from "../../hooks";
import { nextPath } from "./SignInPage";

export default function SignUpPage() {
	useTitle("Create an account");
	const { route, query } = useLocation();
	const [fields, setFields] = useState({ username: "", displayName: "", email: "", password: "" });
	const set = (key: keyof typeof fields) => (e: { currentTarget: HTMLInputElement }) =>
		setFields({ ...fields, [key]: e.currentTarget.value });
	return (
		<section class="narrow">
			<h1>Create an account</h1>
			<Form
				label="Create an account"
				submit="Create account"
				onSubmit={() =>
					signUp({ ...fields, displayName: fields.displayName.trim() || fields.username }).then(() => route(nextPath(query)))
				}
			>
				<Field label="Username" hint="3–32 letters, digits, _ or -; it is in your profile's address.">
					{(id, hint) => (
						<input
							id={id}
							name="username"
							aria-describedby={hint}
							autoComplete="username"
							required
							minLength={3}
							maxLength={32}
							pattern="[A-Za-z0-9_\-]+"
							value={fields.username}
							onInput={set("username")}
						/>
					)}
				</Field>
				<Field label="Display name">
					{id => (
						<input
							id={id}
							name="displayName"
							autoComplete="name"
							maxLength={80}
							value={fields.displayName}
							onInput={set("displayName")}
						/>
					)}
				</Field>
				<Field label="Email">
					{id => (
						<input
							id={id}
							name="email"
							type="email"
							autoComplete="email"
							required
							maxLength={254}
							value={fields.email}
							onInput={set("email")}
						/>
					)}
				</Field>
				<Field label="Password" hint="At least 8 characters and hard to guess: a few unrelated words work well.">
					{(id, hint) => (
						<input
							id={id}
							name="password"
							type="password"
							aria-describedby={hint}
							autoComplete="new-password"
							required
							minLength={8}
							maxLength={128}
							value={fields.password}
							onInput={set("password")}
						/>
					)}
				</Field>
			</Form>
			<p>
				Already have an account? <a href="/login">Sign in</a>.
			</p>
		</section>
	);
}
