// The child form's working copy: every input as the officer typed it (strings for numbers and
// dates), converted to `ChildInput` only when sending. No rule is checked here; Rust validates
// and its messages come back keyed by the same JSON paths.

import type { Child, ChildInput } from '$lib/api/contract';
import { isoToDmy } from '$lib/format/dates';

export type CarerDraft = {
	key: number;
	relation: string;
	full_name: string;
	birth_year: string;
	occupation: string;
	phone: string;
	address: string;
	deceased: boolean;
	lives_with_child: boolean;
};

export type GroupDraft = {
	key: number;
	group: string;
	subgroup: string;
	since: string;
	until: string;
};

export type ChildDraft = {
	full_name: string;
	date_of_birth: string;
	age_years: string;
	age_as_of: string;
	sex: string;
	ethnicity: string;
	personal_id: string;
	residence_status: string;
	commune_code: string;
	village: string;
	/** Where a child who lives in another commune lives (`khong_cu_tru`). */
	home_commune_code: string;
	home_address: string;
	carers: CarerDraft[];
	special_circumstances: GroupDraft[];
	at_risk: boolean;
	disability_level: string;
	disability_note: string;
	schooling_status: string;
	school: string;
	grade: string;
	notes: string;
};

let nextKey = 1;
/** A key that identifies a list row while rows are added and removed. */
export const rowKey = () => nextKey++;

export function emptyCarer(): CarerDraft {
	return {
		key: rowKey(),
		relation: '',
		full_name: '',
		birth_year: '',
		occupation: '',
		phone: '',
		address: '',
		deceased: false,
		lives_with_child: false
	};
}

export function emptyGroup(): GroupDraft {
	return { key: rowKey(), group: '', subgroup: '', since: '', until: '' };
}

export function emptyDraft(): ChildDraft {
	return {
		full_name: '',
		date_of_birth: '',
		age_years: '',
		age_as_of: '',
		sex: '',
		ethnicity: '',
		personal_id: '',
		residence_status: '',
		commune_code: '',
		village: '',
		home_commune_code: '',
		home_address: '',
		carers: [],
		special_circumstances: [],
		at_risk: false,
		disability_level: '',
		disability_note: '',
		schooling_status: '',
		school: '',
		grade: '',
		notes: ''
	};
}

/** The stored record as form values (dates as dd/mm/yyyy; the estimate's date kept as stored). */
export function draftFromChild(c: Child): ChildDraft {
	return {
		full_name: c.full_name,
		date_of_birth: isoToDmy(c.date_of_birth),
		age_years: c.estimated_age ? String(c.estimated_age.years) : '',
		age_as_of: c.estimated_age ? isoToDmy(c.estimated_age.as_of) : '',
		sex: c.sex,
		ethnicity: c.ethnicity?.code ?? '',
		personal_id: c.personal_id ?? '',
		residence_status: c.residence_status,
		commune_code: c.commune_code,
		village: c.village,
		home_commune_code: c.home?.commune_code ?? '',
		home_address: c.home?.address ?? '',
		carers: c.carers.map((k) => ({
			key: rowKey(),
			relation: k.relation,
			full_name: k.full_name,
			birth_year: k.birth_year === null ? '' : String(k.birth_year),
			occupation: k.occupation,
			phone: k.phone,
			address: k.address,
			deceased: k.deceased,
			lives_with_child: k.lives_with_child
		})),
		special_circumstances: c.special_circumstances.map((g) => ({
			key: rowKey(),
			group: g.group,
			subgroup: g.subgroup === null ? '' : String(g.subgroup),
			since: isoToDmy(g.since),
			until: isoToDmy(g.until)
		})),
		at_risk: c.at_risk,
		disability_level: c.disability?.level ?? '',
		disability_note: c.disability?.note ?? '',
		schooling_status: c.schooling?.status ?? '',
		school: c.schooling?.school ?? '',
		grade: c.schooling?.grade ?? '',
		notes: c.notes
	};
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s);
const int = (s: string): number | null => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/** The residence status of a child who lives in another commune: the form then asks where. */
export const LIVES_ELSEWHERE = 'khong_cu_tru';

/** The form values as `ChildInput`: empty optional values become null. The home commune is sent
 * only while the form shows it (residence status `khong_cu_tru`); Rust judges it. */
export function draftToInput(d: ChildDraft): ChildInput {
	const years = int(d.age_years);
	return {
		full_name: d.full_name,
		date_of_birth: opt(d.date_of_birth),
		estimated_age: years === null ? null : { years, as_of: opt(d.age_as_of) },
		sex: d.sex,
		ethnicity: opt(d.ethnicity),
		personal_id: opt(d.personal_id),
		residence_status: d.residence_status,
		commune_code: opt(d.commune_code),
		village: opt(d.village),
		home:
			d.residence_status === LIVES_ELSEWHERE
				? { commune_code: d.home_commune_code, address: opt(d.home_address) }
				: null,
		carers: d.carers.map((k) => ({
			relation: k.relation,
			full_name: k.full_name,
			birth_year: int(k.birth_year),
			occupation: opt(k.occupation),
			phone: opt(k.phone),
			address: opt(k.address),
			deceased: k.deceased,
			lives_with_child: k.lives_with_child
		})),
		special_circumstances: d.special_circumstances.map((g) => ({
			group: g.group,
			subgroup: int(g.subgroup),
			since: opt(g.since),
			until: opt(g.until)
		})),
		at_risk: d.at_risk,
		disability: d.disability_level
			? { level: d.disability_level, note: opt(d.disability_note) }
			: null,
		schooling: d.schooling_status
			? { status: d.schooling_status, school: opt(d.school), grade: opt(d.grade) }
			: null,
		notes: opt(d.notes)
	};
}
