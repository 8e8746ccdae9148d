import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportBatch, ImportPreview, ImportRequest } from '$lib/api/contract';
import ImportList from './ImportList.svelte';

afterEach(() => clearMocks());

const corrupt = {
	code: 'workbook_corrupt',
	message: 'Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính (.xlsx, .xls, .ods, .csv).',
	message_en: 'The file cannot be read: it is damaged or not a spreadsheet.',
	fields: [],
	retry_after_seconds: null
};

const hasCases = {
	code: 'import_has_cases',
	message: 'Không hoàn tác được lần nhập này: đã mở vụ việc cho 1 trẻ em trong danh sách đã nhập, và vụ việc phải được lưu giữ.',
	message_en: 'This import cannot be undone: cases were opened for 1 of its children.',
	fields: [],
	retry_after_seconds: null
};

const preview: ImportPreview = {
	sheets: ['Danh sách', 'Thôn Đông'],
	sheet: 'Danh sách',
	header_row: 2,
	encoding: 'tcvn3',
	mapping: [
		{ column: 'A', header: 'STT', field: 'row_number', encoding: 'unicode' },
		{ column: 'B', header: 'Họ và tên', field: 'full_name', encoding: 'tcvn3' },
		{ column: 'C', header: 'Ngày sinh', field: 'date_of_birth', encoding: 'unicode' }
	],
	report: {
		rows: 2,
		imported: 1,
		updated: 0,
		skipped_duplicates: 0,
		rejected: [],
		rejected_rows: 1,
		encoding: 'tcvn3',
		mapping: [],
		sheet: 'Danh sách',
		dry_run: true,
		batch_id: null
	},
	rows: [
		{ row: 3, status: 'new', child: null, duplicate_of: null, problems: [], warnings: [], cells: [] },
		{
			row: 4,
			status: 'rejected',
			child: null,
			duplicate_of: null,
			problems: [{ row: 4, field: 'date_of_birth', column: 'C', message: 'Không đọc được ngày sinh.', message_en: 'No such date.' }],
			warnings: [],
			cells: ['2', 'Lò Thị Mỷ', '31/02/2016']
		}
	]
};

const batch: ImportBatch = {
	id: 'b1',
	file_name: 'DS trẻ em.xlsx',
	imported_at: '2026-12-07T03:00:00Z',
	author: 'Cán bộ Lan',
	encoding: 'unicode',
	rows: 3,
	imported: 2,
	updated: 0,
	skipped_duplicates: 1,
	rejected: 0,
	undone_at: null,
	undone_by: null
};

