import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus, CaseView, Reference, Settings } from '$lib/api/contract';
import { refs } from '$lib/state/reference.svelte';
import { session } from '$lib/state/session.svelte';
import StepForm from './StepForm.svelte';

afterEach(() => {
	clearMocks();
	refs.data = null;
	session.status = null;
	session.settings = null;
});

const approvalRefused =
	'Chưa thể ghi bước “Phê duyệt kế hoạch” vì chưa có kế hoạch hỗ trợ, can thiệp nào được trình. Hãy ghi bước “Trình kế hoạch” trước.';

const view = {
	id: 'case-1',
	child_id: 'child-1',
	child_name: 'Đinh Văn Tú',
	received_at: '2026-11-29T09:00:00+07:00',
	category: 'abused',
	abuse_forms: ['violence'],
	environment: 'family',
	incident_commune: '09955',
	residence_commune: '09955',
	incident_place: '',
	channel: 'phone',
	summary: '',
	stage: 'received',
	stage_label: 'Đã tiếp nhận',
	cycle: 1,
	next_steps: [{ step: 'initial_assessment', label: 'Đánh giá ban đầu', required: true }],
	blocked_steps: [
		{ step: 'plan_approved', label: 'Phê duyệt kế hoạch', message: approvalRefused, message_en: 'Approval needs a submitted plan first.' }
	],
	deadlines: [],
	steps: [],
	on_server: null
} as unknown as CaseView;

function withSteps() {
	refs.data = {
		steps: [
			{ code: 'intake', label: 'Tiếp nhận' },
			{ code: 'initial_assessment', label: 'Đánh giá ban đầu' },
			{ code: 'plan_approved', label: 'Phê duyệt kế hoạch' }
		]
	} as unknown as Reference;
}

const choose = (kind: string) => fireEvent.change(screen.getByTestId('step-kind-select'), { target: { value: kind } });

describe('step form (issue 16 items 9 and 18)', () => {
	it('says the law does not allow a step yet as soon as it is chosen, before anything is typed', async () => {
		withSteps();
		mockIPC((cmd) => {
			throw `unexpected ${cmd}`;
		});
		render(StepForm, { props: { view, onrecorded: () => undefined } });
		expect(screen.queryByTestId('step-blocked')).toBeNull();
		await choose('plan_approved');
		const blocked = await screen.findByTestId('step-blocked');
		expect(blocked.textContent).toContain('Luật chưa cho phép ghi bước này');
		expect(blocked.textContent).toContain(approvalRefused);
		await choose('initial_assessment');
		expect(screen.queryByTestId('step-blocked')).toBeNull();
	});

	it('warns about a contradiction and records only once the officer confirms', async () => {
		withSteps();
		const calls: string[] = [];
		mockIPC((cmd) => {
			calls.push(cmd);
			if (cmd === 'check_step')
				return [
					{
						code: 'high_without_serious_risk',
						field: 'data.serious_risk',
						message: 'Có 2 tiêu chí được đánh giá mức “Cao” nhưng chưa đánh dấu trẻ em bị tổn hại nghiêm trọng.',
						message_en: '2 criteria are rated High.'
					}
				];
			if (cmd === 'record_step') return view;
			throw `unexpected ${cmd}`;
		});
		let recorded = 0;
		render(StepForm, { props: { view, onrecorded: () => recorded++ } });
		await choose('initial_assessment');
		await fireEvent.click(await screen.findByTestId('step-submit'));
		const warning = await screen.findByTestId('step-warning');
		expect(warning.textContent).toContain('mức “Cao”');
		expect(calls).toEqual(['check_step']);
		expect(recorded).toBe(0);
		await fireEvent.click(screen.getByTestId('step-warnings-confirm'));
		await waitFor(() => expect(recorded).toBe(1));
		expect(calls).toEqual(['check_step', 'record_step']);
	});
});

describe('the separation decision (issue 15 item 11)', () => {
	it("is prefilled with this installation's chair and commune, which the officer may change", async () => {
		refs.data = { steps: [{ code: 'separation_decided', label: 'Quyết định tạm thời cách ly' }] } as unknown as Reference;
		session.status = {
			state: 'unlocked',
			commune: { code: '09955', name: 'Xã Thạch Thất', division_type: 'xã', province_code: '01', province_name: 'Thành phố Hà Nội' }
		} as unknown as AppStatus;
		session.settings = { chair_name: 'Nguyễn Văn Quyết', officer_name: 'Cán bộ', commune_header: '' } as unknown as Settings;
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'search_communes') return [];
			if (cmd === 'check_step') return [];
			if (cmd === 'record_step') {
				sent.push(args);
				return view;
			}
			throw `unexpected ${cmd}`;
		});
		render(StepForm, { props: { view, onrecorded: () => undefined } });
		await choose('separation_decided');
		const chair = (await screen.findByTestId('step-field-data.decided_by')) as HTMLInputElement;
		expect(chair.value).toBe('Nguyễn Văn Quyết');
		const commune = screen.getByTestId('step-field-data.decision_commune-search') as HTMLInputElement;
		expect(commune.value).toBe('09955');
		await fireEvent.click(screen.getByTestId('step-submit'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]).toMatchObject({
			input: { step: 'separation_decided', data: { decided_by: 'Nguyễn Văn Quyết', decision_commune: '09955' } }
		});
	});
});

describe("the chair's decision on a proposal to continue (issue 15 item 10, Decree 56 Art 30 k1 c)", () => {
	it('is offered as the step to record next while the case awaits it, and records the decision', async () => {
		refs.data = {
			steps: [
				{
					code: 'continuation_approved',
					label_vi: 'Chủ tịch UBND xã đồng ý tiếp tục xây dựng, phê duyệt kế hoạch hỗ trợ, can thiệp',
					label_en: 'The chair agreed to continue with a new plan'
				},
				{
					code: 'plan_returned',
					label_vi: 'Chủ tịch trả lại kế hoạch, hoặc không đồng ý đề nghị kết thúc hay tiếp tục kế hoạch',
					label_en: 'Returned by the chair'
				}
			]
		} as unknown as Reference;
		const continuing = {
			...view,
			stage: 'continuing',
			stage_label: 'Đề nghị tiếp tục xây dựng kế hoạch mới, chờ Chủ tịch UBND xã quyết định',
			next_steps: [
				{ step: 'continuation_approved', label: 'Chủ tịch UBND xã đồng ý tiếp tục', required: true },
				{ step: 'plan_returned', label: 'Chủ tịch trả lại', required: false }
			],
			blocked_steps: []
		} as unknown as CaseView;
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'check_step') return [];
			if (cmd === 'record_step') {
				sent.push(args);
				return view;
			}
			throw `unexpected ${cmd}`;
		});
		render(StepForm, { props: { view: continuing, onrecorded: () => undefined } });
		const option = screen.getByRole('option', { name: /đồng ý tiếp tục/ }) as HTMLOptionElement;
		expect(option.value).toBe('continuation_approved');
		expect(option.textContent).toContain('bắt buộc');
		await choose('continuation_approved');
		const no = (await screen.findByTestId('step-field-data.decision_no')) as HTMLInputElement;
		await fireEvent.input(no, { target: { value: '30/UBND-VX' } });
		await fireEvent.click(screen.getByTestId('step-submit'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]).toMatchObject({ input: { step: 'continuation_approved', data: { decision_no: '30/UBND-VX' } } });
	});
});
