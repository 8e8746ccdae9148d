// The scored criteria of Mẫu 02, 03 and 06 as the officer fills them: the form's own criteria
// shown as their wording in the screen's language (not an editable box), the level chosen
// without the rows moving, and the step sent with each fixed criterion as its code, whatever
// the language, so the printed form ticks the right row.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseView, CodeLabel, Reference } from '$lib/api/contract';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import { refs } from '$lib/state/reference.svelte';
import StepDataView from './StepDataView.svelte';
import StepForm from './StepForm.svelte';

const cl = (code: string, label_vi: string, label_en: string): CodeLabel => ({ code, label_vi, label_en });

const ACCESS = cl('abuser_access', 'Khả năng tiếp cận trẻ em của đối tượng xâm hại', "The abuser's access to the child");
const OBSTACLES = cl(
	'care_obstacles',
	'Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em',
	"Obstacles to the child's safety in the care environment"
);

/** The lists as Rust's `reference` sends them (crates/bvte-core/src/reference.rs). */
const reference = {
	steps: [cl('initial_assessment', 'Đánh giá nguy cơ ban đầu (Mẫu 02)', 'Initial risk assessment (form 02)'), cl('review', 'Rà soát, đánh giá sau can thiệp (Mẫu 06)', 'Review (form 06)')],
	risk_levels: [cl('high', 'Cao', 'High'), cl('medium', 'Trung bình', 'Medium'), cl('low', 'Thấp', 'Low')],
	review_proposals: [cl('end', 'Đề nghị kết thúc kế hoạch hỗ trợ, can thiệp', 'Propose ending the plan')],
	criteria: [cl('harm_severity', 'Mức độ tổn hại của trẻ em', 'Harm to the child'), ACCESS, OBSTACLES],
	criteria_initial_assessment: [
		cl(
			'harm_severity',
			'Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em',
			"Severity of harm to the child's life, health or dignity"
		),
		ACCESS,
		OBSTACLES
	],
	criteria_detailed_assessment: [cl('harm_severity', 'Mức độ tổn hại của trẻ em', 'Harm to the child'), ACCESS, OBSTACLES],
	criteria_review_harm: [
		cl('harm_severity', 'Mức độ tổn hại của trẻ em có còn nghiêm trọng không', 'Is the harm to the child still serious'),
		ACCESS,
		OBSTACLES
	]
} as unknown as Reference;

const view = {
	id: 'case-1',
	next_steps: [
		{ step: 'initial_assessment', label: 'Đánh giá nguy cơ ban đầu (Mẫu 02)', required: true },
		{ step: 'review', label: 'Rà soát', required: false }
	],
	steps: [],
	blocked_steps: [],
	deadlines: []
} as unknown as CaseView;

beforeEach(() => {
	refs.data = reference;
});

afterEach(() => {
	clearMocks();
	if (i18n.locale !== 'vi') switchLocale('vi');
	refs.data = null;
});

/** Renders the step form for `kind`; returns what `record_step` received. */
function renderStep(kind: string) {
	const sent: { caseId: string; input: { step: string; data: Record<string, unknown> } }[] = [];
	mockIPC((cmd, args) => {
		if (cmd === 'record_step') {
			sent.push(args as (typeof sent)[number]);
			return view;
		}
		if (cmd === 'check_step') return [];
		throw `unexpected ${cmd}`;
	});
	render(StepForm, { props: { view, kind, onrecorded: vi.fn() } });
	return sent;
}

const rows = (table: string) => screen.getAllByTestId(`step-field-data.${table}-row`);
const pick = (table: string, i: number, level: string) =>
	fireEvent.click(screen.getByTestId(`step-field-data.${table}[${i}].level-${level}`));

