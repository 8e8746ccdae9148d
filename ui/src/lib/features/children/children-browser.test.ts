// Issue 16 items 11, 12 and 14 on the children list: "1 child" in English; an empty register says
// so and how to fill it (not "no child matches the search"); the arrow keys lead from the search
// box into the results and between them.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChildQuery, ChildRow } from '$lib/api/contract';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import { syncView } from '$lib/state/sync.svelte';
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
	syncView.state = null;
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

/** A register of `total` children; a search for "zzz" finds none. */
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

describe('an empty register', () => {
	it('says the register is empty and how to add a child or receive the register, not that nothing matches', async () => {
		register(0);
		await ready();
		expect(screen.queryByTestId('children-empty')).toBeNull();
		const empty = screen.getByTestId('children-register-empty');
		expect(empty.textContent).toContain('Sổ chưa có trẻ em nào');
		expect(empty.textContent).not.toContain('khớp');
		expect(screen.getByTestId('children-register-empty-add').getAttribute('href')).toBe('/children/new');
		expect(screen.getByTestId('children-register-empty-sync').getAttribute('href')).toBe('/sync');
	});

	it('on a PC connected to the server, says the register comes with the next sync', async () => {
		syncView.state = { overview: { enrolled: true } } as unknown as typeof syncView.state;
		register(0);
		await ready();
		expect(screen.getByTestId('children-register-empty').textContent).toContain('sau lần đồng bộ tới');
		expect(screen.getByTestId('children-register-empty-sync').textContent).toBe('Đồng bộ ngay');
	});

	it('still says nothing matches when a search finds no child in a register that has some', async () => {
		register(3);
		await ready();
		await fireEvent.input(screen.getByTestId('children-search'), { target: { value: 'zzz' } });
		await waitFor(() => expect(screen.getByTestId('children-total').dataset.total).toBe('0'));
		await ready();
		expect(screen.getByTestId('children-empty').textContent).toContain('khớp');
		expect(screen.queryByTestId('children-register-empty')).toBeNull();
	});
});

describe('the count in English', () => {
	it(`says "1 child", not "1 children"`, async () => {
		switchLocale('en');
		register(1);
		await ready();
		expect(screen.getByTestId('children-total').textContent?.trim()).toBe('1 child');
	});
});

describe('the keyboard from the search box', () => {
	const focusedIndex = () => (document.activeElement as HTMLElement | null)?.dataset.index;

	it('Down enters the results, Up/Down move between them, Up from the first returns to the search', async () => {
		register(250);
		await ready();
		const search = screen.getByTestId('children-search');
		search.focus();
		await fireEvent.keyDown(search, { key: 'ArrowDown' });
		await waitFor(() => expect(focusedIndex()).toBe('0'));
		// A result is a link to the profile: Enter opens it.
		expect(document.activeElement?.getAttribute('href')).toBe('/children/c0');

		await fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
		await waitFor(() => expect(focusedIndex()).toBe('1'));
		await fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
		await waitFor(() => expect(focusedIndex()).toBe('0'));
		await fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
		await waitFor(() => expect(document.activeElement).toBe(search));
	});

	it('goes past the rows drawn so far (the list is virtual) and stops at the last child', async () => {
		register(14);
		await ready();
		const search = screen.getByTestId('children-search');
		search.focus();
		await fireEvent.keyDown(search, { key: 'ArrowDown' });
		for (let i = 1; i <= 20; i++) {
			await fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
			await waitFor(() => expect(focusedIndex()).toBe(String(Math.min(i, 13))));
		}
		await fireEvent.keyDown(document.activeElement!, { key: 'Home' });
		await waitFor(() => expect(focusedIndex()).toBe('0'));
		await fireEvent.keyDown(document.activeElement!, { key: 'End' });
		await waitFor(() => expect(focusedIndex()).toBe('13'));
	});
});
