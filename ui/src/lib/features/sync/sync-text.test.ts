import { describe, expect, it } from 'vitest';
import type { SyncReport, SyncState } from '$lib/api/contract';
import {
	clockWarning,
	enrolledText,
	lastSyncText,
	pendingText,
	progressBar,
	refusedText,
	reportText,
	runningText,
	statusLine,
	syncError,
	updateNotice,
	updateText
} from './sync-text';

function state(over: Partial<SyncState['overview']> = {}, act: Partial<SyncState['activity']> = {}): SyncState {
	return {
		overview: {
			enrolled: true,
			server_url: 'https://192.168.1.10:8443',
			area_name: null,
			pending: 0,
			last_success_at: '2026-11-23T08:30:00+07:00',
			last_error: null,
			last_error_at: null,
			clock_offset_ms: 120,
			clock_warning: null,
			clock_drift: null,
			open_conflicts: 0,
			refused: 0,
			held: 0,
			newer_format: 0,
			...over
		},
		activity: {
			running: false,
			progress: null,
			problem: null,
			last_report: null,
			retry_in_seconds: null,
			...act
		}
	};
}

const unreachable = {
	code: 'server_unreachable',
	message: 'Không kết nối được máy chủ. Hãy kiểm tra mạng.',
	message_en: 'Cannot reach the server. Check the network.',
	fields: [],
	retry_after_seconds: null
};

describe('clock warning', () => {
	// When to warn and how to round is Rust's (`bvte_core::sync::clock_drift`, tested there);
	// here only the wording in each language.
	const behind = (amount: number, unit: string) => ({ ahead: false, amount, unit });
	const ahead = (amount: number, unit: string) => ({ ahead: true, amount, unit });

	it('stays silent when Rust reports no drift', () => {
		expect(clockWarning(null, 'vi')).toBeNull();
		expect(clockWarning(behind(5, 'minutes'), 'vi')).toContain('5 phút');
	});

	it('says the PC is slow ("chậm") when the server is ahead, fast ("nhanh") when behind', () => {
		expect(clockWarning(behind(2, 'hours'), 'vi')).toBe(
			'Đồng hồ máy tính chậm khoảng 2 giờ so với máy chủ — thời hạn pháp lý tính theo đồng hồ máy, hãy chỉnh lại ngày giờ.'
		);
		expect(clockWarning(ahead(2, 'hours'), 'vi')).toContain('nhanh khoảng 2 giờ');
		expect(clockWarning(behind(2, 'hours'), 'en')).toContain('about 2 hours behind the server');
		expect(clockWarning(ahead(2, 'hours'), 'en')).toContain('about 2 hours ahead of the server');
	});

	it('words minutes, hours and days, with Vietnamese thousands separators', () => {
		expect(clockWarning(behind(119, 'minutes'), 'vi')).toContain('khoảng 119 phút');
		expect(clockWarning(behind(47, 'hours'), 'vi')).toContain('khoảng 47 giờ');
		expect(clockWarning(ahead(2, 'days'), 'en')).toContain('about 2 days ahead');
		expect(clockWarning(behind(2000, 'days'), 'vi')).toContain('khoảng 2.000 ngày');
	});
});

describe('progress of a run', () => {
	it('counts what is sent against the total, with Vietnamese thousands separators', () => {
		expect(runningText({ phase: 'pushing', done: 500, total: 7472 }, 'vi')).toBe('Đang đồng bộ… gửi 500/7.472');
		expect(runningText({ phase: 'pushing', done: 500, total: 7472 }, 'en')).toBe('Syncing… sending 500/7,472');
	});

	it('counts what is received without a total, and says just "syncing" before any count', () => {
		expect(runningText({ phase: 'pulling', done: 1000 }, 'vi')).toBe('Đang đồng bộ… nhận 1.000');
		expect(runningText(null, 'vi')).toBe('Đang đồng bộ…');
	});

	it('draws a bar only while sending, never past full or over an empty total', () => {
		expect(progressBar({ phase: 'pushing', done: 500, total: 7472 })).toEqual({ value: 500, max: 7472 });
		expect(progressBar({ phase: 'pushing', done: 3, total: 0 })).toEqual({ value: 1, max: 1 });
		expect(progressBar({ phase: 'pulling', done: 1000 })).toBeNull();
		expect(progressBar(null)).toBeNull();
	});
});

