import { describe, expect, it } from 'vitest';
import { emptyFilters, filtersFromParams, filtersToParams, hasFilters, toQuery } from './filters';

describe('children filters', () => {
	it('reads the overview links (?group=c, ?disabled=true, ?residence=tam_tru)', () => {
		const f = filtersFromParams(new URLSearchParams('group=c&disabled=true&residence=tam_tru'));
		expect(f.group).toBe('c');
		expect(f.disabled).toBe(true);
		expect(f.residence).toBe('tam_tru');
		expect(f.orphan).toBe(false);
	});

	it('writes only the filters that are set, and reads them back the same', () => {
		const f = { ...emptyFilters(), text: ' Nguyễn ', age_min: '3', at_risk: true };
		const p = filtersToParams(f);
		expect([...p.keys()]).toEqual(['text', 'at_risk', 'age_min']);
		expect(filtersFromParams(p)).toEqual({ ...f, text: 'Nguyễn' });
		expect(hasFilters(emptyFilters())).toBe(false);
	});

	it('builds the list_children query: an unticked box means no filter, not false', () => {
		const q = toQuery({ ...emptyFilters(), village: 'Thôn Đại Đồng', age_max: '5' }, 200);
		expect(q).toEqual({
			text: null,
			group: null,
			village: 'Thôn Đại Đồng',
			residence: null,
			at_risk: null,
			disabled: null,
			orphan: null,
			age_min: null,
			age_max: 5,
			offset: 200,
			limit: 100
		});
	});
});
