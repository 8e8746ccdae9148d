//! Reference data shipped in `assets/` and embedded at compile time, parsed once on first use:
//! administrative units (current, legacy and the 2025 conversion table), ethnic groups and the
//! non-working-days calendar. Provenance and licences: `assets/LICENSES.md`.

use crate::calendar::WorkingCalendar;
use crate::deadline_settings::{DeadlineSettings, ProvinceDeadlineSettings};
use crate::ethnicity::EthnicGroups;
use crate::units::CommuneLookup;
use crate::units::Units;
use std::sync::OnceLock;

/// Raw embedded files, exposed so tests and tools can check them.
pub mod files {
    /// Current units (34 provinces, 3,321 communes) from 1 July 2025.
    pub const UNITS_2025: &str = include_str!("../../../assets/reference/vn_units_2025.csv");
    /// Renames after the reform (from 30 April 2026).
    pub const UNITS_CHANGES: &str =
        include_str!("../../../assets/reference/vn_units_changes_after_2025-07-01.csv");
    /// The last three-level list before the reform.
    pub const UNITS_LEGACY: &str =
        include_str!("../../../assets/reference/vn_units_legacy_2025-06-30.csv");
    /// Official old → new commune conversion.
    pub const UNITS_CONVERSION: &str =
        include_str!("../../../assets/reference/vn_units_conversion_2025-07-01.csv");
    /// Ethnic groups, codes of Decision 121-TCTK/PPCĐ.
    pub const ETHNIC_GROUPS: &str =
        include_str!("../../../assets/reference/vn_ethnic_groups_121.csv");
    /// Non-working days 2017–2030.
    pub const NON_WORKING_DAYS: &str =
        include_str!("../../../assets/calendar/vn_non_working_days.csv");
    /// The readings of Decree 56 a province chose for its deadlines, where not the default
    /// (`deadline_settings`).
    pub const DEADLINE_SETTINGS: &str =
        include_str!("../../../assets/reference/deadline_settings_by_province.csv");
    /// Corrections to the non-working days.
    pub const NON_WORKING_DAYS_OVERRIDES: &str =
        include_str!("../../../assets/calendar/vn_non_working_days_overrides.csv");
}

/// The administrative units.
pub fn units() -> &'static Units {
    static U: OnceLock<Units> = OnceLock::new();
    U.get_or_init(|| {
        Units::from_csv(
            files::UNITS_2025,
            files::UNITS_CHANGES,
            files::UNITS_LEGACY,
            files::UNITS_CONVERSION,
        )
        .expect("embedded unit tables are valid (checked by tests)")
    })
}

/// The ethnic groups.
pub fn ethnic_groups() -> &'static EthnicGroups {
    static E: OnceLock<EthnicGroups> = OnceLock::new();
    E.get_or_init(|| {
        EthnicGroups::from_csv(files::ETHNIC_GROUPS)
            .expect("embedded ethnic table is valid (checked by tests)")
    })
}

/// The shipped working-day calendar.
pub fn calendar() -> &'static WorkingCalendar {
    static C: OnceLock<WorkingCalendar> = OnceLock::new();
    C.get_or_init(|| {
        WorkingCalendar::from_csv(files::NON_WORKING_DAYS, files::NON_WORKING_DAYS_OVERRIDES)
            .expect("embedded calendar is valid (checked by tests)")
    })
}

/// The provinces' deadline settings.
pub fn province_deadline_settings() -> &'static ProvinceDeadlineSettings {
    static S: OnceLock<ProvinceDeadlineSettings> = OnceLock::new();
    S.get_or_init(|| {
        ProvinceDeadlineSettings::from_csv(files::DEADLINE_SETTINGS)
            .expect("embedded deadline settings are valid (checked by tests)")
    })
}

/// The deadline settings for a case kept by the commune with `commune_code`: its province's, or
/// the default (receipt starts the plan's clock) for a commune not known or a province without a
/// row. An old commune code is read as the province of its successor.
pub fn deadline_settings(commune_code: &str) -> DeadlineSettings {
    let province = match units().lookup(commune_code) {
        CommuneLookup::Current(c) => Some(&c.province_code),
        CommuneLookup::Merged { successors, .. } => successors.first().map(|c| &c.province_code),
        CommuneLookup::Unknown => None,
    };
    province
        .map(|p| province_deadline_settings().for_province(p))
        .unwrap_or_default()
}
