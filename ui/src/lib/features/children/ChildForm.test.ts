import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '$lib/api/contract';
import { session, setStatus } from '$lib/state/session.svelte';
import ChildForm from './ChildForm.svelte';
import ChildProfileView from './ChildProfileView.svelte';
import { emptyDraft } from './child-draft';

afterEach(() => {
	clearMocks();
	session.status = null;
});

const savedChild = { id: 'c-new', full_name: 'Trần Bảo Ngọc' };

function renderForm() {
	const onsaved = vi.fn();
	const oncancel = vi.fn();
	render(ChildForm, { props: { id: null, initial: emptyDraft(), onsaved, oncancel } });
	return { onsaved, oncancel };
}

describe('child form', () => {
	it('shows each Rust field message next to its input and keeps what was typed', async () => {
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'check_duplicates') return [];
			if (cmd === 'save_child') {
				sent.push(args);
				throw {
					code: 'impossible_date',
					message: 'Ngày sinh: ngày “31/02/2019” không có thật.',
					message_en: 'date_of_birth: "31/02/2019" does not exist.',
					fields: [
						{
							code: 'impossible_date',
							field: 'date_of_birth',
							message: 'Ngày sinh: ngày “31/02/2019” không có thật.',
							message_en: 'date_of_birth: "31/02/2019" does not exist.'
						}
					],
					retry_after_seconds: null
				};
			}
			throw `unexpected ${cmd}`;
		});
		const { onsaved } = renderForm();
		const name = screen.getByTestId('child-field-full_name') as HTMLInputElement;
		const dob = screen.getByTestId('child-field-date_of_birth') as HTMLInputElement;
		await fireEvent.input(name, { target: { value: 'Trần Bảo Ngọc' } });
		await fireEvent.input(dob, { target: { value: '31/02/2019' } });
		await fireEvent.click(screen.getByTestId('child-save'));

		const message = await screen.findByTestId('child-error-date_of_birth');
		expect(message.textContent).toContain('không có thật');
		expect(screen.getByTestId('child-error').textContent).toContain('31/02/2019');
		expect(dob.getAttribute('aria-invalid')).toBe('true');
		expect(dob.value).toBe('31/02/2019');
		expect(name.value).toBe('Trần Bảo Ngọc');
		expect(onsaved).not.toHaveBeenCalled();
		expect(sent[0]).toMatchObject({ id: null, input: { full_name: 'Trần Bảo Ngọc', date_of_birth: '31/02/2019' } });
	});

	it('shows possible duplicates first and saves only when the officer confirms', async () => {
		const commands: string[] = [];
		mockIPC((cmd) => {
			commands.push(cmd);
			if (cmd === 'check_duplicates')
				return [{ id: 'c-old', full_name: 'Trần Bảo Ngọc', date_of_birth: '2019-02-03' }];
			if (cmd === 'save_child') return savedChild;
			throw `unexpected ${cmd}`;
		});
		const { onsaved } = renderForm();
		await fireEvent.input(screen.getByTestId('child-field-full_name'), { target: { value: 'Trần Bảo Ngọc' } });
		await fireEvent.click(screen.getByTestId('child-save'));

		const item = await screen.findByTestId('child-dup-item');
		expect(item.getAttribute('data-id')).toBe('c-old');
		expect(item.querySelector('a')?.getAttribute('href')).toBe('/children/c-old');
		expect(commands).toEqual(['check_duplicates']);

		await fireEvent.click(screen.getByTestId('child-dup-save-anyway'));
		await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith(savedChild));
		expect(commands).toEqual(['check_duplicates', 'save_child']);
	});

	it('cancels on Esc', async () => {
		mockIPC(() => []);
		const { oncancel } = renderForm();
		await fireEvent.keyDown(window, { key: 'Escape' });
		expect(oncancel).toHaveBeenCalledTimes(1);
	});

	it('adds and removes carers, each with its own field paths', async () => {
		mockIPC(() => []);
		renderForm();
		await fireEvent.click(screen.getByTestId('child-carer-add'));
		await fireEvent.click(screen.getByTestId('child-carer-add'));
		expect(screen.getByTestId('child-field-carers[1].full_name')).toBeTruthy();
		await fireEvent.click(screen.getByTestId('child-carer-remove-0'));
		expect(screen.getAllByTestId('child-carer')).toHaveLength(1);
		expect(screen.queryByTestId('child-field-carers[1].full_name')).toBeNull();
	});
});

