// How a conflict reads: the field as the officer knows it, and each side's value as text.
// Pure apart from the field labels, which follow the current language like the rest of the page.

import type { JsonValue } from '$lib/api/contract';
import { formatDateTime, isoToDmy } from '$lib/format/dates';
import type { Lang } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages';
import { childFieldLabel } from '../children/field-labels';

const CASE_LABELS: Record<string, () => string> = {
	received_at: m.received_at,
	category: m.case_category,
	abuse_forms: m.abuse_forms,
	environment: m.environment,
	incident_place: m.incident_place,
	channel: m.channel,
	summary: m.summary
};

/** The label of a conflicting field of a child or case record; unknown names as they are. */
export function conflictFieldLabel(entity: string, field: string): string {
	if (entity === 'case') return CASE_LABELS[field]?.() ?? field;
	return childFieldLabel(field);
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
