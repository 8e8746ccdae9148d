import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFeedPoller } from './feed';
import { feedPosition, poll, feed } from './index';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
	feed.stop();
	clearMocks();
	vi.useRealTimers();
});

describe('feed poller', () => {
	it('asks feed_position every 2 s and notifies only when it moved (e.g. the CLI wrote)', async () => {
		let position = 7;
		let reads = 0;
		mockIPC((cmd) => {
			if (cmd !== 'feed_position') throw 'unexpected';
			reads++;
			return position;
		});
		const seen: number[] = [];
		const p = poll();
		p.subscribe((n) => seen.push(n));

		await vi.advanceTimersByTimeAsync(0);
		expect(reads).toBe(1); // the first read only records where the feed stands
		await vi.advanceTimersByTimeAsync(2000);
		expect(reads).toBe(2);
		expect(seen).toEqual([]);

		position = 9;
		await vi.advanceTimersByTimeAsync(2000);
		expect(seen).toEqual([9]);
		await vi.advanceTimersByTimeAsync(4000);
		expect(seen).toEqual([9]); // unchanged: no more notifications
	});

	it('keeps polling after a failed read and stops cleanly', async () => {
		let fail = true;
		mockIPC(() => {
			if (fail) throw 'database busy';
			return 1;
		});
		const p = createFeedPoller({ read: feedPosition, intervalMs: 2000 });
		const fn = vi.fn();
		const off = p.subscribe(fn);
		p.start();
		await vi.advanceTimersByTimeAsync(0);
		expect(p.position).toBeNull();
		fail = false;
		await vi.advanceTimersByTimeAsync(2000);
		expect(p.position).toBe(1);

		p.stop();
		expect(p.running).toBe(false);
		const read = vi.fn(async () => 5);
		mockIPC(read);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).not.toHaveBeenCalled();
		off();
	});

	it('unsubscribed views are no longer told', async () => {
		let n = 0;
		const p = createFeedPoller({ read: async () => n, intervalMs: 1000 });
		const fn = vi.fn();
		const off = p.subscribe(fn);
		await p.check();
		n = 1;
		await p.check();
		off();
		n = 2;
		await p.check();
		expect(fn.mock.calls).toEqual([[1]]);
	});
});
