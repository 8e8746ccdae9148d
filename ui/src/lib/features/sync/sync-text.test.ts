import { describe, expect, it } from 'vitest';
import type { SyncState } from '$lib/api/contract';
import {
	clockWarning,
	lastSyncText,
	pendingText,
	progressBar,
	reportText,
	runningText,
	statusLine,
	syncError
} from './sync-text';


function state(over: Partial<SyncState['overview']> = {}, act: Partial<SyncState['activity']> = {}): SyncState {
	return {
		overview: {
			enrolled: true,
			server_url: 'https://192.168.1.10:8443',
			pending: 0,
			last_success_at: '2026-11-23T08:30:00+07:00',
			last_error: null,
			last_error_at: null,
			clock_offset_ms: 120,
			clock_warning: null,
			clock_drift: null,
			open_conflicts: 0,
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
	message: 'Không kết nối được máy chủ huyện. Hãy kiểm tra mạng.',
	message_en: 'Cannot reach the district server. Check the network.',
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
			'Đồng hồ máy tính chậm khoảng 2 giờ so với máy chủ huyện — thời hạn pháp lý tính theo đồng hồ máy, hãy chỉnh lại ngày giờ.'
		);
		expect(clockWarning(ahead(2, 'hours'), 'vi')).toContain('nhanh khoảng 2 giờ');
		expect(clockWarning(behind(2, 'hours'), 'en')).toContain('about 2 hours behind the district server');
		expect(clockWarning(ahead(2, 'hours'), 'en')).toContain('about 2 hours ahead of the district server');
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
		const r = { pushed: 3, pulled: 5, conflicts: 1, pending: 0, open_conflicts: 1, clock_offset_ms: 0, clock_warning: null, bytes_sent: 1, bytes_received: 1 };
		expect(reportText(r, 'vi')).toBe('Đã gửi 3, đã nhận 5, 1 xung đột mới.');
		expect(reportText({ ...r, conflicts: 0, pulled: 1200 }, 'vi')).toBe('Đã gửi 3, đã nhận 1.200.');
		expect(reportText(r, 'en')).toBe('Sent 3, received 5, new conflicts: 1.');
	});
});

describe('sync error', () => {
	it("shows the last run's problem in the current language, with its code and the next try", () => {
		const s = state({}, { problem: unreachable, retry_in_seconds: 30 });
		expect(syncError(s, 'vi')).toEqual({
			code: 'server_unreachable',
			text: 'Lỗi đồng bộ: Không kết nối được máy chủ huyện. Hãy kiểm tra mạng. · thử lại sau 30 giây'
		});
		expect(syncError(s, 'en')?.text).toBe(
			'Sync error: Cannot reach the district server. Check the network. · next try in 30 seconds'
		);
	});

	it('leaves out the next try while a run is going (it is the try)', () => {
		const s = state({}, { problem: unreachable, retry_in_seconds: 0, running: true });
		expect(syncError(s, 'vi')?.text).toBe('Lỗi đồng bộ: Không kết nối được máy chủ huyện. Hãy kiểm tra mạng.');
	});

	it('falls back to the stored error only when it is newer than the last success', () => {
		const stored = { last_error: 'Máy này đã bị thu hồi.', last_error_at: '2026-11-23T09:00:00+07:00' };
		expect(syncError(state(stored), 'vi')).toEqual({ code: '', text: 'Lỗi đồng bộ: Máy này đã bị thu hồi.' });
		expect(syncError(state({ ...stored, last_success_at: '2026-11-23T09:05:00+07:00' }), 'vi')).toBeNull();
		expect(syncError(state({ ...stored, last_success_at: null }), 'vi')?.code).toBe('');
		// a live problem wins over the stored error
		expect(syncError(state(stored, { problem: unreachable }), 'vi')?.code).toBe('server_unreachable');
	});

	it('is null when nothing failed', () => {
		expect(syncError(state(), 'vi')).toBeNull();
	});
});

describe('status line', () => {
	it('says only "not connected" for a PC that is not enrolled', () => {
		const line = statusLine(state({ enrolled: false, pending: 12, clock_drift: { ahead: false, amount: 3, unit: 'hours' } }, { problem: unreachable }), 'vi');
		expect(line).toMatchObject({ enrolled: false, sync: 'Chưa kết nối máy chủ huyện', pending: null, error: null, clock: null });
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
		expect(statusLine(state(), 'vi')).toMatchObject({ conflicts: null, clock: null, error: null, pending: 'Đã gửi hết' });
	});
});
