//! Who may do what (issue 14): the one permission matrix of BVTE. Every [`Session`] method that
//! reads or changes the register asks [`permit`] first, so the desktop app and the `bvte`
//! command are refused alike by the backend; the window only hides what a role cannot do.
//!
//! - **Cán bộ bảo vệ trẻ em** (officer): records children, cases and steps, prints, imports,
//!   exports, settles sync conflicts. May record the chair's decisions too (approval of a plan, a separation
//!   decision) when the leader signed on paper: the step's form then holds the leader's name
//!   and the decision's number (Decree 56 Art 28 k4, Art 32 k2).
//! - **Lãnh đạo UBND xã** (commune leader): reads, prints, sees the reports, and records the
//!   chair's decisions under the leader's own account; changes nothing else. (Sync runs for
//!   every account: it only brings and sends what others recorded.)
//! - **Quản trị** (local admin): everything an officer does — at set-up the commune's officer is
//!   its admin — plus accounts, settings, backups, restore, enrolling the PC, and the audit
//!   trail.
//!
//! Signing in, locking and changing one's own passphrase are every account's.

use crate::Session;
use crate::error::CoreError;
use bvte_domain::codes::Code;
use bvte_domain::event::StepKind;
pub use bvte_domain::role::Role;

bvte_domain::code_enum!(
    /// Everything a session can be asked to do.
    Action {
        /// See children, cases, the overview, deadlines, conflicts and the sync state.
        ViewRecords = ("view_records", "xem hồ sơ trẻ em và vụ việc", "view children and cases"),
        /// Add, edit, delete or restore a child's record.
        EditChildren = ("edit_children", "thêm, sửa, xóa hồ sơ trẻ em", "add, edit or delete children"),
        /// Open a case from a report (Mẫu 01).
        OpenCase = ("open_case", "mở vụ việc", "open a case"),
        /// Record a step of a case that is the officer's work.
        RecordStep = ("record_step", "ghi các bước xử lý vụ việc", "record a case's steps"),
        /// Record a decision of the chair: a plan approved or returned, a new plan cycle
        /// agreed, a separation decided, extended or revoked (Decree 56 Art 28 k4, Art 30 k1,
        /// Art 32).
        ApproveDecision = ("approve_decision", "ghi quyết định phê duyệt kế hoạch, quyết định cách ly", "record the chair's approvals and separation decisions"),
        /// Print, save or open a form.
        Print = ("print", "in biểu mẫu", "print forms"),
        /// See the commune's report (figures, no names).
        ViewReport = ("view_report", "xem báo cáo", "view the report"),
        /// Take records out in a file: export, the children list as a spreadsheet, report files.
        Export = ("export", "xuất dữ liệu ra tệp", "export data to files"),
        /// Import a list, or undo an import.
        Import = ("import", "nhập danh sách từ Excel", "import lists"),
        /// Sync with the area's server (by hand or on its own).
        Sync = ("sync", "đồng bộ", "sync"),
        /// Settle a conflict sync found, or dismiss the changes the server refused.
        ResolveConflicts = ("resolve_conflicts", "xử lý xung đột đồng bộ", "settle sync conflicts"),
        /// Enroll this PC with the area's server.
        Enroll = ("enroll", "đăng ký máy với máy chủ", "enroll this PC"),
        /// Take a backup by hand, or choose where backups go.
        Backup = ("backup", "sao lưu", "take backups"),
        /// Restore the register from a backup.
        Restore = ("restore", "khôi phục từ bản sao lưu", "restore from a backup"),
        /// Change the settings (officer, commune header, chair, idle lock…).
        Settings = ("settings", "thay đổi cài đặt", "change the settings"),
        /// Add and remove accounts, set another account's passphrase.
        Accounts = ("accounts", "quản lý tài khoản", "manage accounts"),
        /// See and check the audit trail ("Nhật ký truy cập").
        AuditView = ("audit_view", "xem nhật ký truy cập", "view the audit trail"),
        /// Fill the register with demonstration data.
        Demo = ("demo", "tạo dữ liệu mẫu", "create demonstration data"),
        /// Change one's own passphrase.
        OwnPassphrase = ("own_passphrase", "đổi mật khẩu của mình", "change one's own passphrase"),
        /// Ask the area's server for a software update, or take one from an update folder
        /// (issue 13); installing it is IT's.
        Update = ("update", "kiểm tra và tải bản cập nhật phần mềm", "check for and download software updates"),
    }
);

/// A refusal: the action, the role, and what to do, in Vietnamese (English kept for `--lang
/// en`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// What was asked.
    pub action: Action,
    /// The role of the account that asked.
    pub role: Role,
}

impl Refused {
    /// The message: what is refused, to whom, and who can do it.
    pub fn message_vi(&self) -> String {
        format!(
            "Vai trò “{}” không được {}. Hãy nhờ {} làm việc này, hoặc đăng nhập bằng tài khoản có quyền.",
            self.role.label_vi(),
            self.action.label_vi(),
            who_can_vi(self.action)
        )
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        format!(
            "A {} account may not {}; ask {} to do it, or sign in with an account that may.",
            self.role.label_en().to_lowercase(),
            self.action.label_en(),
            who_can_en(self.action)
        )
    }
}

/// Whether `role` may do `action`: the matrix.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action as A;
    match role {
        Role::Admin => true,
        Role::Officer => !matches!(
            action,
            A::Enroll | A::Backup | A::Restore | A::Settings | A::Accounts | A::AuditView | A::Demo
        ),
        Role::Leader => matches!(
            action,
            A::ViewRecords
                | A::ApproveDecision
                | A::Print
                | A::ViewReport
                | A::Sync
                | A::OwnPassphrase
        ),
    }
}

