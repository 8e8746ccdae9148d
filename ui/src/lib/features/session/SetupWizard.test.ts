import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommuneHit } from '$lib/api/contract';
import SetupWizard from './SetupWizard.svelte';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));

afterEach(() => clearMocks());

const hit = (code: string, name: string, province: string): CommuneHit =>
	({ code, name, province_name: province, note: null }) as unknown as CommuneHit;
const hits = [hit('09955', 'Xã Đại Đồng', 'Thành phố Hà Nội'), hit('25111', 'Xã Đại Đồng', 'Tỉnh Lâm Đồng')];

const field = (code: string, f: string, message: string) => ({ code, field: f, message, message_en: message });

describe('set-up (issue 16 items 4 and 6)', () => {
	it("asks for the chair's name, explained, and sends it with the officer's", async () => {
		const sent: Record<string, unknown>[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'setup') {
				sent.push((args as { input: Record<string, unknown> }).input);
				throw { code: 'required', message: 'x', message_en: 'x', fields: [] };
			}
			throw `unexpected ${cmd}`;
		});
		render(SetupWizard);
		const chair = screen.getByTestId('wizard-chair') as HTMLInputElement;
		expect(chair.closest('.field')?.textContent).toContain('Mẫu 05 và Mẫu 07');
		expect(chair.closest('.field')?.textContent).toContain('Không bắt buộc');
		await fireEvent.input(screen.getByTestId('wizard-officer'), { target: { value: 'Nguyễn Thị Hòa' } });
		await fireEvent.input(chair, { target: { value: 'Trần Văn Chủ' } });
		await fireEvent.click(screen.getByTestId('wizard-create'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]).toMatchObject({ officer_name: 'Nguyễn Thị Hòa', chair_name: 'Trần Văn Chủ' });
	});

	it('shows every problem Rust reports at its own field, all at once', async () => {
		mockIPC((cmd) => {
			if (cmd !== 'setup') throw `unexpected ${cmd}`;
			throw {
				code: 'required',
				message: 'Chưa chọn xã/phường.',
				message_en: 'x',
				fields: [
					field('required', 'commune_code', 'Chưa chọn xã/phường. Hãy chọn một mục trong danh sách.'),
					field('required', 'officer_name', 'Chưa nhập họ và tên cán bộ. Hãy nhập giá trị này.'),
					field('passphrase_too_short', 'passphrase', 'Mật khẩu quá ngắn.'),
					field('passphrase_mismatch', 'passphrase_confirm', 'Hai lần nhập mật khẩu không khớp.')
				]
			};
		});
		render(SetupWizard);
		await fireEvent.click(screen.getByTestId('wizard-create'));
		expect((await screen.findByTestId('wizard-error-officer_name')).textContent).toContain('họ và tên cán bộ');
		expect(screen.getByTestId('wizard-error-commune_code').textContent).toContain('Hãy chọn');
		expect(screen.getByTestId('wizard-error-passphrase').textContent).toContain('quá ngắn');
		expect(screen.getByTestId('wizard-error-passphrase_confirm').textContent).toContain('không khớp');
	});

	it('enters the commune hits with Down, chooses with Enter, and Enter never submits the screen', async () => {
		const calls: string[] = [];
		mockIPC((cmd, args) => {
			calls.push(cmd);
			if (cmd === 'search_communes') {
				const q = (args as { query: string }).query;
				return q.includes('Lâm') ? [hits[1]] : hits;
			}
			throw `unexpected ${cmd}`;
		});
		render(SetupWizard);
		const box = screen.getByTestId('wizard-commune-search') as HTMLInputElement;
		box.focus();
		await fireEvent.input(box, { target: { value: 'Đại Đồng' } });
		await fireEvent.keyDown(box, { key: 'Enter' });
		await screen.findByTestId('wizard-commune-option-25111');
		expect(calls).not.toContain('setup');
		const first = screen.getByTestId('wizard-commune-option-09955');
		const second = screen.getByTestId('wizard-commune-option-25111');
		expect(document.activeElement).toBe(first);
		box.focus();
		await fireEvent.keyDown(box, { key: 'ArrowDown' });
		expect(document.activeElement).toBe(first);
		await fireEvent.keyDown(first, { key: 'ArrowDown' });
		expect(document.activeElement).toBe(second);
		await fireEvent.keyDown(second, { key: 'ArrowUp' });
		await fireEvent.keyDown(first, { key: 'ArrowUp' });
		expect(document.activeElement).toBe(box);
		// Enter on a hit is a click of its button: it chooses.
		await fireEvent.click(second);
		expect(screen.getByTestId('wizard-commune-selected').dataset.code).toBe('25111');
		// A search with one hit: Enter chooses it, still without submitting.
		await fireEvent.input(box, { target: { value: 'Đại Đồng Lâm' } });
		await fireEvent.keyDown(box, { key: 'Enter' });
		await waitFor(() => expect(screen.getByTestId('wizard-commune-selected').dataset.code).toBe('25111'));
		expect(calls).not.toContain('setup');
	});

	it('keeps each group of the recovery code on one line', async () => {
		mockIPC((cmd) => {
			if (cmd !== 'setup') throw `unexpected ${cmd}`;
			return {
				recovery_code: 'VITU-QFHM-R4ZX-TCNF',
				status: { state: 'unlocked', commune: null, officer_name: 'A', failed_attempts: 0, retry_after_seconds: null, idle_lock_minutes: 10, version: '0' }
			};
		});
		render(SetupWizard);
		await fireEvent.click(screen.getByTestId('wizard-create'));
		const code = await screen.findByTestId('wizard-recovery-code');
		expect(code.textContent).toBe('VITU-QFHM-R4ZX-TCNF');
		expect(Array.from(code.querySelectorAll('.group')).map((g) => g.textContent)).toEqual(['VITU', 'QFHM', 'R4ZX', 'TCNF']);
	});
});