describe('criteria tables', () => {
	for (const [locale, first] of [
		['vi', 'Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em'],
		['en', "Severity of harm to the child's life, health or dignity"]
	] as const) {
		it(`sends Mẫu 02's criteria as codes and the officer's own as typed (${locale})`, async () => {
			if (locale !== 'vi') switchLocale(locale);
			const sent = renderStep('initial_assessment');
			const fixed = rows('criteria');
			expect(fixed).toHaveLength(3);
			// The form's wording, read as text: nothing to type into, nothing cut off.
			expect(fixed[0].textContent).toContain(first);
			for (const row of fixed) expect(within(row).queryAllByRole('textbox').map((t) => t.getAttribute('aria-label'))).toEqual([expect.any(String)]);
			expect(screen.queryByTestId('step-field-data.criteria[0].criterion')?.tagName ?? 'none').not.toBe('TEXTAREA');

			await pick('criteria', 0, 'high');
			await pick('criteria', 1, 'medium');
			await pick('criteria', 2, 'low');
			await fireEvent.click(screen.getByTestId('step-field-data.criteria-add'));
			const own = screen.getByTestId('step-field-data.criteria[3].criterion') as HTMLTextAreaElement;
			await fireEvent.input(own, { target: { value: 'Trẻ sợ về nhà' } });
			await pick('criteria', 3, 'high');
			await fireEvent.click(screen.getByTestId('step-submit'));

			expect(sent).toHaveLength(1);
			expect(sent[0].input.data.criteria).toEqual([
				{ criterion: 'harm_severity', level: 'high', note: '' },
				{ criterion: 'abuser_access', level: 'medium', note: '' },
				{ criterion: 'care_obstacles', level: 'low', note: '' },
				{ criterion: 'Trẻ sợ về nhà', level: 'high', note: '' }
			]);
		});
	}

	it('sends Mẫu 06 §1a as codes in English too; §1b has only the officer’s own criteria', async () => {
		switchLocale('en');
		const sent = renderStep('review');
		expect(rows('harm')[0].textContent).toContain('Is the harm to the child still serious');
		expect(rows('self_protection')).toHaveLength(1);
		await pick('harm', 2, 'medium');
		await fireEvent.input(screen.getByTestId('step-field-data.self_protection[0].criterion'), {
			target: { value: 'Knows to call 111' }
		});
		await pick('self_protection', 0, 'high');
		await fireEvent.click(screen.getByTestId('step-field-data.proposal-end'));
		await fireEvent.click(screen.getByTestId('step-submit'));
		expect(sent[0].input.data.harm).toEqual([{ criterion: 'care_obstacles', level: 'medium', note: '' }]);
		expect(sent[0].input.data.self_protection).toEqual([{ criterion: 'Knows to call 111', level: 'high', note: '' }]);
	});

	it('keeps the rows still when a level is chosen or cleared', async () => {
		renderStep('initial_assessment');
		const cell = () => within(rows('criteria')[0]).getByRole('radiogroup');
		// By its id: while hidden (nothing to clear) it is out of the accessibility tree.
		const clear = () =>
			within(cell()).queryByTestId('step-field-data.criteria[0].clear') as HTMLButtonElement | null;
		const parts = cell().children.length;
		await pick('criteria', 0, 'medium');
		// Nothing added under the pointer: "Bỏ chọn" was already in its place.
		expect(cell().children.length).toBe(parts);
		expect(clear()?.disabled).toBe(false);
		await fireEvent.click(clear()!);
		expect((screen.getByTestId('step-field-data.criteria[0].level-medium') as HTMLInputElement).checked).toBe(false);
		expect(cell().children.length).toBe(parts);
		// Still there, keeping its place, with nothing to clear.
		expect(clear()?.disabled).toBe(true);
	});
});

describe('a level refused by Rust', () => {
	// jsdom has no layout (no scrollIntoView), which a refused save asks for.
	beforeEach(() => {
		Element.prototype.scrollIntoView = vi.fn();
	});
	afterEach(() => {
		delete (Element.prototype as Partial<Element>).scrollIntoView;
	});

	it('loses its red message as soon as a level is chosen (issue 16 item 7)', async () => {
		mockIPC((cmd) => {
			if (cmd === 'record_step')
				throw {
					code: 'invalid',
					message: 'Chưa chọn mức độ.',
					message_en: 'No level chosen.',
					fields: [{ code: 'required', field: 'data.criteria[0].level', message: 'Chưa chọn mức độ.', message_en: 'No level chosen.' }],
					retry_after_seconds: null
				};
			if (cmd === 'check_step') return [];
			throw `unexpected ${cmd}`;
		});
		render(StepForm, { props: { view, kind: 'initial_assessment', onrecorded: vi.fn() } });
		await fireEvent.input(screen.getByTestId('step-field-data.criteria[0].note'), { target: { value: 'Nhiều vết bầm' } });
		await fireEvent.click(screen.getByTestId('step-submit'));
		expect((await screen.findByTestId('step-error-data.criteria[0].level')).textContent).toContain('Chưa chọn mức độ');
		await pick('criteria', 0, 'high');
		expect(screen.queryByTestId('step-error-data.criteria[0].level')).toBeNull();
	});
});

describe('a recorded step', () => {
	it('shows each criterion code with its wording in the screen’s language', () => {
		const data = {
			criteria: [
				{ criterion: 'harm_severity', level: 'high', note: '' },
				{ criterion: 'Trẻ sợ về nhà', level: 'low', note: '' }
			]
		};
		const { unmount } = render(StepDataView, { props: { step: 'initial_assessment', data } });
		const vi = screen.getByText(/Mức độ tổn hại đối với tính mạng/).textContent ?? '';
		expect(vi).toContain('Cao');
		expect(screen.queryByText(/harm_severity/)).toBeNull();
		expect(screen.getByText(/Trẻ sợ về nhà/).textContent).toContain('Thấp');
		unmount();
		switchLocale('en');
		render(StepDataView, { props: { step: 'initial_assessment', data } });
		expect(screen.getByText(/Severity of harm to the child/).textContent).toContain('High');
	});
});
