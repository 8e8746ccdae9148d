// What the sync page says about one change the server refused (issue 10): the server's own reason
// in the officer's language, and where the record is. Pure: the language comes in as an argument.
// Why a change is refused and what to do is the server's wording (Refusal.message / message_en),
// never rebuilt here.

import type { Refusal } from '$lib/api/contract';
import type { Lang } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages';

/** The server's reason in `lang` (English falls back to Vietnamese when the server sent none). */
export function refusalMessage(r: Refusal, lang: Lang): string {
	return lang === 'en' && r.message_en ? r.message_en : r.message;
}

/** A link to the refused change's record, or null when there is nothing to open. */
export type RefusalLink = { href: string; label: string };

/**
 * The child's profile or the case the refused change is about. None for a case step (its id is
 * the step's, not the case's) nor when this PC no longer has the change (`entity` empty).
 */
export function refusalLink(r: Refusal, lang: Lang): RefusalLink | null {
	const o = { locale: lang };
	if (r.entity_id === '') return null;
	const id = encodeURIComponent(r.entity_id);
	if (r.entity === 'child') return { href: `/children/${id}`, label: m.refusal_open_child({}, o) };
	if (r.entity === 'case') return { href: `/cases/${id}`, label: m.refusal_open_case({}, o) };
	return null;
}
