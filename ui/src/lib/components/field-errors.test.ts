// Issue 16 item 7: a field's red message must go once the officer corrects that field (until the
// next save says otherwise), and after a refused save the field at fault must be brought fully into
// view — label, input and message — not left at the edge under the top bar.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FormErrors } from './form-errors.svelte';
import FieldsHarness from './FieldsHarness.test.svelte';

const refusal = {
	code: 'required',
	message: 'Chưa nhập họ tên.',
	message_en: 'Name is required.',
	fields: [
		{ code: 'required', field: 'full_name', message: 'Chưa nhập họ tên.', message_en: 'Name is required.' },
		{ code: 'required', field: 'village', message: 'Chưa nhập thôn.', message_en: 'Village is required.' },
		{ code: 'required', field: 'sex', message: 'Chưa chọn giới tính.', message_en: 'Sex is required.' },
		{ code: 'required', field: 'confirmed', message: 'Hãy chọn một.', message_en: 'Choose one.' },
		{ code: 'required', field: 'measures', message: 'Hãy chọn ít nhất một.', message_en: 'Choose at least one.' },
		{ code: 'invalid', field: 'days', message: 'Số ngày không hợp lệ.', message_en: 'Invalid days.' }
	],
	retry_after_seconds: null
};

afterEach(() => vi.restoreAllMocks());

async function refused() {
	const form = new FormErrors('t');
	render(FieldsHarness, { props: { form } });
	await form.submit(null, null, async () => {
		throw refusal;
	});
	return form;
}

describe('a field corrected after a refused save', () => {
	it('loses its red message and mark as soon as it is edited; the others keep theirs', async () => {
		await refused();
		const name = screen.getByTestId('t-field-full_name');
		expect(name.getAttribute('aria-invalid')).toBe('true');
		expect(screen.getByTestId('t-error-full_name').textContent).toContain('Chưa nhập họ tên');

		await fireEvent.input(name, { target: { value: 'Trần Bảo Ngọc' } });
		expect(screen.queryByTestId('t-error-full_name')).toBeNull();
		expect(name.getAttribute('aria-invalid')).toBeNull();
		// Not corrected yet: still red.
		expect(screen.getByTestId('t-error-village')).toBeTruthy();
		expect(screen.getByTestId('t-field-village').getAttribute('aria-invalid')).toBe('true');
	});

	it('works for every kind of input: select, radio group, check boxes, number', async () => {
		await refused();
		await fireEvent.change(screen.getByTestId('t-field-sex'), { target: { value: 'female' } });
		expect(screen.queryByTestId('t-error-sex')).toBeNull();

		await fireEvent.click(screen.getByTestId('t-field-confirmed-yes'));
		expect(screen.queryByTestId('t-error-confirmed')).toBeNull();

		await fireEvent.click(screen.getByTestId('t-field-measures-police'));
		expect(screen.queryByTestId('t-error-measures')).toBeNull();

		await fireEvent.input(screen.getByTestId('t-field-days'), { target: { value: '15' } });
		expect(screen.queryByTestId('t-error-days')).toBeNull();
		expect(screen.getByTestId('t-error-village')).toBeTruthy();
	});
});

describe('the field at fault after a refused save', () => {
	it('gets the focus and is scrolled to the middle of the page with its label and message', async () => {
		const form = new FormErrors('t');
		const { container } = render(FieldsHarness, { props: { form } });
		const scrolled: { el: Element; arg: unknown }[] = [];
		// jsdom has no layout (no scrollIntoView): record what is asked.
		Element.prototype.scrollIntoView = function (arg?: unknown) {
			scrolled.push({ el: this as Element, arg });
		};
		const focus = vi.spyOn(HTMLElement.prototype, 'focus');
		await form.submit(null, container.querySelector('form'), async () => {
			throw refusal;
		});
		await new Promise((r) => setTimeout(r, 0));

		const name = screen.getByTestId('t-field-full_name');
		expect(document.activeElement).toBe(name);
		// The browser's own scroll-on-focus stops at the nearest edge, right under the top bar.
		expect(focus.mock.calls.at(-1)?.[0]).toEqual({ preventScroll: true });
		expect(scrolled.at(-1)?.el).toBe(name.closest('.field'));
		expect(scrolled.at(-1)?.arg).toMatchObject({ block: 'center' });
	});
});
