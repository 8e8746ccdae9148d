// Issue 16 item 11 on the children list: "1 child" in English, not "1 children".
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChildQuery, ChildRow } from '$lib/api/contract';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import ChildrenBrowser from './ChildrenBrowser.svelte';

// The list keeps its filters in the URL; no router runs here.
vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

beforeAll(() => {
	// jsdom has no ResizeObserver (bind:clientHeight of the list).
	globalThis.ResizeObserver ??= class {
		observe() {}
		unobserve() {}
		disconnect() {}
	} as unknown as typeof ResizeObserver;
});

afterEach(() => {
	clearMocks();
	if (i18n.locale !== 'vi') switchLocale('vi');
});

const row = (i: number): ChildRow => ({
	id: `c${i}`,
	full_name: `Trẻ số ${i + 1}`,
	date_of_birth: '05/09/2015',
	age: 10,
	sex: 'female',
	residence_status: 'thuong_tru',
	village: 'Thôn Đồng Cam',
	groups: [],
	at_risk: false,
	disabled: false
});

/** A register of `total` children. */
function register(total: number) {
	mockIPC((cmd, args) => {
		if (cmd === 'villages') return [];
		if (cmd === 'feed_position') return 0;
		if (cmd === 'list_children') {
			const q = (args as { query: ChildQuery }).query;
			const n = q.text === 'zzz' ? 0 : total;
			const rows = [];
			for (let i = q.offset; i < Math.min(n, q.offset + q.limit); i++) rows.push(row(i));
			return { total: n, rows };
		}
		throw `unexpected ${cmd}`;
	});
	render(ChildrenBrowser);
}

const ready = () => waitFor(() => expect(screen.getByTestId('page-children').dataset.ready).toBe('true'));

describe('the count in English', () => {
	it(`says "1 child", not "1 children"`, async () => {
		switchLocale('en');
		register(1);
		await ready();
		expect(screen.getByTestId('children-total').textContent?.trim()).toBe('1 child');
	});
});
