// Dates as officers read and type them: dd/mm/yyyy, times HH:mm, always in Vietnam time (UTC+7
// all year) whatever the PC's time zone. These helpers only format and read what is typed;
// whether a date is acceptable (future, too old, …) is decided by Rust.

const VN_OFFSET_MS = 7 * 3600 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Days in a month (month 1–12). */
function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Reads a typed date: `d/m/yyyy`, `dd/mm/yyyy`, with `/`, `-` or `.`, or ISO `yyyy-mm-dd`.
 * Returns ISO `yyyy-mm-dd`, or null when it is not a real calendar date. Never month-first.
 */
export function parseDmy(text: string): string | null {
	const s = text.trim();
	let d: number, m: number, y: number;
	let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
	if (match) {
		d = Number(match[1]);
		m = Number(match[2]);
		y = Number(match[3]);
	} else {
		match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
		if (!match) return null;
		y = Number(match[1]);
		m = Number(match[2]);
		d = Number(match[3]);
	}
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
	return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** `yyyy-mm-dd` (or the date part of an RFC 3339 time) → `dd/mm/yyyy`; anything else unchanged. */
export function isoToDmy(iso: string | null | undefined): string {
	if (!iso) return '';
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
	if (!match) return iso;
	return `${match[3]}/${match[2]}/${match[1]}`;
}

/** A typed date tidied to `dd/mm/yyyy` when it is a real date; otherwise the text as typed. */
export function tidyDmy(text: string): string {
	const iso = parseDmy(text);
	return iso ? isoToDmy(iso) : text.trim();
}

/** Wall-clock parts of an instant in Vietnam time. */
export function vnParts(ms: number) {
	const t = new Date(ms + VN_OFFSET_MS);
	return {
		year: t.getUTCFullYear(),
		month: t.getUTCMonth() + 1,
		day: t.getUTCDate(),
		hour: t.getUTCHours(),
		minute: t.getUTCMinutes(),
		second: t.getUTCSeconds()
	};
}

/** An instant as `dd/mm/yyyy` (date) and `HH:mm` (time), Vietnam time. */
export function vnDateTimeFields(ms: number): { date: string; time: string } {
	const p = vnParts(ms);
	return {
		date: `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)}`,
		time: `${pad(p.hour)}:${pad(p.minute)}`
	};
}

/** Epoch milliseconds of an RFC 3339 time, or NaN. */
export function instantMs(rfc3339: string): number {
	return Date.parse(rfc3339);
}

/** An RFC 3339 time (any offset, `Z` included) as `dd/mm/yyyy HH:mm` in Vietnam time. */
export function formatDateTime(rfc3339: string | null | undefined): string {
	if (!rfc3339) return '';
	const ms = instantMs(rfc3339);
	if (Number.isNaN(ms)) return rfc3339;
	const f = vnDateTimeFields(ms);
	return `${f.date} ${f.time}`;
}

/** A date (`yyyy-mm-dd`) or RFC 3339 time as `dd/mm/yyyy`. */
export function formatDate(value: string | null | undefined): string {
	if (!value) return '';
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isoToDmy(value);
	const ms = instantMs(value);
	if (Number.isNaN(ms)) return value;
	return vnDateTimeFields(ms).date;
}

/**
 * Date and time fields joined the way Rust reads a Vietnam wall-clock time
 * (`dd/mm/yyyy HH:mm`); null when both are empty (Rust then uses "now").
 */
export function joinDateTime(date: string, time: string): string | null {
	const d = date.trim();
	const t = time.trim();
	if (!d && !t) return null;
	return t ? `${tidyDmy(d)} ${t}` : tidyDmy(d);
}
