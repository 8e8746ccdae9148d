import { describe, expect, it } from 'vitest';
import { computeWindow, pagesFor } from './virtual';

const base = { rowHeight: 44, overscan: 10 };

describe('computeWindow', () => {
	it('renders only the rows in view plus the margin, for 10,000 rows', () => {
		const w = computeWindow({ ...base, scrollTop: 0, viewportHeight: 440, count: 10_000 });
		expect(w).toEqual({ start: 0, end: 21, offset: 0, total: 440_000 });
	});

	it('follows the scroll position', () => {
		const w = computeWindow({ ...base, scrollTop: 44 * 5000 + 20, viewportHeight: 440, count: 10_000 });
		expect(w.start).toBe(4990);
		expect(w.end).toBe(5021);
		expect(w.offset).toBe(4990 * 44);
	});

	it('never goes past the last row, even when scrolled beyond the end', () => {
		const w = computeWindow({ ...base, scrollTop: 10_000_000, viewportHeight: 440, count: 10_000 });
		expect(w.end).toBe(10_000);
		expect(w.start).toBe(10_000 - 10 - 10);
	});

	it('handles an empty list and a list shorter than the view', () => {
		expect(computeWindow({ ...base, scrollTop: 0, viewportHeight: 440, count: 0 })).toEqual({
			start: 0,
			end: 0,
			offset: 0,
			total: 0
		});
		const w = computeWindow({ ...base, scrollTop: 0, viewportHeight: 440, count: 3 });
		expect([w.start, w.end, w.total]).toEqual([0, 3, 132]);
	});
});

describe('pagesFor', () => {
	it('lists the pages of 100 rows a window needs', () => {
		expect(pagesFor(0, 21, 100)).toEqual([0]);
		expect(pagesFor(95, 130, 100)).toEqual([0, 1]);
		expect(pagesFor(4990, 5021, 100)).toEqual([49, 50]);
		expect(pagesFor(5, 5, 100)).toEqual([]);
	});
});
