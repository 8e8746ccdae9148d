import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConflictView, SyncState } from '$lib/api/contract';
import { toasts } from '$lib/components/toast.svelte';
import { syncView } from '$lib/state/sync.svelte';
import ConflictList from './ConflictList.svelte';
import EnrollForm from './EnrollForm.svelte';
import StatusBar from './StatusBar.svelte';

afterEach(() => {
	clearMocks();
	syncView.state = null;
	syncView.failure = null;
});

const enrolled: SyncState = {
	overview: {
		enrolled: true,
		server_url: 'https://192.168.1.10:8443',
		pending: 7472,
		last_success_at: '2026-11-23T08:30:00+07:00',
		last_error: null,
		last_error_at: null,
		clock_offset_ms: 2 * 3600_000,
		clock_warning: null,
		clock_drift: { ahead: false, amount: 2, unit: 'hours' },
		open_conflicts: 1
	},
	activity: {
		running: true,
		progress: { phase: 'pushing', done: 500, total: 7472 },
		problem: {
			code: 'server_unreachable',
			message: 'Không kết nối được máy chủ huyện.',
			message_en: 'Cannot reach the district server.',
			fields: [],
			retry_after_seconds: null
		},
		last_report: null,
		retry_in_seconds: null
	}
};

describe('status bar', () => {
	it('exposes the state as attributes and says it in words', () => {
		render(StatusBar);
		expect(screen.queryByTestId('status-bar')).toBeNull(); // nothing before the first answer
		syncView.state = enrolled;
		flushSync();
		const bar = screen.getByTestId('status-bar');
		expect(bar.dataset).toMatchObject({ enrolled: 'true', pending: '7472', running: 'true', errorCode: 'server_unreachable', conflicts: '1' });
		expect(screen.getByTestId('status-sync').textContent).toBe('Đang đồng bộ… gửi 500/7.472');
		expect((screen.getByTestId('status-progress') as HTMLProgressElement).value).toBe(500);
		expect(screen.queryByTestId('status-pending')).toBeNull();
		expect(screen.getByTestId('status-conflicts').getAttribute('href')).toBe('/sync');
		expect(screen.getByTestId('status-clock').textContent).toContain('chậm khoảng 2 giờ');
	});

	it('offers to set sync up when the PC is not enrolled', () => {
		syncView.state = { ...enrolled, overview: { ...enrolled.overview, enrolled: false } };
		render(StatusBar);
		expect(screen.getByTestId('status-bar').dataset.enrolled).toBe('false');
		expect(screen.getByTestId('status-sync').textContent).toBe('Chưa kết nối máy chủ huyện — Cài đặt đồng bộ');
		expect(screen.getByTestId('status-sync').querySelector('a')?.getAttribute('href')).toBe('/sync');
		expect(screen.queryByTestId('status-error')).toBeNull();
	});
});

describe('enrollment form', () => {
	it('shows the message next to the value at fault, and Esc hides the banner only', async () => {
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd !== 'enroll') throw `unexpected ${cmd}`;
			sent.push(args);
			throw {
				code: 'wrong_fingerprint',
				message: 'Dấu vân tay không khớp với máy chủ.',
				message_en: 'The fingerprint does not match the server.',
				fields: [{ code: 'wrong_fingerprint', field: 'fingerprint', message: 'Dấu vân tay không khớp với máy chủ.', message_en: 'x' }],
				retry_after_seconds: null
			};
		});
		render(EnrollForm);
		const device = screen.getByTestId('enroll-field-device_name') as HTMLInputElement;
		expect(device.value).toBe('Máy văn phòng');
		await fireEvent.input(screen.getByTestId('enroll-field-server_url'), { target: { value: 'https://10.0.0.2:8443' } });
		await fireEvent.input(screen.getByTestId('enroll-field-code'), { target: { value: 'K7M2-9QXD' } });
		await fireEvent.input(screen.getByTestId('enroll-field-fingerprint'), { target: { value: 'ab cd' } });
		await fireEvent.click(screen.getByTestId('enroll-submit'));

		expect((await screen.findByTestId('enroll-error-fingerprint')).textContent).toContain('không khớp');
		expect(screen.getByTestId('enroll-field-fingerprint').getAttribute('aria-invalid')).toBe('true');
		expect(screen.queryByTestId('enroll-error-code')).toBeNull();
		expect(sent[0]).toEqual({
			input: { server_url: 'https://10.0.0.2:8443', code: 'K7M2-9QXD', fingerprint: 'ab cd', device_name: 'Máy văn phòng' }
		});

		expect(screen.getByTestId('enroll-error')).toBeTruthy();
		await fireEvent.keyDown(window, { key: 'Escape' });
		expect(screen.queryByTestId('enroll-error')).toBeNull();
		expect(screen.getByTestId('enroll-error-fingerprint')).toBeTruthy();
	});
});

