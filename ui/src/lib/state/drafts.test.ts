import { afterEach, describe, expect, it } from 'vitest';
import { draftKey, dropAllDrafts, dropDraft, keepDraft, keptDraft, sameDraft } from './drafts';

afterEach(() => dropAllDrafts());

describe('drafts', () => {
	it('keeps a copy per form and record, given back as a copy until dropped', () => {
		const draft = { full_name: 'Trần Bảo Ngọc', carers: [{ key: 1, full_name: 'Bà Hoa' }] };
		keepDraft(draftKey('child', 'new'), draft);
		draft.full_name = 'changed after keeping';
		const back = keptDraft<typeof draft>('child:new');
		expect(back?.full_name).toBe('Trần Bảo Ngọc');
		back!.carers[0].full_name = 'changed after taking';
		expect(keptDraft<typeof draft>('child:new')?.carers[0].full_name).toBe('Bà Hoa');
		expect(keptDraft(draftKey('child', 'c1'))).toBeUndefined();
		dropDraft('child:new');
		expect(keptDraft('child:new')).toBeUndefined();
	});

	it('names a one-off form by itself', () => {
		expect(draftKey('settings')).toBe('settings');
		expect(draftKey('step', 'k1')).toBe('step:k1');
	});

	it('compares what was typed, not the on-screen row keys', () => {
		expect(sameDraft({ rows: [{ key: 1, a: 'x' }] }, { rows: [{ key: 7, a: 'x' }] })).toBe(true);
		expect(sameDraft({ rows: [{ key: 1, a: 'x' }] }, { rows: [{ key: 1, a: 'y' }] })).toBe(false);
		expect(sameDraft({ rows: [] }, { rows: [{ key: 1, a: '' }] })).toBe(false);
	});
});
