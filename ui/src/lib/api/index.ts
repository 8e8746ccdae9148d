// The only door to Rust: one typed async function per command of docs/desktop-api.md.
// Every rejection becomes a `UiError`; a `locked` rejection also calls the handler registered
// with `onLocked` (the app shell navigates to the unlock screen).
//
// Text arguments are NFC-normalised before sending, except secrets (passphrase, recovery
// code), which go exactly as typed so they match what the command line sends.

import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type {
	AccountRow,
	AppStatus,
	NewAccount,
	ImportProgress,
	AuditFilter,
	AuditPage,
	AuditVerdict,
	BackupStatus,
	CaseInput,
	CaseSummary,
	CaseView,
	ChildInput,
	Child,
	ChildPage,
	ChildProfile,
	ChildQuery,
	CommuneHit,
	ConflictView,
	DeletedChild,
	DuplicateHint,
	EnrollInput,
	Enrolled,
	ErrorReport,
	FormChoice,
	FoundBackup,
	FoundList,
	ImportBatch,
	ImportPreview,
	ImportReport,
	ImportRequest,
	Overview,
	Reference,
	Refusal,
	ReportRequest,
	ReportView,
	SavedForm,
	Settings,
	SetupInput,
	RecoverResult,
	SetupResult,
	StepInput,
	SyncReport,
	SyncState,
	UpdateCheck,
	UpdateOffer
} from './contract';
import { toUiError } from './errors';
import { nfcDeep } from './nfc';

export { UiError, toUiError, INTERNAL } from './errors';
export { nfcDeep } from './nfc';
export { createActivityTracker, type ActivityTracker } from './activity';
export { createFeedPoller, type FeedPoller } from './feed';
export { createStatePoller, type StatePoller } from './state-poller';
import { createFeedPoller } from './feed';
import { createStatePoller } from './state-poller';

/** Error code Rust uses when the session is locked. */
export const LOCKED = 'locked';

let lockedHandler: (() => void) | null = null;

/** Registers what to do when any command answers `locked` (one handler; returns an unregister). */
export function onLocked(handler: () => void): () => void {
	lockedHandler = handler;
	return () => {
		if (lockedHandler === handler) lockedHandler = null;
	};
}

async function call<T>(cmd: string, args?: InvokeArgs): Promise<T> {
	try {
		return await invoke<T>(cmd, args);
	} catch (raw) {
		const err = toUiError(raw);
		if (err.code === LOCKED) lockedHandler?.();
		throw err;
	}
}

// ---------------------------------------------------------------- app and session

export const appStatus = () => call<AppStatus>('app_status');

export const searchCommunes = (query: string) =>
	call<CommuneHit[]>('search_communes', { query: nfcDeep(query) });

export const setup = (input: SetupInput) =>
	call<SetupResult>('setup', {
		input: {
			...nfcDeep({ commune_code: input.commune_code, officer_name: input.officer_name, chair_name: input.chair_name }),
			passphrase: input.passphrase,
			passphrase_confirm: input.passphrase_confirm,
			load_demo: input.load_demo
		}
	});

/** Unlocks with the passphrase of `account` (not needed when the register has one account). */
export const unlock = (passphrase: string, account?: string) =>
	call<AppStatus>('unlock', account ? { passphrase, account: nfcDeep(account) } : { passphrase });

/** Unlocks with the recovery code and sets a new passphrase (of `account` when the register has
 * several); returns a new recovery code to show once (the one used no longer opens the database). */
export const recover = (code: string, newPassphrase: string, account?: string) =>
	call<RecoverResult>(
		'recover',
		account ? { code, newPassphrase, account: nfcDeep(account) } : { code, newPassphrase }
	);

export const lock = () => call<AppStatus>('lock');

export const touch = () => call<null>('touch');

export const feedPosition = () => call<number>('feed_position');

/**
 * The app's change feed: reads `feed_position` every 2 s while started and tells subscribers when
 * it moved (any record changed, also from the CLI or sync), so views re-fetch.
 */
export const feed = createFeedPoller({ read: () => feedPosition() });

/** Starts polling (idempotent) and returns the app-wide poller. */
export function poll(): typeof feed {
	feed.start();
	return feed;
}

export const reference = () => call<Reference>('reference');

export const getSettings = () => call<Settings>('get_settings');

export const saveSettings = (settings: Settings) =>
	call<Settings>('save_settings', { settings: nfcDeep(settings) });

// ---------------------------------------------------------------- overview

export const overview = () => call<Overview>('overview');

// ---------------------------------------------------------------- reports

export const report = (request: ReportRequest) => call<ReportView>('report', { request });
export const saveReport = (request: ReportRequest, format: 'pdf' | 'xlsx', open: boolean) =>
	call<SavedForm>('save_report', { request, format, open });