describe('last success and what is left', () => {
	it('shows the last success in Vietnam time, time first, whatever the offset it came with', () => {
		expect(lastSyncText('2026-11-29T20:50:26Z', 'vi')).toBe('Đã đồng bộ lúc 30/11/2026 03:50');
		expect(lastSyncText('2026-11-23T08:30:00+07:00', 'en')).toBe('Synced at 23/11/2026 08:30');
		expect(lastSyncText(null, 'vi')).toBe('Chưa đồng bộ lần nào');
	});

	it('counts unsent changes, or says everything is sent', () => {
		expect(pendingText(1234, 'vi')).toBe('Chưa gửi: 1.234 thay đổi');
		expect(pendingText(0, 'vi')).toBe('Đã gửi hết');
		expect(pendingText(0, 'en')).toBe('Everything sent');
	});

	it('sums up a run, naming new conflicts only when there are some', () => {
		expect(reportText(run, 'vi')).toBe('Đã gửi 3, đã nhận 5, 1 xung đột mới.');
		expect(reportText({ ...run, conflicts: 0, pulled: 1200 }, 'vi')).toBe('Đã gửi 3, đã nhận 1.200.');
		expect(reportText(run, 'en')).toBe('Sent 3, received 5, new conflicts: 1.');
	});
});

const run: SyncReport = {
	pushed: 3,
	pulled: 5,
	conflicts: 1,
	pending: 0,
	open_conflicts: 1,
	clock_offset_ms: 0,
	clock_warning: null,
	bytes_sent: 1,
	bytes_received: 1,
	refused: 0,
	held: 0,
	held_total: 0,
	newer_format: 0,
	recovered: 0,
	renumbered: 0,
	reread: false
};

describe('what a run repaired or could not do (issue 10)', () => {
	it('says nothing more when nothing was refused, kept aside, got back or read again', () => {
		// held_total, newer_format and renumbered are left to the status bar and the page
		const quiet = { ...run, conflicts: 0, held_total: 4, newer_format: 4, renumbered: 2 };
		expect(reportText(quiet, 'vi')).toBe('Đã gửi 3, đã nhận 5.');
	});

	it('names refused, kept-aside and got-back changes and a read from the start, in Vietnamese', () => {
		const r = { ...run, conflicts: 0, reread: true, refused: 2, held: 1200, recovered: 4 };
		expect(reportText(r, 'vi')).toBe(
			'Đã gửi 3, đã nhận 5. Dữ liệu của xã đã được đọc lại từ đầu. Máy chủ không nhận 2 thay đổi: xem lý do bên dưới. ' +
				'Có 1.200 thay đổi nhận về chưa áp dụng được, đã để riêng. Đã lấy lại từ máy chủ 4 thay đổi của máy này.'
		);
		expect(reportText({ ...run, recovered: 1 }, 'vi')).toBe(
			'Đã gửi 3, đã nhận 5, 1 xung đột mới. Đã lấy lại từ máy chủ 1 thay đổi của máy này.'
		);
	});

	it('says the same in English, one change in the singular', () => {
		expect(reportText({ ...run, conflicts: 0, refused: 1, held: 1 }, 'en')).toBe(
			'Sent 3, received 5. The server refused 1 change: see why below. 1 received change could not be applied and was kept aside.'
		);
		expect(reportText({ ...run, conflicts: 0, reread: true, refused: 2, held: 1200, recovered: 4 }, 'en')).toBe(
			"Sent 3, received 5. The commune's data was read again from the start. The server refused 2 changes: see why below. " +
				"1,200 received changes could not be applied and were kept aside. Got back 4 of this PC's changes from the server."
		);
	});
});

