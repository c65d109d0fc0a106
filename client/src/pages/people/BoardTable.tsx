import { useLocation } from "preact-iso";
import { learnNames, personNamed } from "../../api/people";
import { get } from "../../api/http";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { useResource } from "../../hooks";
import type { Board, BoardOrder, BoardRow } from "./types";

/** Rows per page of every leaderboard. */
export const BOARD_PAGE_SIZE = 50;

const ORDERS: [BoardOrder, string][] = [
	["rating", "By rating"],
	["solved", "By problems solved"]
];

/** The board's order and page, as the address says (`?by=rating|solved&page=`). */
export function useBoardQuery() {
	const { query } = useLocation();
	const by: BoardOrder = query.by === "solved" ? "solved" : "rating";
	const page = Math.max(1, Number(query.page) || 1);
	return { by, page };
}

function Player({ row }: { row: BoardRow }) {
	const name = personNamed(row.user.id)?.displayName;
	if (!row.user.username) return <span class="muted">a player not known yet</span>;
	return (
		<a href={`/users/${row.user.username}`}>
			{name ?? row.user.username}
			{name && <span class="muted"> @{row.user.username}</span>}
		</a>
	);
}

function Line({ row, mine }: { row: BoardRow; mine: boolean }) {
	return (
		<tr class={mine ? "mine" : undefined} aria-current={mine ? "true" : undefined}>
			<td>{row.rank}</td>
			<th scope="row">
				<Player row={row} />
				{mine && <span class="you"> (you)</span>}
			</th>
			<td>{row.rating ?? "unrated"}</td>
			<td>{row.solved}</td>
		</tr>
	);
}

/**
 * A leaderboard (global or a group's) in the order the address asks, 50 a page, with the caller's
 * own line marked on the page and pinned above it when it is on another page.
 */
export function BoardTable({ path, basePath, label }: { path: string; basePath: string; label: string }) {
	const { by, page } = useBoardQuery();
	const { route } = useLocation();
	const board = useResource(
		async signal => {
			const result = await get<Board>(path, { by, page, pageSize: BOARD_PAGE_SIZE }, signal);
			void learnNames([...result.rows.map(r => r.user.id), result.me?.user.id]);
			return result;
		},
		[path, by, page]
	);
	const go = (changes: { by?: BoardOrder; page?: number }) => {
		const next = { by, page, ...changes };
		const search = new URLSearchParams();
		if (next.by !== "rating") search.set("by", next.by);
		if (next.page > 1) search.set("page", String(next.page));
		const text = search.toString();
		route(text ? `${basePath}?${text}` : basePath);
	};
	const data = board.data;
	const myId = data?.me?.user.id;
	const meOnPage = !!myId && !!data?.rows.some(r => r.user.id === myId);
	return (
		<>
			<nav class="tabs" aria-label="Order">
				{ORDERS.map(([order, name]) => (
					<a
						key={order}
						href={order === "rating" ? basePath : `${basePath}?by=${order}`}
						aria-current={by === order ? "page" : undefined}
					>
						{name}
					</a>
				))}
			</nav>
			{board.error !== undefined && <ErrorNotice error={board.error} retry={board.reload} />}
			{board.loading && !data && <Loading what="Loading the leaderboard" />}
			{data && (
				<>
					{data.me ? (
						<p class="my-place">
							Your place: <strong>#{data.me.rank}</strong> of {data.total}
							{meOnPage ? ", highlighted below." : "."}
						</p>
					) : null}
					{data.rows.length === 0 ? (
						<p>
							{page > 1
								? "This page is past the end of the board."
								: by === "rating"
									? "No one is rated yet: ratings come from rated contests."
									: "No one has solved a practice problem yet."}
						</p>
					) : (
						<div class="table-wrap">
							<table class="board" aria-busy={board.loading}>
								<caption class="visually-hidden">
									{label}, {by === "rating" ? "by rating" : "by problems solved"}, page {data.page} of{" "}
									{Math.max(1, data.totalPages)}
								</caption>
								<thead>
									<tr>
										<th scope="col">Rank</th>
										<th scope="col">Player</th>
										<th scope="col">Rating</th>
										<th scope="col">Solved</th>
									</tr>
								</thead>
								{data.me && !meOnPage && (
									<tbody class="pinned">
										<Line row={data.me} mine />
									</tbody>
								)}
								<tbody>
									{data.rows.map(row => (
										<Line key={row.user.id} row={row} mine={row.user.id === myId} />
									))}
								</tbody>
							</table>
						</div>
					)}
					<Pager page={page} totalPages={data.totalPages} go={p => go({ page: p })} />
				</>
			)}
		</>
	);
}
