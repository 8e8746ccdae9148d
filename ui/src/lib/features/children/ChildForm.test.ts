import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ChildForm from './ChildForm.svelte';
import { emptyDraft } from './child-draft';

afterEach(() => clearMocks());

const savedChild = { id: 'c-new', full_name: 'Trần Bảo Ngọc' };

function renderForm() {
	const onsaved = vi.fn();
	const oncancel = vi.fn();
	render(ChildForm, { props: { id: null, initial: emptyDraft(), onsaved, oncancel } });
	return { onsaved, oncancel };
}

describe('child form', () => {
	it('shows each Rust field message next to its input and keeps what was typed', async () => {
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'check_duplicates') return [];
			if (cmd === 'save_child') {
				sent.push(args);
				throw {
					code: 'impossible_date',
					message: 'Ngày sinh: ngày “31/02/2019” không có thật.',
					message_en: 'date_of_birth: "31/02/2019" does not exist.',
					fields: [
						{
							code: 'impossible_date',
							field: 'date_of_birth',
							message: 'Ngày sinh: ngày “31/02/2019” không có thật.',
							message_en: 'date_of_birth: "31/02/2019" does not exist.'
						}
					],
					retry_after_seconds: null
				};
			}
			throw `unexpected ${cmd}`;
		});
		const { onsaved } = renderForm();
		const name = screen.getByTestId('child-field-full_name') as HTMLInputElement;
		const dob = screen.getByTestId('child-field-date_of_birth') as HTMLInputElement;
		await fireEvent.input(name, { target: { value: 'Trần Bảo Ngọc' } });
		await fireEvent.input(dob, { target: { value: '31/02/2019' } });
		await fireEvent.click(screen.getByTestId('child-save'));

		const message = await screen.findByTestId('child-error-date_of_birth');
		expect(message.textContent).toContain('không có thật');
		expect(screen.getByTestId('child-error').textContent).toContain('31/02/2019');
		expect(dob.getAttribute('aria-invalid')).toBe('true');
		expect(dob.value).toBe('31/02/2019');
		expect(name.value).toBe('Trần Bảo Ngọc');
		expect(onsaved).not.toHaveBeenCalled();
		expect(sent[0]).toMatchObject({ id: null, input: { full_name: 'Trần Bảo Ngọc', date_of_birth: '31/02/2019' } });
	});

	it('shows possible duplicates first and saves only when the officer confirms', async () => {
		const commands: string[] = [];
		mockIPC((cmd) => {
			commands.push(cmd);
			if (cmd === 'check_duplicates')
				return [{ id: 'c-old', full_name: 'Trần Bảo Ngọc', date_of_birth: '2019-02-03' }];
			if (cmd === 'save_child') return savedChild;
			throw `unexpected ${cmd}`;
		});
		const { onsaved } = renderForm();
		await fireEvent.input(screen.getByTestId('child-field-full_name'), { target: { value: 'Trần Bảo Ngọc' } });
		await fireEvent.click(screen.getByTestId('child-save'));

		const item = await screen.findByTestId('child-dup-item');
		expect(item.getAttribute('data-id')).toBe('c-old');
		expect(item.querySelector('a')?.getAttribute('href')).toBe('/children/c-old');
		expect(commands).toEqual(['check_duplicates']);

		await fireEvent.click(screen.getByTestId('child-dup-save-anyway'));
		await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith(savedChild));
		expect(commands).toEqual(['check_duplicates', 'save_child']);
	});

	it('cancels on Esc', async () => {
		mockIPC(() => []);
		const { oncancel } = renderForm();
		await fireEvent.keyDown(window, { key: 'Escape' });
		expect(oncancel).toHaveBeenCalledTimes(1);
	});

	it('adds and removes carers, each with its own field paths', async () => {
		mockIPC(() => []);
		renderForm();
		await fireEvent.click(screen.getByTestId('child-carer-add'));
		await fireEvent.click(screen.getByTestId('child-carer-add'));
		expect(screen.getByTestId('child-field-carers[1].full_name')).toBeTruthy();
		await fireEvent.click(screen.getByTestId('child-carer-remove-0'));
		expect(screen.getAllByTestId('child-carer')).toHaveLength(1);
		expect(screen.queryByTestId('child-field-carers[1].full_name')).toBeNull();
	});
});
