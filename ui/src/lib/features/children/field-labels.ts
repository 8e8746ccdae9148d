// Names of a child record's fields as the officer knows them (for the history of changes and
// for conflicts).

import type { Lang } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages';

/** A message without parameters, in the current language or the one asked for. */
export type Label = (inputs?: Record<string, never>, options?: { locale?: Lang }) => string;

const LABELS: Record<string, Label> = {
	full_name: m.full_name,
	date_of_birth: m.date_of_birth,
	estimated_age: m.estimated_age,
	sex: m.sex,
	ethnicity: m.ethnicity,
	personal_id: m.personal_id,
	residence_status: m.residence_status,
	commune_code: m.commune_code_label,
	village: m.village,
	carers: m.child_section_family,
	special_circumstances: m.child_section_groups,
	at_risk: m.at_risk_label,
	disability: m.disability_level,
	schooling: m.schooling_status,
	notes: m.notes
};

/**
 * The label of a top-level field of the child record, in the current language unless `lang` is
 * given; unknown names are shown as they are.
 */
export function childFieldLabel(field: string, lang?: Lang): string {
	const base = field.replace(/[[.].*$/, '');
	return LABELS[base]?.({}, { locale: lang }) ?? field;
}
