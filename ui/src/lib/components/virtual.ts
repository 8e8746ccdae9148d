// Which rows of a long list to render: only those in view plus a margin (`overscan`) on each
// side, so 10,000 rows cost the same as 30.

export type WindowInput = {
	scrollTop: number;
	viewportHeight: number;
	rowHeight: number;
	count: number;
	overscan: number;
};

export type ListWindow = {
	/** First row to render. */
	start: number;
	/** One past the last row to render. */
	end: number;
	/** Pixels above the first rendered row. */
	offset: number;
	/** Height of the whole list in pixels. */
	total: number;
};

export function computeWindow({
	scrollTop,
	viewportHeight,
	rowHeight,
	count,
	overscan
}: WindowInput): ListWindow {
	const total = Math.max(0, count) * rowHeight;
	if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: 0 };
	const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewportHeight));
	const first = Math.floor(top / rowHeight);
	const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
	const start = Math.max(0, first - overscan);
	const end = Math.min(count, first + visible + overscan);
	return { start, end, offset: start * rowHeight, total };
}

/** The page numbers (of `pageSize` rows) that rows start..end-1 fall in. */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
	if (end <= start) return [];
	const first = Math.floor(start / pageSize);
	const last = Math.floor((end - 1) / pageSize);
	const out: number[] = [];
	for (let p = first; p <= last; p++) out.push(p);
	return out;
}
