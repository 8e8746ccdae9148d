import type { CommuneHit } from '$lib/api/contract';
import { describe, expect, it } from 'vitest';
import { communeName, moveCode, moveTarget, moveText } from './commune-move';

const OWN = '09955';
const BA_DINH: CommuneHit = { code: '00004', name: 'Phường Ba Đình', province_name: 'Thành phố Hà Nội', note: null };
/** What `search_communes` answers for an old code: its successor, with a note. */
const MERGED: CommuneHit = {
	code: '09955',
	name: 'Xã Thạch Thất',
	province_name: 'Thành phố Hà Nội',
	note: 'Mã cũ 09958 (Xã Đại Đồng, Huyện Thạch Thất) đã sáp nhập vào đây từ 01/07/2025'
};

describe('whether a commune code moves the child', () => {
	it('moves a child whose code is another commune, as typed (spaces around ignored)', () => {
		expect(moveCode('00004', OWN)).toBe('00004');
		expect(moveCode(' 00004 ', OWN)).toBe('00004');
	});

	it("keeps a child in this commune: its own code, or empty (Rust reads it as this commune's)", () => {
		expect(moveCode(OWN, OWN)).toBeNull();
		expect(moveCode('', OWN)).toBeNull();
		expect(moveCode('   ', OWN)).toBeNull();
	});

	it('decides nothing on a code still being typed or not a code, nor before the own commune is known', () => {
		expect(moveCode('0000', OWN)).toBeNull();
		expect(moveCode('000045', OWN)).toBeNull();
		expect(moveCode('Ba Đình', OWN)).toBeNull();
		expect(moveCode('00004', null)).toBeNull();
		expect(moveCode('00004', undefined)).toBeNull();
	});
});

describe('the commune moved to', () => {
	it('is named with its province when the code is a current commune', () => {
		expect(communeName('00004', [BA_DINH])).toBe('Phường Ba Đình, Thành phố Hà Nội');
		expect(moveTarget('00004', OWN, [MERGED, BA_DINH])).toEqual({
			code: '00004',
			name: 'Phường Ba Đình, Thành phố Hà Nội'
		});
	});

	it('goes by its code alone when unknown, or an old code (its hit is the successor, not the code)', () => {
		expect(moveTarget('99999', OWN, [])).toEqual({ code: '99999', name: null });
		expect(moveTarget('09958', OWN, [MERGED])).toEqual({ code: '09958', name: null });
		expect(communeName('09955', [MERGED])).toBeNull();
	});

	it('is none when the child stays', () => {
		expect(moveTarget(OWN, OWN, [MERGED])).toBeNull();
		expect(moveTarget('', OWN, [BA_DINH])).toBeNull();
	});
});

describe('what the officer reads', () => {
	const named = { code: '00004', name: 'Phường Ba Đình, Thành phố Hà Nội' };
	const bare = { code: '99999', name: null };

	it('while editing, in Vietnamese: the child will be moved, what goes and what stops', () => {
		expect(moveText(named, 'form', 'vi')).toBe(
			'Trẻ sẽ được chuyển sang Phường Ba Đình, Thành phố Hà Nội (00004). Sau khi đồng bộ, hồ sơ cùng các vụ việc của trẻ được gửi cho xã đó, và máy này không nhận thêm thay đổi của trẻ. ' +
				'Hãy kiểm tra kỹ mã xã: sau lần đồng bộ tới, chỉ xã nhận mới chuyển trẻ về lại được (máy chủ không nhận việc chuyển về từ xã này).'
		);
		expect(moveText(bare, 'form', 'vi')).toMatch(/^Trẻ sẽ được chuyển sang xã có mã 99999\. /);
	});

	it('while editing, in English', () => {
		expect(moveText(named, 'form', 'en')).toBe(
			"The child will be moved to Phường Ba Đình, Thành phố Hà Nội (00004). After the next sync, the record and the child's cases go to that commune, and this PC no longer receives changes to the child. " +
				'Check the code carefully: after the next sync, only the receiving commune can move the child back (the server refuses a move back from this commune).'
		);
		expect(moveText(bare, 'form', 'en')).toMatch(/^The child will be moved to the commune with code 99999\. /);
	});

	it('while editing, warns that after the next sync only the receiving commune can move the child back', () => {
		// The server refuses a move back sent from the commune the child left (issue 10, item 2).
		expect(moveText(bare, 'form', 'vi')).toContain('chỉ xã nhận mới chuyển trẻ về lại được');
		expect(moveText(bare, 'form', 'en')).toContain('only the receiving commune can move the child back');
		// the profile speaks of a move already made: nothing to check before saving
		expect(moveText(named, 'profile', 'vi')).not.toContain('chuyển trẻ về');
	});

	it('on the profile, in both languages: the child has moved', () => {
		expect(moveText(named, 'profile', 'vi')).toBe(
			'Trẻ đã chuyển đến Phường Ba Đình, Thành phố Hà Nội (00004). Hồ sơ và vụ việc được chuyển cho xã đó khi đồng bộ; máy này không nhận thêm thay đổi của trẻ.'
		);
		expect(moveText(bare, 'profile', 'en')).toBe(
			'The child has moved to the commune with code 99999. The record and cases go to that commune when syncing; this PC no longer receives changes to the child.'
		);
	});
});
