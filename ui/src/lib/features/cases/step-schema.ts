// The form of each case step, mirroring its payload in crates/bvte-domain/src/event.rs (field
// names are the wire names) and labelled as the paper forms (Mẫu 02–07) are. Used both to edit a
// new step and to show recorded ones. No rule lives here: which steps are allowed, what is
// required and every limit are Rust's.

import type { JsonValue } from '$lib/api/contract';
import { rowKey } from '$lib/features/children/child-draft';
import { m } from '$lib/paraglide/messages';
import { codeLabel, refs, type RefKey } from '$lib/state/reference.svelte';

export type FieldSpec =
	| { key: string; type: 'text' | 'line' | 'bool' | 'tristate' | 'int'; label: () => string; hint?: () => string }
	| { key: string; type: 'code' | 'codes'; ref: RefKey; label: () => string; hint?: () => string }
	| { key: string; type: 'criteria'; label: () => string; hint?: () => string; fixed?: CriteriaKey }
	| { key: string; type: 'activities' | 'commune'; label: () => string; hint?: () => string };

/** The reference lists of a form's own criteria (Rust's `bvte_domain::criteria`, in the form's order). */
export type CriteriaKey = 'criteria_initial_assessment' | 'criteria_detailed_assessment' | 'criteria_review_harm';

/**
 * A row of a criteria table. `fixed`: one of the form's own criteria, `criterion` is its code
 * (shown as its wording, not editable); otherwise the officer's own, `criterion` as typed.
 */
export type CriterionRow = { key: number; criterion: string; level: string; note: string; fixed?: boolean };

export type ActivityRow = {
	key: number;
	service: string;
	start: string;
	end: string;
	responsible: string;
	provider: string;
	cost: string;
	note: string;
};

export type StepValue = string | boolean | string[] | CriterionRow[] | ActivityRow[];
export type StepData = Record<string, StepValue>;

const text = (key: string, label: () => string, hint?: () => string): FieldSpec => ({ key, type: 'text', label, hint });
const line = (key: string, label: () => string): FieldSpec => ({ key, type: 'line', label });

export const STEP_FIELDS: Record<string, FieldSpec[]> = {
	intake: [
		text('child_condition', m.intake_child_condition),
		text('likely_consequences', m.intake_likely_consequences),
		text('family_circumstances', m.intake_family_circumstances),
		text('current_carer', m.intake_current_carer),
		text('prior_support', m.intake_prior_support),
		text('notes', m.intake_notes)
	],
	verification: [
		text('findings', m.sf_findings),
		{ key: 'confirmed', type: 'tristate', label: m.sf_confirmed }
	],
	initial_assessment: [
		{ key: 'criteria', type: 'criteria', label: m.sf_criteria_initial, fixed: 'criteria_initial_assessment', hint: m.sf_criteria_hint },
		{ key: 'serious_risk', type: 'bool', label: m.sf_serious_risk, hint: m.sf_serious_risk_hint },
		{ key: 'caused_by_parent_or_carer', type: 'bool', label: m.sf_caused_by_parent },
		text('safety_measures', m.sf_safety_measures),
		text('conclusion', m.sf_conclusion)
	],
	emergency_measures: [
		{ key: 'measures', type: 'codes', ref: 'emergency_measures', label: m.sf_measures },
		text('description', m.sf_description),
		text('child_location', m.sf_child_location),
		text('evidence', m.sf_evidence)
	],
	separation_decided: [
		line('decision_no', m.sf_decision_no),
		{ key: 'grounds', type: 'code', ref: 'separation_grounds', label: m.sf_grounds },
		{ key: 'separated_from', type: 'codes', ref: 'carer_relations', label: m.sf_separated_from },
		{ key: 'days', type: 'int', label: m.sf_days },
		// Decree 56 Art 32 k2, k4: the shelter, the alternative carer, and which chair of which
		// commune decided (Rust refuses the decision without them, field by field).
		text('shelter', m.sf_shelter),
		text('carer', m.sf_carer),
		{ key: 'decided_by', type: 'line', label: m.sf_decided_by, hint: m.sf_decided_by_hint },
		{ key: 'decision_commune', type: 'commune', label: m.sf_decision_commune, hint: m.sf_decision_commune_hint }
	],
	separation_extended: [
		line('decision_no', m.sf_decision_no),
		{ key: 'extra_days', type: 'int', label: m.sf_extra_days },
		text('reason', m.sf_reason),
		{ key: 'court', type: 'line', label: m.sf_court, hint: m.sf_court_hint }
	],
	separation_revoked: [line('decision_no', m.sf_decision_no), text('reason', m.sf_revoke_reason)],
	detailed_assessment: [
		text('condition', m.sf_da_condition),
		text('family', m.sf_da_family),
		text('risk_factors', m.sf_da_risk_factors),
		text('schooling_self_protection', m.sf_da_schooling),
		text('community', m.sf_da_community),
		text('needs', m.sf_da_needs),
		text('child_views', m.sf_da_child_views),
		text('carer_views', m.sf_da_carer_views, m.sf_da_carer_views_hint),
		{ key: 'criteria', type: 'criteria', label: m.sf_criteria_detailed, fixed: 'criteria_detailed_assessment', hint: m.sf_criteria_hint },
		{ key: 'plan_needed', type: 'bool', label: m.sf_plan_needed }
	],
	needs_meeting: [text('participants', m.sf_participants), text('conclusions', m.sf_conclusions)],
	plan_drafted: [
		text('goals', m.sf_goals),
		{ key: 'activities', type: 'activities', label: m.sf_activities },
		text('monitoring', m.sf_monitoring)
	],
	plan_submitted: [text('note', m.sf_submit_note)],
	plan_approved: [line('decision_no', m.sf_decision_no), line('approver', m.sf_approver)],
	plan_returned: [text('reason', m.sf_return_reason)],
	implementation_activity: [text('description', m.sf_impl_description)],
	review: [
		{ key: 'harm', type: 'criteria', label: m.sf_harm, fixed: 'criteria_review_harm', hint: m.sf_criteria_hint },
		{ key: 'self_protection', type: 'criteria', label: m.sf_self_protection, hint: m.sf_criteria_hint },
		{ key: 'proposal', type: 'code', ref: 'review_proposals', label: m.sf_proposal },
		text('reasons', m.sf_reasons)
	],
	// Decree 56 Art 30 k1 c: the chair agrees to a review's proposal to continue (refusing is
	// plan_returned); the new plan cycle starts from this decision.
	continuation_approved: [line('decision_no', m.sf_continuation_decision_no), text('note', m.sf_continuation_note)],
	closed: [
		{ key: 'reason', type: 'code', ref: 'close_reasons', label: m.sf_close_reason },
		text('note', m.sf_close_note),
		// Decree 56 Art 31 k1–2: asked by Rust when the child needed emergency protection and
		// no measure is recorded (issue 15 item 4).
		text('no_emergency_reason', m.sf_no_emergency_reason)
	],
	transferred: [{ key: 'to_commune', type: 'commune', label: m.sf_to_commune }, text('note', m.sf_note)]
};

