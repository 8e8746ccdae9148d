import { describe, expect, it } from 'vitest';
import {
	conflictFieldLabel,
	conflictValueText,
	isDeletionConflict,
	recordDeletionText,
	recordKeptText
} from './conflict-text';

describe('conflict values as text', () => {
	it('shows strings as they are, but dates as dd/mm/yyyy and times in Vietnam time', () => {
		expect(conflictValueText('Thôn Đông', 'vi')).toBe('Thôn Đông');
		expect(conflictValueText('2015-09-05', 'vi')).toBe('05/09/2015');
		expect(conflictValueText('2026-11-29T20:50:26Z', 'vi')).toBe('30/11/2026 03:50');
	});

	it('shows a missing or empty value as "(trống)", in either language', () => {
		expect(conflictValueText(null, 'vi')).toBe('(trống)');
		expect(conflictValueText('', 'vi')).toBe('(trống)');
		expect(conflictValueText([], 'en')).toBe('(empty)');
	});

	it('joins lists with ", ", objects inside as compact JSON', () => {
		expect(conflictValueText(['physical', 'sexual'], 'vi')).toBe('physical, sexual');
		expect(conflictValueText([{ group: 'a', since: '2020-01-01' }, '2021-02-03'], 'vi')).toBe(
			'{"group":"a","since":"2020-01-01"}, 03/02/2021'
		);
		expect(conflictValueText({ years: 5, as_of: '2024-01-01' }, 'vi')).toBe('{"years":5,"as_of":"2024-01-01"}');
	});

	it('says yes or no for flags and keeps numbers plain (a birth year is not 2.015)', () => {
		expect(conflictValueText(true, 'vi')).toBe('Có');
		expect(conflictValueText(false, 'en')).toBe('No');
		expect(conflictValueText(2015, 'vi')).toBe('2015');
	});
});

describe('conflict field labels', () => {
	it("names a child's fields as the profile does, and a case's as the case view does", () => {
		expect(conflictFieldLabel('child', 'full_name')).toBe('Họ và tên');
		expect(conflictFieldLabel('child', 'village')).toBe('Thôn, tổ dân phố');
		expect(conflictFieldLabel('case', 'summary')).toBe('Tóm tắt');
	});

	it('falls back to the raw field name when there is no label', () => {
		expect(conflictFieldLabel('case', 'residence_commune')).toBe('residence_commune');
		expect(conflictFieldLabel('child', 'nickname')).toBe('nickname');
	});
});

describe('deletion conflicts (field _record)', () => {
	it('are told apart from a field conflict, and titled in either language', () => {
		expect(isDeletionConflict({ entity: 'child', field: '_record' })).toBe(true);
		expect(isDeletionConflict({ entity: 'child', field: 'full_name' })).toBe(false);
		expect(isDeletionConflict({ entity: 'case', field: '_record' })).toBe(false);
		expect(conflictFieldLabel('child', '_record')).toBe('Hồ sơ bị xóa nhưng có thay đổi chưa thấy');
		expect(conflictFieldLabel('child', '_record', 'en')).toBe('Record deleted, but changed without seeing the deletion');
	});

	it('say what keeping means: the fields changed unseen, labelled as in the profile, and the cases', () => {
		const both = { fields: ['village', 'full_name'], cases: 2 };
		expect(recordKeptText(both, 'vi')).toBe('Giữ hồ sơ — có sửa: Thôn, tổ dân phố, Họ và tên; có 2 vụ việc');
		expect(recordKeptText(both, 'en')).toBe('Keep the record — changed: Village, Full name; has 2 cases');
		expect(recordKeptText({ fields: ['notes'], cases: 0 }, 'vi')).toBe('Giữ hồ sơ — có sửa: Ghi chú');
		expect(recordKeptText({ fields: [], cases: 1 }, 'vi')).toBe('Giữ hồ sơ — có 1 vụ việc');
		expect(recordKeptText({ fields: [], cases: 1 }, 'en')).toBe('Keep the record — has 1 case');
	});

	it('keep an unknown field name as it is and read a malformed value as nothing to add', () => {
		expect(recordKeptText({ fields: ['nickname'], cases: 0 }, 'en')).toBe('Keep the record — changed: nickname');
		expect(recordKeptText(null, 'vi')).toBe('Giữ hồ sơ');
		expect(recordKeptText({ fields: 'village', cases: '2' }, 'en')).toBe('Keep the record');
	});

	it('say what deleting means, with the reason given', () => {
		expect(recordDeletionText({ reason: 'Nhập trùng với hồ sơ Lò Văn Páo' }, 'vi')).toBe(
			'Xóa hồ sơ — lý do: Nhập trùng với hồ sơ Lò Văn Páo'
		);
		expect(recordDeletionText({ reason: 'Entered twice' }, 'en')).toBe('Delete the record — reason: Entered twice');
		expect(recordDeletionText({}, 'vi')).toBe('Xóa hồ sơ — lý do: (trống)');
	});
});
