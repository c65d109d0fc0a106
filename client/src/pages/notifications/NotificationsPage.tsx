import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { api, get } from "../../api/http";
import { me } from "../../api/session";
import { listen, unreadCount } from "../../api/stream";
import type { Notification, Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { Time } from "../../components/Time";
import { useResource, useTitle } from "../../hooks";
import { Preferences } from "./Preferences";

/** The signed-in person's notifications (new ones arrive live), marking read, and what to be notified of. */
export default function NotificationsPage() {
	useTitle("Notifications");
	const { query, route } = useLocation();
	const unreadOnly = query.unread === "true";
	const page = Math.max(1, Number(query.page) || 1);
	const [error, setError] = useState<unknown>();
	const list = useResource(
		signal => get<Page<Notification>>("/notifications", { unread: unreadOnly || undefined, page, pageSize: 20 }, signal),
		[unreadOnly, page]
	);
	useEffect(() => listen({ notification: () => page === 1 && list.reload() }), [page]);
	useEffect(() => {
		if (me.value === null) route(`/login?next=/notifications`, true);
	}, [me.value]);

	const markRead = (n: Notification) =>
		api("POST", `/notifications/${n.id}/read`).then(() => {
			unreadCount.value = Math.max(0, unreadCount.value - 1);
			list.reload();
		}, setError);
	const markAll = () =>
		api("POST", "/notifications/read-all").then(() => {
			unreadCount.value = 0;
			list.reload();
		}, setError);

	return (
		<section>
			<h1>Notifications</h1>
			<div class="toolbar">
				<a href={unreadOnly ? "/notifications" : "/notifications?unread=true"}>{unreadOnly ? "Show all" : "Show unread only"}</a>
				<button type="button" onClick={() => void markAll()} disabled={unreadCount.value === 0}>
					Mark all as read
				</button>
			</div>
			{error !== undefined && <ErrorNotice error={error} />}
			{list.error !== undefined && <ErrorNotice error={list.error} retry={list.reload} />}
			{!list.data && list.loading && <Loading what="Loading notifications" />}
			{list.data && (
				<>
					{list.data.rows.length === 0 && <p>Nothing here.</p>}
					<ul class="notifications">
						{list.data.rows.map(n => (
							<li key={n.id} class={n.read ? "read" : "unread"}>
								<a href={n.link}>
									<strong>{n.title}</strong>
								</a>
								{n.body && <p>{n.body}</p>}
								<p class="meta">
									<Time iso={n.createdAt} /> · {n.reason}
									{!n.read && (
										<button type="button" class="link" onClick={() => void markRead(n)}>
											Mark as read
										</button>
									)}
								</p>
							</li>
						))}
					</ul>
					<Pager
						page={page}
						totalPages={Math.ceil(list.data.total / list.data.pageSize)}
						go={p => route(`/notifications?page=${p}${unreadOnly ? "&unread=true" : ""}`)}
					/>
				</>
			)}
			<h2>Preferences</h2>
			<Preferences />
		</section>
	);
}