export function fieldsOf(step: string): FieldSpec[] {
	return STEP_FIELDS[step] ?? [];
}

export function emptyCriterion(criterion = ''): CriterionRow {
	return { key: rowKey(), criterion, level: '', note: '' };
}

/** The form's own criteria of a table (from Rust), as rows to score. */
function fixedCriteria(table: CriteriaKey): CriterionRow[] {
	return (refs.data?.[table] ?? []).map((c) => ({ ...emptyCriterion(c.code), fixed: true }));
}

/**
 * A recorded or fixed criterion as the screen words it: a code of the form's own criteria in
 * the screen's language (the table's wording, else the generic one), the officer's own as typed.
 */
export function criterionLabel(table: CriteriaKey | undefined, criterion: string): string {
	return (table && codeLabel(table, criterion, '')) || codeLabel('criteria', criterion);
}

export function emptyActivity(): ActivityRow {
	return { key: rowKey(), service: '', start: '', end: '', responsible: '', provider: '', cost: '', note: '' };
}

/** A fresh form for a step kind: every field of its payload, empty (the form's own criteria listed). */
export function emptyStepData(step: string): StepData {
	const data: StepData = {};
	for (const f of fieldsOf(step)) {
		switch (f.type) {
			case 'bool':
				data[f.key] = false;
				break;
			case 'codes':
				data[f.key] = [];
				break;
			case 'criteria': {
				const fixed = f.fixed ? fixedCriteria(f.fixed) : [];
				data[f.key] = fixed.length > 0 ? fixed : [emptyCriterion()];
				break;
			}
			case 'activities':
				data[f.key] = [emptyActivity()];
				break;
			default:
				data[f.key] = '';
		}
	}
	return data;
}

const digits = (s: string) => s.replace(/\D/g, '');

/**
 * The form as the step's `data`: numbers from digits (left out when empty, so Rust reports a
 * missing required number), codes '' → null, the yes/no/unknown choice as true/false/null,
 * criteria rows with neither a level nor a note left out (the form's own criteria sent as their
 * codes, the officer's as typed).
 */
export function stepDataToPayload(step: string, data: StepData): { [key: string]: JsonValue } {
	const out: { [key: string]: JsonValue } = {};
	for (const f of fieldsOf(step)) {
		const v = data[f.key];
		switch (f.type) {
			case 'int': {
				const d = digits(String(v ?? ''));
				if (d) out[f.key] = Number(d);
				break;
			}
			case 'code':
				out[f.key] = v ? v : null;
				break;
			case 'tristate':
				out[f.key] = v === 'yes' ? true : v === 'no' ? false : null;
				break;
			case 'criteria':
				out[f.key] = (v as CriterionRow[])
					.filter((r) => r.level !== '' || r.note.trim() !== '')
					.map((r) => ({ criterion: r.criterion, level: r.level || null, note: r.note }));
				break;
			case 'activities':
				out[f.key] = (v as ActivityRow[]).map((a) => ({
					service: a.service,
					start: a.start.trim() || null,
					end: a.end.trim() || null,
					responsible: a.responsible,
					provider: a.provider,
					cost: digits(a.cost) ? Number(digits(a.cost)) : null,
					note: a.note
				}));
				break;
			default:
				out[f.key] = v as string | boolean | string[];
		}
	}
	return out;
}
