import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { useEffect } from "preact/hooks";
import { me, signOut } from "../api/session";
import { unreadCount } from "../api/stream";

const SECTIONS = [
	["/", "Posts"],
	["/groups", "Groups"],
	["/contests", "Contests"],
	["/problems", "Practice"],
	["/leaderboard", "Leaderboard"]
] as const;

function Bell() {
	const count = unreadCount.value;
	return (
		<a href="/notifications" class="bell" aria-label={count ? `Notifications: ${count} unread` : "Notifications"}>
			<svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
				<path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
			</svg>
			{count > 0 && (
				<span class="badge" data-testid="unread-count">
					{count > 99 ? "99+" : count}
				</span>
			)}
		</a>
	);
}

function Account() {
	const user = me.value;
	const { route } = useLocation();
	if (user === undefined) return null;
	if (!user)
		return (
			<div class="account">
				<a href="/login">Sign in</a>
				<a href="/register" class="button">
					Sign up
				</a>
			</div>
		);
	return (
		<div class="account">
			<a href="/write" class="button">
				Write
			</a>
			<Bell />
			<a href={`/users/${user.username}`}>{user.displayName}</a>
			<a href="/settings">Settings</a>
			{user.role === "admin" && <a href="/admin/audit">Audit</a>}
			<button type="button" class="link" onClick={() => void signOut().finally(() => route("/"))}>
				Sign out
			</button>
		</div>
	);
}

export function Layout({ children }: { children: ComponentChildren }) {
	const { path } = useLocation();
	// The person's theme preference; "system" (or signed out) follows the device.
	useEffect(() => {
		document.documentElement.dataset.theme = me.value?.preferences?.theme ?? "system";
	}, [me.value?.preferences?.theme]);
	const current = (href: string) => (href === "/" ? path === "/" || path.startsWith("/posts") : path.startsWith(href));
	return (
		<>
			<a href="#main" class="skip">
				Skip to content
			</a>
			<header class="top">
				<a href="/" class="brand">
					Code-Learn
				</a>
				<nav aria-label="Sections">
					<ul>
						{SECTIONS.map(([href, label]) => (
							<li key={href}>
								<a href={href} aria-current={current(href) ? "page" : undefined}>
									{label}
								</a>
							</li>
						))}
					</ul>
				</nav>
				<Account />
			</header>
			<main id="main" tabIndex={-1}>
				{children}
			</main>
			<footer class="bottom">
				<a href="/api/docs">API documentation</a>
			</footer>
		</>
	);
}