describe('refused changes and changes waiting for a newer BVTE', () => {
	it('counts refused changes, or says nothing when there is none', () => {
		expect(refusedText(3, 'vi')).toBe('3 thay đổi bị máy chủ từ chối');
		expect(refusedText(1, 'en')).toBe('1 change refused by the server');
		expect(refusedText(1500, 'en')).toBe('1,500 changes refused by the server');
		expect(refusedText(0, 'vi')).toBeNull();
	});

	it('asks to update BVTE when changes from a newer version wait', () => {
		expect(updateText(2, 'vi')).toBe('Cần cập nhật BVTE: 2 thay đổi từ phiên bản mới hơn đang chờ');
		expect(updateText(1, 'en')).toBe('BVTE needs an update: 1 change from a newer version is waiting');
		expect(updateText(2, 'en')).toBe('BVTE needs an update: 2 changes from a newer version are waiting');
		expect(updateText(0, 'vi')).toBeNull();
	});

	it('on the sync page, also says what to do and that nothing is lost', () => {
		expect(updateNotice(2, 'vi')).toBe(
			'Cần cập nhật BVTE: 2 thay đổi từ phiên bản mới hơn đang chờ. Máy này chưa áp dụng được các thay đổi đó. ' +
				'Hãy cài phiên bản BVTE mới nhất (hỏi người quản trị máy chủ): các thay đổi sẽ được áp dụng ở lần đồng bộ đầu tiên sau khi cập nhật, không mất dữ liệu nào.'
		);
		expect(updateNotice(1, 'en')).toBe(
			'BVTE needs an update: 1 change from a newer version is waiting. This PC cannot apply them yet. ' +
				"Install the latest BVTE (ask the server's administrator): they are applied at the first sync after the update, and nothing is lost."
		);
		expect(updateNotice(0, 'en')).toBeNull();
	});
});

describe('enrollment done', () => {
	const enrolled = { server_url: 'https://10.0.0.2:8443', commune_code: '09955', acked_seq: 0, clock_offset_ms: 0, new_device_id: false };

	it('confirms the connection', () => {
		expect(enrolledText(enrolled, 'vi')).toBe('Đã kết nối với máy chủ; lần đồng bộ đầu tiên đang chạy.');
	});

	it('adds one sentence when the server gave this PC a new identity: its unsent work will be sent', () => {
		expect(enrolledText({ ...enrolled, new_device_id: true }, 'vi')).toBe(
			'Đã kết nối với máy chủ; lần đồng bộ đầu tiên đang chạy. Máy chủ đã cấp cho máy này một mã định danh mới; các thay đổi chưa gửi của máy sẽ được gửi lên, không mất dữ liệu nào.'
		);
		expect(enrolledText({ ...enrolled, new_device_id: true }, 'en')).toBe(
			'Connected to the server; the first sync is running. The server gave this PC a new identity; its unsent changes will be sent, and nothing is lost.'
		);
	});
});

describe('sync error', () => {
	it("shows the last run's problem in the current language, with its code and the next try", () => {
		const s = state({}, { problem: unreachable, retry_in_seconds: 30 });
		expect(syncError(s, 'vi')).toEqual({
			code: 'server_unreachable',
			text: 'Lỗi đồng bộ: Không kết nối được máy chủ. Hãy kiểm tra mạng. · thử lại sau 30 giây'
		});
		expect(syncError(s, 'en')?.text).toBe(
			'Sync error: Cannot reach the server. Check the network. · next try in 30 seconds'
		);
	});

	it('leaves out the next try while a run is going (it is the try)', () => {
		const s = state({}, { problem: unreachable, retry_in_seconds: 0, running: true });
		expect(syncError(s, 'vi')?.text).toBe('Lỗi đồng bộ: Không kết nối được máy chủ. Hãy kiểm tra mạng.');
	});

	it('falls back to the stored error only when it is newer than the last success', () => {
		const stored = { last_error: 'Máy này đã bị thu hồi.', last_error_at: '2026-11-23T09:00:00+07:00' };
		expect(syncError(state(stored), 'vi')).toEqual({ code: '', text: 'Lỗi đồng bộ: Máy này đã bị thu hồi.' });
		expect(syncError(state({ ...stored, last_success_at: '2026-11-23T09:05:00+07:00' }), 'vi')).toBeNull();
		expect(syncError(state({ ...stored, last_success_at: null }), 'vi')?.code).toBe('');
		// a live problem wins over the stored error
		expect(syncError(state(stored, { problem: unreachable }), 'vi')?.code).toBe('server_unreachable');
	});

	it("shows Rust's message for a server that restarted during the run, like any other code", () => {
		// Rust's words (bvte-core CoreError::ServerRestarted)
		const restarted = {
			code: 'server_restarted',
			message: 'Máy chủ vừa khởi động lại trong lúc đồng bộ. Không có gì bị mất: lần đồng bộ sau sẽ kiểm tra lại và tiếp tục.',
			message_en: 'The server restarted during the sync. Nothing is lost: the next sync checks again and goes on.',
			fields: [],
			retry_after_seconds: null
		};
		const s = state({}, { problem: restarted, retry_in_seconds: 30 });
		expect(syncError(s, 'vi')).toEqual({
			code: 'server_restarted',
			text: 'Lỗi đồng bộ: Máy chủ vừa khởi động lại trong lúc đồng bộ. Không có gì bị mất: lần đồng bộ sau sẽ kiểm tra lại và tiếp tục. · thử lại sau 30 giây'
		});
		expect(syncError(s, 'en')?.text).toBe(
			'Sync error: The server restarted during the sync. Nothing is lost: the next sync checks again and goes on. · next try in 30 seconds'
		);
	});

	it('is null when nothing failed', () => {
		expect(syncError(state(), 'vi')).toBeNull();
	});
});

