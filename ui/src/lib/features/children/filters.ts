// The children list's filters: as typed in the filter bar, as URL parameters (so the overview's
// numbers link to a filtered list and Back returns to it), and as the `list_children` query.

import type { ChildQuery } from '$lib/api/contract';

export type ChildFilters = {
	text: string;
	group: string;
	village: string;
	residence: string;
	at_risk: boolean;
	disabled: boolean;
	orphan: boolean;
	age_min: string;
	age_max: string;
};

export const PAGE_SIZE = 100;

export function emptyFilters(): ChildFilters {
	return {
		text: '',
		group: '',
		village: '',
		residence: '',
		at_risk: false,
		disabled: false,
		orphan: false,
		age_min: '',
		age_max: ''
	};
}

const TEXT_KEYS = ['text', 'group', 'village', 'residence'] as const;
const FLAG_KEYS = ['at_risk', 'disabled', 'orphan'] as const;
const AGE_KEYS = ['age_min', 'age_max'] as const;

const isTrue = (v: string | null) => v === 'true' || v === '1';

export function filtersFromParams(params: URLSearchParams): ChildFilters {
	const f = emptyFilters();
	for (const k of TEXT_KEYS) f[k] = params.get(k) ?? '';
	for (const k of FLAG_KEYS) f[k] = isTrue(params.get(k));
	for (const k of AGE_KEYS) f[k] = (params.get(k) ?? '').replace(/\D/g, '');
	return f;
}

export function filtersToParams(f: ChildFilters): URLSearchParams {
	const p = new URLSearchParams();
	for (const k of TEXT_KEYS) if (f[k].trim()) p.set(k, f[k].trim());
	for (const k of FLAG_KEYS) if (f[k]) p.set(k, 'true');
	for (const k of AGE_KEYS) if (f[k]) p.set(k, f[k]);
	return p;
}

/** Whether any filter is set (the clear button shows then). */
export function hasFilters(f: ChildFilters): boolean {
	return filtersToParams(f).size > 0;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const intOrNull = (s: string) => (/^\d+$/.test(s) ? Number(s) : null);

/** The query for one page of rows. An unticked flag means "do not filter", not "false". */
export function toQuery(f: ChildFilters, offset: number, limit = PAGE_SIZE): ChildQuery {
	return {
		text: orNull(f.text),
		group: orNull(f.group),
		village: orNull(f.village),
		residence: orNull(f.residence),
		at_risk: f.at_risk ? true : null,
		disabled: f.disabled ? true : null,
		orphan: f.orphan ? true : null,
		age_min: intOrNull(f.age_min),
		age_max: intOrNull(f.age_max),
		offset,
		limit
	};
}
