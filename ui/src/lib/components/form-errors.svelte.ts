// Field-level error messages of a form, keyed by JSON path (`full_name`, `carers[1].full_name`,
// `data.days`), plus the ids and test ids that tie each input to its message.
// Generic: any `{field, message, message_en}` list works (the API's FieldError).

import { toUiError } from '$lib/api/errors';
import { errorText, i18n } from '$lib/i18n.svelte';
import { tick } from 'svelte';
import { createAttachmentKey } from 'svelte/attachments';

export type FieldMessage = { field: string | null; message: string; message_en: string };

export class FormErrors {
	/** The messages of the last rejected submit; replaced, never merged; one goes when its field is edited. */
	fields = $state<FieldMessage[]>([]);
	/** A submit is running (its button is disabled, a second one is ignored). */
	busy = $state(false);
	/** The text for the form's banner after a refusal, or null. */
	failure = $state<string | null>(null);

	/**
	 * `prefix` names the form in ids and test ids: `child` → `child-field-<path>` and
	 * `child-error-<path>`; `testids` overrides the input test id of some paths.
	 */
	constructor(
		readonly prefix: string,
		private readonly testids: Record<string, string> = {}
	) {}

	set(fields: FieldMessage[]): void {
		this.fields = fields;
	}

	clear(): void {
		this.fields = [];
	}

	/**
	 * Forgets the message of `path`: the officer has changed that field since the refusal, so its
	 * red no longer describes what is typed (Rust judges it again at the next submit).
	 */
	forget(path: string): void {
		if (this.fields.some((f) => f.field === path)) this.fields = this.fields.filter((f) => f.field !== path);
	}

	/**
	 * Shows a rejected submit: keeps each field's message next to it, moves the focus to the
	 * first field at fault once the page shows it, and returns the text for the form's banner.
	 */
	reject(err: unknown, formEl?: HTMLElement | null): string {
		const ue = toUiError(err);
		this.set(ue.fields);
		void tick().then(() => {
			const el = formEl?.querySelector<HTMLElement>('[aria-invalid="true"]');
			if (el) revealField(el);
		});
		return errorText(ue);
	}

	/**
	 * Runs a form's submit: stops the browser's own, ignores a second submit while one runs,
	 * forgets the last refusal, and shows a new one at its fields and in `failure`.
	 */
	async submit(e: Event | null, formEl: HTMLElement | null | undefined, work: () => Promise<void>): Promise<void> {
		e?.preventDefault();
		if (this.busy) return;
		this.busy = true;
		this.failure = null;
		this.clear();
		try {
			await work();
		} catch (err) {
			this.failure = this.reject(err, formEl);
		} finally {
			this.busy = false;
		}
	}

	/** The message for `path` in the current language, or null. */
	message(path: string): string | null {
		const f = this.fields.find((x) => x.field === path);
		if (!f) return null;
		return i18n.locale === 'en' && f.message_en ? f.message_en : f.message;
	}

	/** Messages whose path starts with `prefix` but matches none of `known` (shown at a section). */
	messagesUnder(prefix: string, known: (path: string) => boolean): string[] {
		return this.fields
			.filter((f) => f.field !== null && f.field.startsWith(prefix) && !known(f.field))
			.map((f) => (i18n.locale === 'en' && f.message_en ? f.message_en : f.message));
	}

	id(path: string): string {
		return `${this.prefix}-${path}`;
	}

	testid(path: string): string {
		return this.testids[path] ?? `${this.prefix}-field-${path}`;
	}

	errorTestid(path: string): string {
		return `${this.prefix}-error-${path}`;
	}

	/** The same function for a path every time, so Svelte keeps the attachment. */
	#watchers = new Map<string, (node: Element) => () => void>();

	/** Attaches to an input (or a group of them) so that editing it forgets the message of `path`. */
	watch(path: string): (node: Element) => () => void {
		let w = this.#watchers.get(path);
		if (!w) {
			w = (node: Element) => {
				const edited = () => this.forget(path);
				node.addEventListener('input', edited);
				node.addEventListener('change', edited);
				return () => {
					node.removeEventListener('input', edited);
					node.removeEventListener('change', edited);
				};
			};
			this.#watchers.set(path, w);
		}
		return w;
	}

	/** Attributes for the input of `path` (spread onto the element). */
	attrs(path: string) {
		const invalid = this.message(path) !== null;
		return {
			id: this.id(path),
			'data-testid': this.testid(path),
			'aria-invalid': invalid ? ('true' as const) : undefined,
			'aria-describedby': invalid ? `${this.id(path)}-error` : undefined,
			[WATCH]: this.watch(path)
		};
	}
}

/** The attachment key under which `attrs` hands out `watch`. */
const WATCH = createAttachmentKey();

/**
 * Focuses a field at fault and brings its whole box (label, input, message) to the middle of the
 * page: the browser's own scroll on focus stops at the nearest edge, which left the input half
 * under the top bar and its label hidden (issue 16 item 7).
 */
export function revealField(el: HTMLElement): void {
	el.focus({ preventScroll: true });
	(el.closest('.field') ?? el).scrollIntoView?.({ block: 'center', inline: 'nearest' });
}
