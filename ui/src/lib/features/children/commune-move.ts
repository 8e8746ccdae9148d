// A child whose commune of residence is not this installation's moves to that commune: at the next
// sync the server hands the record, with its cases and their steps, to the receiving
// commune, and this PC no longer receives the child's changes. Here is decided whether a code
// means such a move and how the target commune is named; the components only show the text.

import type { CommuneHit } from '$lib/api/contract';
import type { Lang } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages';

/** The commune a child moves to: its code, and its name when it is a current commune. */
export type MoveTarget = { code: string; name: string | null };

/** A commune code as Rust accepts it: five digits. */
const CODE = /^\d{5}$/;

/**
 * The commune a child with `code` (as typed or stored) moves to, or null when it stays: an empty
 * code is this installation's commune (`own`), as Rust reads it; an incomplete code (still being
 * typed, or mistyped: Rust will say so at the field) moves nowhere; without `own` (the status not
 * known yet) nothing is decided.
 */
export function moveCode(code: string, own: string | null | undefined): string | null {
	const c = code.trim();
	if (!own || c === '' || c === own || !CODE.test(c)) return null;
	return c;
}

/**
 * The name of the current commune `code` among `hits` (the answer of `search_communes` for the
 * code), with its province since many communes share a name: "Phường Ba Đình, Thành phố Hà Nội".
 * Null for an old code (a hit with a note leads to its successor, not to `code`) or an unknown one.
 */
export function communeName(code: string, hits: readonly CommuneHit[]): string | null {
	const hit = hits.find((h) => h.code === code && h.note === null);
	return hit ? `${hit.name}, ${hit.province_name}` : null;
}

/** The move of a child with `code`, named from `hits` (null: the child stays in `own`). */
export function moveTarget(
	code: string,
	own: string | null | undefined,
	hits: readonly CommuneHit[]
): MoveTarget | null {
	const target = moveCode(code, own);
	return target === null ? null : { code: target, name: communeName(target, hits) };
}

/** The target as a sentence names it: "Phường Ba Đình, Thành phố Hà Nội (00004)", else by its code. */
export function targetText(t: MoveTarget, lang?: Lang): string {
	const o = { locale: lang };
	return t.name === null
		? m.commune_move_code({ code: t.code }, o)
		: m.commune_move_named({ name: t.name, code: t.code }, o);
}

/**
 * What the officer reads: under the commune field while editing (`form`: the child will be
 * moved), or on the profile (`profile`: the child has moved). In the current language unless
 * `lang` is given.
 */
export function moveText(t: MoveTarget, where: 'form' | 'profile', lang?: Lang): string {
	const o = { locale: lang };
	const commune = targetText(t, lang);
	return where === 'form' ? m.child_move_notice({ commune }, o) : m.profile_moved({ commune }, o);
}
