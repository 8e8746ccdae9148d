// The IPC types (docs/desktop-api.md, docs/json.md), all generated from the Rust structs by
// ts-rs into `$lib/types/gen/` (`cargo test` regenerates them; CI fails when they are stale).
// Everything else imports types from here only.
//
// Field names are the wire names (snake_case); never rename them on this side.

export type { AppStatus } from '$lib/types/gen/AppStatus';
export type { BackupStatus } from '$lib/types/gen/BackupStatus';
export type { Carer } from '$lib/types/gen/Carer';
export type { CarerInput } from '$lib/types/gen/CarerInput';
export type { CaseInput } from '$lib/types/gen/CaseInput';
export type { CaseSummary } from '$lib/types/gen/CaseSummary';
export type { CaseView } from '$lib/types/gen/CaseView';
export type { Child } from '$lib/types/gen/Child';
export type { ChildInput } from '$lib/types/gen/ChildInput';
export type { ChildPage } from '$lib/types/gen/ChildPage';
export type { ChildProfile } from '$lib/types/gen/ChildProfile';
export type { ChildQuery } from '$lib/types/gen/ChildQuery';
export type { ChildRow } from '$lib/types/gen/ChildRow';
export type { CodeLabel } from '$lib/types/gen/CodeLabel';
export type { Commune } from '$lib/types/gen/Commune';
export type { CommuneHit } from '$lib/types/gen/CommuneHit';
export type { ConflictSide } from '$lib/types/gen/ConflictSide';
export type { ConflictView } from '$lib/types/gen/ConflictView';
export type { CountItem } from '$lib/types/gen/CountItem';
export type { DeadlineView } from '$lib/types/gen/DeadlineView';
export type { DeletedChild } from '$lib/types/gen/DeletedChild';
export type { DueItem } from '$lib/types/gen/DueItem';
export type { DuplicateHint } from '$lib/types/gen/DuplicateHint';
export type { EnrollInput } from '$lib/types/gen/EnrollInput';
export type { Enrolled } from '$lib/types/gen/Enrolled';
export type { ErrorReport } from '$lib/types/gen/ErrorReport';
export type { FormChoice } from '$lib/types/gen/FormChoice';
export type { FoundBackup } from '$lib/types/gen/FoundBackup';
export type { FormInfo } from '$lib/types/gen/FormInfo';
export type { GroupInput } from '$lib/types/gen/GroupInput';
export type { GroupRef } from '$lib/types/gen/GroupRef';
export type { HistoryItem } from '$lib/types/gen/HistoryItem';
export type { IntakeReport } from '$lib/types/gen/IntakeReport';
export type { NextStepView } from '$lib/types/gen/NextStepView';
export type { Overview } from '$lib/types/gen/Overview';
export type { Problem } from '$lib/types/gen/Problem';
export type { Reference } from '$lib/types/gen/Reference';
export type { Refusal } from '$lib/types/gen/Refusal';
export type { Reporter } from '$lib/types/gen/Reporter';
export type { ReportRequest } from '$lib/types/gen/ReportRequest';
export type { ReportView } from '$lib/types/gen/ReportView';
export type { DeadlineRow } from '$lib/types/gen/DeadlineRow';
export type { GapView } from '$lib/types/gen/GapView';
export type { SavedForm } from '$lib/types/gen/SavedForm';
export type { Settings } from '$lib/types/gen/Settings';
export type { SetupInput } from '$lib/types/gen/SetupInput';
export type { RecoverResult } from '$lib/types/gen/RecoverResult';
export type { SetupResult } from '$lib/types/gen/SetupResult';
export type { SpecialCircumstance } from '$lib/types/gen/SpecialCircumstance';
export type { StepInput } from '$lib/types/gen/StepInput';
export type { StepView } from '$lib/types/gen/StepView';
export type { SyncActivity } from '$lib/types/gen/SyncActivity';
export type { SyncOverview } from '$lib/types/gen/SyncOverview';
export type { SyncProgress } from '$lib/types/gen/SyncProgress';
export type { ClockDrift } from '$lib/types/gen/ClockDrift';
export type { SyncReport } from '$lib/types/gen/SyncReport';
export type { SyncState } from '$lib/types/gen/SyncState';
export type { JsonValue } from '$lib/types/gen/serde_json/JsonValue';
