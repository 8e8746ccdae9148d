import { describe, expect, it } from 'vitest';
import { detailText, recordHref, recordLabel } from './audit-text';

describe('records in the access log', () => {
	const id = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

	it('names a record by its kind and the end of its id (v7 ids share their start), never by name', () => {
		expect(recordLabel({ kind: 'child', id })).toBe('Hồ sơ trẻ em 2e3f4a5b');
		expect(recordLabel({ kind: 'case', id })).toBe('Vụ việc 2e3f4a5b');
		expect(recordLabel({ kind: 'case_event', id })).toBe('Bước xử lý 2e3f4a5b');
		expect(recordLabel({ kind: 'form', id: '02' })).toBe('Mẫu 02');
		expect(recordLabel({ kind: 'register', id: '' })).toBe('Toàn bộ sổ');
		expect(recordLabel({ kind: 'children_list', id: '' })).toBe('Danh sách trẻ em');
	});

	it('shows an unknown kind as it is rather than nothing', () => {
		expect(recordLabel({ kind: 'khac', id: '' })).toBe('khac');
	});

	it('links a child to its file and a case to its page, nothing else', () => {
		expect(recordHref({ kind: 'child', id })).toBe(`/children/${id}`);
		expect(recordHref({ kind: 'case', id })).toBe(`/cases/${id}`);
		expect(recordHref({ kind: 'case_event', id })).toBeNull();
		expect(recordHref({ kind: 'register', id: '' })).toBeNull();
	});

	it("says what a change did in words, and leaves other details as Rust wrote them", () => {
		expect(detailText({ action: 'change', detail: 'upsert_fields' })).toBe('Thêm hoặc sửa thông tin');
		expect(detailText({ action: 'change', detail: 'tombstone' })).toBe('Xóa');
		expect(detailText({ action: 'export', detail: '2 trẻ em' })).toBe('2 trẻ em');
	});
});
