import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reference } from '$lib/api/contract';
import { refs } from '$lib/state/reference.svelte';
import { STEP_FIELDS, emptyActivity, emptyStepData, stepDataToPayload, type ActivityRow, type CriterionRow } from './step-schema';

const crit = (code: string) => ({ code, label_vi: code, label_en: code });

describe('step forms', () => {
	beforeEach(() => {
		refs.data = {
			criteria_review_harm: [crit('harm_severity'), crit('abuser_access'), crit('care_obstacles')]
		} as unknown as Reference;
	});
	afterEach(() => {
		refs.data = null;
	});

	it('has a form for every step kind of event.rs', () => {
		expect(Object.keys(STEP_FIELDS).sort()).toEqual(
			[
				'intake',
				'verification',
				'initial_assessment',
				'emergency_measures',
				'separation_decided',
				'separation_extended',
				'separation_revoked',
				'detailed_assessment',
				'needs_meeting',
				'plan_drafted',
				'plan_submitted',
				'plan_approved',
				'plan_returned',
				'implementation_activity',
				'review',
				'continuation_approved',
				'closed',
				'transferred'
			].sort()
		);
	});

	it('sends the separation decision with numbers, codes and lists as Rust expects', () => {
		const data = emptyStepData('separation_decided');
		data.decision_no = '125/QĐ-UBND';
		data.grounds = 'by_parent_or_carer';
		data.separated_from = ['relative'];
		data.days = '10';
		data.shelter = 'Nhà bà ngoại';
		data.carer = 'Bà ngoại của trẻ';
		data.decided_by = 'Trần Văn Quyết';
		data.decision_commune = '09955';
		expect(stepDataToPayload('separation_decided', data)).toEqual({
			decision_no: '125/QĐ-UBND',
			grounds: 'by_parent_or_carer',
			separated_from: ['relative'],
			days: 10,
			shelter: 'Nhà bà ngoại',
			carer: 'Bà ngoại của trẻ',
			decided_by: 'Trần Văn Quyết',
			decision_commune: '09955'
		});
	});

	it('asks for the shelter, the carer and which chair of which commune decided (Decree 56 Art 32 k2, k4)', () => {
		const keys = STEP_FIELDS.separation_decided.map((f) => f.key);
		expect(keys).toEqual(expect.arrayContaining(['shelter', 'carer', 'decided_by', 'decision_commune']));
		const commune = STEP_FIELDS.separation_decided.find((f) => f.key === 'decision_commune');
		expect(commune?.type).toBe('commune');
		for (const key of ['decided_by', 'decision_commune']) {
			const f = STEP_FIELDS.separation_decided.find((x) => x.key === key)!;
			expect(f.label()).not.toBe('');
			expect(f.hint?.()).toContain('32');
		}
	});

	it('sends the court that ordered a separation continued (Decree 56 Art 32 k3)', () => {
		const data = emptyStepData('separation_extended');
		data.decision_no = '05/2026/QĐ-TA';
		data.extra_days = '30';
		data.court = 'Tòa án nhân dân khu vực 1 - Hà Nội';
		expect(stepDataToPayload('separation_extended', data)).toEqual({
			decision_no: '05/2026/QĐ-TA',
			extra_days: 30,
			reason: '',
			court: 'Tòa án nhân dân khu vực 1 - Hà Nội'
		});
	});

	it('leaves out an empty number and sends an unchosen code as null, so Rust says what is required', () => {
		const payload = stepDataToPayload('separation_decided', emptyStepData('separation_decided'));
		expect(payload).not.toHaveProperty('days');
		expect(payload.grounds).toBeNull();
	});

	it('lists the official Mẫu 06 criteria and keeps only the scored or annotated rows', () => {
		const data = emptyStepData('review');
		const harm = data.harm as CriterionRow[];
		expect(harm).toHaveLength(3);
		harm[0].level = 'low';
		harm[2].note = 'Bà ngoại chăm sóc tốt';
		data.proposal = 'end';
		const payload = stepDataToPayload('review', data);
		expect(payload.harm).toEqual([
			{ criterion: 'harm_severity', level: 'low', note: '' },
			{ criterion: 'care_obstacles', level: null, note: 'Bà ngoại chăm sóc tốt' }
		]);
		expect(payload.self_protection).toEqual([]);
		expect(payload.proposal).toBe('end');
	});

	it('sends the plan table with dates as typed and the cost from its digits', () => {
		const data = emptyStepData('plan_drafted');
		const row: ActivityRow = { ...emptyActivity(), service: 'Tư vấn tâm lý', start: '30/11/2026', cost: '2.000.000' };
		data.activities = [row, emptyActivity()];
		const payload = stepDataToPayload('plan_drafted', data);
		expect(payload.activities).toEqual([
			{ service: 'Tư vấn tâm lý', start: '30/11/2026', end: null, responsible: '', provider: '', cost: 2000000, note: '' },
			{ service: '', start: null, end: null, responsible: '', provider: '', cost: null, note: '' }
		]);
	});

	it('maps the unknown / yes / no choice of a verification to null / true / false', () => {
		const data = emptyStepData('verification');
		expect(stepDataToPayload('verification', data).confirmed).toBeNull();
		data.confirmed = 'no';
		expect(stepDataToPayload('verification', data).confirmed).toBe(false);
	});
});
