import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { goto } from '$app/navigation';
import type { DeletedChild } from '$lib/api/contract';
import ChildDelete from './ChildDelete.svelte';
import ChildDeletedNotice from './ChildDeletedNotice.svelte';
import DeletedChildren from './DeletedChildren.svelte';
import { deletedNotice } from './deleted-notice.svelte';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

afterEach(() => {
	clearMocks();
	vi.mocked(goto).mockClear();
	deletedNotice.current = null;
});

const reasonRequired = {
	code: 'required',
	message: 'Chưa nhập lý do. Hãy nhập giá trị này.',
	message_en: 'reason is required.',
	fields: [{ code: 'required', field: 'reason', message: 'Chưa nhập lý do. Hãy nhập giá trị này.', message_en: 'reason is required.' }],
	retry_after_seconds: null
};

/** Rust's refusal on the profile of a child with two cases (`ChildProfile.delete_refused`). */
const hasCases = {
	code: 'child_has_cases',
	field: null,
	message: 'Không xóa được hồ sơ này: trẻ đã có 2 vụ việc, và vụ việc phải được lưu giữ. Nếu đây là hồ sơ nhập trùng, hãy giữ hồ sơ có vụ việc và xóa hồ sơ kia.',
	message_en: 'This record cannot be deleted: the child has 2 case(s), which must be kept.'
};

describe('deleting a record from its profile', () => {
	it('asks for the reason at its field, then deletes and goes to the list with a notice', async () => {
		const sent: unknown[] = [];
		mockIPC((cmd, args) => {
			if (cmd !== 'delete_child') throw `unexpected ${cmd}`;
			sent.push(args);
			if (!(args as { reason: string }).reason.trim()) throw reasonRequired;
			return null;
		});
		render(ChildDelete, { props: { id: 'c2', name: 'Lò Văn Páo', refused: null } });
		expect(screen.queryByTestId('delete-dialog')).toBeNull();
		await fireEvent.click(screen.getByTestId('profile-delete'));
		const dialog = screen.getByTestId('delete-dialog');
		expect(dialog.textContent).toContain('Lò Văn Páo');
		expect(dialog.textContent).toContain('nhập trùng');
		expect(dialog.textContent).toContain('Hồ sơ đã xóa');
		const reason = screen.getByTestId('delete-field-reason') as HTMLTextAreaElement;
		expect(reason.placeholder).toContain('Nhập trùng với hồ sơ');

		await fireEvent.click(screen.getByTestId('delete-confirm'));
		expect((await screen.findByTestId('delete-error-reason')).textContent).toContain('Chưa nhập lý do');
		expect(reason.getAttribute('aria-invalid')).toBe('true');
		expect(goto).not.toHaveBeenCalled();

		await fireEvent.input(reason, { target: { value: 'Nhập trùng với hồ sơ Lò Văn Páo (1)' } });
		await fireEvent.click(screen.getByTestId('delete-confirm'));
		await waitFor(() => expect(goto).toHaveBeenCalledWith('/children'));
		expect(sent.at(-1)).toEqual({ id: 'c2', reason: 'Nhập trùng với hồ sơ Lò Văn Páo (1)' });
		expect(deletedNotice.current).toEqual({ id: 'c2', name: 'Lò Văn Páo' });
	});

	it('is disabled for a child with cases and says why; Rust refusing still shows its message', async () => {
		const { unmount } = render(ChildDelete, { props: { id: 'c1', name: 'Lò Văn Páo', refused: hasCases } });
		expect((screen.getByTestId('profile-delete') as HTMLButtonElement).disabled).toBe(true);
		expect(screen.getByTestId('profile-delete-blocked').textContent).toContain('đã có 2 vụ việc');
		unmount();

		// A case received by sync after the profile was shown: Rust refuses, with what to do.
		mockIPC(() => {
			throw {
				code: 'child_has_cases',
				message: 'Không xóa được hồ sơ này: trẻ đã có 1 vụ việc, và vụ việc phải được lưu giữ.',
				message_en: 'This record cannot be deleted: the child has 1 case(s).',
				fields: [],
				retry_after_seconds: null
			};
		});
		render(ChildDelete, { props: { id: 'c1', name: 'Lò Văn Páo', refused: null } });
		await fireEvent.click(screen.getByTestId('profile-delete'));
		await fireEvent.input(screen.getByTestId('delete-field-reason'), { target: { value: 'Nhập trùng' } });
		await fireEvent.click(screen.getByTestId('delete-confirm'));
		expect((await screen.findByTestId('delete-error')).textContent).toContain('trẻ đã có 1 vụ việc');
		expect(goto).not.toHaveBeenCalled();
	});

	it('Huỷ closes the dialog without deleting', async () => {
		mockIPC((cmd) => {
			throw `unexpected ${cmd}`;
		});
		render(ChildDelete, { props: { id: 'c2', name: 'Lò Văn Páo', refused: null } });
		await fireEvent.click(screen.getByTestId('profile-delete'));
		await fireEvent.click(screen.getByTestId('delete-cancel'));
		expect(screen.queryByTestId('delete-dialog')).toBeNull();
	});
});

