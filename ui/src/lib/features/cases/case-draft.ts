// The open-case form's working copy (Mẫu 01) and its conversion to `CaseInput`.

import type { CaseInput, IntakeReport } from '$lib/api/contract';
import { joinDateTime, vnDateTimeFields } from '$lib/format/dates';

export type CaseDraft = {
	child_id: string;
	received_date: string;
	received_time: string;
	category: string;
	abuse_forms: string[];
	environment: string;
	channel: string;
	incident_place: string;
	summary: string;
	reporter: { full_name: string; phone: string; address: string };
	intake: IntakeReport;
};

export const INTAKE_KEYS = [
	'child_condition',
	'likely_consequences',
	'family_circumstances',
	'current_carer',
	'prior_support',
	'notes'
] as const satisfies readonly (keyof IntakeReport)[];

/** A new report, received now (Vietnam time). */
export function emptyCaseDraft(childId: string, nowMs: number): CaseDraft {
	const now = vnDateTimeFields(nowMs);
	return {
		child_id: childId,
		received_date: now.date,
		received_time: now.time,
		category: '',
		abuse_forms: [],
		environment: '',
		channel: '',
		incident_place: '',
		summary: '',
		reporter: { full_name: '', phone: '', address: '' },
		intake: {
			child_condition: '',
			likely_consequences: '',
			family_circumstances: '',
			current_carer: '',
			prior_support: '',
			notes: ''
		}
	};
}

const blank = (s: string) => s.trim() === '';

/** The form as `CaseInput`. An all-empty reporter or intake is sent as null (not given). */
export function caseDraftToInput(d: CaseDraft): CaseInput {
	const r = d.reporter;
	const reporterGiven = !(blank(r.full_name) && blank(r.phone) && blank(r.address));
	const intakeGiven = INTAKE_KEYS.some((k) => !blank(d.intake[k]));
	return {
		child_id: d.child_id,
		received_at: joinDateTime(d.received_date, d.received_time),
		category: d.category,
		abuse_forms: [...d.abuse_forms],
		environment: d.environment,
		incident_commune: null,
		residence_commune: null,
		incident_place: blank(d.incident_place) ? null : d.incident_place,
		channel: d.channel,
		summary: blank(d.summary) ? null : d.summary,
		reporter: reporterGiven ? { ...r } : null,
		intake: intakeGiven ? { ...d.intake } : null
	};
}
