import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStatePoller } from './state-poller';
import { syncWatch } from './index';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
	syncWatch.stop();
	clearMocks();
	vi.useRealTimers();
});

/** A sync_state answer with only what the poller looks at. */
const answer = (running: boolean) => ({
	overview: { enrolled: true, pending: 0, open_conflicts: 0 },
	activity: { running, progress: null, problem: null, last_report: null, retry_in_seconds: null }
});

describe('sync_state poller', () => {
	it('asks every 2 s, every 500 ms while a run is going, and back to 2 s after', async () => {
		let running = false;
		let reads = 0;
		mockIPC((cmd) => {
			if (cmd !== 'sync_state') throw `unexpected ${cmd}`;
			reads++;
			return answer(running);
		});
		syncWatch.start();
		await vi.advanceTimersByTimeAsync(0);
		expect(reads).toBe(1);
		await vi.advanceTimersByTimeAsync(1999);
		expect(reads).toBe(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(reads).toBe(2);

		running = true;
		await vi.advanceTimersByTimeAsync(2000); // this read sees the run
		expect(reads).toBe(3);
		await vi.advanceTimersByTimeAsync(1500);
		expect(reads).toBe(6);

		running = false;
		await vi.advanceTimersByTimeAsync(500); // sees the run has ended
		expect(reads).toBe(7);
		await vi.advanceTimersByTimeAsync(1999);
		expect(reads).toBe(7);
		await vi.advanceTimersByTimeAsync(1);
		expect(reads).toBe(8);
	});

	it('never has two reads at once, however slow an answer is', async () => {
		let inFlight = 0;
		let most = 0;
		let reads = 0;
		const p = createStatePoller({
			read: async () => {
				reads++;
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise((r) => setTimeout(r, 5000)); // slower than the interval
				inFlight--;
				return reads;
			},
			delayMs: () => 500
		});
		p.start();
		void p.refresh();
		void p.refresh();
		await vi.advanceTimersByTimeAsync(20_000);
		p.stop();
		expect(most).toBe(1);
		expect(reads).toBeGreaterThan(2);
	});

	it('answers a refresh with a read started after it, not the one already on its way', async () => {
		let value = 'old';
		const p = createStatePoller({
			read: async () => {
				const seen = value; // what the server had when the read started
				await new Promise((r) => setTimeout(r, 100));
				return seen;
			},
			delayMs: () => 2000
		});
		p.start();
		await vi.advanceTimersByTimeAsync(50);
		value = 'new'; // e.g. enroll finished during the first read
		const done = p.refresh();
		await vi.advanceTimersByTimeAsync(300);
		await done;
		expect(p.current).toBe('new');
		p.stop();
	});

	it('keeps the last good answer on a failure, reports it, and stops cleanly', async () => {
		let fail = false;
		const read = vi.fn(async () => {
			if (fail) throw new Error('database busy');
			return 'ok';
		});
		const p = createStatePoller({ read, delayMs: () => 2000 });
		const told = vi.fn();
		p.subscribe(told);
		p.start();
		await vi.advanceTimersByTimeAsync(0);
		fail = true;
		await vi.advanceTimersByTimeAsync(2000);
		expect(p.current).toBe('ok');
		expect(p.failure).toBeInstanceOf(Error);
		expect(told).toHaveBeenCalledTimes(2);

		p.stop();
		read.mockClear();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).not.toHaveBeenCalled();
	});
});
