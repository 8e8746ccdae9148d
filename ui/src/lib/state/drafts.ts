// What the officer typed in a form and has not saved yet, kept while the app is locked (the form
// is unmounted then, and shown again after unlocking) or while the page re-renders (language).
// In this window's memory only: never written to disk or localStorage, gone when the app
// restarts. One entry per form and record: `child:new`, `child:<id>`, `new-case:<child id>`,
// `step:<case id>`, `settings`. UnsavedGuard.svelte keeps and drops them; a form reads its own
// once, when it is created.

const kept = new Map<string, unknown>();

/** The key of a form's draft: the form, and the record it edits (none for a one-off form). */
export function draftKey(form: string, record: string | null = null): string {
	return record === null ? form : `${form}:${record}`;
}

/** Keeps a copy of `value` (plain data) as the unsaved draft of `key`. */
export function keepDraft(key: string, value: unknown): void {
	kept.set(key, structuredClone(value));
}

/** A copy of the draft kept for `key`, if any (it stays kept until dropped). */
export function keptDraft<T>(key: string): T | undefined {
	const value = kept.get(key);
	return value === undefined ? undefined : (structuredClone(value) as T);
}

/** Forgets the draft of `key` (saved, or discarded by the officer). */
export function dropDraft(key: string): void {
	kept.delete(key);
}

/** Forgets every draft (between tests: src/lib/testing/setup.ts). */
export function dropAllDrafts(): void {
	kept.clear();
}

/**
 * Whether two drafts hold the same values. List rows carry a `key` that only tells rows apart on
 * screen (child-draft.ts `rowKey`); it is not something typed, so it is ignored.
 */
export function sameDraft(a: unknown, b: unknown): boolean {
	const text = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'key' ? undefined : x));
	return text(a) === text(b);
}
