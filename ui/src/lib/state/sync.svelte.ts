// Where sync with the server stands, as the status bar and the sync page show it: the
// latest `sync_state` answer of the app-wide poller, kept while the session is unlocked.

import { syncWatch, toUiError, type UiError } from '$lib/api';
import type { SyncState } from '$lib/api/contract';

export const syncView = $state<{ state: SyncState | null; failure: UiError | null }>({
	state: null,
	failure: null
});

/** Starts polling `sync_state` into `syncView`; returns the function that stops it and forgets. */
export function watchSync(): () => void {
	const off = syncWatch.subscribe(() => {
		syncView.state = syncWatch.current;
		syncView.failure = syncWatch.failure === null ? null : toUiError(syncWatch.failure);
	});
	syncWatch.start();
	return () => {
		off();
		syncWatch.stop();
		syncView.state = null;
		syncView.failure = null;
	};
}

/** Calls `fn` after every successful sync run (the last success time moved), e.g. to reload a
 *  record whose "on the server" mark may have turned; returns the unsubscribe. */
export function onSyncSuccess(fn: () => void): () => void {
	let last: string | null | undefined = syncWatch.current?.overview.last_success_at;
	return syncWatch.subscribe(() => {
		const now = syncWatch.current?.overview.last_success_at;
		if (now !== last) {
			const first = last === undefined;
			last = now;
			if (!first) fn();
		}
	});
}
