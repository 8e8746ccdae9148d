import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '$lib/api/contract';
import RecoverForm from './RecoverForm.svelte';

afterEach(() => clearMocks());

const unlocked: AppStatus = {
	state: 'unlocked',
	commune: null,
	officer_name: 'Lê Thị Hoa',
	failed_attempts: 0,
	retry_after_seconds: null,
	idle_lock_minutes: 10,
	version: '0.1.0'
};

describe('recovering with the recovery code (issue 10 item 11)', () => {
	it('shows the new recovery code once and goes on only after the officer wrote it down', async () => {
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd !== 'recover') throw `unexpected ${cmd}`;
			sent.push(args);
			return { recovery_code: 'NEWC-ODE2-3456-7ABC-DEFG-HIJK-LMNO-PQRS', status: unlocked };
		});
		const ondone = vi.fn(async () => undefined);
		render(RecoverForm, { props: { ondone, oncancel: () => undefined } });
		await fireEvent.input(screen.getByTestId('recover-code'), { target: { value: 'OLDC-ODE2' } });
		await fireEvent.input(screen.getByTestId('recover-pass'), { target: { value: 'mật khẩu mới dài' } });
		await fireEvent.input(screen.getByTestId('recover-pass2'), { target: { value: 'mật khẩu mới dài' } });
		await fireEvent.click(screen.getByTestId('recover-submit'));

		expect((await screen.findByTestId('recover-new-code')).textContent).toBe(
			'NEWC-ODE2-3456-7ABC-DEFG-HIJK-LMNO-PQRS'
		);
		expect(screen.getByTestId('recover-new-code-panel').textContent).toContain('không còn mở được');
		expect(sent).toEqual([{ code: 'OLDC-ODE2', newPassphrase: 'mật khẩu mới dài' }]);
		const go = screen.getByTestId('recover-continue') as HTMLButtonElement;
		expect(go.disabled).toBe(true);
		expect(ondone).not.toHaveBeenCalled();
		await fireEvent.click(screen.getByTestId('recover-new-code-ack'));
		expect(go.disabled).toBe(false);
		await fireEvent.click(go);
		expect(ondone).toHaveBeenCalledWith(unlocked);
	});
});
