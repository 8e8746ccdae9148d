// What the status bar and the sync page say about sync, in plain words, from a `sync_state`
// answer: progress of a run, last success, what is still to send, the error to act on, open
// conflicts, changes the server refused, changes waiting for a newer BVTE and a wrong PC clock.
// Pure: the language comes in as an argument.

import type { ClockDrift, Enrolled, SyncProgress, SyncReport, SyncState } from '$lib/api/contract';
import { instantMs, vnDateTimeFields } from '$lib/format/dates';
import { formatNumber } from '$lib/format/numbers';
import type { Lang } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages';

/**
 * The warning for a PC clock off by more than 5 minutes (`clock_drift`, decided and rounded by
 * Rust), or null: "chậm"/"behind" or "nhanh"/"ahead", in minutes, hours or days.
 */
export function clockWarning(drift: ClockDrift | null | undefined, lang: Lang): string | null {
	if (!drift) return null;
	const o = { locale: lang };
	const n = { n: formatNumber(drift.amount, lang) };
	const amount =
		drift.unit === 'days'
			? m.unit_days(n, o)
			: drift.unit === 'hours'
				? m.unit_hours(n, o)
				: m.unit_minutes(n, o);
	return drift.ahead ? m.sync_clock_ahead({ amount }, o) : m.sync_clock_behind({ amount }, o);
}

/** "Đang đồng bộ… gửi 500/7.472", "… nhận 1.000", or just "Đang đồng bộ…" before any count. */
export function runningText(progress: SyncProgress | null, lang: Lang): string {
	const o = { locale: lang };
	const n = (v: number) => formatNumber(v, lang);
	if (progress?.phase === 'pushing') {
		return m.sync_running_push({ done: n(progress.done), total: n(progress.total) }, o);
	}
	if (progress?.phase === 'pulling') return m.sync_running_pull({ done: n(progress.done) }, o);
	return m.sync_running({}, o);
}

/** Value and maximum of the progress bar while sending (receiving has no known total). */
export function progressBar(progress: SyncProgress | null): { value: number; max: number } | null {
	if (progress?.phase !== 'pushing') return null;
	const max = Math.max(progress.total, 1);
	return { value: Math.min(progress.done, max), max };
}

/** "Đã đồng bộ lúc dd/mm/yyyy HH:mm" (Vietnam time, as every time in the app), or "Chưa đồng bộ lần nào". */
export function lastSyncText(at: string | null, lang: Lang): string {
	const o = { locale: lang };
	if (!at) return m.sync_never({}, o);
	const ms = instantMs(at);
	if (Number.isNaN(ms)) return m.sync_last_success({ time: at }, o);
	const f = vnDateTimeFields(ms);
	return m.sync_last_success({ time: `${f.date} ${f.time}` }, o);
}

/** "Chưa gửi: N thay đổi", or "Đã gửi hết" when nothing waits. */
export function pendingText(pending: number, lang: Lang): string {
	const o = { locale: lang };
	return pending > 0
		? m.sync_pending({ count: formatNumber(pending, lang) }, o)
		: m.sync_all_sent({}, o);
}

/** "N xung đột cần xử lý", or null when there is none. */
export function conflictsText(open: number, lang: Lang): string | null {
	return open > 0 ? m.sync_conflicts_open({ count: formatNumber(open, lang) }, { locale: lang }) : null;
}

type CountMessage = (inputs: { count: string }, options: { locale: Lang }) => string;

/** A count in words: the `one` message for 1 (English says "1 change", not "1 changes"). */
function counted(n: number, lang: Lang, one: CountMessage, many: CountMessage): string {
	const o = { locale: lang };
	const count = formatNumber(n, lang);
	return n === 1 ? one({ count }, o) : many({ count }, o);
}

/**
 * "N thay đổi bị máy chủ từ chối" (this PC's changes the server refused, not yet marked seen;
 * their reasons are on the sync page), or null when there is none.
 */
export function refusedText(refused: number, lang: Lang): string | null {
	return refused > 0 ? counted(refused, lang, m.sync_refused_one, m.sync_refused) : null;
}

/**
 * "Cần cập nhật BVTE: N thay đổi từ phiên bản mới hơn đang chờ" (changes received from a newer
 * BVTE, kept aside until this PC is updated), or null when there is none.
 */
export function updateText(newerFormat: number, lang: Lang): string | null {
	return newerFormat > 0 ? counted(newerFormat, lang, m.sync_update_one, m.sync_update) : null;
}

/** The same as `updateText`, longer for the sync page: what to do, and that nothing is lost. */
export function updateNotice(newerFormat: number, lang: Lang): string | null {
	const what = updateText(newerFormat, lang);
	return what === null ? null : m.sync_update_notice({ what }, { locale: lang });
}

