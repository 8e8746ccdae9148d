import { describe, expect, it } from 'vitest';
import type { Child } from '$lib/api/contract';
import { draftFromChild, draftToInput, emptyCarer, emptyDraft, emptyGroup } from './child-draft';

const stored: Child = {
	id: '01a226ed-747e-7025-a771-7462fd447403',
	full_name: 'Hoàng Văn Páo',
	date_of_birth: null,
	estimated_age: { years: 7, as_of: '2026-11-20' },
	sex: 'male',
	ethnicity: { system: '121-TCTK', code: '08' },
	personal_id: null,
	residence_status: 'tam_tru',
	commune_code: '09955',
	village: 'Tổ dân phố số 3',
	carers: [
		{
			relation: 'grandparent',
			full_name: 'Hoàng Thị Mỷ',
			birth_year: 1958,
			occupation: '',
			phone: '',
			address: '',
			deceased: false,
			lives_with_child: true
		}
	],
	special_circumstances: [
		{ group: 'd', subgroup: 2, since: '2025-06-01', until: null },
		{ group: 'dd', subgroup: null, since: null, until: null }
	],
	at_risk: false,
	disability: { level: 'severe', note: 'Khuyết tật vận động' },
	schooling: { status: 'never', school: '', grade: '' },
	notes: '',
	created_at: '2026-11-29T10:50:25Z',
	updated_at: '2026-11-29T10:50:25Z'
};

describe('child form values', () => {
	it('an untouched new form sends only what the officer must fill, everything else null', () => {
		expect(draftToInput(emptyDraft())).toEqual({
			full_name: '',
			date_of_birth: null,
			estimated_age: null,
			sex: '',
			ethnicity: null,
			personal_id: null,
			residence_status: '',
			commune_code: null,
			village: null,
			home: null,
			carers: [],
			special_circumstances: [],
			at_risk: false,
			disability: null,
			schooling: null,
			notes: null
		});
	});

	it('a child who lives in another commune is sent with its home commune and address, which round-trip', () => {
		const visiting: Child = {
			...stored,
			residence_status: 'khong_cu_tru',
			home: { commune_code: '00004', address: 'Tổ dân phố 7' }
		};
		const draft = draftFromChild(visiting);
		expect(draftToInput(draft).home).toEqual({ commune_code: '00004', address: 'Tổ dân phố 7' });
		// Switched back to a resident: the hidden home fields are not sent.
		draft.residence_status = 'thuong_tru';
		expect(draftToInput(draft).home).toBeNull();
		expect(draftToInput(draftFromChild(stored)).home).toBeNull();
	});

	it('editing sends the record back as stored, the estimate date included (so the implied birth date does not move)', () => {
		const input = draftToInput(draftFromChild(stored));
		expect(input.estimated_age).toEqual({ years: 7, as_of: '20/11/2026' });
		expect(input.date_of_birth).toBeNull();
		expect(input.ethnicity).toBe('08');
		expect(input.commune_code).toBe('09955');
		expect(input.carers[0]).toEqual({
			relation: 'grandparent',
			full_name: 'Hoàng Thị Mỷ',
			birth_year: 1958,
			occupation: null,
			phone: null,
			address: null,
			deceased: false,
			lives_with_child: true
		});
		expect(input.special_circumstances).toEqual([
			{ group: 'd', subgroup: 2, since: '01/06/2025', until: null },
			{ group: 'dd', subgroup: null, since: null, until: null }
		]);
		expect(input.disability).toEqual({ level: 'severe', note: 'Khuyết tật vận động' });
		expect(input.schooling).toEqual({ status: 'never', school: null, grade: null });
	});

	it('keeps dates as typed (Rust reads and checks them) and numbers from digits only', () => {
		const d = emptyDraft();
		d.date_of_birth = '31/02/2019';
		d.carers.push({ ...emptyCarer(), birth_year: '19x8' });
		d.special_circumstances.push({ ...emptyGroup(), group: 'c', subgroup: '2', until: 'mai' });
		const input = draftToInput(d);
		expect(input.date_of_birth).toBe('31/02/2019');
		expect(input.carers[0].birth_year).toBeNull();
		expect(input.special_circumstances[0]).toEqual({ group: 'c', subgroup: 2, since: null, until: 'mai' });
	});

	it('gives every list row its own key, so removing one keeps the others', () => {
		expect(emptyCarer().key).not.toBe(emptyCarer().key);
	});
});
