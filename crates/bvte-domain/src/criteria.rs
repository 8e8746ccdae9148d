//! The fixed criteria of the assessment forms' tables, stored as codes in
//! [`RiskScore::criterion`](crate::event::RiskScore):
//!
//! | table ([`CriteriaTable`]) | form | codes, in the form's order |
//! |---|---|---|
//! | `initial_assessment.criteria` | Mẫu 02, initial assessment (Art 26 k2) | `harm_severity`, `abuser_access`, `care_obstacles` |
//! | `detailed_assessment.criteria` | Mẫu 03, detailed assessment (Art 27 k1) | `harm_severity`, `abuser_access`, `care_obstacles` |
//! | `review.harm` | Mẫu 06 §1a, review (Art 30) | `harm_severity`, `abuser_access`, `care_obstacles` |
//! | `review.self_protection` | Mẫu 06 §1b | none (not seen on the published form) |
//!
//! What is stored is the code; what is shown or printed is the wording, looked up at the edge:
//! the screen in its language from [`CriteriaTable::criteria`], the printed form from its
//! template (`assets/forms/mau-0N.toml`, each row names its code), whatever the language of the
//! screen that recorded the step. A criterion the officer adds ("Thêm tiêu chí") is stored as
//! typed and printed as typed, on a row after the form's own.
//!
//! Steps recorded before criteria were codes hold a wording instead: the Vietnamese or the
//! English screen's, or a template's, sometimes with its row number. [`criterion_code`] reads
//! each of them as its code, so those steps print on their numbered rows; nothing stored is
//! rewritten, and a PC not yet updated may still send them (the server accepts any text here).

use crate::codes::Code;
use crate::event::{RiskScore, Step};

crate::code_enum!(
    /// A fixed criterion of the assessment tables (the generic wording; each table words it as
    /// its form does: [`CriteriaTable::criteria`]). Codes are stored and synced: never rename.
    Criterion {
        /// How seriously the child's life, health or dignity is harmed.
        HarmSeverity = ("harm_severity", "Mức độ tổn hại của trẻ em", "Harm to the child"),
        /// Whether the abuser can still reach the child.
        AbuserAccess = ("abuser_access", "Khả năng tiếp cận trẻ em của đối tượng xâm hại", "The abuser's access to the child"),
        /// What in the care environment stands in the way of the child's safety.
        CareObstacles = ("care_obstacles", "Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em", "Obstacles to the child's safety in the care environment"),
    }
);

/// A criteria table of a step: which form prints it and its fixed criteria.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CriteriaTable {
    /// Mẫu 02: `initial_assessment.criteria`.
    InitialAssessment,
    /// Mẫu 03: `detailed_assessment.criteria`.
    DetailedAssessment,
    /// Mẫu 06 §1a, the level of harm: `review.harm`.
    ReviewHarm,
    /// Mẫu 06 §1b, self-protection and recovery: `review.self_protection` (no fixed criteria).
    ReviewSelfProtection,
}

/// A fixed criterion as a table words it: code, Vietnamese (the form's own words, without the
/// row number), English.
pub type Worded = (Criterion, &'static str, &'static str);

const ACCESS: Worded = (
    Criterion::AbuserAccess,
    "Khả năng tiếp cận trẻ em của đối tượng xâm hại",
    "The abuser's access to the child",
);
const OBSTACLES: Worded = (
    Criterion::CareObstacles,
    "Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
    "Obstacles to the child's safety in the care environment",
);
const INITIAL: [Worded; 3] = [
    (
        Criterion::HarmSeverity,
        "Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em",
        "Severity of harm to the child's life, health or dignity",
    ),
    ACCESS,
    OBSTACLES,
];
const DETAILED: [Worded; 3] = [
    (
        Criterion::HarmSeverity,
        "Mức độ tổn hại của trẻ em",
        "Harm to the child",
    ),
    ACCESS,
    OBSTACLES,
];
const REVIEW_HARM: [Worded; 3] = [
    (
        Criterion::HarmSeverity,
        "Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
        "Is the harm to the child still serious",
    ),
    ACCESS,
    OBSTACLES,
];

