import { describe, expect, it } from 'vitest';
import {
	formatDate,
	formatDateTime,
	isoToDmy,
	joinDateTime,
	parseDmy,
	tidyDmy,
	vnDateTimeFields
} from './dates';

describe('parseDmy', () => {
	it.each([
		['05/09/2015', '2015-09-05'],
		['5/9/2015', '2015-09-05'],
		['05-09-2015', '2015-09-05'],
		['05.09.2015', '2015-09-05'],
		[' 29/02/2024 ', '2024-02-29'],
		['2015-09-05', '2015-09-05']
	])('reads %s day first (never month first) as %s', (text, iso) => {
		expect(parseDmy(text)).toBe(iso);
	});

	it.each(['31/02/2019', '29/02/2023', '00/01/2020', '12/13/2020', '1/1/20', 'hôm qua', ''])(
		'refuses %s, which is not a real date as typed',
		(text) => {
			expect(parseDmy(text)).toBeNull();
		}
	);
});

describe('isoToDmy and tidyDmy', () => {
	it('shows ISO dates and RFC 3339 times as dd/mm/yyyy', () => {
		expect(isoToDmy('2015-09-05')).toBe('05/09/2015');
		expect(isoToDmy('2026-11-23T08:30:00+07:00')).toBe('23/11/2026');
		expect(isoToDmy(null)).toBe('');
	});

	it('pads a real date and leaves anything else exactly as typed so Rust can name the problem', () => {
		expect(tidyDmy('5/9/2015')).toBe('05/09/2015');
		expect(tidyDmy('31/02/2019')).toBe('31/02/2019');
		expect(tidyDmy('abc ')).toBe('abc');
	});
});

describe('Vietnam time, whatever the PC time zone', () => {
	it('formats a +07:00 time as its own wall clock', () => {
		expect(formatDateTime('2026-11-23T08:30:00+07:00')).toBe('23/11/2026 08:30');
	});

	it('converts UTC (Z) times to UTC+7, crossing midnight', () => {
		expect(formatDateTime('2026-11-29T20:50:26Z')).toBe('30/11/2026 03:50');
		expect(formatDate('2026-11-29T20:50:26Z')).toBe('30/11/2026');
	});

	it('gives now as date and time fields for a form', () => {
		expect(vnDateTimeFields(Date.parse('2026-12-31T17:05:00Z'))).toEqual({
			date: '01/01/2027',
			time: '00:05'
		});
	});

	it('joins date and time the way Rust reads a wall-clock time; both empty means "now"', () => {
		expect(joinDateTime('23/11/2026', '14:00')).toBe('23/11/2026 14:00');
		expect(joinDateTime('3/1/2026', '')).toBe('03/01/2026');
		expect(joinDateTime(' ', ' ')).toBeNull();
	});
});
