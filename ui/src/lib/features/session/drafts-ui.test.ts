// Issue 16 item 1: what an officer typed survives the lock ("Khóa", the idle lock, Rust's own
// lock), and leaving a form with changes asks first (menu, link, Esc, the window's back). Item 10:
// the step form saves on Ctrl+Enter and cancels on Esc, like the other forms.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus, CaseView, Reference, Settings, SyncState } from '$lib/api/contract';
import CaseDetail from '$lib/features/cases/CaseDetail.svelte';
import CaseForm from '$lib/features/cases/CaseForm.svelte';
import ChildEditor from '$lib/features/children/ChildEditor.svelte';
import SettingsForm from '$lib/features/settings/SettingsForm.svelte';
import { refs } from '$lib/state/reference.svelte';
import { session, setStatus } from '$lib/state/session.svelte';
import Routes from '$lib/testing/Routes.svelte';
import { back, clickLink, goto, page, resetRouter, visited } from '$lib/testing/router.svelte';

vi.mock('$app/navigation', async () => {
	const r = await import('$lib/testing/router.svelte');
	return { goto: r.goto, beforeNavigate: r.beforeNavigate };
});
vi.mock('$app/state', async () => {
	const r = await import('$lib/testing/router.svelte');
	return { page: r.page };
});

const unlocked: AppStatus = {
	state: 'unlocked',
	commune: { code: '09955', name: 'Xã Thạch Thất', division_type: 'xã', province_code: '01', province_name: 'Thành phố Hà Nội' },
	officer_name: 'Nguyễn Thị Hòa',
	failed_attempts: 0,
	retry_after_seconds: null,
	idle_lock_minutes: 15,
	version: '0.1.0'
};
const locked: AppStatus = { ...unlocked, state: 'locked' };

const settings: Settings = {
	officer_name: 'Nguyễn Thị Hòa',
	commune_header: 'UBND XÃ THẠCH THẤT',
	chair_name: 'Lê Văn Tám',
	idle_lock_minutes: 15,
	language: 'vi',
	backup_folder: '',
	backup_keep: 10
};

const label = (code: string, label_vi: string, label_en: string) => ({ code, label_vi, label_en });
const reference = {
	steps: [label('intake', 'Tiếp nhận', 'Intake'), label('verification', 'Xác minh', 'Verification')],
	sexes: [label('female', 'Nữ', 'Female'), label('male', 'Nam', 'Male')],
	residence: [label('thuong_tru', 'Thường trú', 'Permanent')],
	channels: [label('phone', 'Điện thoại', 'Phone')],
	environments: [label('family', 'Gia đình', 'Family')]
} as unknown as Reference;

const notSynced = {
	overview: {
		enrolled: false,
		server_url: null,
		area_name: null,
		pending: 0,
		last_success_at: null,
		last_error: null,
		last_error_at: null,
		clock_offset_ms: null,
		clock_warning: null,
		clock_drift: null,
		open_conflicts: 0,
		refused: 0,
		held: 0,
		newer_format: 0
	},
	activity: { running: false, progress: null, problem: null, last_report: null, retry_in_seconds: null }
} as unknown as SyncState;

const caseView: CaseView = {
	id: 'k1',
	child_id: 'c1',
	child_name: 'Lò Thị Mây',
	received_at: '2026-11-23T08:30:00+07:00',
	category: 'abuse',
	abuse_forms: [],
	environment: 'family',
	incident_commune: '09955',
	residence_commune: '09955',
	incident_place: '',
	channel: 'phone',
	summary: '',
	stage: 'received',
	stage_label: 'Đã tiếp nhận',
	cycle: 1,
	next_steps: [{ step: 'verification', label: 'Xác minh', required: true }],
	deadlines: [],
	steps: [],
	blocked_steps: [],
	on_server: null
};

const lockedError = {
	code: 'locked',
	message: 'Phiên làm việc đã khóa.',
	message_en: 'The session is locked.',
	fields: [],
	retry_after_seconds: null
};

type Call = { cmd: string; args: unknown };

/** Answers what the shell and the forms ask; `extra` answers the rest (undefined: not handled). */
function ipc(extra?: (cmd: string, args: unknown) => unknown): Call[] {
	const calls: Call[] = [];
	let status = unlocked;
	mockIPC((cmd, args) => {
		calls.push({ cmd, args });
		const answer = extra?.(cmd, args);
		if (answer !== undefined) return answer;
		switch (cmd) {
			case 'app_status':
				return status;
			case 'lock':
				status = locked;
				return locked;
			case 'unlock':
				status = unlocked;
				return unlocked;
			case 'feed_position':
				return 0;
			case 'sync_state':
				return notSynced;
			case 'touch':
				return null;
			case 'reference':
				return reference;
			case 'get_settings':
				return settings;
			case 'villages':
				return [];
			case 'check_step':
			case 'check_case':
				return [];
		}
		throw `unexpected ${cmd}`;
	});
	return calls;
}

