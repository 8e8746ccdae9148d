import { describe, expect, it } from 'vitest';
import type { FormChoice } from '$lib/api/contract';
import { initialForm } from './choices';
import { renderWidth } from './pdf-pages';

const choice = (form: string, applicable: boolean): FormChoice => ({
	form,
	title: `Mẫu ${form}`,
	provisional: false,
	provisional_reason: '',
	source: '',
	requires_step: null,
	applicable,
	missing_step: applicable ? null : 'review',
	missing_step_label: applicable ? null : 'Rà soát',
	missing_step_label_en: applicable ? null : 'Review'
});

describe('initialForm', () => {
	const list = [choice('01', true), choice('02', true), choice('05', false)];

	it('opens the form named in the URL, written any usual way', () => {
		expect(initialForm(list, '02')).toBe('02');
		expect(initialForm(list, '2')).toBe('02');
	});

	it('never opens a form whose step is missing: the first printable one instead', () => {
		expect(initialForm(list, '05')).toBe('01');
		expect(initialForm(list, null)).toBe('01');
	});

	it('has nothing to open in an empty list', () => {
		expect(initialForm([], null)).toBeNull();
	});
});

describe('renderWidth', () => {
	it('renders sharp on dense screens without going past 2×', () => {
		expect(renderWidth(800, 1)).toBe(800);
		expect(renderWidth(800, 1.5)).toBe(1200);
		expect(renderWidth(800, 3)).toBe(1600);
		expect(renderWidth(800, 0)).toBe(800);
	});
});