// ---------------------------------------------------------------- accounts (issue 14)

/** The accounts (local admin). */
export const listAccounts = () => call<AccountRow[]>('list_accounts');

/** Adds an account (local admin); returns the accounts. The passphrase is sent as typed. */
export const addAccount = (input: NewAccount) =>
	call<AccountRow[]>('add_account', {
		input: {
			name: nfcDeep(input.name),
			role: input.role,
			passphrase: input.passphrase,
			passphrase_confirm: input.passphrase_confirm
		}
	});

/** Removes an account (local admin); returns the accounts. */
export const removeAccount = (name: string) => call<AccountRow[]>('remove_account', { name });

/** Sets the passphrase of account `name` (one's own, or another's for the local admin). */
export const setAccountPassphrase = (name: string, passphrase: string, passphraseConfirm: string) =>
	call<null>('set_account_passphrase', { name, passphrase, passphraseConfirm });

// ---------------------------------------------------------------- audit trail

/** "Nhật ký truy cập": one page, newest first. */
export const auditPage = (filter: AuditFilter) => call<AuditPage>('audit_page', { filter });

/** Checks the whole chain of the trail. */
export const auditVerify = () => call<AuditVerdict>('audit_verify');

// ---------------------------------------------------------------- backups

export const backupStatus = () => call<BackupStatus>('backup_status');

export const backupNow = () => call<BackupStatus>('backup_now');

export const findBackups = () => call<FoundBackup[]>('find_backups');

/** Restores a backup on a PC with no register; the passphrase goes exactly as typed. */
export const restoreBackup = (path: string, passphrase: string) =>
	call<AppStatus>('restore_backup', { path, passphrase });

// ---------------------------------------------------------------- app updates

/** "Kiểm tra cập nhật": asks the area server; a newer release comes back downloaded and checked. */
export const updateCheck = () => call<UpdateCheck>('update_check');

/** "Lấy từ thư mục": an update folder (USB) checked and copied beside the register. */
export const updateFromFolder = (dir: string) => call<UpdateOffer>('update_from_folder', { dir });

// ---------------------------------------------------------------- children

export const listChildren = (query: ChildQuery) =>
	call<ChildPage>('list_children', { query: nfcDeep(query) });

export const villages = () => call<string[]>('villages');

export const getChild = (id: string) => call<ChildProfile>('get_child', { id });

export const checkDuplicates = (input: ChildInput, except: string | null) =>
	call<DuplicateHint[]>('check_duplicates', { input: nfcDeep(input), except });

export const saveChild = (id: string | null, input: ChildInput) =>
	call<Child>('save_child', { id, input: nfcDeep(input) });

/**
 * Deletes a record entered in error (most often the same child twice). Rejects with a field
 * error on `reason` (`required`, `too_long`), or `child_has_cases` when the child has cases.
 */
export const deleteChild = (id: string, reason: string) =>
	call<null>('delete_child', { id, reason: nfcDeep(reason) });

/** Brings a deleted record back; answers its profile. */
export const restoreChild = (id: string) => call<ChildProfile>('restore_child', { id });

/** Deleted records, most recently deleted first. */
export const deletedChildren = () => call<DeletedChild[]>('deleted_children');

// ---------------------------------------------------------------- lists in Excel (issue 12)

/** The path goes exactly as found or typed: a file name on disk may be NFD, and NFC would miss it. */
const asSent = (request: ImportRequest): ImportRequest => ({ ...nfcDeep(request), path: request.path });

/** Spreadsheets found in the export folder, Documents, Downloads, Desktop and USB sticks, newest first. */
export const findLists = () => call<FoundList[]>('find_lists');

/** What importing the file would do, with its first rows as they will be saved; writes nothing. */
export const previewImport = (request: ImportRequest) =>
	call<ImportPreview>('preview_import', { request: asSent(request) });

/** Imports the file in one batch (in the import history, which can undo it); `onProgress`
 * hears how far it is: the rows checked, then the rows written. */
export const importList = (request: ImportRequest, onProgress: (p: ImportProgress) => void = () => {}) =>
	call<ImportReport>('import_list', { request: asSent(request), onProgress: new Channel<ImportProgress>(onProgress) });

/** Saves the file's refused rows as .xlsx into the export folder; answers where, or null. */
export const saveRejectedRows = (request: ImportRequest) =>
	call<SavedForm | null>('save_rejected_rows', { request: asSent(request) });

/** The imports made on this PC, newest first. */
export const importHistory = () => call<ImportBatch[]>('import_history');

/** Undoes an import; answers how many records were deleted. Rejects with `import_has_cases`. */
export const undoImport = (batchId: string) => call<number>('undo_import', { batchId });

