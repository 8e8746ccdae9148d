// The "Nhập từ Excel" screen's own logic: the officer's changes to the proposed column mapping
// (only the columns changed are sent; the rest keep Rust's proposal), the problems of a preview
// row grouped by column, and the counts line. Every rule about rows is in Rust (bvte-core).

import type { ColumnMapping, ImportReport, MappingChoice, PreviewRow, RowProblem } from '$lib/api/contract';

/** The fields a column can fill, in the order the mapping lists them (bvte-import `Target::ALL`). */
export const FIELDS = [
	'row_number',
	'full_name',
	'date_of_birth',
	'birth_if_male',
	'birth_if_female',
	'sex',
	'ethnicity',
	'village',
	'address',
	'personal_id',
	'father',
	'mother',
	'carer',
	'group',
	'disability',
	'residence_status',
	'notes'
] as const;

export type Field = (typeof FIELDS)[number];

/** What the select of a column holds: a field code, or '' for "not imported". */
export type Edits = Record<string, string>;

/** The selects' starting values: what Rust proposed for each column. */
export function editsOf(mapping: ColumnMapping[]): Edits {
	return Object.fromEntries(mapping.map((c) => [c.column, c.field ?? '']));
}

/**
 * The mapping to send: the columns the officer changed from `proposed` (a field code, or null
 * for "not imported"), and the header row when it was changed; `null` when nothing changed.
 */
export function mappingChoice(
	proposed: ColumnMapping[],
	edits: Edits,
	headerRow: number | null = null
): MappingChoice | null {
	const columns: Record<string, string | null> = {};
	for (const c of proposed) {
		const chosen = edits[c.column] ?? c.field ?? '';
		if (chosen !== (c.field ?? '')) columns[c.column] = chosen === '' ? null : chosen;
	}
	if (Object.keys(columns).length === 0 && headerRow === null) return null;
	return { header_row: headerRow, columns };
}

/** Fields chosen for more than one column, except those a list may repeat. */
export function repeatedFields(edits: Edits): string[] {
	const seen = new Map<string, number>();
	for (const f of Object.values(edits)) if (f && f !== 'row_number') seen.set(f, (seen.get(f) ?? 0) + 1);
	return [...seen].filter(([, n]) => n > 1).map(([f]) => f);
}

/** Whether the officer's mapping still has a column for the child's name (Rust refuses otherwise). */
export function hasNameColumn(edits: Edits): boolean {
	return Object.values(edits).includes('full_name');
}

/** The problems of a row by column letter ('' for a problem of no column), in the row's order. */
export function problemsByColumn(problems: RowProblem[]): Map<string, RowProblem[]> {
	const by = new Map<string, RowProblem[]>();
	for (const p of problems) {
		const k = p.column ?? '';
		by.set(k, [...(by.get(k) ?? []), p]);
	}
	return by;
}

/** The counts a preview (or an import) gives: ready to add, to update, duplicates, refused. */
export function counts(r: ImportReport) {
	return {
		rows: r.rows,
		ready: r.imported,
		update: r.updated,
		duplicate: r.skipped_duplicates,
		refused: r.rejected_rows
	};
}

/** Whether the import button can be pressed: some row would be added or updated. */
export function canImport(r: ImportReport): boolean {
	return r.imported + r.updated > 0;
}

/** The rows to show: every row, or only those with problems. */
export function visibleRows(rows: PreviewRow[], onlyProblems: boolean): PreviewRow[] {
	return onlyProblems ? rows.filter((r) => r.status === 'rejected' || r.warnings.length > 0) : rows;
}

/** The index of a column letter ("A" → 0, "AA" → 26); -1 for anything else. */
export function columnIndex(letter: string): number {
	if (!/^[A-Z]{1,3}$/.test(letter)) return -1;
	let n = 0;
	for (const ch of letter) n = n * 26 + (ch.charCodeAt(0) - 64);
	return n - 1;
}

/** The text of a row's cell in column `letter` ('' when there is none). */
export function cellAt(row: PreviewRow, letter: string | null): string {
	const j = letter ? columnIndex(letter) : -1;
	return j >= 0 ? (row.cells[j] ?? '').trim() : '';
}

/** The column the mapping gives the child's name, for a refused row's name. */
export function nameColumn(mapping: ColumnMapping[]): string | null {
	return mapping.find((c) => c.field === 'full_name')?.column ?? null;
}
