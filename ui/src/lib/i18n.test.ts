import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { errorText, i18n, pickText, switchLocale } from './i18n.svelte';

describe('language switch', () => {
	it('starts in Vietnamese and switches to English without a reload, remembering it', () => {
		expect(i18n.locale).toBe('vi');
		expect(m.nav_children()).toBe('Trẻ em');
		expect(m.children_total({ count: '10.000' })).toBe('10.000 trẻ em');

		switchLocale('en');
		expect(i18n.locale).toBe('en');
		expect(m.nav_children()).toBe('Children');
		expect(localStorage.getItem('PARAGLIDE_LOCALE')).toBe('en');
		expect(document.documentElement.lang).toBe('en');

		switchLocale('vi');
		expect(m.nav_children()).toBe('Trẻ em');
		expect(localStorage.getItem('PARAGLIDE_LOCALE')).toBe('vi');
	});

	it('picks Rust labels and error messages in the current language', () => {
		const err = { message: 'Mật khẩu không đúng.', message_en: 'Wrong passphrase.' };
		expect(errorText(err)).toBe('Mật khẩu không đúng.');
		switchLocale('en');
		expect(errorText(err)).toBe('Wrong passphrase.');
		expect(pickText('Thường trú', '')).toBe('Thường trú'); // no English: fall back
		switchLocale('vi');
	});
});
