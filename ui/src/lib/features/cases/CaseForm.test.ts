import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CaseForm from './CaseForm.svelte';

const { goto } = vi.hoisted(() => ({ goto: vi.fn() }));
vi.mock('$app/navigation', () => ({ goto, beforeNavigate: vi.fn() }));

afterEach(() => {
	clearMocks();
	goto.mockReset();
});

const child = { id: 'child-1', full_name: 'Đinh Văn Tú', date_of_birth: '2015-01-01' };

describe('open-case form (issue 16 item 18)', () => {
	it('warns that a risk of violence contradicts violence ticked, and opens the case only when confirmed', async () => {
		const calls: string[] = [];
		mockIPC((cmd) => {
			calls.push(cmd);
			if (cmd === 'check_case')
				return [
					{
						code: 'risk_but_abused',
						field: 'abuse_forms',
						message: 'Loại vụ việc là “Trẻ em có nguy cơ bị bạo lực” nhưng đã đánh dấu hình thức xâm hại “Bạo lực”.',
						message_en: 'The case is a risk yet "Violence" is ticked.'
					}
				];
			if (cmd === 'open_case') return { id: 'case-9' };
			throw `unexpected ${cmd}`;
		});
		render(CaseForm, { props: { child, oncancel: () => undefined } });
		await fireEvent.click(screen.getByTestId('case-save'));
		expect((await screen.findByTestId('case-warning')).textContent).toContain('“Bạo lực”');
		expect(calls).toEqual(['check_case']);
		await fireEvent.click(screen.getByTestId('case-warnings-back'));
		expect(screen.queryByTestId('case-warnings')).toBeNull();
		await fireEvent.click(screen.getByTestId('case-save'));
		await fireEvent.click(await screen.findByTestId('case-warnings-confirm'));
		await waitFor(() => expect(goto).toHaveBeenCalledWith('/cases/case-9'));
		expect(calls).toEqual(['check_case', 'check_case', 'open_case']);
	});
});