const conflict: ConflictView = {
	id: 42,
	entity: 'child',
	entity_id: 'c1',
	field: 'date_of_birth',
	kept: { value: '2015-09-05', author: 'Nguyễn Thị Hoa', at: '2026-11-23T08:30:00+07:00', device_id: 'd1' },
	other: { value: null, author: 'Trần Văn Nam', at: '2026-11-23T01:00:00Z', device_id: 'd2' },
	detected_at: '2026-11-23T09:00:00+07:00',
	child_name: 'Lò Văn Páo',
	child_id: 'c1'
};

describe('conflicts', () => {
	it('shows both values and keeps the chosen one, then shows what is left', async () => {
		const calls: [string, unknown][] = [];
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			if (cmd === 'list_conflicts') return [conflict];
			if (cmd === 'resolve_conflict') return [];
			if (cmd === 'sync_state') return enrolled;
			throw `unexpected ${cmd}`;
		});
		render(ConflictList, { props: { openCount: 1 } });
		const row = await screen.findByTestId('conflict-row');
		expect(row.dataset.id).toBe('42');
		expect(screen.getByTestId('conflict-child').getAttribute('href')).toBe('/children/c1');
		expect(screen.getByTestId('conflict-field').textContent).toBe('Ngày, tháng, năm sinh');
		expect(screen.getByTestId('conflict-kept').textContent).toContain('05/09/2015');
		expect(screen.getByTestId('conflict-kept').textContent).toContain('Nguyễn Thị Hoa, lúc 23/11/2026 08:30');
		expect(screen.getByTestId('conflict-other-value').textContent).toBe('(trống)');
		expect(screen.getByTestId('conflict-other').textContent).toContain('23/11/2026 08:00');

		await fireEvent.click(screen.getByTestId('conflict-take-other'));
		await screen.findByTestId('conflicts-empty');
		expect(calls).toContainEqual(['resolve_conflict', { id: 42, take: 'other' }]);
		await waitFor(() => expect(toasts[0]?.text).toContain('lần đồng bộ tới'));
	});

	it('shows a deletion conflict as keep or delete the record, and shows why deleting was refused', async () => {
		const deletion: ConflictView = {
			...conflict,
			id: 43,
			field: '_record',
			kept: { value: { fields: ['village', 'full_name'], cases: 1 }, author: 'Trần Văn Nam', at: '2026-11-23T08:30:00+07:00', device_id: 'd2' },
			other: { value: { reason: 'Nhập trùng với hồ sơ Lò Văn Páo' }, author: 'Nguyễn Thị Hoa', at: '2026-11-23T07:00:00+07:00', device_id: 'd1' }
		};
		const calls: [string, unknown][] = [];
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			if (cmd === 'list_conflicts') return [deletion];
			if (cmd === 'resolve_conflict')
				throw {
					code: 'child_has_cases',
					message: 'Không xóa được hồ sơ này: trẻ đã có 1 vụ việc, và vụ việc phải được lưu giữ.',
					message_en: 'This record cannot be deleted: the child has 1 case(s).',
					fields: [],
					retry_after_seconds: null
				};
			throw `unexpected ${cmd}`;
		});
		render(ConflictList, { props: { openCount: 1 } });
		await screen.findByTestId('conflict-row');
		expect(screen.getByTestId('conflict-field').textContent).toBe('Hồ sơ bị xóa nhưng có thay đổi chưa thấy');
		expect(screen.getByTestId('conflict-kept-value').textContent).toBe('Giữ hồ sơ — có sửa: Thôn, tổ dân phố, Họ và tên; có 1 vụ việc');
		expect(screen.getByTestId('conflict-kept').textContent).toContain('Trần Văn Nam, lúc 23/11/2026 08:30');
		expect(screen.getByTestId('conflict-other-value').textContent).toBe('Xóa hồ sơ — lý do: Nhập trùng với hồ sơ Lò Văn Páo');
		expect(screen.getByTestId('conflict-other').textContent).toContain('Nguyễn Thị Hoa, lúc 23/11/2026 07:00');
		expect(screen.getByTestId('conflict-take-kept').textContent?.trim()).toBe('Giữ hồ sơ');
		expect(screen.getByTestId('conflict-take-other').textContent?.trim()).toBe('Vẫn xóa');

		await fireEvent.click(screen.getByTestId('conflict-take-other'));
		expect((await screen.findByTestId('conflicts-error')).textContent).toContain('trẻ đã có 1 vụ việc');
		expect(calls).toContainEqual(['resolve_conflict', { id: 43, take: 'other' }]);
		expect(screen.getByTestId('conflict-row')).toBeTruthy();
	});
});
