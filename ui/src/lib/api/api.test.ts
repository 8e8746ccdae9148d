import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as api from './index';
import { INTERNAL, UiError, toUiError } from './errors';

afterEach(() => clearMocks());

const wrongPassphrase = {
	code: 'wrong_passphrase',
	message: 'Mật khẩu không đúng.',
	message_en: 'Wrong passphrase.',
	fields: [],
	retry_after_seconds: 30
};

describe('UiError mapping', () => {
	it('keeps every part of a Rust UiError, so views can show it and wait', async () => {
		mockIPC(() => {
			throw wrongPassphrase;
		});
		const err = await api.unlock('sai').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(UiError);
		const ue = err as UiError;
		expect(ue.code).toBe('wrong_passphrase');
		expect(ue.message).toBe('Mật khẩu không đúng.');
		expect(ue.message_en).toBe('Wrong passphrase.');
		expect(ue.retry_after_seconds).toBe(30);
	});

	it('gives each field message by JSON path, in either language', () => {
		const ue = toUiError({
			code: 'required',
			message: 'Họ và tên: bắt buộc.',
			message_en: 'full_name: required.',
			fields: [
				{ code: 'required', field: 'full_name', message: 'Hãy nhập họ và tên.', message_en: 'Enter the name.' },
				{ code: 'too_long', field: 'carers[1].full_name', message: 'Quá dài.', message_en: 'Too long.' }
			],
			retry_after_seconds: null
		});
		expect(ue.fieldMessage('carers[1].full_name', 'vi')).toBe('Quá dài.');
		expect(ue.fieldMessage('full_name', 'en')).toBe('Enter the name.');
		expect(ue.fieldMessage('sex', 'vi')).toBeNull();
	});

	it('turns a bare string rejection (Tauri itself) into an internal UiError', async () => {
		mockIPC(() => {
			throw 'command overview not found';
		});
		const err = (await api.overview().catch((e: unknown) => e)) as UiError;
		expect(err).toBeInstanceOf(UiError);
		expect(err.code).toBe(INTERNAL);
		expect(err.message).toBe('command overview not found');
		expect(err.fields).toEqual([]);
	});

	it('treats a zero wait as no wait and tolerates missing optional parts', () => {
		const ue = toUiError({ code: 'busy', message: 'Bận.', retry_after_seconds: 0 });
		expect(ue.retry_after_seconds).toBeNull();
		expect(ue.message_en).toBe('Bận.');
		expect(ue.fields).toEqual([]);
	});

	it('calls the locked handler on a `locked` answer, and only then', async () => {
		const onLocked = vi.fn();
		const off = api.onLocked(onLocked);
		mockIPC((cmd) => {
			if (cmd === 'get_case') throw { ...wrongPassphrase, code: 'locked', retry_after_seconds: null };
			throw wrongPassphrase;
		});
		await expect(api.unlock('x')).rejects.toBeInstanceOf(UiError);
		expect(onLocked).not.toHaveBeenCalled();
		await expect(api.getCase('c1')).rejects.toMatchObject({ code: 'locked' });
		expect(onLocked).toHaveBeenCalledTimes(1);
		off();
	});
});

describe('commands', () => {
	it('sends camelCase argument keys and NFC text, but secrets exactly as typed', async () => {
		const calls: [string, unknown][] = [];
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			return null;
		});
		const nfd = 'Nguye\u0302\u0303n'; // "Nguyễn" typed as NFD by an input method
		await api.recordStep('case-1', { step: 'verification', occurred_at: null, data: { findings: nfd } });
		await api.recover('AAAA-BBBB', 'pa\u0301ss word');
		await api.searchCommunes('đại đồng');
		expect(calls[0]).toEqual([
			'record_step',
			{ caseId: 'case-1', input: { step: 'verification', occurred_at: null, data: { findings: 'Nguyễn' } } }
		]);
		expect(calls[1]).toEqual(['recover', { code: 'AAAA-BBBB', newPassphrase: 'pa\u0301ss word' }]);
		expect(calls[2]).toEqual(['search_communes', { query: 'đại đồng' }]);
	});
});

describe('forms', () => {
	it('sends the case (null for blank forms) and the form, and reads the PDF as bytes', async () => {
		const calls: [string, unknown][] = [];
		const pdf = new TextEncoder().encode('%PDF-1.3');
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			// The webview gets an ArrayBuffer from `tauri::ipc::Response`.
			return pdf.buffer.slice(0);
		});
		const bytes = await api.formPdf('case-1', '02');
		expect(Array.from(bytes)).toEqual(Array.from(pdf));
		await api.printForm(null, '03');
		expect(calls).toEqual([
			['form_pdf', { caseId: 'case-1', form: '02' }],
			['print_form', { caseId: null, form: '03' }]
		]);
	});

	it('accepts the bytes as a number array too, and refuses anything else clearly', () => {
		expect(Array.from(api.toBytes([37, 80, 68, 70]))).toEqual([37, 80, 68, 70]);
		expect(() => api.toBytes('%PDF')).toThrow(UiError);
	});
});

describe('sync', () => {
	it('sends the enrollment as `input` and a resolution as `{id, take}`, as the commands read them', async () => {
		const calls: [string, unknown][] = [];
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			return cmd === 'resolve_conflict' ? [] : null;
		});
		await api.enroll({
			server_url: 'https://192.168.1.10:8443',
			code: 'K7M2-9QXD',
			fingerprint: 'ab:cd',
			device_name: 'Ma\u0301y va\u0306n pho\u0300ng' // typed as NFD
		});
		const left = await api.resolveConflict(7, 'other');
		await api.syncNow();
		expect(left).toEqual([]);
		expect(calls).toEqual([
			[
				'enroll',
				{ input: { server_url: 'https://192.168.1.10:8443', code: 'K7M2-9QXD', fingerprint: 'ab:cd', device_name: 'Máy văn phòng' } }
			],
			['resolve_conflict', { id: 7, take: 'other' }],
			['sync_now', {}]
		]);
	});

	it('keeps the field an enrollment failure points at, so the form can show it there', async () => {
		mockIPC(() => {
			throw {
				code: 'wrong_fingerprint',
				message: 'Dấu vân tay không khớp.',
				message_en: 'The fingerprint does not match.',
				fields: [{ code: 'wrong_fingerprint', field: 'fingerprint', message: 'Dấu vân tay không khớp.', message_en: 'The fingerprint does not match.' }],
				retry_after_seconds: null
			};
		});
		const err = (await api.enroll({ server_url: 'x', code: 'y', fingerprint: 'z', device_name: 'w' }).catch((e: unknown) => e)) as UiError;
		expect(err.code).toBe('wrong_fingerprint');
		expect(err.fieldMessage('fingerprint', 'vi')).toBe('Dấu vân tay không khớp.');
	});
});
