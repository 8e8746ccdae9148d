import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import BackupPanel from './BackupPanel.svelte';

afterEach(() => clearMocks());

describe('Sao lưu in Settings (issue 14)', () => {
	it('shows where backups go and the last one, and backs up now', async () => {
		let calls = 0;
		mockIPC((cmd) => {
			if (cmd === 'backup_status')
				return { folder: '/media/lan/USB', last_at: null, last_file: null, changed_since: true };
			if (cmd === 'backup_now') {
				calls += 1;
				return {
					folder: '/media/lan/USB',
					last_at: '2026-12-07T03:30:00+00:00',
					last_file: '/media/lan/USB/bvte-09955-20261207-103000.bvte-backup',
					changed_since: false
				};
			}
			throw `unexpected ${cmd}`;
		});
		render(BackupPanel);
		expect((await screen.findByTestId('backup-last')).textContent).toContain('Chưa sao lưu');
		expect(screen.getByTestId('backup-folder').textContent).toContain('/media/lan/USB');
		await fireEvent.click(screen.getByTestId('backup-now'));
		await waitFor(() => expect(calls).toBe(1));
		await waitFor(() => expect(screen.getByTestId('backup-last').textContent).toContain('07/12/2026 10:30'));
	});

	it('says why a backup failed', async () => {
		mockIPC((cmd) => {
			if (cmd === 'backup_status')
				return { folder: '/media/lan/USB', last_at: null, last_file: null, changed_since: true };
			throw { code: 'disk_full', message: 'Ổ đĩa đã đầy nên chưa lưu được.', message_en: 'Disk full', fields: [] };
		});
		render(BackupPanel);
		await screen.findByTestId('backup-last');
		await fireEvent.click(screen.getByTestId('backup-now'));
		expect((await screen.findByTestId('backup-error')).textContent).toContain('Ổ đĩa đã đầy');
	});
});