/** This installation: Xã Thạch Thất (09955). */
const status: AppStatus = {
	state: 'unlocked',
	commune: { code: '09955', name: 'Xã Thạch Thất', division_type: 'xã', province_code: '01', province_name: 'Thành phố Hà Nội' },
	officer_name: 'Nguyễn Thị Hòa',
	failed_attempts: 0,
	retry_after_seconds: null,
	idle_lock_minutes: 15,
	version: '0.1.0'
};
const baDinh = { code: '00004', name: 'Phường Ba Đình', province_name: 'Thành phố Hà Nội', note: null };

/** Answers `search_communes` for Ba Đình's code, and counts the look-ups. */
/** A profile of Lò Thị Mây, living in `commune_code`. */
const child = (commune_code: string) => ({
	child: {
		id: 'c1',
		full_name: 'Lò Thị Mây',
		date_of_birth: '2016-03-08',
		estimated_age: null,
		sex: 'female',
		ethnicity: null,
		personal_id: null,
		residence_status: 'thuong_tru',
		commune_code,
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
});

function communes(extra?: (cmd: string, args: unknown) => unknown) {
	const searched: string[] = [];
	mockIPC((cmd, args) => {
		if (cmd === 'search_communes') {
			const q = (args as { query: string }).query;
			searched.push(q);
			return q === '00004' ? [baDinh] : [];
		}
		if (extra) return extra(cmd, args);
		throw `unexpected ${cmd}`;
	});
	return searched;
}

describe('a child moving to another commune', () => {
	it('editing: another commune code says, under the field, that the child moves there, named', async () => {
		setStatus(status);
		communes();
		render(ChildForm, {
			props: { id: 'c1', initial: { ...emptyDraft(), commune_code: '09955' }, onsaved: vi.fn(), oncancel: vi.fn() }
		});
		const field = screen.getByTestId('child-field-commune_code');
		expect(screen.queryByTestId('child-move-notice')).toBeNull();

		await fireEvent.input(field, { target: { value: '0000' } });
		expect(screen.queryByTestId('child-move-notice')).toBeNull();
		await fireEvent.input(field, { target: { value: '00004' } });
		const notice = await screen.findByTestId('child-move-notice');
		expect(notice.getAttribute('role')).toBe('status');
		expect(notice.textContent).toContain('Trẻ sẽ được chuyển sang Phường Ba Đình, Thành phố Hà Nội (00004).');
		expect(notice.textContent).toContain('máy này không nhận thêm thay đổi của trẻ');

		// Back to this commune (or empty): the notice goes.
		await fireEvent.input(field, { target: { value: '' } });
		expect(screen.queryByTestId('child-move-notice')).toBeNull();
	});

	it('editing: an unknown code is named by its code alone', async () => {
		setStatus(status);
		communes();
		render(ChildForm, {
			props: { id: 'c1', initial: { ...emptyDraft(), commune_code: '99999' }, onsaved: vi.fn(), oncancel: vi.fn() }
		});
		const notice = await screen.findByTestId('child-move-notice');
		expect(notice.textContent).toContain('Trẻ sẽ được chuyển sang xã có mã 99999.');
	});

	it("a new child: no notice, and Rust's other_commune refusal shows at the commune field", async () => {
		setStatus(status);
		const message =
			'Trẻ cư trú ở Phường Ba Đình, Thành phố Hà Nội (00004) không thêm được vào sổ của xã này (09955): mỗi xã quản lý trẻ em cư trú (thường trú hoặc tạm trú) tại xã mình.';
		const searched = communes((cmd) => {
			if (cmd === 'check_duplicates') return [];
			if (cmd === 'save_child')
				throw {
					code: 'other_commune',
					message,
					message_en: 'A child living in Phường Ba Đình, Thành phố Hà Nội (00004) cannot be added to this commune\'s register (09955).',
					fields: [{ code: 'other_commune', field: 'commune_code', message, message_en: 'A child living in …' }],
					retry_after_seconds: null
				};
			throw `unexpected ${cmd}`;
		});
		const { onsaved } = renderForm();
		const field = screen.getByTestId('child-field-commune_code');
		await fireEvent.input(field, { target: { value: '00004' } });
		await fireEvent.click(screen.getByTestId('child-save'));
		const error = await screen.findByTestId('child-error-commune_code');
		expect(error.textContent).toContain('không thêm được vào sổ của xã này');
		expect(field.getAttribute('aria-invalid')).toBe('true');
		expect(screen.queryByTestId('child-move-notice')).toBeNull();
		expect(searched).toEqual([]);
		expect(onsaved).not.toHaveBeenCalled();
	});

	it("the profile of a child of another commune says it has moved there; a child of this commune's says nothing", async () => {
		setStatus(status);
		let code = '00004';
		communes((cmd) => {
			if (cmd === 'get_child') return child(code);
			if (cmd === 'feed_position') return 0;
			throw `unexpected ${cmd}`;
		});
		const first = render(ChildProfileView, { props: { id: 'c1' } });
		const banner = await screen.findByTestId('profile-moved');
		expect(banner.textContent).toContain('Trẻ đã chuyển đến Phường Ba Đình, Thành phố Hà Nội (00004).');
		first.unmount();

		code = '09955';
		render(ChildProfileView, { props: { id: 'c1' } });
		await screen.findByTestId('profile-name');
		expect(screen.queryByTestId('profile-moved')).toBeNull();
	});
});

describe('a profile whose record was deleted', () => {
	it('says who deleted it, when and why, and restores it in place', async () => {
		setStatus(status);
		let gone = true;
		const restored: unknown[] = [];
		communes((cmd, args) => {
			if (cmd === 'feed_position') return 0;
			if (cmd === 'get_child') {
				if (gone) throw { code: 'not_found', message: 'Không tìm thấy trẻ em c1.', message_en: 'Child c1 not found.', fields: [], retry_after_seconds: null };
				return child('09955');
			}
			if (cmd === 'deleted_children')
				return gone
					? [{ id: 'c1', full_name: 'Lò Thị Mây', birth_date: '2016-03-08', deleted_at: '2026-11-29T03:15:00+00:00', deleted_by: 'Anh Nam', reason: 'Nhập trùng' }]
					: [];
			if (cmd === 'restore_child') {
				restored.push(args);
				gone = false;
				return child('09955');
			}
			throw `unexpected ${cmd}`;
		});
		render(ChildProfileView, { props: { id: 'c1' } });
		const banner = await screen.findByTestId('profile-deleted');
		expect(banner.textContent).toContain('Hồ sơ của Lò Thị Mây đã bị xóa lúc 29/11/2026 10:15 bởi Anh Nam. Lý do: Nhập trùng.');
		expect(screen.queryByTestId('profile-error')?.textContent ?? '').toBe('');
		await fireEvent.click(screen.getByTestId('profile-deleted-restore'));
		expect((await screen.findByTestId('profile-name')).textContent).toBe('Lò Thị Mây');
		expect(restored).toEqual([{ id: 'c1' }]);
		expect(screen.queryByTestId('profile-deleted')).toBeNull();
	});
});

describe('the commune of residence, by its name (issue 16 item 15)', () => {
	it('is found by name and chosen, not typed as a 5-digit code', async () => {
		setStatus(status);
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'search_communes') return (args as { query: string }).query.includes('Ba Đình') ? [baDinh] : [];
			if (cmd === 'check_duplicates') return [];
			if (cmd === 'save_child') {
				sent.push(args);
				return savedChild;
			}
			throw `unexpected ${cmd}`;
		});
		render(ChildForm, {
			props: { id: 'c1', initial: { ...emptyDraft(), full_name: 'Lò Thị Mây' }, onsaved: vi.fn(), oncancel: vi.fn() }
		});
		const box = screen.getByTestId('child-field-commune_code') as HTMLInputElement;
		const field = box.closest('.commune-search') as HTMLElement;
		expect(field.textContent).toContain('Xã/phường nơi cư trú');
		expect(field.textContent).not.toContain('Mã xã');
		expect(field.textContent).toContain('để trống nếu trẻ ở Xã Thạch Thất');
		await fireEvent.input(box, { target: { value: 'Ba Đình' } });
		await fireEvent.keyDown(box, { key: 'Enter' });
		await waitFor(() => expect(screen.getByTestId('child-commune-selected').dataset.code).toBe('00004'));
		expect(screen.getByTestId('child-commune-selected').textContent).toContain('Phường Ba Đình');
		await fireEvent.click(screen.getByTestId('child-save'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]).toMatchObject({ input: { commune_code: '00004' } });
	});

	it("the profile names the commune, not only its code", async () => {
		setStatus(status);
		communes((cmd) => {
			if (cmd === 'get_child') return child('00004');
			if (cmd === 'feed_position') return 0;
			throw `unexpected ${cmd}`;
		});
		const first = render(ChildProfileView, { props: { id: 'c1' } });
		await waitFor(() =>
			expect(screen.getByTestId('profile-commune').textContent).toBe('Phường Ba Đình, Thành phố Hà Nội (00004)')
		);
		first.unmount();
		communes((cmd) => {
			if (cmd === 'get_child') return child('09955');
			if (cmd === 'feed_position') return 0;
			throw `unexpected ${cmd}`;
		});
		render(ChildProfileView, { props: { id: 'c1' } });
		expect((await screen.findByTestId('profile-commune')).textContent).toBe('Xã Thạch Thất, Thành phố Hà Nội (09955)');
	});
});

