// Polls a monotonically growing "feed position" and tells subscribers when it changes.
// One read at a time (the next is scheduled after the previous finishes), so a slow answer never
// piles up calls. Read failures are ignored: the next tick tries again (a `locked` answer is
// handled by the caller's `read`, which routes through the API's locked handler).

export type FeedPoller = {
	/** Starts polling; the first read only records the position. Idempotent. */
	start(): void;
	/** Stops polling; subscribers stay registered. */
	stop(): void;
	/** Reads once now (also used by tests); notifies when the position moved. */
	check(): Promise<void>;
	/** Calls `fn` with the new position whenever it changes; returns the unsubscribe. */
	subscribe(fn: (position: number) => void): () => void;
	/** Last position read, or null before the first read. */
	readonly position: number | null;
	readonly running: boolean;
};

export type FeedPollerOptions = {
	read: () => Promise<number>;
	intervalMs?: number;
};

export function createFeedPoller({ read, intervalMs = 2000 }: FeedPollerOptions): FeedPoller {
	const subscribers = new Set<(position: number) => void>();
	let position: number | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let generation = 0;
	let running = false;

	async function check(): Promise<void> {
		let next: number;
		try {
			next = await read();
		} catch {
			return;
		}
		const previous = position;
		position = next;
		if (previous !== null && next !== previous) {
			for (const fn of [...subscribers]) fn(next);
		}
	}

	function schedule(gen: number) {
		timer = setTimeout(async () => {
			await check();
			if (running && gen === generation) schedule(gen);
		}, intervalMs);
	}

	return {
		start() {
			if (running) return;
			running = true;
			const gen = ++generation;
			void check().then(() => {
				if (running && gen === generation) schedule(gen);
			});
		},
		stop() {
			running = false;
			generation++;
			if (timer !== null) clearTimeout(timer);
			timer = null;
		},
		check,
		subscribe(fn) {
			subscribers.add(fn);
			return () => {
				subscribers.delete(fn);
			};
		},
		get position() {
			return position;
		},
		get running() {
			return running;
		}
	};
}
