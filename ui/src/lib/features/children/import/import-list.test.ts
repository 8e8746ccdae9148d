import { describe, expect, it } from 'vitest';
import type { ColumnMapping, ImportReport, PreviewRow, RowProblem } from '$lib/api/contract';
import {
	FIELDS,
	cellAt,
	columnIndex,
	nameColumn,
	canImport,
	counts,
	editsOf,
	hasNameColumn,
	mappingChoice,
	problemsByColumn,
	repeatedFields,
	visibleRows
} from './import-list';

const proposed: ColumnMapping[] = [
	{ column: 'A', header: 'STT', field: 'row_number', encoding: 'unicode' },
	{ column: 'B', header: 'Họ và tên', field: 'full_name', encoding: 'tcvn3' },
	{ column: 'C', header: 'Ngày sinh', field: 'date_of_birth', encoding: 'unicode' },
	{ column: 'D', header: 'Ghi chú riêng', field: null, encoding: 'unicode' }
];

const problem = (row: number, column: string | null, message: string): RowProblem => ({
	row,
	field: 'date_of_birth',
	column,
	message,
	message_en: message
});

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
	rows: 5,
	imported: 3,
	updated: 0,
	skipped_duplicates: 1,
	rejected: [],
	rejected_rows: 1,
	encoding: 'unicode',
	mapping: proposed,
	sheet: 'DS',
	dry_run: true,
	batch_id: null,
	...over
});

describe('the column mapping the officer changes', () => {
	it('sends nothing when the proposal is kept', () => {
		expect(mappingChoice(proposed, editsOf(proposed))).toBeNull();
	});

	it('sends only the columns changed, "not imported" as null', () => {
		const edits = { ...editsOf(proposed), C: '', D: 'notes' };
		expect(mappingChoice(proposed, edits)).toEqual({
			header_row: null,
			columns: { C: null, D: 'notes' }
		});
	});

	it('sends a header row chosen by hand even with the columns unchanged', () => {
		expect(mappingChoice(proposed, editsOf(proposed), 3)).toEqual({ header_row: 3, columns: {} });
	});

	it('warns of a field chosen twice and of a missing name column', () => {
		const edits = { ...editsOf(proposed), D: 'date_of_birth' };
		expect(repeatedFields(edits)).toEqual(['date_of_birth']);
		expect(repeatedFields({ A: 'row_number', B: 'row_number' })).toEqual([]);
		expect(hasNameColumn(edits)).toBe(true);
		expect(hasNameColumn({ ...edits, B: '' })).toBe(false);
	});

	it('offers every field Rust knows', () => {
		expect(FIELDS).toContain('full_name');
		expect(FIELDS).toContain('residence_status');
		expect(new Set(FIELDS).size).toBe(17);
	});
});

describe('the preview', () => {
	it('puts each problem next to its column', () => {
		const by = problemsByColumn([problem(7, 'C', 'ngày sai'), problem(7, null, 'trùng'), problem(7, 'C', 'tương lai')]);
		expect(by.get('C')?.map((p) => p.message)).toEqual(['ngày sai', 'tương lai']);
		expect(by.get('')?.map((p) => p.message)).toEqual(['trùng']);
	});

	it('counts ready, duplicate and refused rows, and allows the import only when one row is ready', () => {
		expect(counts(report())).toEqual({ rows: 5, ready: 3, update: 0, duplicate: 1, refused: 1 });
		expect(canImport(report())).toBe(true);
		expect(canImport(report({ imported: 0, updated: 0 }))).toBe(false);
		expect(canImport(report({ imported: 0, updated: 2 }))).toBe(true);
	});

	it('can show only the rows with problems', () => {
		const row = (n: number, status: PreviewRow['status'], warnings: RowProblem[] = []): PreviewRow => ({
			row: n,
			status,
			child: null,
			duplicate_of: null,
			problems: [],
			warnings,
			cells: []
		});
		const rows = [row(2, 'new'), row(3, 'rejected'), row(4, 'duplicate'), row(5, 'new', [problem(5, 'C', 'ước tính')])];
		expect(visibleRows(rows, false)).toHaveLength(4);
		expect(visibleRows(rows, true).map((r) => r.row)).toEqual([3, 5]);
	});
});

describe('the cells of a row', () => {
	it('finds a cell by its column letter, and the name column in the mapping', () => {
		expect(columnIndex('A')).toBe(0);
		expect(columnIndex('Z')).toBe(25);
		expect(columnIndex('AA')).toBe(26);
		expect(columnIndex('a1')).toBe(-1);
		const row: PreviewRow = {
			row: 4,
			status: 'rejected',
			child: null,
			duplicate_of: null,
			problems: [],
			warnings: [],
			cells: ['2', ' Lò Thị Mỷ ', '31/02/2016']
		};
		expect(nameColumn(proposed)).toBe('B');
		expect(cellAt(row, 'B')).toBe('Lò Thị Mỷ');
		expect(cellAt(row, 'C')).toBe('31/02/2016');
		expect(cellAt(row, 'F')).toBe('');
		expect(cellAt(row, null)).toBe('');
	});
});
