// Where the app stands: set-up, locked or unlocked (from `app_status`), and the officer's
// settings once unlocked. Read by the shell (route guard, header) and the settings page.

import type { Action, AppStatus, Settings } from '$lib/api/contract';

/**
 * Why the session was locked while the app was open, for the lock screen: `idle` (the idle time
 * ran out, on this side or in Rust, which then answers `locked`) or `officer` ("Khóa"). Null
 * when the app started locked or is unlocked.
 */
export type LockReason = 'idle' | 'officer';

export const session = $state<{ status: AppStatus | null; settings: Settings | null; lockReason: LockReason | null }>({
	status: null,
	settings: null,
	lockReason: null
});

/** Records a new status (after app_status, unlock, recover, lock, setup); `reason` when it is a lock. */
export function setStatus(status: AppStatus, reason: LockReason | null = null): void {
	session.lockReason = status.state === 'locked' ? (reason ?? (session.status?.state === 'locked' ? session.lockReason : null)) : null;
	session.status = status;
}

/** Marks the session locked locally (a `locked` answer or the idle lock: the only ways Rust locks by itself). */
export function markLocked(reason: LockReason = 'idle'): void {
	if (!session.status) return;
	if (session.status.state === 'unlocked') session.lockReason = reason;
	session.status = { ...session.status, state: 'locked' };
}

/**
 * Whether the account signed in may do `action` (issue 14), to hide what it may not: Rust
 * refuses it anyway. A status without the list (before accounts) allows everything.
 */
export function may(action: Action): boolean {
	const allowed = session.status?.allowed;
	return allowed === undefined || allowed.includes(action);
}