const field = (testid: string) => screen.getByTestId(testid) as HTMLInputElement;
const type = (testid: string, value: string) => fireEvent.input(field(testid), { target: { value } });

/** The app locks while the page is open (the shell then unmounts it), then is unlocked again. */
function lockAndUnmount(unmount: () => void) {
	setStatus(locked);
	unmount();
	setStatus(unlocked);
}

beforeEach(() => {
	resetRouter('/');
	refs.data = reference;
});

afterEach(() => {
	clearMocks();
	session.status = null;
	session.settings = null;
	vi.restoreAllMocks();
});

describe('a draft kept across the lock', () => {
	it('"Thêm trẻ em": half typed, "Khóa", unlocked: back on the form with what was typed', async () => {
		ipc((cmd) => (cmd === 'check_duplicates' ? [] : undefined));
		resetRouter('/children/new');
		const app = render(Routes);
		await screen.findByTestId('child-form');
		await type('child-field-full_name', 'Trần Bảo Ngọc');
		await type('child-field-notes', 'Mẹ đi làm xa, ở với bà ngoại.');

		await fireEvent.click(screen.getByTestId('nav-lock'));
		await screen.findByTestId('page-unlock');
		expect(page.url.pathname + page.url.search).toBe('/unlock?next=%2Fchildren%2Fnew');
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();

		await type('unlock-pass', 'mật khẩu dài của tôi');
		await fireEvent.click(screen.getByTestId('unlock-submit'));
		await screen.findByTestId('child-form');
		expect(page.url.pathname).toBe('/children/new');
		expect(field('child-field-full_name').value).toBe('Trần Bảo Ngọc');
		expect(field('child-field-notes').value).toBe('Mẹ đi làm xa, ở với bà ngoại.');
		expect(screen.getByTestId('draft-restored').textContent).toContain('chưa được lưu');
		app.unmount();
	});

	it('Mẫu 01: a save answered "locked" (Rust locked first) keeps the intake typed for after unlocking', async () => {
		ipc((cmd) => {
			if (cmd === 'open_case') throw lockedError;
			return undefined;
		});
		resetRouter('/cases/new');
		const app = render(Routes);
		await screen.findByTestId('case-form');
		await type('case-field-summary', 'Hàng xóm báo trẻ bị đánh nhiều lần.');
		await type('case-field-intake.child_condition', 'Có vết bầm ở tay.');
		await type('case-field-reporter.full_name', 'Bà Lý Thị Hoa');
		await fireEvent.click(screen.getByTestId('case-save'));

		await screen.findByTestId('page-unlock');
		await type('unlock-pass', 'mật khẩu dài của tôi');
		await fireEvent.click(screen.getByTestId('unlock-submit'));
		await screen.findByTestId('case-form');
		expect(field('case-field-summary').value).toBe('Hàng xóm báo trẻ bị đánh nhiều lần.');
		expect(field('case-field-intake.child_condition').value).toBe('Có vết bầm ở tay.');
		expect(field('case-field-reporter.full_name').value).toBe('Bà Lý Thị Hoa');
		app.unmount();
	});

	it('editing a child: the changed name comes back, not the stored one', async () => {
		ipc((cmd) => (cmd === 'get_child' ? profile('Lò Thị Mây') : undefined));
		setStatus(unlocked);
		const first = render(ChildEditor, { props: { id: 'c1', oncancel: vi.fn() } });
		await waitFor(() => expect(field('child-field-full_name').value).toBe('Lò Thị Mây'));
		await type('child-field-full_name', 'Lò Thị Mai');
		lockAndUnmount(first.unmount);

		render(ChildEditor, { props: { id: 'c1', oncancel: vi.fn() } });
		await waitFor(() => expect(field('child-field-full_name').value).toBe('Lò Thị Mai'));
	});

	it('the step form: the chosen step and its text come back', async () => {
		ipc((cmd) => (cmd === 'get_case' ? caseView : undefined));
		setStatus(unlocked);
		const first = render(CaseDetail, { props: { id: 'k1' } });
		await chooseVerification();
		await type('step-field-data.findings', 'Đã gặp trẻ và bà ngoại tại nhà.');
		lockAndUnmount(first.unmount);

		render(CaseDetail, { props: { id: 'k1' } });
		await screen.findByTestId('step-form');
		await waitFor(() => expect((screen.getByTestId('step-kind-select') as HTMLSelectElement).value).toBe('verification'));
		expect(field('step-field-data.findings').value).toBe('Đã gặp trẻ và bà ngoại tại nhà.');
	});

	it('settings: a chair name typed but not saved comes back', async () => {
		ipc();
		setStatus(unlocked);
		const first = render(SettingsForm);
		await waitFor(() => expect(field('settings-field-chair_name').value).toBe('Lê Văn Tám'));
		await type('settings-field-chair_name', 'Phạm Thị Thu');
		lockAndUnmount(first.unmount);

		render(SettingsForm);
		await waitFor(() => expect(screen.getByTestId('page-settings').dataset.ready).toBe('true'));
		expect(field('settings-field-chair_name').value).toBe('Phạm Thị Thu');
		expect(field('settings-field-officer_name').value).toBe('Nguyễn Thị Hòa');
	});
});

