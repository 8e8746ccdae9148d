// Where a change or an audit entry came from (`ui`, `cli`, `sync`, `demo`, `import`), in words;
// an unknown origin shows as it is.

import { m } from '$lib/paraglide/messages';

/** The origin in the current language. */
export function originLabel(origin: string): string {
	const labels: Record<string, () => string> = {
		ui: m.origin_ui,
		cli: m.origin_cli,
		sync: m.origin_sync,
		demo: m.origin_demo,
		import: m.origin_import
	};
	return labels[origin]?.() ?? origin;
}
