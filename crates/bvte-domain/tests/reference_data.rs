//! The vendored reference data: counts, normalisation and the reform's conversion.

use bvte_domain::reference::{self, files};
use bvte_domain::units::CommuneLookup;
use unicode_normalization::is_nfc;

fn data_lines(text: &str) -> usize {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn counts_match_the_sources() {
    let units = reference::units();
    assert_eq!(
        units.counts(),
        (34, 3_321),
        "34 provinces and 3,321 communes since 1/7/2025"
    );
    // 10,035 communes, plus five island districts listed without communes.
    assert_eq!(units.legacy_count(), 10_035);
    assert_eq!(data_lines(files::UNITS_LEGACY), 10_040);
    assert_eq!(data_lines(files::UNITS_CONVERSION), 10_565);
    assert_eq!(data_lines(files::UNITS_CHANGES), 11);
    assert_eq!(reference::ethnic_groups().all.len(), 54, "54 ethnic groups");
    assert_eq!(data_lines(files::NON_WORKING_DAYS), 205);
    assert_eq!(data_lines(files::NON_WORKING_DAYS_OVERRIDES), 2);
}

#[test]
fn every_file_is_nfc_and_uses_the_vietnamese_d_with_stroke() {
    for (name, text) in [
        ("units", files::UNITS_2025),
        ("changes", files::UNITS_CHANGES),
        ("legacy", files::UNITS_LEGACY),
        ("conversion", files::UNITS_CONVERSION),
        ("ethnic", files::ETHNIC_GROUPS),
        ("calendar", files::NON_WORKING_DAYS),
        ("overrides", files::NON_WORKING_DAYS_OVERRIDES),
    ] {
        assert!(is_nfc(text), "{name} is not NFC");
        assert!(
            !text.contains('\u{D0}'),
            "{name} uses Ð (U+00D0) instead of Đ (U+0110)"
        );
    }
}

#[test]
fn dai_dong_09958_converts_to_thach_that_09955() {
    match reference::units().lookup("09958") {
        CommuneLookup::Merged {
            old, successors, ..
        } => {
            assert_eq!(old.name, "Xã Đại Đồng");
            assert_eq!(old.district_name, "Huyện Thạch Thất");
            assert_eq!(successors.len(), 1);
            assert_eq!(successors[0].code, "09955");
            assert_eq!(successors[0].name, "Xã Thạch Thất");
        }
        other => panic!("09958 should be a merged code, got {other:?}"),
    }
    let err = reference::units()
        .require_current("commune_code", "09958")
        .unwrap_err();
    assert_eq!(err.code(), "merged_commune");
    assert!(
        err.message_vi().contains("09955 Xã Thạch Thất"),
        "{}",
        err.message_vi()
    );
}

#[test]
fn renames_after_the_reform_are_applied() {
    match reference::units().lookup("25270") {
        CommuneLookup::Current(c) => {
            assert_eq!(c.name, "Phường Lộc Ninh");
            assert_eq!(c.province_name, "Thành phố Đồng Nai");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_codes_are_refused() {
    assert_eq!(
        reference::units()
            .require_current("commune_code", "99999")
            .unwrap_err()
            .code(),
        "unknown_commune"
    );
}

#[test]
fn communes_are_found_by_unaccented_name_and_told_apart_by_province() {
    let hits = reference::units().search("thach that", 5);
    assert_eq!(hits.first().map(|c| c.code.as_str()), Some("09955"));
    // Names containing the phrase come before names that only share its words.
    let hits = reference::units().search("dong hoa", 50);
    let first_scattered = hits
        .iter()
        .position(|c| !bvte_domain::text::fold(&c.name).contains("dong hoa"))
        .unwrap_or(hits.len());
    assert!(first_scattered > 0, "some commune is named …Đông Hòa…");
    assert!(
        hits[first_scattered..]
            .iter()
            .all(|c| !bvte_domain::text::fold(&c.name).contains("dong hoa")),
        "phrase matches are ranked first"
    );
}

#[test]
fn ethnicity_resolves_codes_and_names() {
    let e = reference::ethnic_groups();
    assert_eq!(e.resolve("ethnicity", "01").unwrap().code, "01");
    assert_eq!(e.resolve("ethnicity", "1").unwrap().code, "01");
    assert_eq!(e.resolve("ethnicity", "kinh").unwrap().code, "01");
    assert_eq!(e.resolve("ethnicity", "Tày").unwrap().code, "02");
    assert_eq!(
        e.resolve("ethnicity", "99").unwrap_err().code(),
        "unknown_code"
    );
}

/// The provinces' readings of Decree 56 Art 28 k1 (`deadline_settings_by_province.csv`): the
/// embedded file parses, and each row names a current province.
#[test]
fn deadline_settings_name_current_provinces() {
    let provinces: std::collections::BTreeSet<&str> = reference::units()
        .communes()
        .map(|c| c.province_code.as_str())
        .collect();
    for p in reference::province_deadline_settings().provinces() {
        assert!(provinces.contains(p), "{p} is not a current province");
    }
}