/// Every wording a step may hold from before criteria were codes: what the Vietnamese and the
/// English screens sent (ui/messages `crit_*` until issue 16), what the templates print, and the
/// demonstration data's. Compared folded (case, diacritics, punctuation and a leading row
/// number do not matter). Never remove one: steps holding it are stored for good.
const OLD_WORDINGS: [(&str, Criterion); 11] = [
    // Vietnamese screen, Mẫu 02 and 03 (`crit_harm_severity`, …).
    (
        "Mức độ tổn hại đến tính mạng, sức khỏe, nhân phẩm của trẻ em",
        Criterion::HarmSeverity,
    ),
    (
        "Khả năng tiếp cận trẻ em của đối tượng xâm hại",
        Criterion::AbuserAccess,
    ),
    (
        "Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
        Criterion::CareObstacles,
    ),
    // Vietnamese screen, Mẫu 06 (`crit_review_harm_1`; 2 and 3 are worded as above).
    (
        "Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
        Criterion::HarmSeverity,
    ),
    // English screen.
    (
        "Severity of harm to life, health or dignity",
        Criterion::HarmSeverity,
    ),
    ("The abuser's access to the child", Criterion::AbuserAccess),
    (
        "Obstacles to safety in the care environment",
        Criterion::CareObstacles,
    ),
    ("Is the harm still serious", Criterion::HarmSeverity),
    // Templates (Mẫu 02; Mẫu 03, 06 and rows 2, 3 are worded as above).
    (
        "Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em",
        Criterion::HarmSeverity,
    ),
    ("Mức độ tổn hại của trẻ em", Criterion::HarmSeverity),
    // Demonstration data (bvte-core demo.rs before issue 16).
    ("Mức độ tổn hại", Criterion::HarmSeverity),
];

impl CriteriaTable {
    /// Every table, in the order of the steps.
    pub const ALL: [CriteriaTable; 4] = [
        Self::InitialAssessment,
        Self::DetailedAssessment,
        Self::ReviewHarm,
        Self::ReviewSelfProtection,
    ];

    /// The step field holding the table, `<step>.<field>`.
    pub fn path(self) -> &'static str {
        match self {
            Self::InitialAssessment => "initial_assessment.criteria",
            Self::DetailedAssessment => "detailed_assessment.criteria",
            Self::ReviewHarm => "review.harm",
            Self::ReviewSelfProtection => "review.self_protection",
        }
    }

    /// The form that prints it (`"02"`, `"03"`, `"06"`).
    pub fn form(self) -> &'static str {
        match self {
            Self::InitialAssessment => "02",
            Self::DetailedAssessment => "03",
            Self::ReviewHarm | Self::ReviewSelfProtection => "06",
        }
    }

    /// Its fixed criteria in the form's order, worded as the form words them.
    pub fn criteria(self) -> &'static [Worded] {
        match self {
            Self::InitialAssessment => &INITIAL,
            Self::DetailedAssessment => &DETAILED,
            Self::ReviewHarm => &REVIEW_HARM,
            Self::ReviewSelfProtection => &[],
        }
    }
}

/// Folded for comparing wordings: no case, diacritics or punctuation, no leading row number.
fn key(s: &str) -> String {
    let folded = crate::text::fold(s);
    match folded.split_once(' ') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest.to_string(),
        _ => folded,
    }
}

/// The criterion a stored `criterion` names: its code, or a wording recorded before criteria
/// were codes (any table's, in Vietnamese or English, with or without its row number). `None`
/// for a criterion the officer added, which is its own text.
pub fn criterion_code(stored: &str) -> Option<Criterion> {
    let s = stored.trim();
    if let Some(c) = Criterion::ALL.iter().copied().find(|c| c.code() == s) {
        return Some(c);
    }
    let k = key(s);
    if k.is_empty() {
        return None;
    }
    let tables = CriteriaTable::ALL
        .iter()
        .flat_map(|t| t.criteria())
        .flat_map(|(c, vi, en)| [(*vi, *c), (*en, *c)]);
    let labels = Criterion::ALL
        .iter()
        .flat_map(|c| [(c.label_vi(), *c), (c.label_en(), *c)]);
    OLD_WORDINGS
        .into_iter()
        .chain(tables)
        .chain(labels)
        .find(|(w, _)| key(w) == k)
        .map(|(_, c)| c)
}

/// `criterion` as it is stored from now on: the code when it names a fixed criterion, else the
/// text as it is.
pub fn as_code(criterion: &str) -> &str {
    match criterion_code(criterion) {
        Some(c) => c.code(),
        None => criterion,
    }
}

