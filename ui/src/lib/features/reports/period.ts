// The period choices of the Báo cáo screen. Which days a choice covers is decided in Rust
// (`bvte_report::preset`); this only builds the request and the lists to choose from.

import type { ReportRequest } from '$lib/api/contract';

export type PeriodKind = 'month' | 'quarter' | 'half_year' | 'nine_months' | 'year' | 'custom';

export const KINDS: PeriodKind[] = ['month', 'quarter', 'half_year', 'nine_months', 'year', 'custom'];

/** What the screen offers first: this month, in Vietnam time. */
export function defaultChoice(nowMs: number): { kind: PeriodKind; year: number; index: number } {
	const vn = new Date(nowMs + 7 * 3600_000);
	return { kind: 'month', year: vn.getUTCFullYear(), index: vn.getUTCMonth() + 1 };
}

/** The last `count` years, newest first. */
export function years(nowMs: number, count = 6): number[] {
	const y = defaultChoice(nowMs).year;
	return Array.from({ length: count }, (_, i) => y - i);
}

/** Whether the kind needs a month or a quarter chosen. */
export function needsIndex(kind: PeriodKind): boolean {
	return kind === 'month' || kind === 'quarter';
}

/** The request sent to Rust. */
export function request(kind: PeriodKind, year: number, index: number, from: string, to: string): ReportRequest {
	return kind === 'custom'
		? { kind, year: 0, index: 0, from, to }
		: { kind, year, index: needsIndex(kind) ? index : 0, from: '', to: '' };
}