/** "Xuất Excel": the children list as filtered saved as .xlsx into the export folder. */
export const exportChildren = (query: ChildQuery) =>
	call<SavedForm>('export_children', { query: nfcDeep(query) });

// ---------------------------------------------------------------- cases

export const listCases = () => call<CaseSummary[]>('list_cases');

export const getCase = (id: string) => call<CaseView>('get_case', { id });

export const openCase = (input: CaseInput) =>
	call<CaseView>('open_case', { input: nfcDeep(input) });

export const recordStep = (caseId: string, input: StepInput) =>
	call<CaseView>('record_step', { caseId, input: nfcDeep(input) });

/** Checks a case as `openCase` would, saving nothing; answers its warnings (contradictions the
 *  officer confirms), rejects with the same errors. */
export const checkCase = (input: CaseInput) =>
	call<ErrorReport[]>('check_case', { input: nfcDeep(input) });

/** Checks a step as `recordStep` would, saving nothing; answers its warnings. */
export const checkStep = (caseId: string, input: StepInput) =>
	call<ErrorReport[]>('check_step', { caseId, input: nfcDeep(input) });

// ---------------------------------------------------------------- forms (printing)
// `caseId` null means blank forms, to fill by hand.

/** Every form, with whether it applies to the case yet and the step it still needs. */
export const listForms = (caseId: string | null) => call<FormChoice[]>('list_forms', { caseId });

/** The PDF of a form. Rust answers with raw bytes (`tauri::ipc::Response`), not JSON. */
export const formPdf = async (caseId: string | null, form: string) =>
	toBytes(await call<unknown>('form_pdf', { caseId, form }));

/** Saves the PDF into the export folder (Documents/BVTE); answers where. Mẫu 01 naming the
 * reporter needs `consent` (error `reporter_consent` otherwise). */
export const saveForm = (caseId: string | null, form: string, consent = false) =>
	call<SavedForm>('save_form', { caseId, form, consent });

/** Writes the PDF to a scratch file (removed when the app starts, locks, closes) and opens it
 * with the default PDF application; `consent` as for `saveForm`. */
export const openForm = (caseId: string | null, form: string, consent = false) =>
	call<SavedForm>('open_form', { caseId, form, consent });

/** Shows the folder forms are saved into in the file manager; answers the folder. */
export const openFormsFolder = () => call<SavedForm>('open_forms_folder');

/** Sends the PDF to the default printer. */
export const printForm = (caseId: string | null, form: string) =>
	call<null>('print_form', { caseId, form });

/** Raw IPC bytes as a Uint8Array: an ArrayBuffer from the webview, a number array from mocks. */
export function toBytes(raw: unknown): Uint8Array {
	// Checked by tag, not instanceof: an ArrayBuffer from another realm (worker, test) counts.
	if (Object.prototype.toString.call(raw) === '[object ArrayBuffer]') {
		return new Uint8Array(raw as ArrayBuffer);
	}
	if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
	if (Array.isArray(raw)) return Uint8Array.from(raw as number[]);
	throw toUiError(`form_pdf: unexpected answer (${typeof raw})`);
}

// ---------------------------------------------------------------- sync with the server
// Background sync runs in Rust by itself; the UI shows where it stands and offers "Đồng bộ ngay".

/** Where sync stands (stored) and what it is doing (live). Rejects with `locked` when locked. */
export const syncState = () => call<SyncState>('sync_state');

/** Enrolls this PC; field errors point at `server_url`, `code` or `fingerprint`. */
export const enroll = (input: EnrollInput) => call<Enrolled>('enroll', { input: nfcDeep(input) });

/** One run now (waits for a background run in progress first). */
export const syncNow = () => call<SyncReport>('sync_now');

/** Conflicts waiting for the officer, oldest first. */
export const listConflicts = () => call<ConflictView[]>('list_conflicts');

/** Keeps one side of a conflict; answers the conflicts left. */
export const resolveConflict = (id: number, take: 'kept' | 'other') =>
	call<ConflictView[]>('resolve_conflict', { id, take });

/**
 * This PC's changes the server refused one by one (each with the server's reason in both
 * languages), newest first, not yet marked as seen.
 */
export const syncRefusals = () => call<Refusal[]>('sync_refusals');

/** Marks the refusals as seen; answers the list left (empty). */
export const dismissRefusals = () => call<Refusal[]>('dismiss_refusals');

/** How often the status bar asks `sync_state`: every 2 s, every 500 ms while a run is going. */
export const SYNC_POLL_MS = 2000;
export const SYNC_POLL_RUNNING_MS = 500;

/** The app-wide `sync_state` poller (started by the shell while unlocked). */
export const syncWatch = createStatePoller<SyncState>({
	read: () => syncState(),
	delayMs: (s) => (s?.activity.running ? SYNC_POLL_RUNNING_MS : SYNC_POLL_MS)
});
