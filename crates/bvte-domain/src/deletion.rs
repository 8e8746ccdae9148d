//! Deleting a child's record: only for a record that should not exist (most often the same child
//! entered twice, on two PCs while offline). The record is not destroyed: it leaves the register
//! and can be brought back (design §5, tombstones).

use crate::error::{ValidationError, ValidationErrors};
use crate::text::clean_text;

/// The longest reason accepted.
pub const MAX_REASON: usize = 500;

/// Checks a deletion: a reason is required (it goes with the deletion to every device and the
/// district), and a child who has cases cannot be deleted, because case records are kept: "Hồ sơ
/// kế hoạch hỗ trợ, can thiệp được lưu trữ tại Ủy ban nhân dân cấp xã và nhập vào cơ sở dữ liệu
/// trẻ em quốc gia" (Decree 56 Art 30 k3). Returns the cleaned reason.
pub fn check_deletion(reason: &str, cases: usize) -> Result<String, ValidationErrors> {
    check_deletable(cases)?;
    let reason = clean_text("reason", reason, MAX_REASON).map_err(ValidationErrors::from)?;
    if reason.is_empty() {
        return Err(ValidationError::Required {
            field: "reason".into(),
        }
        .into());
    }
    Ok(reason)
}

/// Whether a child with `cases` cases may be deleted at all (before any reason is asked for).
pub fn check_deletable(cases: usize) -> Result<(), ValidationError> {
    match cases {
        0 => Ok(()),
        cases => Err(ValidationError::ChildHasCases { cases }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_and_cleaned() {
        let e = check_deletion("  \n ", 0).unwrap_err();
        assert_eq!(e.0[0].code(), "required");
        assert_eq!(check_deletion(" Nhập trùng ", 0).unwrap(), "Nhập trùng");
        let long = "a".repeat(MAX_REASON + 1);
        assert_eq!(
            check_deletion(&long, 0).unwrap_err().0[0].code(),
            "too_long"
        );
    }

    #[test]
    fn a_child_with_cases_is_never_deleted() {
        let e = check_deletion("Nhập trùng", 2).unwrap_err();
        assert_eq!(e.0[0].code(), "child_has_cases");
        assert!(e.0[0].message_vi().contains("2 vụ việc"));
    }
}
