import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FoundBackup } from '$lib/api/contract';
import { goto } from '$app/navigation';
import SetupWizard from './SetupWizard.svelte';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));

afterEach(() => clearMocks());

const found = (path: string, taken_at: string): FoundBackup => ({
	path,
	commune_code: '09955',
	commune_name: 'Xã Đại Đồng, Thành phố Hà Nội',
	taken_at,
	bvte_version: '0.1.0',
	size_bytes: 3_250_000
});

const unlocked = {
	state: 'unlocked',
	commune: null,
	officer_name: 'A',
	failed_attempts: 0,
	retry_after_seconds: null,
	idle_lock_minutes: 10,
	version: '0.1.0'
};

describe('set-up from a backup on a new PC (issue 14)', () => {
	it('lists the backups found, newest first chosen, and restores the chosen one with the passphrase as typed', async () => {
		const restored: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'find_backups')
				return [
					found('/media/lan/USB/bvte-09955-20261202-100000.bvte-backup', '2026-12-02T03:00:00+00:00'),
					found('/media/lan/USB/bvte-09955-20261201-100000.bvte-backup', '2026-12-01T03:00:00+00:00')
				];
			if (cmd === 'restore_backup') {
				restored.push(args);
				return unlocked;
			}
			throw `unexpected ${cmd}`;
		});
		render(SetupWizard);
		await fireEvent.click(screen.getByTestId('wizard-restore'));
		const items = (await screen.findAllByTestId('restore-item')) as HTMLInputElement[];
		expect(items).toHaveLength(2);
		expect(items[0].checked).toBe(true);
		const row = items[0].closest('label')?.textContent ?? '';
		expect(row).toContain('Xã Đại Đồng, Thành phố Hà Nội');
		expect(row).toContain('02/12/2026 10:00');
		expect(row).toContain('3,1 MB');
		await fireEvent.input(screen.getByTestId('restore-pass'), { target: { value: 'mật khẩu cũ ' } });
		await fireEvent.click(screen.getByTestId('restore-submit'));
		await waitFor(() => expect(restored).toHaveLength(1));
		expect(restored[0]).toEqual({
			path: '/media/lan/USB/bvte-09955-20261202-100000.bvte-backup',
			passphrase: 'mật khẩu cũ '
		});
		await waitFor(() => expect(goto).toHaveBeenCalledWith('/', { replaceState: true }));
	});

	it('says when no backup is found, shows a refused restore, and goes back to a new set-up', async () => {
		let scans = 0;
		mockIPC((cmd) => {
			if (cmd === 'find_backups') {
				scans += 1;
				return scans === 1 ? [] : [found('/media/lan/USB/b.bvte-backup', '2026-12-02T03:00:00+00:00')];
			}
			if (cmd === 'restore_backup')
				throw { code: 'wrong_passphrase', message: 'Sai mật khẩu (hoặc mã khôi phục).', message_en: 'Wrong passphrase', fields: [] };
			throw `unexpected ${cmd}`;
		});
		render(SetupWizard);
		await fireEvent.click(screen.getByTestId('wizard-restore'));
		expect((await screen.findByTestId('restore-none')).textContent).toContain('.bvte-backup');
		expect((screen.getByTestId('restore-submit') as HTMLButtonElement).disabled).toBe(true);
		await fireEvent.click(screen.getByTestId('restore-rescan'));
		await screen.findAllByTestId('restore-item');
		await fireEvent.click(screen.getByTestId('restore-submit'));
		expect((await screen.findByTestId('restore-error')).textContent).toContain('Sai mật khẩu');
		await fireEvent.click(screen.getByTestId('restore-back'));
		expect(screen.getByTestId('wizard-create')).toBeTruthy();
	});
});