describe('status line', () => {
	it('says only "not connected" for a PC that is not enrolled', () => {
		const line = statusLine(state({ enrolled: false, pending: 12, refused: 1, newer_format: 1, clock_drift: { ahead: false, amount: 3, unit: 'hours' } }, { problem: unreachable }), 'vi');
		expect(line).toMatchObject({ enrolled: false, sync: 'Chưa kết nối máy chủ', pending: null, error: null, refused: null, update: null, clock: null });
	});

	it('shows progress instead of the last success and pending while a run is going', () => {
		const line = statusLine(state({ pending: 7472 }, { running: true, progress: { phase: 'pushing', done: 500, total: 7472 } }), 'vi');
		expect(line.sync).toBe('Đang đồng bộ… gửi 500/7.472');
		expect(line.pending).toBeNull();
		expect(line.progress).toEqual({ value: 500, max: 7472 });
	});

	it('shows the last success, what is left, conflicts and a wrong clock when idle', () => {
		const line = statusLine(state({ pending: 3, open_conflicts: 2, clock_drift: { ahead: true, amount: 3, unit: 'hours' } }), 'vi');
		expect(line.sync).toBe('Đã đồng bộ lúc 23/11/2026 08:30');
		expect(line.pending).toBe('Chưa gửi: 3 thay đổi');
		expect(line.progress).toBeNull();
		expect(line.conflicts).toBe('2 xung đột cần xử lý');
		expect(line.clock).toContain('nhanh khoảng 3 giờ');
		expect(statusLine(state(), 'vi')).toMatchObject({ conflicts: null, refused: null, update: null, clock: null, error: null, pending: 'Đã gửi hết' });
	});

	it("names the area the server serves once the server said it, never a 'district'", () => {
		expect(statusLine(state(), 'vi').server).toBeNull();
		const named = state({ area_name: 'Tỉnh Ninh Bình' });
		expect(statusLine(named, 'vi').server).toBe('Máy chủ Tỉnh Ninh Bình');
		expect(statusLine(named, 'en').server).toBe('Server: Tỉnh Ninh Bình');
		expect(statusLine(state({ enrolled: false, area_name: 'Tỉnh Ninh Bình' }), 'vi').server).toBeNull();
	});

	it('shows refused changes and asks to update BVTE, also while a run is going', () => {
		const line = statusLine(state({ refused: 2, held: 5, newer_format: 3 }, { running: true }), 'vi');
		expect(line.refused).toBe('2 thay đổi bị máy chủ từ chối');
		expect(line.update).toBe('Cần cập nhật BVTE: 3 thay đổi từ phiên bản mới hơn đang chờ');
		// kept aside but readable by this version: no update to ask for
		expect(statusLine(state({ held: 5, newer_format: 0 }), 'en').update).toBeNull();
	});
});
