import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FormChoice } from '$lib/api/contract';
import PrintForms from './PrintForms.svelte';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));
vi.mock('$app/state', () => ({ page: { url: new URL('http://localhost/print') } }));
// The preview renders the PDF with pdf.js, which jsdom cannot; it is not what is tested here.
vi.mock('./FormPreview.svelte', () => ({ default: () => undefined }));

afterEach(() => clearMocks());

const blank01: FormChoice = {
	applicable: true,
	missing_step: null,
	missing_step_label: null,
	missing_step_label_en: null,
	form: '01',
	title: 'Báo cáo tiếp nhận thông tin',
	provisional: false,
	provisional_reason: '',
	source: '',
	requires_step: null
};

describe('printing (issue 16 item 15)', () => {
	it('offers to open the folder after "Lưu PDF", and opens it', async () => {
		const calls: string[] = [];
		mockIPC((cmd) => {
			calls.push(cmd);
			if (cmd === 'list_forms') return [blank01];
			if (cmd === 'save_form') return { path: '/home/canbo/Documents/BVTE/mau-01.pdf' };
			if (cmd === 'open_forms_folder') return { path: '/home/canbo/Documents/BVTE' };
			if (cmd === 'feed_position') return 0;
			throw `unexpected ${cmd}`;
		});
		render(PrintForms, { props: { caseId: null } });
		await fireEvent.click(await screen.findByTestId('print-save'));
		const saved = await screen.findByTestId('print-saved');
		expect(saved.textContent).toContain('/home/canbo/Documents/BVTE/mau-01.pdf');
		const folder = screen.getByTestId('print-open-folder');
		expect(folder.textContent).toBe('Mở thư mục chứa tệp');
		await fireEvent.click(folder);
		await waitFor(() => expect(calls).toContain('open_forms_folder'));
		expect(screen.queryByTestId('print-error')).toBeNull();
	});

	it("asks before writing Mẫu 01 that names the reporter, and writes it only once agreed (issue 14)", async () => {
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'list_forms') return [blank01];
			if (cmd === 'feed_position') return 0;
			if (cmd === 'save_form') {
				sent.push(args);
				if (!(args as { consent: boolean }).consent)
					throw {
						code: 'reporter_consent',
						message: 'Mẫu 01 có họ tên, địa chỉ và số điện thoại của người báo tin — thông tin phải giữ bí mật.',
						message_en: 'x',
						fields: []
					};
				return { path: '/home/canbo/Documents/BVTE/mau-01-5f3a9c1e.pdf' };
			}
			throw `unexpected ${cmd}`;
		});
		render(PrintForms, { props: { caseId: null } });
		await fireEvent.click(await screen.findByTestId('print-save'));
		expect((await screen.findByTestId('print-error')).textContent).toContain('người báo tin');
		expect(screen.queryByTestId('print-saved')).toBeNull();
		await fireEvent.click(screen.getByTestId('print-consent-yes'));
		expect((await screen.findByTestId('print-saved')).textContent).toContain('mau-01-5f3a9c1e.pdf');
		expect(sent).toEqual([
			{ caseId: null, form: '01', consent: false },
			{ caseId: null, form: '01', consent: true }
		]);
		expect(screen.queryByTestId('print-consent')).toBeNull();
	});
});
