// How "Nhật ký truy cập" names the records an entry touched: ids only (the trail never holds a
// name), shortened, with a link to the child's file or the case when there is one.

import type { AuditRecord, AuditRow } from '$lib/api/contract';
import { m } from '$lib/paraglide/messages';

// The end of the id: UUIDv7 ids begin with their creation time, so records made the same
// minute share their first characters.
const short = (id: string) => id.slice(-8);

/** What the record is, in the current language. */
export function recordLabel(r: AuditRecord): string {
	switch (r.kind) {
		case 'child':
			return m.audit_record_child({ id: short(r.id) });
		case 'case':
			return m.audit_record_case({ id: short(r.id) });
		case 'case_event':
			return m.audit_record_step({ id: short(r.id) });
		case 'form':
			return m.audit_record_form({ id: r.id });
		case 'register':
			return m.audit_record_register();
		case 'session':
			return m.audit_record_session();
		case 'blank':
			return m.audit_record_blank();
		case 'children_list':
			return m.audit_record_children_list();
		default:
			return r.id ? `${r.kind}:${short(r.id)}` : r.kind;
	}
}

/** Where the record opens, if it can. */
export function recordHref(r: AuditRecord): string | null {
	if (r.kind === 'child' && r.id) return `/children/${r.id}`;
	if (r.kind === 'case' && r.id) return `/cases/${r.id}`;
	return null;
}

/** The entry's detail; a change's kind in words. */
export function detailText(r: Pick<AuditRow, 'action' | 'detail'>): string {
	if (r.action !== 'change') return r.detail;
	switch (r.detail) {
		case 'upsert_fields':
			return m.audit_change_upsert();
		case 'append_event':
			return m.audit_change_step();
		case 'tombstone':
			return m.audit_change_delete();
		default:
			return r.detail;
	}
}
