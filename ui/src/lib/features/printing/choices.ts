// Which form the print screen shows first. Rust decides which forms apply; this only picks.

import type { FormChoice } from '$lib/api/contract';

/**
 * The form asked for in the URL when it can be printed, else the first one that can, else
 * none (a case always has Mẫu 01; an empty list stays empty).
 */
export function initialForm(choices: FormChoice[], wanted: string | null): string | null {
	const ok = choices.filter((c) => c.applicable);
	const norm = (s: string) => s.replace(/\D/g, '').padStart(2, '0');
	const asked = wanted ? ok.find((c) => c.form === norm(wanted)) : undefined;
	return (asked ?? ok[0])?.form ?? null;
}
