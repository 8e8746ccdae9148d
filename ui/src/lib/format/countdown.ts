// Remaining (or elapsed) time split for display: "hh:mm:ss", with whole days in front when the
// distance is a day or more. The words ("còn", "quá hạn", "ngày") come from the messages.

export type CountdownParts = {
	/** True once the moment has passed. */
	past: boolean;
	days: number;
	hours: number;
	minutes: number;
	seconds: number;
};

/** Splits the distance from `nowMs` to `dueMs` into days, hours, minutes, seconds. */
export function countdownParts(dueMs: number, nowMs: number): CountdownParts {
	const diff = dueMs - nowMs;
	const past = diff < 0;
	// Count whole seconds still to go (ceil) or already gone (floor), so 0.4 s left shows 00:00:01.
	let total = past ? Math.floor(-diff / 1000) : Math.ceil(diff / 1000);
	const days = Math.floor(total / 86_400);
	total -= days * 86_400;
	const hours = Math.floor(total / 3600);
	total -= hours * 3600;
	const minutes = Math.floor(total / 60);
	const seconds = total - minutes * 60;
	return { past, days, hours, minutes, seconds };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `hh:mm:ss` of the parts, hours counted past 24 when `foldDays` is true (no day part). */
export function formatHms(p: CountdownParts, foldDays = false): string {
	const h = foldDays ? p.hours + p.days * 24 : p.hours;
	return `${two(h)}:${two(p.minutes)}:${two(p.seconds)}`;
}

/** Whether the distance is below `hours` hours (and the moment not yet passed). */
export function withinHours(dueMs: number, nowMs: number, hours: number): boolean {
	const diff = dueMs - nowMs;
	return diff >= 0 && diff < hours * 3600_000;
}

/**
 * Whole days and hours still to go before `dueMs` (floored: "4 days 5 hours" while 4 d 5 h 59 min
 * are left), or null once it has passed. What the overview shows where a live countdown would be
 * too fine (a limit a day or more away, e.g. counted in working days).
 */
export function remainingDaysHours(dueMs: number, nowMs: number): { days: number; hours: number } | null {
	const diff = dueMs - nowMs;
	if (!(diff >= 0)) return null;
	const hoursTotal = Math.floor(diff / 3600_000);
	return { days: Math.floor(hoursTotal / 24), hours: hoursTotal % 24 };
}
