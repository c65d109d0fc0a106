import { PersonLink } from "../../components/PersonLink";
import { Time } from "../../components/Time";
import type { AuditEntry, AuditFilters } from "./audit-types";

/** A link to the trail filtered by one more value (the current filters kept). */
function filterHref(filters: AuditFilters, changes: AuditFilters) {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries({ ...filters, ...changes })) if (value) search.set(key, value);
	return `/admin/audit?${search}`;
}

/** Where the client shows an event's subject, for the kinds it has pages for. */
function subjectPage(row: AuditEntry): string | undefined {
	if (row.type.endsWith(".deleted")) return undefined;
	if (row.type.startsWith("contest.")) return `/contests/${row.aggregateId}`;
	if (row.type.startsWith("group.")) return `/groups/${row.aggregateId}`;
	if (row.type.startsWith("post.")) return `/posts/${row.aggregateId}`;
	if (row.type.startsWith("problem.")) return `/problems/${row.aggregateId}`;
	return undefined;
}

/** The trail's events, newest first, each payload opening on demand. */
export function AuditTable({ rows, filters }: { rows: AuditEntry[]; filters: AuditFilters }) {
	return (
		<div class="table-wrap">
			<table class="audit">
				<thead>
					<tr>
						<th scope="col">When</th>
						<th scope="col">Event</th>
						<th scope="col">Subject</th>
						<th scope="col">Actor</th>
						<th scope="col">Payload</th>
					</tr>
				</thead>
				<tbody>
					{rows.map(row => (
						<tr key={row.eventId}>
							<td>
								<Time iso={row.occurredAt} />
							</td>
							<th scope="row">
								<a href={filterHref(filters, { type: row.type })} title={`Only ${row.type} events`}>
									{row.type}
								</a>
								<span class="muted"> by {row.producer}</span>
							</th>
							<td>
								<a
									href={filterHref(filters, { aggregateId: row.aggregateId })}
									class="id"
									title={`Only events about ${row.aggregateId}`}
								>
									{row.aggregateId.slice(0, 8)}…
								</a>
								{subjectPage(row) && (
									<>
										{" "}
										<a href={subjectPage(row)} class="muted">
											(open)
										</a>
									</>
								)}
							</td>
							<td>
								{row.actorId ? (
									<>
										<PersonLink id={row.actorId} />{" "}
										<a href={filterHref(filters, { actorId: row.actorId })} class="muted">
											(their events)
										</a>
									</>
								) : (
									<span class="muted">the platform</span>
								)}
							</td>
							<td>
								<details>
									<summary>
										Show<span class="visually-hidden"> the payload of event {row.eventId}</span>
									</summary>
									<pre class="payload" tabIndex={0}>
										{JSON.stringify(row.payload, null, 2)}
									</pre>
								</details>
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
