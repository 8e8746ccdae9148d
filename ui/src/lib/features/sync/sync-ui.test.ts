import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConflictView, Refusal, SyncState } from '$lib/api/contract';
import { toasts } from '$lib/components/toast.svelte';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import { syncView } from '$lib/state/sync.svelte';
import ConflictList from './ConflictList.svelte';
import EnrollForm from './EnrollForm.svelte';
import RefusalList from './RefusalList.svelte';
import StatusBar from './StatusBar.svelte';
import SyncPage from './SyncPage.svelte';
import SyncPanel from './SyncPanel.svelte';

afterEach(() => {
	clearMocks();
	if (i18n.locale !== 'vi') switchLocale('vi');
	syncView.state = null;
	syncView.failure = null;
});

const enrolled: SyncState = {
	overview: {
		enrolled: true,
		server_url: 'https://192.168.1.10:8443',
		area_name: null,
		pending: 7472,
		last_success_at: '2026-11-23T08:30:00+07:00',
		last_error: null,
		last_error_at: null,
		clock_offset_ms: 2 * 3600_000,
		clock_warning: null,
		clock_drift: { ahead: false, amount: 2, unit: 'hours' },
		open_conflicts: 1,
		refused: 0,
		held: 0,
		newer_format: 0
	},
	activity: {
		running: true,
		progress: { phase: 'pushing', done: 500, total: 7472 },
		problem: {
			code: 'server_unreachable',
			message: 'Không kết nối được máy chủ.',
			message_en: 'Cannot reach the server.',
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
		expect(screen.queryByTestId('status-refused')).toBeNull();
		expect(screen.queryByTestId('status-update')).toBeNull();
	});

	it('links refused changes to the sync page and asks to update BVTE for a newer version', () => {
		syncView.state = { ...enrolled, overview: { ...enrolled.overview, refused: 2, held: 4, newer_format: 3 } };
		render(StatusBar);
		expect(screen.getByTestId('status-bar').dataset).toMatchObject({ refused: '2', newerFormat: '3' });
		const refused = screen.getByTestId('status-refused');
		expect(refused.textContent).toBe('2 thay đổi bị máy chủ từ chối');
		expect(refused.getAttribute('href')).toBe('/sync');
		expect(screen.getByTestId('status-update').textContent).toBe(
			'Cần cập nhật BVTE: 3 thay đổi từ phiên bản mới hơn đang chờ'
		);
	});

	it('offers to set sync up when the PC is not enrolled', () => {
		syncView.state = { ...enrolled, overview: { ...enrolled.overview, enrolled: false } };
		render(StatusBar);
		expect(screen.getByTestId('status-bar').dataset.enrolled).toBe('false');
		expect(screen.getByTestId('status-sync').textContent).toBe('Chưa kết nối máy chủ — Cài đặt đồng bộ');
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

	it('says when the server gave this PC a new identity, and that its unsent work will be sent', async () => {
		mockIPC((cmd) => {
			if (cmd === 'enroll')
				return { server_url: 'https://10.0.0.2:8443', commune_code: '09955', acked_seq: 12, clock_offset_ms: 0, new_device_id: true };
			if (cmd === 'sync_state') return enrolled;
			throw `unexpected ${cmd}`;
		});
		render(EnrollForm);
		await fireEvent.input(screen.getByTestId('enroll-field-server_url'), { target: { value: 'https://10.0.0.2:8443' } });
		await fireEvent.input(screen.getByTestId('enroll-field-code'), { target: { value: 'K7M2-9QXD' } });
		await fireEvent.input(screen.getByTestId('enroll-field-fingerprint'), { target: { value: 'ab cd' } });
		await fireEvent.click(screen.getByTestId('enroll-submit'));
		await waitFor(() => expect(toasts[0]?.text).toContain('Máy chủ đã cấp cho máy này một mã định danh mới'));
		expect(toasts[0]?.text).toContain('các thay đổi chưa gửi của máy sẽ được gửi lên');
	});
});

const refusal: Refusal = {
	change_id: 'ch1',
	entity: 'child',
	entity_id: 'c1',
	code: 'moved',
	message: 'Trẻ đã chuyển sang xã có mã 00004; xã này không sửa hồ sơ của trẻ được nữa.',
	message_en: 'The child moved to the commune with code 00004; this commune can no longer edit the record.',
	refused_at: '2026-12-07T02:15:00Z'
};

describe('refused changes', () => {
	it("lists the server's reasons with the time and the record, and 'Đã xem' empties the list", async () => {
		const calls: string[] = [];
		const step: Refusal = { ...refusal, change_id: 'ch2', entity: 'case_event', entity_id: 'e1', code: 'invalid', message: 'Không nhận được.', message_en: 'Not accepted.' };
		mockIPC((cmd) => {
			calls.push(cmd);
			if (cmd === 'sync_refusals') return [refusal, step];
			if (cmd === 'dismiss_refusals') return [];
			if (cmd === 'sync_state') return enrolled;
			throw `unexpected ${cmd}`;
		});
		render(RefusalList, { props: { count: 2 } });
		const items = await screen.findAllByTestId('refusal-item');
		expect(screen.getByTestId('refusal-list').querySelector('h2')?.textContent).toBe('Thay đổi máy chủ không nhận');
		expect(items.map((i) => i.dataset.code)).toEqual(['moved', 'invalid']);
		expect(items[0].querySelector('[data-testid="refusal-message"]')?.textContent).toBe(refusal.message);
		expect(items[0].querySelector('[data-testid="refusal-at"]')?.textContent).toBe('lúc 07/12/2026 09:15');
		const open = items[0].querySelector('[data-testid="refusal-open"]');
		expect(open?.getAttribute('href')).toBe('/children/c1');
		expect(open?.textContent).toBe('Mở hồ sơ trẻ em');
		expect(items[1].querySelector('[data-testid="refusal-open"]')).toBeNull(); // a step: no page of its own

		await fireEvent.click(screen.getByTestId('refusal-dismiss'));
		await waitFor(() => expect(screen.queryByTestId('refusal-list')).toBeNull());
		expect(calls).toContain('dismiss_refusals');
	});

	it("shows the server's English words in English", async () => {
		switchLocale('en');
		mockIPC((cmd) => {
			if (cmd === 'sync_refusals') return [refusal];
			throw `unexpected ${cmd}`;
		});
		render(RefusalList, { props: { count: 1 } });
		const item = await screen.findByTestId('refusal-item');
		expect(item.querySelector('[data-testid="refusal-message"]')?.textContent).toBe(refusal.message_en);
		expect(item.querySelector('[data-testid="refusal-open"]')?.textContent).toBe("Open the child's record");
		expect(screen.getByTestId('refusal-dismiss').textContent?.trim()).toBe('Seen');
	});

	it('shows nothing while the server refused nothing, and says why when the list cannot be read', async () => {
		let fail = false;
		let answered = 0;
		mockIPC((cmd) => {
			if (cmd !== 'sync_refusals') throw `unexpected ${cmd}`;
			if (fail) throw { code: 'locked', message: 'Phiên làm việc đã khóa.', message_en: 'Locked.', fields: [], retry_after_seconds: null };
			answered++;
			return [];
		});
		const view = render(RefusalList, { props: { count: 0 } });
		await waitFor(() => expect(answered).toBe(1));
		await Promise.resolve(); // the answer is applied
		expect(screen.queryByTestId('refusal-list')).toBeNull();
		// a new refusal counted in sync_state reloads the list
		fail = true;
		await view.rerender({ count: 1 });
		expect((await screen.findByTestId('refusals-error')).textContent).toContain('đã khóa');
	});
});

describe('sync page', () => {
	it('is ready once conflicts and refusals are loaded, and asks to update BVTE with what to do', async () => {
		mockIPC((cmd) => {
			if (cmd === 'sync_state') return syncView.state;
			if (cmd === 'list_conflicts') return [];
			if (cmd === 'sync_refusals') return [refusal];
			throw `unexpected ${cmd}`;
		});
		syncView.state = {
			overview: { ...enrolled.overview, refused: 1, held: 2, newer_format: 2 },
			activity: { ...enrolled.activity, running: false, progress: null, problem: null }
		};
		render(SyncPage);
		await waitFor(() => expect(screen.getByTestId('page-sync').dataset.ready).toBe('true'));
		expect(screen.getAllByTestId('refusal-item')).toHaveLength(1);
		const notice = screen.getByTestId('sync-update-notice').textContent ?? '';
		expect(notice).toMatch(/^Cần cập nhật BVTE: 2 thay đổi từ phiên bản mới hơn đang chờ\. /);
		expect(notice).toContain('Hãy cài phiên bản BVTE mới nhất');
	});

	it("says what a run repaired, and shows Rust's message when the server restarted during it", async () => {
		let restart = false;
		mockIPC((cmd) => {
			if (cmd === 'sync_state') return enrolled;
			if (cmd !== 'sync_now') throw `unexpected ${cmd}`;
			if (restart)
				throw {
					code: 'server_restarted',
					message: 'Máy chủ vừa khởi động lại trong lúc đồng bộ. Không có gì bị mất: lần đồng bộ sau sẽ kiểm tra lại và tiếp tục.',
					message_en: 'The server restarted during the sync. Nothing is lost: the next sync checks again and goes on.',
					fields: [],
					retry_after_seconds: null
				};
			return { pushed: 0, pulled: 40, conflicts: 0, pending: 0, open_conflicts: 0, clock_offset_ms: 0, clock_warning: null, bytes_sent: 1, bytes_received: 1, refused: 1, held: 0, held_total: 0, newer_format: 0, recovered: 3, renumbered: 0, reread: true };
		});
		const idle: SyncState = { ...enrolled, activity: { ...enrolled.activity, running: false, progress: null, problem: null } };
		render(SyncPanel, { props: { st: idle, onsynced: () => {} } });
		await fireEvent.click(screen.getByTestId('sync-now'));
		expect((await screen.findByTestId('sync-result')).textContent).toBe(
			'Đã gửi 0, đã nhận 40. Dữ liệu của xã đã được đọc lại từ đầu. Máy chủ không nhận 1 thay đổi: xem lý do bên dưới. Đã lấy lại từ máy chủ 3 thay đổi của máy này.'
		);
		restart = true;
		await fireEvent.click(screen.getByTestId('sync-now'));
		expect((await screen.findByTestId('sync-now-error')).textContent).toBe(
			'Máy chủ vừa khởi động lại trong lúc đồng bộ. Không có gì bị mất: lần đồng bộ sau sẽ kiểm tra lại và tiếp tục.'
		);
		expect(screen.queryByTestId('sync-result')).toBeNull();
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
