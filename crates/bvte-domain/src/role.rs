//! The roles of the accounts of a commune's register (issue 14). What each role may do is
//! decided in one place, `bvte_core::access`; here only the names.

crate::code_enum!(
    /// The role of an account on a commune's PC.
    Role {
        /// The child-protection officer: records children, cases and steps, prints forms.
        Officer = ("officer", "Cán bộ bảo vệ trẻ em", "Child-protection officer"),
        /// The commune leader (the chair or a vice-chair of the People's Committee): reads, and
        /// approves plans and separation decisions (Decree 56 Art 28 k4, Art 32).
        Leader = ("leader", "Lãnh đạo UBND xã", "Commune leader"),
        /// The local administrator: everything an officer does, plus accounts, settings,
        /// backups and restore. The account made at set-up.
        Admin = ("admin", "Quản trị", "Local admin"),
    }
);