export type SyncErrorInfo = {
	/** The problem's code (`server_unreachable`, `revoked`, …); empty for a stored error only. */
	code: string;
	/** "Lỗi đồng bộ: <message> · thử lại sau N giây". */
	text: string;
};

/** Whether the time `a` is later than `b` (a missing `b` counts as earlier). */
function later(a: string | null, b: string | null): boolean {
	if (!b) return true;
	if (!a) return true; // Rust only keeps an error that came after the last success
	return instantMs(a) > instantMs(b);
}

/**
 * The error to show: the last run's problem (in the current language), else the stored last
 * error when it is newer than the last success. The retry delay is added unless a run is going.
 */
export function syncError(state: SyncState, lang: Lang): SyncErrorInfo | null {
	const { overview, activity } = state;
	const o = { locale: lang };
	let code: string;
	let message: string;
	if (activity.problem) {
		code = activity.problem.code;
		message =
			lang === 'en' && activity.problem.message_en
				? activity.problem.message_en
				: activity.problem.message;
	} else if (overview.last_error && later(overview.last_error_at, overview.last_success_at)) {
		code = '';
		message = overview.last_error;
	} else {
		return null;
	}
	let text: string = m.sync_error({ message }, o);
	if (!activity.running && activity.retry_in_seconds !== null) {
		const seconds = formatNumber(Math.max(0, activity.retry_in_seconds), lang);
		text += ` · ${m.sync_retry_in({ seconds }, o)}`;
	}
	return { code, text };
}

/**
 * "Đã gửi 3, đã nhận 5, 1 xung đột mới." — what one run did, then, only when they happened: that
 * the commune was read again from the start, changes the server refused, changes received and
 * kept aside, and own changes got back from the server (this database was an older copy).
 */
export function reportText(r: SyncReport, lang: Lang): string {
	const o = { locale: lang };
	const n = (v: number) => formatNumber(v, lang);
	const parts: string[] = [
		r.conflicts > 0
			? m.sync_result_conflicts({ pushed: n(r.pushed), pulled: n(r.pulled), conflicts: n(r.conflicts) }, o)
			: m.sync_result({ pushed: n(r.pushed), pulled: n(r.pulled) }, o)
	];
	if (r.reread) parts.push(m.sync_result_reread({}, o));
	if (r.refused > 0) parts.push(counted(r.refused, lang, m.sync_result_refused_one, m.sync_result_refused));
	if (r.held > 0) parts.push(counted(r.held, lang, m.sync_result_held_one, m.sync_result_held));
	if (r.recovered > 0) {
		parts.push(counted(r.recovered, lang, m.sync_result_recovered_one, m.sync_result_recovered));
	}
	return parts.join(' ');
}

/**
 * The confirmation once this PC is enrolled; when the server gave it a new identity (its old one
 * was known there and not proven by its token), one more sentence says its unsent work is sent.
 */
export function enrolledText(e: Enrolled, lang: Lang): string {
	const o = { locale: lang };
	const done = m.enroll_done({}, o);
	return e.new_device_id ? `${done} ${m.enroll_new_device_id({}, o)}` : done;
}

/** Everything the status bar shows, each part null when it has nothing to say. */
export type StatusLine = {
	enrolled: boolean;
	running: boolean;
	/** Not connected / syncing with progress / last success. */
	sync: string;
	/** What is still to send (only when connected and not running). */
	pending: string | null;
	progress: { value: number; max: number } | null;
	error: SyncErrorInfo | null;
	conflicts: string | null;
	/** Changes the server refused (a link to the sync page, where the reasons are). */
	refused: string | null;
	/** Changes from a newer BVTE waiting: update BVTE. */
	update: string | null;
	clock: string | null;
	/** "Máy chủ" and the name of the area the server serves, once it said it. */
	server: string | null;
};

/** The status bar's parts for a `sync_state` answer. */
export function statusLine(state: SyncState, lang: Lang): StatusLine {
	const { overview, activity } = state;
	if (!overview.enrolled) {
		return {
			enrolled: false,
			running: false,
			sync: m.sync_not_enrolled({}, { locale: lang }),
			pending: null,
			progress: null,
			error: null,
			conflicts: null,
			refused: null,
			update: null,
			clock: null,
			server: null
		};
	}
	const running = activity.running;
	return {
		enrolled: true,
		running,
		sync: running ? runningText(activity.progress, lang) : lastSyncText(overview.last_success_at, lang),
		pending: running ? null : pendingText(overview.pending, lang),
		progress: running ? progressBar(activity.progress) : null,
		error: syncError(state, lang),
		conflicts: conflictsText(overview.open_conflicts, lang),
		refused: refusedText(overview.refused, lang),
		update: updateText(overview.newer_format, lang),
		clock: clockWarning(overview.clock_drift, lang),
		server: overview.area_name ? m.sync_bar_server({ area: overview.area_name }, { locale: lang }) : null
	};
}
