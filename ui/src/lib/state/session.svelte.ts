// Where the app stands: set-up, locked or unlocked (from `app_status`), and the officer's
// settings once unlocked. Read by the shell (route guard, header) and the settings page.

import type { AppStatus, Settings } from '$lib/api/contract';

export const session = $state<{ status: AppStatus | null; settings: Settings | null }>({
	status: null,
	settings: null
});

/** Records a new status (after app_status, unlock, recover, lock, setup). */
export function setStatus(status: AppStatus): void {
	session.status = status;
}

/** Marks the session locked locally (a `locked` answer or the idle lock). */
export function markLocked(): void {
	if (session.status) session.status = { ...session.status, state: 'locked' };
}
