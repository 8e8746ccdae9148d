import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActivityTracker } from './activity';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(idleMinutes = 15) {
	const touch = vi.fn(async () => null);
	const lock = vi.fn(async () => null);
	const onIdleLocked = vi.fn();
	const target = new EventTarget();
	const t = createActivityTracker({ touch, lock, onIdleLocked, idleMinutes, target });
	return { t, touch, lock, onIdleLocked, target };
}

describe('activity tracking', () => {
	it('sends touch at most once per 30 s however busy the officer is', async () => {
		const { t, touch, target } = setup();
		t.start();
		for (let s = 0; s < 95; s++) {
			target.dispatchEvent(new Event('keydown'));
			await vi.advanceTimersByTimeAsync(1000);
		}
		// activity at t = 30 s, 60 s and 90 s crosses the 30-second mark
		expect(touch).toHaveBeenCalledTimes(3);
		t.stop();
	});

	it('locks after the idle minutes without a key or mouse event, then calls back', async () => {
		const { t, lock, onIdleLocked, target } = setup(2);
		t.start();
		await vi.advanceTimersByTimeAsync(90_000);
		target.dispatchEvent(new Event('mousemove'));
		await vi.advanceTimersByTimeAsync(90_000);
		expect(lock).not.toHaveBeenCalled(); // the mouse moved 90 s ago
		await vi.advanceTimersByTimeAsync(31_000);
		expect(lock).toHaveBeenCalledTimes(1);
		expect(onIdleLocked).toHaveBeenCalledTimes(1);
		expect(t.running).toBe(false);
	});

	it('still goes to the unlock screen when the lock command itself fails', async () => {
		const onIdleLocked = vi.fn();
		const t = createActivityTracker({
			touch: async () => null,
			lock: async () => {
				throw new Error('locked already');
			},
			onIdleLocked,
			idleMinutes: 1,
			target: null
		});
		t.start();
		await vi.advanceTimersByTimeAsync(61_000);
		expect(onIdleLocked).toHaveBeenCalledTimes(1);
	});

	it('does not lock when the idle lock is off (0 minutes), and follows a new setting', async () => {
		const { t, lock } = setup(0);
		t.start();
		await vi.advanceTimersByTimeAsync(60 * 60_000);
		expect(lock).not.toHaveBeenCalled();
		t.setIdleMinutes(1);
		await vi.advanceTimersByTimeAsync(1000);
		expect(lock).toHaveBeenCalledTimes(1);
	});

	// Issue 10 item 8: idle time is measured on a clock that only moves forward. A PC clock
	// corrected backwards must not keep the session open, nor one set forward lock it early.
	it('locks on time when the PC clock is set back a year meanwhile', async () => {
		const { t, lock } = setup(2);
		t.start();
		await vi.advanceTimersByTimeAsync(30_000);
		vi.setSystemTime(Date.now() - 365 * 24 * 3600_000);
		await vi.advanceTimersByTimeAsync(91_000);
		expect(lock).toHaveBeenCalledTimes(1);
	});

	it('does not lock early when the PC clock jumps a year ahead', async () => {
		const { t, lock } = setup(2);
		t.start();
		vi.setSystemTime(Date.now() + 365 * 24 * 3600_000);
		await vi.advanceTimersByTimeAsync(2_000);
		expect(lock).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(120_000);
		expect(lock).toHaveBeenCalledTimes(1);
	});

	it('ignores events once stopped', async () => {
		const { t, touch, target } = setup();
		t.start();
		t.stop();
		await vi.advanceTimersByTimeAsync(60_000);
		target.dispatchEvent(new Event('keydown'));
		expect(touch).not.toHaveBeenCalled();
	});
});
