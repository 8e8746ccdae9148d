// Issue 16 items 3 and 5: a recorded step's details and the next steps must fit the timeline
// column. jsdom cannot measure, so these check the styles that decide it (the component's own CSS
// is loaded, with app.css: vite.config.ts `test.css`); the e2e measures the real window.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CaseView } from '$lib/api/contract';
import '../../../app.css';
import Timeline from './Timeline.svelte';

const view = {
	id: 'k1',
	stage: 'initial_assessed',
	stage_label: 'Đã đánh giá ban đầu, chờ đánh giá chi tiết',
	steps: [
		{
			id: 's2',
			step: 'initial_assessment',
			label: 'Đánh giá nguy cơ ban đầu (Mẫu 02)',
			occurred_at: '2026-12-06T17:22:00+07:00',
			recorded_at: '2026-12-06T17:22:00+07:00',
			author: 'Nguyễn Thị Bích Ngọc',
			data: {
				criteria: [{ criterion: 'Mức độ tổn hại đến thể chất, tinh thần của trẻ em', level: 'high', note: '' }],
				serious_risk: true,
				conclusion: 'Trẻ có nguy cơ bị tổn hại nghiêm trọng; cần áp dụng biện pháp khẩn cấp.'
			}
		}
	],
	next_steps: [
		{ step: 'detailed_assessment', label: 'Thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03)', required: true }
	]
} as unknown as CaseView;

describe('the case timeline in its column', () => {
	it('shows a recorded step’s details under their labels, across the whole column', async () => {
		render(Timeline, { props: { view, onchoose: () => {} } });
		const step = screen.getByTestId('case-step');
		await fireEvent.click(step.querySelector('summary')!);
		const value = step.querySelector('dd[data-field="conclusion"]') as HTMLElement;
		expect(value.textContent).toContain('nguy cơ bị tổn hại nghiêm trọng');
		// A label column as wide as its longest label ("max-content") left the values ~50 px in
		// the ~300 px column, one word per line: each value must get the column's whole width.
		const list = value.closest('dl') as HTMLElement;
		const cs = getComputedStyle(list);
		expect(cs.gridTemplateColumns ?? '').not.toMatch(/max-content/);
		expect(cs.display).toBe('block');
		expect(getComputedStyle(value).overflowWrap).toBe('anywhere');
	});

	it('wraps a long next-step label so its “bắt buộc” badge stays in the column', () => {
		render(Timeline, { props: { view, onchoose: () => {} } });
		const link = screen.getByTestId('case-next-step-detailed_assessment');
		// Buttons do not wrap by default (app.css): a long label pushed the badge over the form.
		expect(getComputedStyle(link).whiteSpace).toBe('normal');
		expect(getComputedStyle(link).textAlign).toBe('left');
		const item = link.closest('li') as HTMLElement;
		expect(getComputedStyle(item).flexWrap).toBe('wrap');
		expect(item.querySelector('.tag')?.textContent).toBe('bắt buộc');
	});
});
