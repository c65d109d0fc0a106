import { useLocation } from "preact-iso";
import { useEffect } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { get } from "../../api/http";
import { learnNames } from "../../api/people";
import { me } from "../../api/session";
import type { Page } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/ErrorNotice";
import { Pager } from "../../components/Pager";
import { useResource, useTitle } from "../../hooks";
import { type AuditEntry, type AuditFilters, FILTER_KEYS } from "./audit-types";
import { AuditTable } from "./AuditTable";
import { FilterForm } from "./FilterForm";
import "./admin.css";

const PAGE_SIZE = 50;

function AdminsOnly() {
	return (
		<section>
			<h1>Audit trail</h1>
			<div class="notice error" role="alert">
				<p>Admins only: the audit trail is open to the platform's administrators, and this account is not one.</p>
			</div>
		</section>
	);
}

/** Every domain event the platform recorded, newest first, with filters and pages in the address (admins only). */
export default function AuditPage() {
	useTitle("Audit trail");
	const { query, route } = useLocation();
	const filters: AuditFilters = Object.fromEntries(FILTER_KEYS.filter(key => query[key]).map(key => [key, query[key]]));
	const page = Math.max(1, Number(query.page) || 1);
	const user = me.value;
	const allowed = user?.role === "admin";
	useEffect(() => {
		if (user === null) route(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
	}, [user]);
	const key = JSON.stringify(filters);
	const trail = useResource(
		async signal => {
			if (!allowed) return undefined;
			const result = await get<Page<AuditEntry>>("/admin/audit", { ...filters, page, pageSize: PAGE_SIZE }, signal);
			void learnNames(result.rows.map(r => r.actorId));
			return result;
		},
		[key, page, allowed]
	);
	const go = (next: AuditFilters, nextPage = 1) => {
		const search = new URLSearchParams();
		for (const [name, value] of Object.entries(next)) if (value) search.set(name, value);
		if (nextPage > 1) search.set("page", String(nextPage));
		const text = search.toString();
		route(text ? `/admin/audit?${text}` : "/admin/audit");
	};

	if (!user) return <Loading />;
	if (!allowed || (trail.error instanceof ApiError && trail.error.status === 403)) return <AdminsOnly />;
	const data = trail.data;
	return (
		<section>
			<h1>Audit trail</h1>
			<p class="muted">Every domain event of the platform, newest first: who did what, and when.</p>
			<FilterForm key={key} filters={filters} apply={go} />
			{trail.error !== undefined && <ErrorNotice error={trail.error} retry={trail.reload} />}
			{trail.loading && !data && <Loading what="Loading the audit trail" />}
			{data && (
				<>
					<p role="status">
						{data.total === 1 ? "1 event" : `${data.total} events`}
						{Object.keys(filters).length ? " match the filters." : " recorded."}
					</p>
					{data.rows.length > 0 && <AuditTable rows={data.rows} filters={filters} />}
					<Pager page={page} totalPages={data.totalPages ?? 0} go={p => go(filters, p)} />
				</>
			)}
		</section>
	);
}
