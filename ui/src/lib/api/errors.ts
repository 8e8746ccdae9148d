// Maps whatever a command rejects with to one `UiError` class. Rust sends the UiError object of
// docs/desktop-api.md; Tauri itself rejects with a bare string (unknown command, bad arguments),
// and a JS exception may surface as an Error. All three become a UiError, so views handle one type.

import type { ErrorReport, Problem } from './contract';

/** Code used when the rejection did not come from our Rust commands (bare string, JS error). */
export const INTERNAL = 'internal';

/** A rejected command. `message` is Vietnamese, `message_en` English; `fields` go next to inputs. */
export class UiError extends Error implements Problem {
	readonly code: string;
	readonly message_en: string;
	readonly fields: ErrorReport[];
	readonly retry_after_seconds: number | null;

	constructor(data: Problem) {
		super(data.message);
		this.name = 'UiError';
		this.code = data.code;
		this.message_en = data.message_en;
		this.fields = data.fields;
		this.retry_after_seconds = data.retry_after_seconds;
	}

	/** The message for the field whose JSON path is `path`, in the given language. */
	fieldMessage(path: string, lang: 'vi' | 'en'): string | null {
		const f = this.fields.find((x) => x.field === path);
		if (!f) return null;
		return lang === 'en' ? f.message_en || f.message : f.message;
	}
}

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null;
}

function str(v: unknown, fallback: string): string {
	return typeof v === 'string' ? v : fallback;
}

function toFieldError(v: unknown): ErrorReport | null {
	if (!isRecord(v)) return null;
	const message = str(v.message, '');
	return {
		code: str(v.code, ''),
		field: typeof v.field === 'string' ? v.field : null,
		message,
		message_en: str(v.message_en, message)
	};
}

/** Turns any rejection value into a UiError (idempotent). */
export function toUiError(raw: unknown): UiError {
	if (raw instanceof UiError) return raw;
	if (isRecord(raw) && typeof raw.code === 'string' && typeof raw.message === 'string') {
		const fields = Array.isArray(raw.fields)
			? raw.fields.map(toFieldError).filter((f): f is ErrorReport => f !== null)
			: [];
		const retry = raw.retry_after_seconds;
		return new UiError({
			code: raw.code,
			message: raw.message,
			message_en: str(raw.message_en, raw.message),
			fields,
			retry_after_seconds: typeof retry === 'number' && retry > 0 ? retry : null
		});
	}
	const text =
		typeof raw === 'string'
			? raw
			: raw instanceof Error
				? raw.message
				: (() => {
						try {
							return JSON.stringify(raw);
						} catch {
							return String(raw);
						}
					})();
	return new UiError({
		code: INTERNAL,
		message: text,
		message_en: text,
		fields: [],
		retry_after_seconds: null
	});
}
