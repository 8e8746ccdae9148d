// Issue 16 item 13: the lock screen says why it locked (the idle time-out or the officer's
// "Khóa"), and the passphrase can be shown while typing it.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '$lib/api/contract';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import { markLocked, session, setStatus } from '$lib/state/session.svelte';
import AppHeader from './AppHeader.svelte';
import UnlockForm from './UnlockForm.svelte';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

afterEach(() => {
	clearMocks();
	session.status = null;
	if (i18n.locale !== 'vi') switchLocale('vi');
});

const status = (state: string, over: Partial<AppStatus> = {}): AppStatus => ({
	state,
	commune: null,
	officer_name: state === 'unlocked' ? 'Lê Thị Hoa' : null,
	failed_attempts: 0,
	retry_after_seconds: null,
	idle_lock_minutes: 10,
	version: '0.1.0',
	...over
});

describe('why the app is locked', () => {
	it('after the idle time: says it locked itself and after how long', () => {
		setStatus(status('unlocked'));
		markLocked(); // what the shell does on the idle lock or a `locked` answer from Rust
		render(UnlockForm);
		const reason = screen.getByTestId('unlock-reason');
		expect(reason.dataset.reason).toBe('idle');
		expect(reason.textContent).toBe('BVTE đã tự khóa vì không có thao tác trong 10 phút.');
	});

	it('after the officer pressed "Khóa": says so', async () => {
		setStatus(status('unlocked'));
		mockIPC((cmd) => {
			if (cmd === 'lock') return status('locked', { idle_lock_minutes: 10 });
			throw `unexpected ${cmd}`;
		});
		render(AppHeader);
		await fireEvent.click(screen.getByTestId('nav-lock'));
		await waitFor(() => expect(session.status?.state).toBe('locked'));
		render(UnlockForm);
		const reason = screen.getByTestId('unlock-reason');
		expect(reason.dataset.reason).toBe('officer');
		expect(reason.textContent).toBe('Bạn đã khóa BVTE bằng nút «Khóa».');
	});

	it('when the app was just opened: no reason to give', () => {
		setStatus(status('locked'));
		render(UnlockForm);
		expect(screen.queryByTestId('unlock-reason')).toBeNull();
	});

	it('in English, "1 minute" and "1 second"', () => {
		switchLocale('en');
		setStatus(status('unlocked', { idle_lock_minutes: 1 }));
		markLocked();
		session.status = { ...session.status!, retry_after_seconds: 1 };
		render(UnlockForm);
		expect(screen.getByTestId('unlock-reason').textContent).toBe('BVTE locked itself after 1 minute without activity.');
		expect(screen.getByTestId('unlock-wait').textContent?.trim()).toBe('Please wait 1 second before trying again.');
	});
});

describe('showing the passphrase', () => {
	it('a button shows and hides what was typed, and says which it does', async () => {
		setStatus(status('locked'));
		render(UnlockForm);
		const input = screen.getByTestId('unlock-pass') as HTMLInputElement;
		await fireEvent.input(input, { target: { value: 'một câu mật khẩu dài' } });
		const toggle = screen.getByTestId('unlock-pass-toggle');
		expect(toggle.tagName).toBe('BUTTON');
		expect(toggle.getAttribute('type')).toBe('button'); // never submits
		expect(toggle.getAttribute('aria-controls')).toBe('unlock-pass');
		// Its words say what it will do (no aria-pressed on top, which would say it twice).
		expect(toggle.hasAttribute('aria-pressed')).toBe(false);
		expect(toggle.textContent?.trim()).toBe('Hiện mật khẩu');
		expect(input.type).toBe('password');

		await fireEvent.click(toggle);
		expect(input.type).toBe('text');
		expect(input.value).toBe('một câu mật khẩu dài');
		expect(toggle.textContent?.trim()).toBe('Ẩn mật khẩu');

		await fireEvent.click(toggle);
		expect(input.type).toBe('password');
	});
});