describe('a child who lives in another commune (issue 15 item 3)', () => {
	it('the officer names the home commune and address; a resident is not asked', async () => {
		setStatus(status);
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd === 'search_communes') return (args as { query: string }).query.includes('Ba Đình') ? [baDinh] : [];
			if (cmd === 'check_duplicates') return [];
			if (cmd === 'save_child') {
				sent.push(args);
				return savedChild;
			}
			throw `unexpected ${cmd}`;
		});
		const resident = render(ChildForm, {
			props: { id: null, initial: { ...emptyDraft(), residence_status: 'thuong_tru' }, onsaved: vi.fn(), oncancel: vi.fn() }
		});
		expect(screen.queryByTestId('child-field-home.commune_code')).toBeNull();
		resident.unmount();

		render(ChildForm, {
			props: {
				id: null,
				initial: { ...emptyDraft(), full_name: 'Lò Văn Pá', residence_status: 'khong_cu_tru' },
				onsaved: vi.fn(),
				oncancel: vi.fn()
			}
		});
		expect(screen.getByTestId('child-home-note').textContent).toContain('xã nơi trẻ cư trú xây dựng');
		const keeper = screen.getByTestId('child-field-commune_code').closest('.commune-search') as HTMLElement;
		expect(keeper.textContent).toContain('Xã/phường giữ hồ sơ');
		const box = screen.getByTestId('child-field-home.commune_code') as HTMLInputElement;
		expect((box.closest('.commune-search') as HTMLElement).textContent).toContain('Xã/phường nơi trẻ cư trú');
		await fireEvent.input(box, { target: { value: 'Ba Đình' } });
		await fireEvent.keyDown(box, { key: 'Enter' });
		await waitFor(() => expect(screen.getByTestId('child-home-commune-selected').dataset.code).toBe('00004'));
		await fireEvent.input(screen.getByTestId('child-field-home.address'), { target: { value: 'Tổ dân phố 7' } });
		await fireEvent.click(screen.getByTestId('child-save'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0]).toMatchObject({
			input: { residence_status: 'khong_cu_tru', commune_code: null, home: { commune_code: '00004', address: 'Tổ dân phố 7' } }
		});
	});
});