describe('leaving a form with changes asks first', () => {
	it('the top menu: "Ở lại" keeps the form and its text, "Bỏ thay đổi" leaves and forgets it', async () => {
		ipc();
		setStatus(unlocked);
		resetRouter('/children/new');
		const first = render(ChildEditor, { props: { id: null, oncancel: () => goto('/children') } });
		await screen.findByTestId('child-form');
		await type('child-field-full_name', 'Trần Bảo Ngọc');

		expect(clickLink('/children')).toBe(false);
		const dialog = await screen.findByTestId('unsaved-dialog');
		expect(dialog.getAttribute('role')).toBe('dialog');
		expect(dialog.textContent).toContain('Bỏ các thay đổi chưa lưu?');
		expect(document.activeElement).toBe(screen.getByTestId('unsaved-stay'));
		expect(screen.getByTestId('unsaved-stay').textContent?.trim()).toBe('Ở lại');
		expect(screen.getByTestId('unsaved-discard').textContent?.trim()).toBe('Bỏ thay đổi');

		await fireEvent.click(screen.getByTestId('unsaved-stay'));
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();
		expect(page.url.pathname).toBe('/children/new');
		expect(field('child-field-full_name').value).toBe('Trần Bảo Ngọc');

		clickLink('/children');
		await fireEvent.click(await screen.findByTestId('unsaved-discard'));
		expect(page.url.pathname).toBe('/children');
		first.unmount();

		// Discarded means gone: the next "Thêm trẻ em" starts empty.
		render(ChildEditor, { props: { id: null, oncancel: vi.fn() } });
		await screen.findByTestId('child-form');
		expect(field('child-field-full_name').value).toBe('');
		expect(screen.queryByTestId('draft-restored')).toBeNull();
	});

	it('a form without changes is left at once', async () => {
		ipc();
		setStatus(unlocked);
		render(ChildEditor, { props: { id: null, oncancel: vi.fn() } });
		await screen.findByTestId('child-form');
		expect(clickLink('/cases')).toBe(true);
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();
	});

	it('Esc on a form with changes asks; Esc again answers "Ở lại"', async () => {
		ipc();
		setStatus(unlocked);
		resetRouter('/children/new');
		render(ChildEditor, { props: { id: null, oncancel: () => goto('/children') } });
		await screen.findByTestId('child-form');
		await type('child-field-full_name', 'Trần Bảo Ngọc');

		await fireEvent.keyDown(window, { key: 'Escape' });
		await screen.findByTestId('unsaved-dialog');
		expect(page.url.pathname).toBe('/children/new');

		await fireEvent.keyDown(screen.getByTestId('unsaved-stay'), { key: 'Escape' });
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();
		expect(page.url.pathname).toBe('/children/new');
		expect(field('child-field-full_name').value).toBe('Trần Bảo Ngọc');
	});

	it("Mẫu 01 and the window's back: asks, and going back anyway goes back", async () => {
		ipc();
		setStatus(unlocked);
		resetRouter('/cases/new');
		const go = vi.spyOn(history, 'go').mockImplementation(() => undefined);
		render(CaseForm, { props: { child: null, oncancel: vi.fn() } });
		await type('case-field-intake.child_condition', 'Có vết bầm ở tay.');

		expect(back('/cases')).toBe(false);
		await fireEvent.click(await screen.findByTestId('unsaved-discard'));
		expect(go).toHaveBeenCalledWith(-1);
	});

	it('a saved form is left without asking and its draft is gone', async () => {
		ipc((cmd) => {
			if (cmd === 'check_duplicates') return [];
			if (cmd === 'save_child') return { id: 'c-new', full_name: 'Trần Bảo Ngọc' };
			return undefined;
		});
		setStatus(unlocked);
		resetRouter('/children/new');
		const first = render(ChildEditor, { props: { id: null, oncancel: vi.fn() } });
		await screen.findByTestId('child-form');
		await type('child-field-full_name', 'Trần Bảo Ngọc');
		await fireEvent.click(screen.getByTestId('child-save'));
		await waitFor(() => expect(visited).toEqual(['/children/c-new']));
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();
		first.unmount();

		render(ChildEditor, { props: { id: null, oncancel: vi.fn() } });
		await screen.findByTestId('child-form');
		expect(field('child-field-full_name').value).toBe('');
	});
});