describe('the notice on the children list', () => {
	it('says which record was deleted, and Hoàn tác restores it and opens its profile', async () => {
		const calls: [string, unknown][] = [];
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			if (cmd === 'restore_child') return { child: { id: 'c2' } };
			throw `unexpected ${cmd}`;
		});
		deletedNotice.current = { id: 'c2', name: 'Lò Văn Páo' };
		render(ChildDeletedNotice);
		expect(screen.getByTestId('child-deleted-notice').textContent).toContain('Đã xóa hồ sơ «Lò Văn Páo».');
		await fireEvent.click(screen.getByTestId('child-deleted-undo'));
		await waitFor(() => expect(goto).toHaveBeenCalledWith('/children/c2'));
		expect(calls).toEqual([['restore_child', { id: 'c2' }]]);
		expect(screen.queryByTestId('child-deleted-notice')).toBeNull();
	});
});

const deleted: DeletedChild = {
	id: 'c2',
	full_name: 'Lò Văn Páo',
	birth_date: '2015-09-05',
	deleted_at: '2026-11-29T01:30:00Z',
	deleted_by: 'Nguyễn Thị Hoa',
	reason: 'Nhập trùng với hồ sơ Lò Văn Páo (1)'
};

describe('deleted records', () => {
	it('lists each with its date of birth, when, who and why; Khôi phục restores and opens it', async () => {
		const calls: string[] = [];
		mockIPC((cmd) => {
			calls.push(cmd);
			if (cmd === 'deleted_children') return [deleted];
			if (cmd === 'restore_child') return { child: { id: 'c2' } };
			throw `unexpected ${cmd}`;
		});
		render(DeletedChildren);
		const row = await screen.findByTestId('deleted-row');
		expect(row.dataset.id).toBe('c2');
		expect(screen.getByTestId('deleted-name').textContent).toBe('Lò Văn Páo');
		expect(screen.getByTestId('deleted-dob').textContent).toBe('05/09/2015');
		expect(screen.getByTestId('deleted-at').textContent).toBe('29/11/2026 08:30');
		expect(screen.getByTestId('deleted-by').textContent).toBe('Nguyễn Thị Hoa');
		expect(screen.getByTestId('deleted-reason').textContent).toBe('Nhập trùng với hồ sơ Lò Văn Páo (1)');
		expect(screen.getByTestId('page-children-deleted').dataset.ready).toBe('true');

		await fireEvent.click(screen.getByTestId('deleted-restore'));
		await waitFor(() => expect(goto).toHaveBeenCalledWith('/children/c2'));
		expect(calls).toEqual(['deleted_children', 'restore_child']);
	});

	it('says so when none has been deleted', async () => {
		mockIPC(() => []);
		render(DeletedChildren);
		expect((await screen.findByTestId('deleted-empty')).textContent).toBe('Chưa có hồ sơ nào bị xóa.');
	});
});
