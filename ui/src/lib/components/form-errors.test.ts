import { describe, expect, it } from 'vitest';
import { FormErrors } from './form-errors.svelte';

const refusal = {
	code: 'required',
	message: 'Chưa nhập lý do. Hãy nhập giá trị này.',
	message_en: 'reason is required.',
	fields: [{ code: 'required', field: 'reason', message: 'Chưa nhập lý do. Hãy nhập giá trị này.', message_en: 'reason is required.' }],
	retry_after_seconds: null
};

describe('a form submit', () => {
	it('shows a refusal at its field and in the banner, and forgets it on the next try', async () => {
		const form = new FormErrors('delete');
		let prevented = false;
		const e = { preventDefault: () => (prevented = true) } as unknown as Event;
		await form.submit(e, null, async () => {
			throw refusal;
		});
		expect(prevented).toBe(true);
		expect(form.message('reason')).toBe('Chưa nhập lý do. Hãy nhập giá trị này.');
		expect(form.failure).toContain('Chưa nhập lý do');
		expect(form.busy).toBe(false);

		await form.submit(null, null, async () => {});
		expect(form.message('reason')).toBeNull();
		expect(form.failure).toBeNull();
	});

	it('ignores a second submit while the first runs', async () => {
		const form = new FormErrors('child');
		let finish = () => {};
		let runs = 0;
		const first = form.submit(null, null, () => {
			runs++;
			return new Promise<void>((done) => (finish = done));
		});
		expect(form.busy).toBe(true);
		await form.submit(null, null, async () => {
			runs++;
		});
		expect(runs).toBe(1);
		finish();
		await first;
		expect(form.busy).toBe(false);
	});
});