describe('Nhập từ Excel', () => {
	it('says clearly that a damaged file cannot be read, then previews the right one with the problem at its column', async () => {
		const sent: ImportRequest[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'find_lists') return [];
			if (cmd === 'import_history') return [];
			if (cmd === 'preview_import') {
				const r = (args as { request: ImportRequest }).request;
				sent.push(r);
				if (r.path.endsWith('hong.xlsx')) throw corrupt;
				return preview;
			}
			throw `unexpected ${cmd}`;
		});
		render(ImportList);
		expect(await screen.findByTestId('import-found-none')).toBeTruthy();
		const path = screen.getByTestId('import-path') as HTMLInputElement;
		await fireEvent.input(path, { target: { value: '/home/lan/hong.xlsx' } });
		await fireEvent.click(screen.getByTestId('import-preview'));
		expect((await screen.findByTestId('import-error')).textContent).toContain('tệp bị hỏng');
		expect(screen.queryByTestId('import-mapping')).toBeNull();

		await fireEvent.input(path, { target: { value: '/home/lan/DS trẻ em.xlsx' } });
		await fireEvent.click(screen.getByTestId('import-preview'));
		const bad = await screen.findByTestId('import-problem');
		expect(bad.dataset.column).toBe('C');
		expect(bad.textContent).toContain('Cột C (Ngày sinh)');
		expect(bad.textContent).toContain('“31/02/2016”');
		expect(bad.closest('tr')?.textContent).toContain('Lò Thị Mỷ');
		expect(screen.queryByTestId('import-error')).toBeNull();
		const counts = screen.getByTestId('import-counts');
		expect(counts.dataset.ready).toBe('1');
		expect(counts.dataset.refused).toBe('1');
		expect(screen.getByTestId('import-encoding').textContent).toContain('TCVN3');
		// A first preview sends no mapping: Rust proposes it.
		expect(sent.at(-1)?.mapping).toBeNull();

		// Column C not imported: only that change is sent.
		const selects = screen.getAllByTestId('import-field') as HTMLSelectElement[];
		await fireEvent.change(selects[2], { target: { value: '' } });
		await fireEvent.click(screen.getByTestId('import-apply'));
		await waitFor(() => expect(sent).toHaveLength(3));
		expect(sent[2].mapping).toEqual({ header_row: null, columns: { C: null } });
		expect(sent[2].sheet).toBe('Danh sách');
	});

	it('reads another sheet of the same file when the officer picks it', async () => {
		const sent: ImportRequest[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'find_lists') return [];
			if (cmd === 'import_history') return [];
			if (cmd === 'preview_import') {
				const r = (args as { request: ImportRequest }).request;
				sent.push(r);
				return { ...preview, sheet: r.sheet ?? preview.sheet };
			}
			throw `unexpected ${cmd}`;
		});
		render(ImportList);
		await fireEvent.input(await screen.findByTestId('import-path'), { target: { value: '/home/lan/DS.xlsx' } });
		await fireEvent.click(screen.getByTestId('import-preview'));
		const select = (await screen.findByTestId('import-sheet')) as HTMLSelectElement;
		await fireEvent.change(select, { target: { value: 'Thôn Đông' } });
		await waitFor(() => expect(sent).toHaveLength(2));
		expect(sent[1]).toMatchObject({ sheet: 'Thôn Đông', mapping: null });
	});

	it('shows how far the import is while Rust checks and saves the rows', async () => {
		let finish: (v: unknown) => void = () => {};
		let channel: { onmessage: (p: unknown) => void } | null = null;
		mockIPC((cmd, args) => {
			if (cmd === 'find_lists') return [];
			if (cmd === 'import_history') return [];
			if (cmd === 'preview_import') return preview;
			if (cmd === 'import_list') {
				channel = (args as { onProgress: { onmessage: (p: unknown) => void } }).onProgress;
				return new Promise((resolve) => (finish = resolve));
			}
			throw `unexpected ${cmd}`;
		});
		render(ImportList);
		await fireEvent.input(await screen.findByTestId('import-path'), { target: { value: '/home/lan/DS.xlsx' } });
		await fireEvent.click(screen.getByTestId('import-preview'));
		await fireEvent.click(await screen.findByTestId('import-run'));
		await waitFor(() => expect(channel).not.toBeNull());
		expect(screen.getByTestId('import-progress-text').textContent).toContain('Đang nhập');
		channel!.onmessage({ phase: 'check', done: 1200, total: 5000 });
		await waitFor(() =>
			expect(screen.getByTestId('import-progress-text').textContent).toContain('Đang kiểm tra 1.200/5.000 dòng')
		);
		channel!.onmessage({ phase: 'write', done: 300, total: 4800 });
		await waitFor(() => expect(screen.getByTestId('import-progress').dataset.phase).toBe('write'));
		const bar = screen.getByTestId('import-progress') as HTMLProgressElement;
		expect([bar.value, bar.max]).toEqual([300, 4800]);
		expect(screen.getByTestId('import-progress-text').textContent).toContain('Đang ghi 300/4.800 trẻ em');
		finish({ ...preview.report, dry_run: false, batch_id: 'b2' });
		expect(await screen.findByTestId('import-result')).toBeTruthy();
		expect(screen.queryByTestId('import-progress')).toBeNull();
	});

	it('shows why an import cannot be undone, next to it', async () => {
		mockIPC((cmd) => {
			if (cmd === 'find_lists') return [];
			if (cmd === 'import_history') return [batch];
			if (cmd === 'undo_import') throw hasCases;
			throw `unexpected ${cmd}`;
		});
		render(ImportList);
		const item = await screen.findByTestId('import-batch');
		expect(item.textContent).toContain('DS trẻ em.xlsx');
		expect(item.textContent).toContain('07/12/2026');
		await fireEvent.click(screen.getByTestId('import-undo'));
		expect(screen.getByTestId('import-undo-confirm').textContent).toContain('Xóa 2 hồ sơ');
		await fireEvent.click(screen.getByTestId('import-undo-yes'));
		expect((await screen.findByTestId('import-undo-refused')).textContent).toContain('vụ việc phải được lưu giữ');
	});
});
