// Issue 14: "Tài khoản" in Settings, the account chosen on the unlock screen, and what a role
// does not see. Rust decides and refuses; these check the screens show what it answers.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountRow, AppStatus } from '$lib/api/contract';
import { session, setStatus } from '$lib/state/session.svelte';
import UnlockForm from '../session/UnlockForm.svelte';
import AccountsPanel from './AccountsPanel.svelte';
import SettingsForm from './SettingsForm.svelte';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()), beforeNavigate: vi.fn() }));

afterEach(() => {
	clearMocks();
	session.status = null;
});

const row = (name: string, role: 'officer' | 'leader' | 'admin', signed_in = false): AccountRow => ({
	name,
	role,
	role_vi: { officer: 'Cán bộ bảo vệ trẻ em', leader: 'Lãnh đạo UBND xã', admin: 'Quản trị' }[role],
	role_en: role,
	signed_in
});

const status = (state: string, over: Partial<AppStatus> = {}): AppStatus => ({
	state,
	commune: null,
	officer_name: null,
	failed_attempts: 0,
	retry_after_seconds: null,
	idle_lock_minutes: 10,
	version: '0.1.0',
	...over
});

describe('Tài khoản (local admin)', () => {
	it('lists the accounts, adds one, and shows Rust’s refusal at its field', async () => {
		const sent: unknown[] = [];
		let rows = [row('Nguyễn Thị Hòa', 'admin', true)];
		mockIPC((cmd, args) => {
			if (cmd === 'list_accounts') return rows;
			if (cmd === 'add_account') {
				const input = (args as { input: { name: string; role: string } }).input;
				sent.push(input);
				if (input.name === 'nguyễn thị hòa')
					throw {
						code: 'account_exists',
						message: 'Đã có tài khoản “Nguyễn Thị Hòa” (tên không phân biệt chữ hoa, chữ thường). Hãy chọn tên khác.',
						message_en: 'taken',
						fields: []
					};
				rows = [...rows, row(input.name, input.role as 'leader')];
				return rows;
			}
			throw `unexpected ${cmd}`;
		});
		render(AccountsPanel);
		await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1));
		expect(screen.getByTestId('account-row').textContent).toContain('(bạn)');
		expect(screen.queryByTestId('account-remove')).toBeNull();

		await fireEvent.input(screen.getByTestId('account-field-account_name'), { target: { value: 'nguyễn thị hòa' } });
		await fireEvent.input(screen.getByTestId('account-field-passphrase'), { target: { value: 'mật khẩu dài đủ' } });
		await fireEvent.input(screen.getByTestId('account-field-passphrase_confirm'), { target: { value: 'mật khẩu dài đủ' } });
		await fireEvent.click(screen.getByTestId('account-add'));
		expect((await screen.findByTestId('account-add-error')).textContent).toContain('Đã có tài khoản');

		await fireEvent.input(screen.getByTestId('account-field-account_name'), { target: { value: 'Trần Thị Mai' } });
		await fireEvent.change(screen.getByTestId('account-field-role'), { target: { value: 'leader' } });
		await fireEvent.click(screen.getByTestId('account-add'));
		await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
		expect(sent[1]).toMatchObject({ name: 'Trần Thị Mai', role: 'leader' });
		expect(screen.getAllByTestId('account-row')[1].dataset.role).toBe('leader');
		expect(screen.getAllByTestId('account-remove')).toHaveLength(1);
	});
});

describe('the unlock screen', () => {
	it('asks which account when the register has several, and sends it', async () => {
		let got: Record<string, unknown> | null = null;
		setStatus(status('locked', { accounts: ['Nguyễn Thị Hòa', 'Trần Thị Mai'] }));
		mockIPC((cmd, args) => {
			if (cmd !== 'unlock') throw `unexpected ${cmd}`;
			got = args as Record<string, unknown>;
			return status('unlocked');
		});
		render(UnlockForm);
		await fireEvent.change(screen.getByTestId('unlock-account'), { target: { value: 'Trần Thị Mai' } });
		await fireEvent.input(screen.getByTestId('unlock-pass'), { target: { value: 'mật khẩu của lãnh đạo' } });
		await fireEvent.click(screen.getByTestId('unlock-submit'));
		await waitFor(() => expect(got).not.toBeNull());
		expect(got).toMatchObject({ passphrase: 'mật khẩu của lãnh đạo', account: 'Trần Thị Mai' });
	});

	it('with one account, asks for no name', () => {
		setStatus(status('locked', { accounts: ['Nguyễn Thị Hòa'] }));
		render(UnlockForm);
		expect(screen.queryByTestId('unlock-account')).toBeNull();
	});
});

describe('what a role does not see', () => {
	it('an officer sees no accounts, audit trail, backup or save in Settings', async () => {
		setStatus(
			status('unlocked', {
				account: { name: 'Lê Văn Nam', role: 'officer' },
				allowed: ['view_records', 'edit_children', 'print', 'own_passphrase']
			})
		);
		mockIPC((cmd) => {
			if (cmd === 'get_settings')
				return {
					officer_name: 'Lê Văn Nam',
					commune_header: '',
					chair_name: '',
					idle_lock_minutes: 10,
					language: 'vi',
					backup_folder: '',
					backup_keep: 10
				};
			throw `unexpected ${cmd}`;
		});
		render(SettingsForm);
		await screen.findByTestId('settings-admin-only');
		expect(screen.queryByTestId('settings-save')).toBeNull();
		expect(screen.queryByTestId('settings-accounts-link')).toBeNull();
		expect(screen.queryByTestId('settings-audit-link')).toBeNull();
		expect(screen.queryByTestId('backup-now')).toBeNull();
	});
});
