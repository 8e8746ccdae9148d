// The code lists from Rust (`reference`), loaded once after unlock, and their labels in the
// current language. A code missing from the lists shows the label Rust sent with the record, or
// the code itself, so nothing is ever blank.

import { reference as fetchReference } from '$lib/api';
import type { CodeLabel, GroupRef, Reference } from '$lib/api/contract';
import { i18n } from '$lib/i18n.svelte';

export const refs = $state<{ data: Reference | null }>({ data: null });

let loading: Promise<Reference> | null = null;

/** Loads the reference lists (once; a failure lets the next call try again). */
export function loadReference(): Promise<Reference> {
	if (refs.data) return Promise.resolve(refs.data);
	loading ??= fetchReference().then(
		(r) => {
			refs.data = r;
			return r;
		},
		(e) => {
			loading = null;
			throw e;
		}
	);
	return loading;
}

/** The keys of `Reference` that hold a plain code list. */
export type RefKey = {
	[K in keyof Reference]: Reference[K] extends CodeLabel[] ? K : never;
}[keyof Reference];

export type Option = { value: string; label: string };

function list(key: RefKey): CodeLabel[] {
	return refs.data?.[key] ?? [];
}

function itemLabel(item: CodeLabel): string {
	return i18n.locale === 'en' && item.label_en ? item.label_en : item.label_vi;
}

/** The label of `code` in list `key`; `fallback` (Rust's Vietnamese label) or the code otherwise. */
export function codeLabel(key: RefKey, code: string | null | undefined, fallback?: string): string {
	if (code === null || code === undefined || code === '') return '';
	const item = list(key).find((i) => i.code === code);
	return item ? itemLabel(item) : (fallback ?? code);
}

/** The list as select options, in Rust's order. */
export function options(key: RefKey): Option[] {
	return list(key).map((i) => ({ value: i.code, label: itemLabel(i) }));
}

/** The group record of a special-circumstance group code. */
export function groupRef(code: string): GroupRef | undefined {
	return refs.data?.groups.find((g) => g.group.code === code);
}

/** Every group as options (value = the group code). */
export function groupOptions(): Option[] {
	return (refs.data?.groups ?? []).map((g) => ({ value: g.group.code, label: groupLabel(g.group.code) }));
}

/** A group as "a — Trẻ em mồ côi cả cha và mẹ" (the point letter, đ for dd). */
export function groupLabel(code: string, fallback?: string): string {
	const letter = code === 'dd' ? 'đ' : code;
	const g = groupRef(code);
	return `${letter}. ${g ? itemLabel(g.group) : (fallback ?? '')}`.trim();
}

/** Sub-groups of a group as options (value = the sub-group number). */
export function subgroupOptions(group: string): Option[] {
	return (groupRef(group)?.subgroups ?? []).map((s) => ({
		value: s.code,
		label: `${s.code}. ${itemLabel(s)}`
	}));
}

/** The label of a sub-group number within a group. */
export function subgroupLabel(group: string, n: number | null): string {
	if (n === null) return '';
	const s = groupRef(group)?.subgroups.find((x) => x.code === String(n));
	return s ? `${n}. ${itemLabel(s)}` : String(n);
}
