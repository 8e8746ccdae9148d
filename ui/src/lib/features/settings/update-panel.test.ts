import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import UpdatePanel from './UpdatePanel.svelte';

afterEach(() => clearMocks());

const offer = {
	version: '0.2.0',
	notes: 'Sửa lỗi in Mẫu 02; lịch nghỉ Tết 2027.',
	date: '07/12/2026',
	file: 'bvte_0.2.0_amd64.deb',
	size: 9175040,
	sha256: '5f0c',
	package: '/home/lan/.local/share/vn.bvte.desktop/cap-nhat/bvte_0.2.0_amd64.deb'
};

describe('Cập nhật phần mềm in Settings (issue 13)', () => {
	it('shows "Có bản cập nhật" with the version and notes once the release is checked', async () => {
		mockIPC((cmd) => {
			if (cmd === 'update_check') return { current: '0.1.0', target: 'deb-amd64', offer };
			throw `unexpected ${cmd}`;
		});
		render(UpdatePanel, { version: '0.1.0' });
		await fireEvent.click(screen.getByTestId('update-check'));
		const shown = await screen.findByTestId('update-offer');
		expect(shown.textContent).toContain('Có bản cập nhật 0.2.0');
		expect(shown.textContent).toContain('07/12/2026');
		expect(screen.getByTestId('update-notes').textContent).toContain('lịch nghỉ Tết 2027');
	});

	it('says when nothing is newer', async () => {
		mockIPC(() => ({ current: '0.1.0', target: 'deb-amd64', offer: null }));
		render(UpdatePanel, { version: '0.1.0' });
		await fireEvent.click(screen.getByTestId('update-check'));
		expect((await screen.findByTestId('update-none')).textContent).toContain('bản mới nhất (0.1.0)');
		expect(screen.queryByTestId('update-offer')).toBeNull();
	});

	it('shows why an update folder was refused and offers nothing', async () => {
		let asked = '';
		mockIPC((cmd, args) => {
			if (cmd === 'update_from_folder') {
				asked = (args as { dir: string }).dir;
				throw {
					code: 'update_altered',
					message: 'Gói bvte_0.2.0_amd64.deb đã bị thay đổi hoặc hỏng sau khi ký (chữ ký không khớp nội dung): không nhận.',
					message_en: 'altered',
					fields: []
				};
			}
			throw `unexpected ${cmd}`;
		});
		render(UpdatePanel, { version: '0.1.0' });
		const input = screen.getByLabelText('Thư mục cập nhật (USB)');
		await fireEvent.input(input, { target: { value: '/media/usb/cap-nhat' } });
		await fireEvent.click(screen.getByTestId('update-from-folder'));
		expect((await screen.findByTestId('update-error')).textContent).toContain('đã bị thay đổi');
		await waitFor(() => expect(asked).toBe('/media/usb/cap-nhat'));
		expect(screen.queryByTestId('update-offer')).toBeNull();
	});
});
