import { signal } from "@preact/signals";
import { api, get, hasSession, onSessionChange, setTokens } from "./http";
import type { Me } from "./types";

/** The signed-in person, null when signed out, undefined while it is being loaded. */
export const me = signal<Me | null | undefined>(hasSession() ? undefined : null);

async function loadMe() {
	try {
		me.value = await get<Me>("/users/me");
	} catch {
		// Signed out by the failed call (the session is over), or kept for the next try (a network error).
		me.value = hasSession() ? (me.value ?? null) : null;
	}
}

onSessionChange(signedIn => {
	if (!signedIn) me.value = null;
});
if (hasSession()) void loadMe();

interface SignedIn {
	user: Me;
	accessToken: string;
	refreshToken: string;
}

function start(session: SignedIn) {
	setTokens({ accessToken: session.accessToken, refreshToken: session.refreshToken });
	me.value = session.user;
}

export async function signIn(login: string, password: string) {
	start(await api<SignedIn>("POST", "/auth/login", { body: { login, password } }));
}

export async function signUp(fields: { username: string; email: string; password: string; displayName: string }) {
	start(await api<SignedIn>("POST", "/auth/register", { body: fields }));
}

/** Ends the session on the server too; signed out here whatever the server answers. */
export async function signOut() {
	try {
		await api("POST", "/auth/logout");
	} finally {
		setTokens(null);
	}
}

export { loadMe as reloadMe };
