/**
 * The session's tokens, kept in localStorage so that a reload stays signed in. The API gives the
 * refresh token in the body (API.md); the strict CSP (no inline or third-party script) is what keeps
 * other code from reading it.
 */
export interface Tokens {
	accessToken: string;
	refreshToken: string;
}

const KEY = "code-learn:tokens";

export function loadTokens(): Tokens | null {
	try {
		const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Tokens | null;
		return saved?.accessToken && saved.refreshToken ? saved : null;
	} catch {
		return null;
	}
}

export function saveTokens(tokens: Tokens | null) {
	if (tokens) localStorage.setItem(KEY, JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }));
	else localStorage.removeItem(KEY);
}