describe('the step form keys (as the other forms)', () => {
	it('Ctrl+Enter records the step', async () => {
		const calls = ipc((cmd) => {
			if (cmd === 'get_case') return caseView;
			if (cmd === 'record_step') return { ...caseView, next_steps: [] };
			return undefined;
		});
		setStatus(unlocked);
		render(CaseDetail, { props: { id: 'k1' } });
		await chooseVerification();
		await type('step-field-data.findings', 'Đã gặp trẻ.');
		await fireEvent.keyDown(field('step-field-data.findings'), { key: 'Enter', ctrlKey: true });
		await waitFor(() => expect(calls.filter((c) => c.cmd === 'record_step')).toHaveLength(1));
		expect(calls.find((c) => c.cmd === 'record_step')?.args).toMatchObject({
			caseId: 'k1',
			input: { step: 'verification', data: { findings: 'Đã gặp trẻ.' } }
		});
	});

	it('Esc closes an untouched step form at once', async () => {
		ipc((cmd) => (cmd === 'get_case' ? caseView : undefined));
		setStatus(unlocked);
		render(CaseDetail, { props: { id: 'k1' } });
		await chooseVerification();
		await fireEvent.keyDown(screen.getByTestId('step-kind-select'), { key: 'Escape' });
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();
		expect((screen.getByTestId('step-kind-select') as HTMLSelectElement).value).toBe('');
		expect(screen.queryByTestId('step-submit')).toBeNull();
	});

	it('Esc with something typed asks; "Bỏ thay đổi" closes it', async () => {
		ipc((cmd) => (cmd === 'get_case' ? caseView : undefined));
		setStatus(unlocked);
		render(CaseDetail, { props: { id: 'k1' } });
		await chooseVerification();
		await type('step-field-data.findings', 'Đã gặp trẻ.');
		await fireEvent.keyDown(field('step-field-data.findings'), { key: 'Escape' });
		await screen.findByTestId('unsaved-dialog');
		expect(field('step-field-data.findings').value).toBe('Đã gặp trẻ.');
		await fireEvent.click(screen.getByTestId('unsaved-discard'));
		expect(screen.queryByTestId('unsaved-dialog')).toBeNull();
		expect(screen.queryByTestId('step-submit')).toBeNull();
	});

	it('"Hủy" with something typed asks too', async () => {
		ipc((cmd) => (cmd === 'get_case' ? caseView : undefined));
		setStatus(unlocked);
		render(CaseDetail, { props: { id: 'k1' } });
		await chooseVerification();
		await type('step-field-data.findings', 'Đã gặp trẻ.');
		await fireEvent.click(screen.getByTestId('step-cancel'));
		await screen.findByTestId('unsaved-dialog');
		await fireEvent.click(screen.getByTestId('unsaved-stay'));
		expect(field('step-field-data.findings').value).toBe('Đã gặp trẻ.');
	});
});

async function chooseVerification() {
	const select = (await screen.findByTestId('step-kind-select')) as HTMLSelectElement;
	await fireEvent.change(select, { target: { value: 'verification' } });
	await screen.findByTestId('step-field-data.findings');
}

function profile(full_name: string) {
	return {
		child: {
			id: 'c1',
			full_name,
			date_of_birth: '2016-03-08',
			estimated_age: null,
			sex: 'female',
			ethnicity: null,
			personal_id: null,
			residence_status: 'thuong_tru',
			commune_code: '09955',
			village: 'Thôn Đông',
			carers: [],
			special_circumstances: [],
			at_risk: false,
			disability: null,
			schooling: null,
			notes: ''
		},
		age: 10,
		cases: [],
		history: [],
		on_server: null,
		delete_refused: null
	};
}
