// Keeps the latest answer of a status command (`sync_state`) fresh: reads it, waits as long as
// `delayMs(latest)` says (shorter while something is running), reads again. One read at a time:
// the next is scheduled only after the previous finished, and `refresh()` during a read waits
// for it and then reads once more (so its answer is never older than the call). A failed read
// keeps the last good answer and is reported in `failure`; the next tick tries again (a `locked`
// answer is handled by the caller's `read`, which routes through the API's locked handler).

export type StatePoller<T> = {
	/** Starts polling with a read now. Idempotent. */
	start(): void;
	/** Stops polling; the last answer and the subscribers stay. */
	stop(): void;
	/** Reads now (after the read in progress, if any); resolves once the answer is in. */
	refresh(): Promise<void>;
	/** Calls `fn` after every read, good or failed; returns the unsubscribe. */
	subscribe(fn: () => void): () => void;
	/** The last good answer, or null before the first. */
	readonly current: T | null;
	/** Why the last read failed, or null when it succeeded. */
	readonly failure: unknown;
	readonly running: boolean;
};

export type StatePollerOptions<T> = {
	read: () => Promise<T>;
	/** How long to wait after an answer (`latest` is null until the first good one). */
	delayMs: (latest: T | null) => number;
};

export function createStatePoller<T>({ read, delayMs }: StatePollerOptions<T>): StatePoller<T> {
	const subscribers = new Set<() => void>();
	let current: T | null = null;
	let failure: unknown = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let inFlight: Promise<void> | null = null;
	let queued: Promise<void> | null = null;
	let running = false;

	function clearTimer() {
		if (timer !== null) clearTimeout(timer);
		timer = null;
	}

	function schedule() {
		clearTimer();
		if (running) timer = setTimeout(() => void refresh(), delayMs(current));
	}

	async function readOnce(): Promise<void> {
		clearTimer();
		try {
			current = await read();
			failure = null;
		} catch (e) {
			failure = e;
		}
		inFlight = null;
		for (const fn of [...subscribers]) fn();
		schedule();
	}

	function refresh(): Promise<void> {
		if (!inFlight) {
			inFlight = readOnce();
			return inFlight;
		}
		queued ??= inFlight.then(() => {
			queued = null;
			return refresh();
		});
		return queued;
	}

	return {
		start() {
			if (running) return;
			running = true;
			void refresh();
		},
		stop() {
			running = false;
			clearTimer();
		},
		refresh,
		subscribe(fn) {
			subscribers.add(fn);
			return () => {
				subscribers.delete(fn);
			};
		},
		get current() {
			return current;
		},
		get failure() {
			return failure;
		},
		get running() {
			return running;
		}
	};
}
