// Issue 11, the Báo cáo screen: the request it sends for each kind of period, a refusal shown
// next to the field Rust names, and the records to fix listed as links to their screens.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportRequest, ReportView } from '$lib/api/contract';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import ReportPage from './ReportPage.svelte';
import { lastChoice } from './last-choice.svelte';
import { defaultChoice } from './period';

afterEach(() => {
	clearMocks();
	lastChoice.value = null;
	if (i18n.locale !== 'vi') switchLocale('vi');
});

const view = (from: string, to: string): ReportView => ({
	from,
	to,
	generated_at: '2026-12-07T10:00:00+07:00',
	note: 'Mẫu báo cáo tạm thời',
	children: [{ code: 'total', label: 'Tổng số trẻ em', label_en: 'Children in total', count: 1234 }],
	cases: [{ code: 'received', label: 'Vụ việc tiếp nhận trong kỳ', label_en: 'Received in the period', count: 3 }],
	deadlines: [
		{ rule: 'plan_5_working_days', label: 'Kế hoạch trong 05 ngày làm việc', label_en: 'Plan within 5 working days', met: 2, overdue: 1, pending: 0 }
	],
	gaps: [
		{ kind: 'child_no_birth_date', record: 'child', id: 'c-1', child_name: 'Hờ Thị Mỷ', stage: null, rule: null, due_at: null },
		{ kind: 'case_overdue', record: 'case', id: 'k-1', child_name: 'Lương Thị Xuân', stage: 'planning', rule: 'plan_5_working_days', due_at: '2026-11-09T23:59:59+07:00' },
		{ kind: 'step_recorded_late', record: 'case', id: 'k-2', child_name: 'Vàng Văn Páo', stage: null, rule: 'plan_5_working_days', due_at: '2026-10-12T23:59:59+07:00' }
	]
});

function mock(answer: (r: ReportRequest) => ReportView | never, saves: unknown[] = []) {
	const sent: ReportRequest[] = [];
	mockIPC((cmd, args) => {
		if (cmd === 'save_report') {
			saves.push(args);
			return { path: '/home/hoa/Documents/BVTE/bao-cao-09955-2026-10-01-2026-12-07.xlsx' };
		}
		if (cmd === 'report') {
			const r = (args as { request: ReportRequest }).request;
			sent.push(r);
			return answer(r);
		}
		if (cmd === 'feed_position') return 0;
		throw `unexpected ${cmd}`;
	});
	return sent;
}

describe('Báo cáo', () => {
	it('sends the quarter chosen and shows figures, deadlines and the records to fix as links', async () => {
		const sent = mock(() => view('2026-10-01', '2026-12-07'));
		render(ReportPage);
		await fireEvent.change(screen.getByTestId('report-field-report_kind'), { target: { value: 'quarter' } });
		await fireEvent.change(screen.getByTestId('report-field-report_index'), { target: { value: '4' } });
		await fireEvent.click(screen.getByTestId('report-make'));
		await waitFor(() => expect(screen.getByTestId('page-reports').dataset.ready).toBe('true'));
		expect(sent[0]).toMatchObject({ kind: 'quarter', index: 4, from: '', to: '' });
		expect(screen.getByTestId('report-result').textContent).toContain('Báo cáo từ ngày 01/10/2026 đến ngày 07/12/2026');
		expect(screen.getByTestId('report-children-total').textContent).toContain('1.234');
		expect(screen.getByTestId('report-deadline-plan_5_working_days').dataset.overdue).toBe('1');
		const links = screen.getAllByTestId('report-gap').map((li) => li.querySelector('a')!.getAttribute('href'));
		expect(links).toEqual(['/children/c-1', '/cases/k-1', '/cases/k-2']);
		expect(screen.getAllByTestId('report-gap')[1].textContent).toContain('hạn 09/11/2026');
		const late = screen.getAllByTestId('report-gap')[2].textContent ?? '';
		expect(late).toContain('Kế hoạch trong 05 ngày làm việc');
		expect(late).toContain('nhập vào phần mềm sau khi đã quá hạn (12/10/2026');
	});

	it('sends the two days typed for a custom period and shows a refusal at its field', async () => {
		const sent = mock(() => {
			throw {
				code: 'invalid',
				message: 'Dữ liệu không hợp lệ',
				message_en: 'Invalid input',
				fields: [
					{ code: 'period_inverted', field: 'report_to', message: 'Ngày cuối kỳ báo cáo: ngày kết thúc trước ngày bắt đầu.', message_en: 'Last day of the report: the end is before the start.' }
				]
			};
		});
		render(ReportPage);
		await fireEvent.change(screen.getByTestId('report-field-report_kind'), { target: { value: 'custom' } });
		await fireEvent.input(screen.getByTestId('report-field-report_from'), { target: { value: '30/11/2026' } });
		await fireEvent.input(screen.getByTestId('report-field-report_to'), { target: { value: '01/11/2026' } });
		await fireEvent.click(screen.getByTestId('report-make'));
		await waitFor(() => expect(screen.getByTestId('report-error-report_to').textContent).toContain('ngày kết thúc trước ngày bắt đầu'));
		expect(sent[0]).toEqual({ kind: 'custom', year: 0, index: 0, from: '30/11/2026', to: '01/11/2026' });
		expect(screen.getByTestId('page-reports').dataset.ready).toBe('false');
	});

	it('comes back to the period last reported on, counted anew', async () => {
		const sent = mock(() => view('2026-11-01', '2026-11-30'));
		lastChoice.value = { kind: 'month', year: 2026, index: 11, from: '', to: '' };
		render(ReportPage);
		await waitFor(() => expect(screen.getByTestId('page-reports').dataset.ready).toBe('true'));
		expect(sent).toEqual([{ kind: 'month', year: 2026, index: 11, from: '', to: '' }]);
	});

	it('saves the report it shows, not what the fields say after it was made', async () => {
		const saves: unknown[] = [];
		mock(() => view('2026-10-01', '2026-12-07'), saves);
		render(ReportPage);
		await fireEvent.change(screen.getByTestId('report-field-report_kind'), { target: { value: 'quarter' } });
		await fireEvent.change(screen.getByTestId('report-field-report_index'), { target: { value: '4' } });
		await fireEvent.click(screen.getByTestId('report-make'));
		await waitFor(() => expect(screen.getByTestId('page-reports').dataset.ready).toBe('true'));
		await fireEvent.change(screen.getByTestId('report-field-report_kind'), { target: { value: 'year' } });
		await fireEvent.click(screen.getByTestId('report-save-xlsx'));
		await waitFor(() => expect(screen.getByTestId('report-saved').textContent).toContain('bao-cao-09955-2026-10-01-2026-12-07.xlsx'));
		expect(saves).toEqual([{ request: { kind: 'quarter', year: defaultChoice(Date.now()).year, index: 4, from: '', to: '' }, format: 'xlsx', open: false }]);
	});

	it('speaks English on the English screen', async () => {
		switchLocale('en');
		mock(() => view('2026-11-01', '2026-11-30'));
		render(ReportPage);
		await fireEvent.click(screen.getByTestId('report-make'));
		await waitFor(() => expect(screen.getByTestId('page-reports').dataset.ready).toBe('true'));
		expect(screen.getByTestId('report-result').textContent).toContain('Report from 01/11/2026 to 30/11/2026');
		expect(screen.getByTestId('report-children-total').textContent).toContain('Children in total');
		expect(screen.getByTestId('report-gaps').textContent).toContain('no date of birth');
	});
});