/// Allowed, or refused with the reason.
pub fn permit(role: Role, action: Action) -> Result<(), Refused> {
    if allowed(role, action) {
        Ok(())
    } else {
        Err(Refused { action, role })
    }
}

/// What recording a step of this kind is: the chair's decision, or the officer's work.
pub fn step_action(kind: StepKind) -> Action {
    use StepKind as K;
    match kind {
        // Art 28 k4 (plan approved or returned), Art 30 k1 c (a new cycle agreed), Art 32
        // (separation decided, extended, revoked): the chair decides.
        K::PlanApproved
        | K::PlanReturned
        | K::ContinuationApproved
        | K::SeparationDecided
        | K::SeparationExtended
        | K::SeparationRevoked => Action::ApproveDecision,
        _ => Action::RecordStep,
    }
}

fn who_can_vi(action: Action) -> &'static str {
    match [Role::Officer, Role::Leader].map(|r| allowed(r, action)) {
        [true, true] => "cán bộ bảo vệ trẻ em hoặc lãnh đạo xã",
        [true, false] => "cán bộ bảo vệ trẻ em",
        _ => "người quản trị",
    }
}

fn who_can_en(action: Action) -> &'static str {
    match [Role::Officer, Role::Leader].map(|r| allowed(r, action)) {
        [true, true] => "the officer or the commune leader",
        [true, false] => "the child-protection officer",
        _ => "the local admin",
    }
}

impl Session {
    /// Refuses `action` unless the account's role allows it; a refusal is entered in the audit
    /// trail (best effort: the refusal stands even if the entry cannot be written).
    pub fn require(&self, action: Action) -> Result<(), CoreError> {
        let role = self.account().role;
        permit(role, action).map_err(|r| {
            let _ = self.note(
                crate::now(),
                bvte_store::AuditAction::Refused,
                "session",
                action.code(),
            );
            CoreError::Refused(r)
        })
    }

    /// Whether the account may do `action` (for the window, which hides what it cannot).
    pub fn may(&self, action: Action) -> bool {
        allowed(self.account().role, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix, written out: a change to it must change this table.
    const EXPECTED: &[(&str, [bool; 3])] = &[
        //                  officer, leader, admin
        ("view_records", [true, true, true]),
        ("edit_children", [true, false, true]),
        ("open_case", [true, false, true]),
        ("record_step", [true, false, true]),
        ("approve_decision", [true, true, true]),
        ("print", [true, true, true]),
        ("view_report", [true, true, true]),
        ("export", [true, false, true]),
        ("import", [true, false, true]),
        ("sync", [true, true, true]),
        ("resolve_conflicts", [true, false, true]),
        ("enroll", [false, false, true]),
        ("backup", [false, false, true]),
        ("restore", [false, false, true]),
        ("settings", [false, false, true]),
        ("accounts", [false, false, true]),
        ("audit_view", [false, false, true]),
        ("demo", [false, false, true]),
        ("own_passphrase", [true, true, true]),
        ("update", [true, false, true]),
    ];

    #[test]
    fn every_role_and_every_action() {
        assert_eq!(
            EXPECTED.len(),
            Action::ALL.len(),
            "every action is in the table"
        );
        for action in Action::ALL {
            let row = EXPECTED
                .iter()
                .find(|(code, _)| *code == action.code())
                .unwrap_or_else(|| panic!("{action} missing from the table"));
            for (role, want) in [Role::Officer, Role::Leader, Role::Admin].iter().zip(row.1) {
                let got = permit(*role, *action);
                assert_eq!(got.is_ok(), want, "{role} × {action}");
                if let Err(r) = got {
                    let vi = r.message_vi();
                    assert!(vi.contains(role.label_vi()), "{vi}");
                    assert!(vi.contains(action.label_vi()), "{vi}");
                    assert!(vi.starts_with("Vai trò"), "{vi}");
                    assert!(!r.message_en().is_empty());
                }
            }
        }
        assert_eq!(Role::ALL.len(), 3, "a new role needs its column");
    }

    #[test]
    fn the_chairs_decisions_are_the_leaders_to_record_and_the_rest_the_officers() {
        for kind in StepKind::ALL {
            let a = step_action(*kind);
            assert_eq!(
                allowed(Role::Leader, a),
                matches!(
                    kind,
                    StepKind::PlanApproved
                        | StepKind::PlanReturned
                        | StepKind::ContinuationApproved
                        | StepKind::SeparationDecided
                        | StepKind::SeparationExtended
                        | StepKind::SeparationRevoked
                ),
                "{kind}"
            );
            assert!(
                allowed(Role::Officer, a),
                "{kind}: on paper, by the officer"
            );
        }
    }

    #[test]
    fn a_refusal_names_who_can() {
        let r = permit(Role::Officer, Action::Accounts).unwrap_err();
        assert_eq!(
            r.message_vi(),
            "Vai trò “Cán bộ bảo vệ trẻ em” không được quản lý tài khoản. Hãy nhờ người quản trị làm việc này, hoặc đăng nhập bằng tài khoản có quyền."
        );
        let r = permit(Role::Leader, Action::RecordStep).unwrap_err();
        assert!(r.message_vi().contains("Hãy nhờ cán bộ bảo vệ trẻ em"));
    }
}
