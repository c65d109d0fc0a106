/** Previous / next page links for a paginated list. */
export function Pager({ page, totalPages, go }: { page: number; totalPages: number; go: (page: number) => void }) {
	if (totalPages <= 1) return null;
	return (
		<nav class="pager" aria-label="Pages">
			<button type="button" disabled={page <= 1} onClick={() => go(page - 1)}>
				Previous
			</button>
			<span>
				Page {page} of {totalPages}
			</span>
			<button type="button" disabled={page >= totalPages} onClick={() => go(page + 1)}>
				Next
			</button>
		</nav>
	);
}