/// Every scored criterion of `step` with [`as_code`]: how a step is stored when recorded, and
/// how a step recorded before is read for the screen.
pub fn codes_in(step: &mut Step) {
    let lists: Vec<&mut Vec<RiskScore>> = match step {
        Step::InitialAssessment(a) => vec![&mut a.criteria],
        Step::DetailedAssessment(a) => vec![&mut a.criteria],
        Step::Review(r) => vec![&mut r.harm, &mut r.self_protection],
        _ => Vec::new(),
    };
    for s in lists.into_iter().flatten() {
        if let Some(c) = criterion_code(&s.criterion) {
            s.criterion = c.code().to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use unicode_normalization::UnicodeNormalization;

    /// Every wording a step may hold (screens in both languages, templates, demonstration data)
    /// reads as its code, however it was cased, accented or numbered.
    #[rstest]
    #[case::vi_screen_02_03_row_1(
        "Mức độ tổn hại đến tính mạng, sức khỏe, nhân phẩm của trẻ em",
        "harm_severity"
    )]
    #[case::vi_screen_row_2("Khả năng tiếp cận trẻ em của đối tượng xâm hại", "abuser_access")]
    #[case::vi_screen_row_3(
        "Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
        "care_obstacles"
    )]
    #[case::vi_screen_06_row_1(
        "Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
        "harm_severity"
    )]
    #[case::en_screen_row_1("Severity of harm to life, health or dignity", "harm_severity")]
    #[case::en_screen_row_2("The abuser's access to the child", "abuser_access")]
    #[case::en_screen_row_3("Obstacles to safety in the care environment", "care_obstacles")]
    #[case::en_screen_06_row_1("Is the harm still serious", "harm_severity")]
    #[case::template_02_row_1(
        "1. Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em",
        "harm_severity"
    )]
    #[case::template_03_row_1("1. Mức độ tổn hại của trẻ em", "harm_severity")]
    #[case::template_06_row_1(
        "1. Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
        "harm_severity"
    )]
    #[case::template_row_2("2. Khả năng tiếp cận trẻ em của đối tượng xâm hại", "abuser_access")]
    #[case::template_row_3(
        "3. Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
        "care_obstacles"
    )]
    #[case::demo_data("Mức độ tổn hại", "harm_severity")]
    #[case::code_1("harm_severity", "harm_severity")]
    #[case::code_2("abuser_access", "abuser_access")]
    #[case::code_3("care_obstacles", "care_obstacles")]
    #[case::typed_loosely(
        "  muc do ton hai doi voi tinh mang, suc khoe, nhan pham cua tre em. ",
        "harm_severity"
    )]
    fn every_old_wording_reads_as_its_code(#[case] stored: &str, #[case] code: &str) {
        assert_eq!(criterion_code(stored).map(Criterion::code), Some(code));
        assert_eq!(as_code(stored), code);
    }

    /// Whatever the screens and tables word, it reads back as its own code.
    #[test]
    fn every_current_wording_reads_as_its_code() {
        for t in CriteriaTable::ALL {
            for (c, vi, en) in t.criteria() {
                assert_eq!(criterion_code(vi), Some(*c), "{t:?} {vi}");
                assert_eq!(criterion_code(en), Some(*c), "{t:?} {en}");
            }
        }
        for c in Criterion::ALL {
            assert_eq!(criterion_code(c.label_vi()), Some(*c));
            assert_eq!(criterion_code(c.label_en()), Some(*c));
            // As some keyboards and PDFs give it: letters and accents apart (NFD).
            let decomposed: String = c.label_vi().nfd().collect();
            assert_eq!(criterion_code(&decomposed), Some(*c));
        }
    }

    /// The officer's own criteria ("Thêm tiêu chí") stay their text: one merely containing a
    /// fixed criterion's words, or a number alone, is not that criterion.
    #[rstest]
    #[case("Trẻ sợ về nhà")]
    #[case("The child is afraid to go home")]
    #[case("Mức độ tổn hại về thể chất")]
    #[case("Khả năng tự bảo vệ")]
    #[case("1.")]
    #[case("")]
    fn an_officers_own_criterion_stays_as_typed(#[case] typed: &str) {
        assert_eq!(criterion_code(typed), None, "{typed}");
        assert_eq!(as_code(typed), typed);
    }

    #[test]
    fn a_recorded_review_reads_with_codes_and_keeps_the_officers_rows() {
        let mut step: Step = serde_json::from_value(serde_json::json!({
            "step": "review",
            "data": {"harm": [{"criterion": "Is the harm still serious", "level": "low"}],
                "self_protection": [{"criterion": "Trẻ biết gọi 111", "level": "high"}],
                "proposal": "end"}
        }))
        .unwrap();
        codes_in(&mut step);
        let Step::Review(r) = step else {
            unreachable!()
        };
        assert_eq!(r.harm[0].criterion, "harm_severity");
        assert_eq!(r.self_protection[0].criterion, "Trẻ biết gọi 111");
    }
}
