// How a conflict reads: the field as the officer knows it, and each side's value as text; for a
// deletion conflict (field `_record`), what deleting and what keeping the record would mean.
// Pure apart from the field labels, which follow the current language like the rest of the page
// unless a language is given.

import type { JsonValue } from '$lib/api/contract';
import { formatDateTime, isoToDmy } from '$lib/format/dates';
import type { Lang } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages';
import { childFieldLabel, type Label } from '../children/field-labels';

/**
 * The field of a deletion conflict: a child's record was deleted on one side, and on the other it
 * was changed without seeing the deletion, or a case was opened for the child.
 */
export const RECORD_FIELD = '_record';

/** Whether a conflict is about deleting a child's record rather than one field's value. */
export const isDeletionConflict = (c: { entity: string; field: string }) =>
	c.entity === 'child' && c.field === RECORD_FIELD;

const CASE_LABELS: Record<string, Label> = {
	received_at: m.received_at,
	category: m.case_category,
	abuse_forms: m.abuse_forms,
	environment: m.environment,
	incident_place: m.incident_place,
	channel: m.channel,
	summary: m.summary
};

/**
 * The label of a conflicting field of a child or case record (a deletion conflict's title for
 * `_record`); unknown names as they are. In the current language unless `lang` is given.
 */
export function conflictFieldLabel(entity: string, field: string, lang?: Lang): string {
	const o = { locale: lang };
	if (entity === 'case') return CASE_LABELS[field]?.({}, o) ?? field;
	if (field === RECORD_FIELD) return m.conflict_record_title({}, o);
	return childFieldLabel(field, lang);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One scalar or nested value inside a list: objects as compact JSON. */
function part(v: JsonValue, lang: Lang): string {
	if (v !== null && typeof v === 'object' && !Array.isArray(v)) return JSON.stringify(v);
	return conflictValueText(v, lang);
}

/**
 * A conflict side's value as text: strings as they are (dates `yyyy-mm-dd` as dd/mm/yyyy, times
 * as `dd/mm/yyyy HH:mm` Vietnam time), null or empty as "(trống)", yes/no, lists joined with
 * ", ", objects as compact JSON.
 */
export function conflictValueText(v: JsonValue, lang: Lang): string {
	const o = { locale: lang };
	if (v === null || v === '') return m.conflict_empty_value({}, o);
	if (typeof v === 'string') {
		if (ISO_DATE.test(v)) return isoToDmy(v);
		if (RFC3339.test(v)) return formatDateTime(v);
		return v;
	}
	if (typeof v === 'boolean') return v ? m.yes({}, o) : m.no({}, o);
	if (typeof v === 'number') return String(v);
	if (Array.isArray(v)) {
		return v.length === 0 ? m.conflict_empty_value({}, o) : v.map((x) => part(x, lang)).join(', ');
	}
	return JSON.stringify(v);
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The side of a deletion conflict that keeps the record (`kept.value`, `{fields, cases}`): "Giữ
 * hồ sơ — có sửa: Thôn, tổ dân phố, Họ và tên; có 2 vụ việc". Either part is left out when there
 * is nothing to say; the field names are labelled as in the profile's history.
 */
export function recordKeptText(value: JsonValue, lang: Lang): string {
	const o = { locale: lang };
	const v = isObject(value) ? value : {};
	const fields = Array.isArray(v.fields) ? v.fields.filter((f): f is string => typeof f === 'string') : [];
	const cases = typeof v.cases === 'number' ? v.cases : 0;
	const parts: string[] = [];
	if (fields.length > 0) {
		const labels = fields.map((f) => childFieldLabel(f, lang)).join(', ');
		parts.push(m.conflict_record_fields({ fields: labels }, o));
	}
	if (cases > 0) {
		const count = String(cases);
		parts.push(cases === 1 ? m.conflict_record_cases_one({ count }, o) : m.conflict_record_cases({ count }, o));
	}
	const keep = m.conflict_record_keep({}, o);
	return parts.length === 0 ? keep : `${keep} — ${parts.join('; ')}`;
}

/** The side of a deletion conflict that deletes the record (`other.value`, `{reason}`). */
export function recordDeletionText(value: JsonValue, lang: Lang): string {
	const reason = isObject(value) && typeof value.reason === 'string' ? value.reason : '';
	return m.conflict_record_delete({ reason: reason || m.conflict_empty_value({}, { locale: lang }) }, { locale: lang });
}
