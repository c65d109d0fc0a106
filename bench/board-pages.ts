/** What the bench's board scenarios share: timing the first and warm reads of a board, and spreading reads over its pages. */

/** A board under read: how many pages it has, reads made so far, and the first and warm reads' times. */
export interface BoardPages {
	pages: number;
	reads: number;
	firstReadMs: number;
	warmReadMs: number;
}

const WARM_READS = 9;

/**
 * The first read (the store empty: a rebuild from PostgreSQL) timed, then the median of a few warm reads of pages
 * across the board: one request at a time, `read` checking each page and answering its time.
 */
export async function timeBoardReads(rig: BoardPages, read: (page: number) => Promise<number>): Promise<void> {
	rig.firstReadMs = await read(1);
	const warm: number[] = [];
	for (let i = 0; i < WARM_READS; i++) warm.push(await read(1 + Math.floor(((i + 1) * rig.pages) / (WARM_READS + 1))));
	warm.sort((a, b) => a - b);
	rig.warmReadMs = warm[warm.length >> 1];
}

/** A stride through the pages that visits every one before repeating, far apart from one request to the next. */
function pageStride(pages: number): number {
	const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
	let stride = Math.max(1, Math.round(pages * 0.618));
	while (gcd(stride, pages) !== 1) stride++;
	return stride;
}

/** The page of the rig's next read: spread over the whole board. */
export function nextPage(rig: BoardPages): number {
	return ((rig.reads++ * pageStride(rig.pages)) % rig.pages) + 1;
}
