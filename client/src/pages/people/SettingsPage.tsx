import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { me } from "../../api/session";
import { Loading } from "../../components/ErrorNotice";
import { useTitle } from "../../hooks";
import { DeleteAccount } from "./DeleteAccount";
import { PasswordForm } from "./PasswordForm";
import { PreferencesForm } from "./PreferencesForm";
import { ProfileEditor } from "./ProfileEditor";
import "./people.css";

/** The signed-in person's account: profile, preferences (visibility among them), password, and deleting it. */
export default function SettingsPage() {
	useTitle("Account settings");
	const { route } = useLocation();
	const [deleted, setDeleted] = useState(false);
	useEffect(() => {
		if (me.value === null && !deleted) route(`/login?next=${encodeURIComponent("/settings")}`, true);
	}, [me.value]);
	const user = me.value;
	if (deleted)
		return (
			<section>
				<h1>Your account is deleted</h1>
				<p role="status">
					You are signed out, and your data is being removed from every part of Code-Learn. <a href="/">Back to the posts</a>.
				</p>
			</section>
		);
	if (!user) return <Loading />;
	return (
		<section class="settings">
			<h1>Account settings</h1>
			<p>
				Signed in as <a href={`/users/${user.username}`}>@{user.username}</a> ({user.email}).
			</p>
			<section aria-labelledby="profile-heading">
				<h2 id="profile-heading">Profile</h2>
				<ProfileEditor user={user} />
			</section>
			<section aria-labelledby="preferences-heading">
				<h2 id="preferences-heading">Preferences</h2>
				<PreferencesForm />
			</section>
			<section aria-labelledby="password-heading">
				<h2 id="password-heading">Password</h2>
				<PasswordForm />
			</section>
			<section aria-labelledby="delete-heading">
				<h2 id="delete-heading">Delete the account</h2>
				<DeleteAccount username={user.username} onDeleted={() => setDeleted(true)} />
			</section>
		</section>
	);
}
