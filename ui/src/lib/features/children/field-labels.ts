// Names of a child record's fields as the officer knows them (for the history of changes).

import { m } from '$lib/paraglide/messages';

const LABELS: Record<string, () => string> = {
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

/** The label of a top-level field of the child record; unknown names are shown as they are. */
export function childFieldLabel(field: string): string {
	const base = field.replace(/[[.].*$/, '');
	return LABELS[base]?.() ?? field;
}
