// Issue 16 item 5: at the minimum window (1024×640) the menu labels wrapped ("Tổng / quan") and
// the top bar scrolled out of view after a "Bước tiếp theo" link. jsdom cannot measure: these
// check the styles that decide it (app.css and the header's own CSS are loaded: vite.config.ts
// `test.css`); the e2e measures the real window at both sizes.
import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../app.css';
import { session } from '$lib/state/session.svelte';
import AppHeader from './AppHeader.svelte';

afterEach(() => {
	session.status = null;
	document.body.innerHTML = '';
});

/** The element whose box an absolutely positioned `el` is placed (and overflows) in. */
function containingBlock(el: Element): Element | null {
	for (let p = el.parentElement; p; p = p.parentElement) {
		if (getComputedStyle(p).position !== 'static') return p;
	}
	return null; // the initial containing block: the window itself
}

describe('the app shell at the minimum window size', () => {
	it('keeps every menu label on one line and lets the commune and officer names give way', () => {
		session.status = {
			state: 'unlocked',
			commune: { code: '09955', name: 'Xã Thạch Thất', division_type: 'xa', province_code: '01', province_name: 'Thành phố Hà Nội' },
			officer_name: 'Nguyễn Thị Bích Ngọc',
			failed_attempts: 0,
			retry_after_seconds: null,
			idle_lock_minutes: 10,
			version: '0.1.0'
		};
		render(AppHeader);
		for (const id of ['nav-overview', 'nav-children', 'nav-cases', 'nav-sync', 'nav-settings']) {
			const link = screen.getByTestId(id);
			expect(getComputedStyle(link).whiteSpace, `${link.textContent} on one line`).toBe('nowrap');
			expect(getComputedStyle(link).flexShrink, `${link.textContent} never squeezed`).toBe('0');
		}
		// The names shrink (with an ellipsis, full text in the tooltip) instead of the menu.
		const commune = screen.getByTestId('nav-commune');
		expect(getComputedStyle(commune.parentElement!).minWidth).toMatch(/^0(px)?$/);
		expect(getComputedStyle(commune.parentElement!).flexShrink).toBe('1');
		expect(commune.getAttribute('title')).toContain('Xã Thạch Thất');
		expect(screen.getByTestId('nav-officer').getAttribute('title')).toBe('Nguyễn Thị Bích Ngọc');
	});

	it('keeps what is drawn outside the page (screen-reader-only text) inside the scrolling page, so the window never scrolls', () => {
		// The structure of +layout.svelte: the top bar, then the page in `main.main`, which scrolls.
		document.body.innerHTML = `<div class="shell"><header class="app-header"></header>
			<main class="main"><div class="page"><table><th><span class="visually-hidden">Xóa</span></th></table></div></main></div>`;
		const hidden = document.querySelector('.visually-hidden')!;
		const main = document.querySelector('main.main')!;
		expect(getComputedStyle(hidden).position).toBe('absolute');
		// Placed against the window, it made the window taller than itself: scrollIntoView then
		// scrolled the window and the top bar went out of view.
		const block = containingBlock(hidden);
		expect(block !== null && (block === main || main.contains(block))).toBe(true);
		// And nothing else may make the shell itself scroll.
		expect(getComputedStyle(document.querySelector('.shell')!).overflow).toBe('clip');
	});
});
