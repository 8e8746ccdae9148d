// The current language, Vietnamese first. Paraglide keeps it in localStorage (PARAGLIDE_LOCALE);
// switching does not reload: the app shell re-renders under `{#key i18n.locale}` because message
// functions are plain functions, not reactive.

import { getLocale, setLocale } from '$lib/paraglide/runtime';

export type Lang = 'vi' | 'en';

export const i18n = $state<{ locale: Lang }>({ locale: getLocale() as Lang });

// The static shell says lang="vi"; correct it at start when English was chosen earlier.
if (typeof document !== 'undefined') document.documentElement.lang = i18n.locale;

/** Switches the language at once and remembers it (localStorage). */
export function switchLocale(lang: Lang): void {
	if (lang === i18n.locale) return;
	setLocale(lang, { reload: false });
	if (typeof document !== 'undefined') document.documentElement.lang = lang;
	i18n.locale = lang;
}

/** The Vietnamese or English text of a pair, for the current language (English falls back to Vietnamese). */
export function pickText(vi: string, en: string | null | undefined): string {
	return i18n.locale === 'en' && en ? en : vi;
}

/** The message of a Rust error (UiError or FieldError) in the current language. */
export function errorText(e: { message: string; message_en: string }): string {
	return pickText(e.message, e.message_en);
}
