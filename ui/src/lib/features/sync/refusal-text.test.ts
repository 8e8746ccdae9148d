import { describe, expect, it } from 'vitest';
import type { Refusal } from '$lib/api/contract';
import { refusalLink, refusalMessage } from './refusal-text';

const moved: Refusal = {
	change_id: '0193a0b2-0000-7000-8000-000000000001',
	entity: 'child',
	entity_id: '0193a0b2-0000-7000-8000-0000000000c1',
	code: 'moved',
	message: 'Trẻ đã chuyển sang xã có mã 00004; xã này không sửa hồ sơ của trẻ được nữa.',
	message_en: 'The child moved to the commune with code 00004; this commune can no longer edit the record.',
	refused_at: '2026-12-07T09:15:00+07:00'
};

describe("a refused change's reason", () => {
	it("is the server's own words in the officer's language", () => {
		expect(refusalMessage(moved, 'vi')).toBe(moved.message);
		expect(refusalMessage(moved, 'en')).toBe(moved.message_en);
	});

	it('falls back to Vietnamese when the server sent no English', () => {
		expect(refusalMessage({ ...moved, message_en: '' }, 'en')).toBe(moved.message);
	});
});

describe("a refused change's record", () => {
	it("opens the child's profile or the case", () => {
		expect(refusalLink(moved, 'vi')).toEqual({
			href: '/children/0193a0b2-0000-7000-8000-0000000000c1',
			label: 'Mở hồ sơ trẻ em'
		});
		expect(refusalLink({ ...moved, entity: 'case', entity_id: 'k1' }, 'en')).toEqual({
			href: '/cases/k1',
			label: 'Open the case'
		});
	});

	it('offers nothing for a case step (its id is not a page) or a change this PC no longer has', () => {
		expect(refusalLink({ ...moved, entity: 'case_event' }, 'vi')).toBeNull();
		expect(refusalLink({ ...moved, entity: '', entity_id: '' }, 'vi')).toBeNull();
	});
});
