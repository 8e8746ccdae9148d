import { describe, expect, it } from 'vitest';
import { countdownParts, formatHms, remainingDaysHours, withinHours } from './countdown';

const NOW = Date.parse('2026-11-23T08:30:00+07:00');
const H = 3600_000;

describe('countdown', () => {
	it('shows the time left of a 12-hour deadline as hh:mm:ss', () => {
		const p = countdownParts(NOW + 11 * H + 59 * 60_000 + 59_000, NOW);
		expect(p.past).toBe(false);
		expect(formatHms(p)).toBe('11:59:59');
	});

	it('rounds the last fraction of a second up, so it never shows 00:00:00 before the limit', () => {
		expect(formatHms(countdownParts(NOW + 400, NOW))).toBe('00:00:01');
	});

	it('counts time since the limit once it has passed', () => {
		const p = countdownParts(NOW - (2 * H + 5_000), NOW);
		expect(p.past).toBe(true);
		expect(formatHms(p)).toBe('02:00:05');
	});

	it('splits whole days off, or folds them into the hours on request', () => {
		const p = countdownParts(NOW + 2 * 24 * H + 3 * H, NOW);
		expect(p.days).toBe(2);
		expect(formatHms(p)).toBe('03:00:00');
		expect(formatHms(p, true)).toBe('51:00:00');
	});

	it('says whether a limit is less than N hours ahead (not when passed)', () => {
		expect(withinHours(NOW + 23 * H, NOW, 24)).toBe(true);
		expect(withinHours(NOW + 25 * H, NOW, 24)).toBe(false);
		expect(withinHours(NOW - 1, NOW, 24)).toBe(false);
	});
});

describe('time left in days and hours (issue 16 item 11)', () => {
	it('floors to whole hours and splits into days', () => {
		expect(remainingDaysHours(NOW + 4 * 24 * H + 5 * H + 59 * 60_000, NOW)).toEqual({ days: 4, hours: 5 });
		expect(remainingDaysHours(NOW + 25 * H, NOW)).toEqual({ days: 1, hours: 1 });
		expect(remainingDaysHours(NOW + 30 * 60_000, NOW)).toEqual({ days: 0, hours: 0 });
	});

	it('has nothing to say once the limit has passed or the date is unreadable', () => {
		expect(remainingDaysHours(NOW - 1, NOW)).toBeNull();
		expect(remainingDaysHours(Number.NaN, NOW)).toBeNull();
	});
});
