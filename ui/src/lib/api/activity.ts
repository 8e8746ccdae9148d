// User activity: tells Rust the officer is still there (`touch`, at most once per 30 s) and locks
// the session on the client after `idleMinutes` without a key or mouse event (then Rust's own
// idle timer would lock it anyway; this makes the screen follow at once). `idleMinutes <= 0`
// turns the client-side lock off.
//
// Idle time is measured with `performance.now()`, a clock that only moves forward: the PC's wall
// clock (`Date.now()`) may be corrected by a year, which kept the session open forever or locked
// it at once (issue 10 item 8).

export type ActivityTracker = {
	start(): void;
	stop(): void;
	/** Records an activity now (what the DOM listeners call). */
	activity(): void;
	setIdleMinutes(minutes: number): void;
	readonly running: boolean;
};

export type ActivityOptions = {
	touch: () => Promise<unknown>;
	lock: () => Promise<unknown>;
	/** Called after the idle lock (navigate to the unlock screen). */
	onIdleLocked: () => void;
	idleMinutes: number;
	touchEveryMs?: number;
	checkEveryMs?: number;
	now?: () => number;
	/** Where to listen for key and mouse events; none in tests that call `activity()` directly. */
	target?: EventTarget | null;
};

const EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;

export function createActivityTracker(opts: ActivityOptions): ActivityTracker {
	const now = opts.now ?? (() => performance.now());
	const touchEveryMs = opts.touchEveryMs ?? 30_000;
	const checkEveryMs = opts.checkEveryMs ?? 1_000;
	const target = opts.target === undefined ? globalThis.window ?? null : opts.target;
	let idleMs = opts.idleMinutes * 60_000;
	let lastActivity = now();
	let lastTouch = now();
	let interval: ReturnType<typeof setInterval> | null = null;
	let running = false;

	const listener = () => tracker.activity();

	function checkIdle() {
		if (!running || idleMs <= 0) return;
		if (now() - lastActivity >= idleMs) {
			tracker.stop();
			opts
				.lock()
				.catch(() => undefined)
				.finally(() => opts.onIdleLocked());
		}
	}

	const tracker: ActivityTracker = {
		start() {
			if (running) return;
			running = true;
			lastActivity = now();
			lastTouch = now();
			for (const e of EVENTS) target?.addEventListener(e, listener, { passive: true });
			interval = setInterval(checkIdle, checkEveryMs);
		},
		stop() {
			running = false;
			for (const e of EVENTS) target?.removeEventListener(e, listener);
			if (interval !== null) clearInterval(interval);
			interval = null;
		},
		activity() {
			if (!running) return;
			const t = now();
			lastActivity = t;
			if (t - lastTouch >= touchEveryMs) {
				lastTouch = t;
				opts.touch().catch(() => undefined);
			}
		},
		setIdleMinutes(minutes: number) {
			idleMs = minutes * 60_000;
		},
		get running() {
			return running;
		}
	};
	return tracker;
}
