// A stand-in for SvelteKit's router in component tests (`vi.mock('$app/navigation')` and
// `vi.mock('$app/state')`): `beforeNavigate` callbacks run, and may cancel, as in the app; a
// navigation that goes through changes `page.url`. Test code only: nothing in the app imports it.

import { onMount } from 'svelte';

type NavType = 'link' | 'goto' | 'popstate';

/** What a `beforeNavigate` callback receives (the part the app reads). */
export type FakeNavigation = {
	type: NavType;
	from: { url: URL } | null;
	to: { url: URL } | null;
	delta?: number;
	willUnload: boolean;
	cancel: () => void;
};

const callbacks = new Set<(nav: FakeNavigation) => void>();

/** The current page, as `$app/state` exposes it. */
export const page = $state<{ url: URL; params: Record<string, string> }>({
	url: new URL('http://localhost/'),
	params: {}
});

/** Every navigation that went through, in order (path + search). */
export const visited: string[] = [];

/** Where the app is now and where it has been: starts a test at `path`. */
export function resetRouter(path = '/'): void {
	page.url = new URL(path, 'http://localhost');
	visited.length = 0;
}

export function beforeNavigate(callback: (nav: FakeNavigation) => void): void {
	onMount(() => {
		callbacks.add(callback);
		return () => {
			callbacks.delete(callback);
		};
	});
}

/** Runs the callbacks, then moves `page.url` unless one cancelled; answers whether it went. */
function navigate(type: NavType, href: string, delta?: number): boolean {
	let cancelled = false;
	const url = new URL(href, page.url);
	const nav: FakeNavigation = {
		type,
		from: { url: page.url },
		to: { url },
		delta,
		willUnload: false,
		cancel: () => {
			cancelled = true;
		}
	};
	for (const cb of [...callbacks]) cb(nav);
	if (cancelled) return false;
	page.url = url;
	visited.push(url.pathname + url.search);
	return true;
}

export async function goto(href: string | URL): Promise<void> {
	navigate('goto', String(href));
}

/** A click on a link to `href` (e.g. the top menu). */
export function clickLink(href: string): boolean {
	return navigate('link', href);
}

/** The window's back (Alt+←), landing on `href`. */
export function back(href: string): boolean {
	return navigate('popstate', href, -1);
}
