// Issue 16 item 11: "Còn lại" was empty for working-day deadlines (only the last 24 hours had a
// countdown), and English said "1 children".
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Overview } from '$lib/api/contract';
import { i18n, switchLocale } from '$lib/i18n.svelte';
import OverviewPanel from './OverviewPanel.svelte';

afterEach(() => {
	clearMocks();
	if (i18n.locale !== 'vi') switchLocale('vi');
});

const HOUR = 3600_000;
/** Vietnam time, as Rust sends it. */
const vn = (ms: number) => new Date(ms + 7 * HOUR).toISOString().replace(/\.\d+Z$/, '+07:00');

function overview(now: number, counts: { children: number; cases: number }): Overview {
	return {
		generated_at: vn(now),
		due: [
			{ case_id: 'k1', child_name: 'Nguyễn Thị Dũng', rule: 'emergency_12h', label: 'Biện pháp khẩn cấp trong 12 giờ', due_at: vn(now + 3 * HOUR), overdue: false, guidance: false, stage: 'initial_assessed' },
			// 4 days, 5 hours and a half away: a working-day deadline, far from its last day.
			{ case_id: 'k2', child_name: 'Trần Văn Bình', rule: 'plan_5_working_days', label: 'Kế hoạch trong 5 ngày làm việc', due_at: vn(now + 4 * 24 * HOUR + 5.5 * HOUR), overdue: false, guidance: false, stage: 'planning' },
			{ case_id: 'k3', child_name: 'Lê Phương Anh', rule: 'approval_2_working_days', label: 'Phê duyệt trong 2 ngày làm việc', due_at: vn(now + 25 * HOUR + 10 * 60_000), overdue: false, guidance: false, stage: 'awaiting_approval' }
		],
		children_total: counts.children,
		by_residence: [],
		by_group: [],
		disabled: 0,
		orphans: 0,
		at_risk: 0,
		open_cases: counts.cases,
		cases_by_stage: []
	};
}

async function show(counts = { children: 240, cases: 3 }) {
	const now = Date.now();
	mockIPC((cmd) => {
		if (cmd === 'overview') return overview(now, counts);
		if (cmd === 'feed_position') return 0;
		throw `unexpected ${cmd}`;
	});
	render(OverviewPanel);
	await waitFor(() => expect(screen.getByTestId('page-overview').dataset.ready).toBe('true'));
}

const left = (caseId: string) => {
	const row = screen.getAllByTestId('overview-due-item').find((r) => r.dataset.caseId === caseId)!;
	return (row.querySelector('[data-testid="overview-due-left"]')?.textContent ?? '').trim();
};

describe('overview: what is left before each deadline', () => {
	it('says how long is left for every open deadline, not only the last 24 hours', async () => {
		await show();
		expect(left('k2')).toBe('còn 4 ngày 5 giờ');
		expect(left('k3')).toBe('còn 1 ngày 1 giờ');
		// Under 24 hours: the live countdown, as before.
		expect(within(screen.getAllByTestId('overview-due-item')[0]).getByTestId('overview-due-countdown').textContent).toMatch(/^còn 0[23]:\d\d:\d\d$/);
	});

	it('in English too', async () => {
		switchLocale('en');
		await show();
		expect(left('k2')).toBe('4 d 5 h left');
	});
});

describe('overview: counts in English', () => {
	it('says "1 child" and "1 open case", and "children"/"cases" for more', async () => {
		switchLocale('en');
		await show({ children: 1, cases: 1 });
		expect(screen.getByTestId('overview-children-total').parentElement!.textContent).toContain('1 child in the register');
		expect(screen.getByTestId('overview-open-cases').parentElement!.textContent).toContain('1 open case');
		expect(screen.getByTestId('overview-open-cases').parentElement!.textContent).not.toContain('cases');
	});

	it('keeps the plural for other counts, and Vietnamese has one form', async () => {
		switchLocale('en');
		await show({ children: 2, cases: 0 });
		expect(screen.getByTestId('overview-children-total').parentElement!.textContent).toContain('2 children in the register');
		expect(screen.getByTestId('overview-open-cases').parentElement!.textContent).toContain('0 open cases');
		switchLocale('vi');
		clearMocks();
	});
});
