//! Rows of a sheet turned into children as the register takes them ([`ChildInput`]), each with
//! what could not be read from its cells. The register's own rules (a real date, not in the
//! future, a child's age, a known ethnic group, a group's sub-group) are applied afterwards by
//! the same validation as the form, so an imported child obeys them exactly as a typed one.
//!
//! Decisions where the issue is silent:
//! - A row with every cell blank is skipped; a row with data but no name is reported
//!   ("footer" rows such as "Người lập biểu" are listed, never imported).
//! - A year alone is an estimated age on the day of import (Mẫu 01 takes an estimated age when
//!   the date is unknown); its years are this year minus the year of birth.
//! - Without a sex column, or with "Nam" | "Nữ" columns both blank, the sex is `unknown`
//!   ("Không biết") and a warning says so; a sex written in words nobody uses is a problem.
//! - Without a residence column the residence is `chua_ro`, which the report's completeness list
//!   then asks the officer to complete — an import never claims a residence the list did not give.
//! - An address column fills the village when there is no village column, else the notes.
//! - A disability cell with a level ("nặng", "nhẹ", "đặc biệt nặng") takes it; any other mark
//!   ("x", "Có", a type of disability) is "not yet assessed", the type kept in its note;
//!   "không", "0" or blank is none.

use crate::cell::{self, Birth, Cell};
use crate::header::{Header, Target};
use bvte_domain::child::DisabilityLevel;
use bvte_domain::child_input::{
    CarerInput, ChildInput, DisabilityInput, EstimatedAgeInput, GroupInput,
};
use bvte_domain::codes::Code;
use bvte_domain::groups::Group;
use bvte_domain::text::fold;
use chrono::{Datelike, NaiveDate};

/// How the lines under a list begin (signatures, totals), folded.
const FOOTERS: &[&str] = &[
    "nguoi lap",
    "xac nhan",
    "chu tich",
    "tong cong",
    "tong so",
    "ky ten",
    "can bo",
    "thu truong",
];

/// What a cell could not give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    /// The column (0-based).
    pub column: usize,
    /// The field it was read for (a [`Target`] code).
    pub field: &'static str,
    /// The cell as written.
    pub value: String,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// In English.
    pub message_en: String,
}

/// A row read.
#[derive(Clone, Debug)]
pub struct ImportRow {
    /// Its row number in the sheet, as the spreadsheet shows it (1-based).
    pub row: usize,
    /// The child as read.
    pub input: ChildInput,
    /// Cells that could not be read: the row is not imported until they are fixed.
    pub problems: Vec<CellProblem>,
    /// What was assumed (the officer sees it in the preview).
    pub warnings: Vec<CellProblem>,
}

fn problem(column: usize, t: Target, value: &str, vi: &str, en: &str) -> CellProblem {
    CellProblem {
        column,
        field: t.code(),
        value: bvte_domain::text::truncate_for_message(value),
        message: vi.to_string(),
        message_en: en.to_string(),
    }
}

/// The group codes a cell names: letters ("a", "đ", "a, d") or the group's words.
fn groups(text: &str) -> Option<Vec<String>> {
    let letters: Vec<&str> = text
        .split([',', ';', '+', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let by_letter: Option<Vec<String>> = letters
        .iter()
        .map(|l| {
            Group::parse_code("group", l)
                .ok()
                .map(|g| g.code().to_string())
        })
        .collect();
    if let Some(v) = by_letter {
        return Some(v);
    }
    // Words: the group whose name the cell gives ("mồ côi cả cha và mẹ", "Trẻ em khuyết tật"),
    // when exactly one does.
    let f = fold(text);
    let f = f.trim().trim_start_matches("tre em ").trim();
    if f.split_whitespace().count() < 2 {
        return None;
    }
    let found: Vec<String> = Group::ALL
        .iter()
        .filter(|g| fold(g.label_vi()).contains(f))
        .map(|g| g.code().to_string())
        .collect();
    (found.len() == 1).then_some(found)
}

fn residence(text: &str) -> Option<&'static str> {
    let f = fold(text);
    if f.contains("noi o hien tai") {
        Some("noi_o_hien_tai")
    } else if f.contains("chua ro") {
        Some("chua_ro")
    } else if f.contains("thuong tru") || f.trim() == "tt" {
        Some("thuong_tru")
    } else if f.contains("tam tru") {
        Some("tam_tru")
    } else {
        None
    }
}

fn disability(text: &str) -> Option<DisabilityInput> {
    let f = fold(text);
    if matches!(f.trim(), "" | "khong" | "0" | "-") {
        return None;
    }
    let level = if f.contains("dac biet nang") {
        DisabilityLevel::EspeciallySevere
    } else if f.contains("nang") {
        DisabilityLevel::Severe
    } else if f.contains("nhe") {
        DisabilityLevel::Mild
    } else {
        DisabilityLevel::Unassessed
    };
    let note = (!matches!(f.trim(), "x" | "co" | "1")).then(|| text.trim().to_string());
    Some(DisabilityInput {
        level: level.code().to_string(),
        note,
    })
}

/// Reads the data rows of `rows` under `header` (cells already read back to Unicode), on
/// `today` (for two-digit years and estimated ages).
pub fn read(rows: &[Vec<Cell>], header: &Header, today: NaiveDate) -> Vec<ImportRow> {
    let has_village = header.columns.contains(&Some(Target::Village));
    let has_sex = header.columns.iter().any(|c| {
        matches!(
            c,
            Some(Target::Sex | Target::BirthIfMale | Target::BirthIfFemale)
        )
    });
    let has_residence = header.columns.contains(&Some(Target::Residence));
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(header.data_row) {
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        out.push(read_row(
            i + 1,
            row,
            header,
            today,
            (has_village, has_sex, has_residence),
        ));
    }
    out
}

fn read_row(
    number: usize,
    row: &[Cell],
    header: &Header,
    today: NaiveDate,
    (has_village, has_sex, has_residence): (bool, bool, bool),
) -> ImportRow {
    let mut input = ChildInput {
        sex: if has_sex {
            String::new()
        } else {
            "unknown".into()
        },
        residence_status: if has_residence {
            String::new()
        } else {
            "chua_ro".into()
        },
        ..ChildInput::default()
    };
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let set_birth = |input: &mut ChildInput, b: Birth| match b {
        Birth::Date(d) => input.date_of_birth = Some(d.format("%d/%m/%Y").to_string()),
        Birth::Year(y) => {
            input.estimated_age = Some(EstimatedAgeInput {
                years: i64::from(today.year() - y),
                as_of: None,
            });
        }
    };
    for (j, t) in header.columns.iter().enumerate() {
        let Some(t) = *t else { continue };
        let c = row.get(j).unwrap_or(&Cell::Empty);
        if c.is_blank() {
            continue;
        }
        let text = c.text();
        match t {
            Target::RowNumber => {}
            Target::FullName => input.full_name = text,
            Target::DateOfBirth | Target::BirthIfMale | Target::BirthIfFemale => {
                match cell::birth(c, today) {
                    Some(b) => set_birth(&mut input, b),
                    None => problems.push(problem(
                        j,
                        t,
                        &text,
                        "Không đọc được ngày sinh. Hãy ghi ngày/tháng/năm (ví dụ 05/09/2015) hoặc năm sinh.",
                        "The date of birth cannot be read. Write day/month/year (e.g. 05/09/2015) or the year.",
                    )),
                }
                match t {
                    Target::BirthIfMale => input.sex = "male".into(),
                    Target::BirthIfFemale => input.sex = "female".into(),
                    _ => {}
                }
            }
            Target::Sex => match cell::sex(&text) {
                Some(s) => input.sex = s.into(),
                None => problems.push(problem(
                    j,
                    t,
                    &text,
                    "Không rõ giới tính. Hãy ghi “Nam” hoặc “Nữ”.",
                    "Unknown sex. Write \"Nam\" or \"Nữ\".",
                )),
            },
            Target::Ethnicity => input.ethnicity = Some(text),
            Target::Village => input.village = Some(text),
            Target::Address if !has_village => input.village = Some(text),
            Target::Address => notes.push(format!("Địa chỉ: {text}")),
            Target::PersonalId => input.personal_id = cell::personal_id(c),
            Target::Father | Target::Mother | Target::Carer => input.carers.push(CarerInput {
                relation: match t {
                    Target::Father => "father",
                    Target::Mother => "mother",
                    _ => "other",
                }
                .into(),
                full_name: text,
                ..CarerInput::default()
            }),
            Target::Group => match groups(&text) {
                Some(gs) => input.special_circumstances.extend(gs.into_iter().map(|group| GroupInput {
                    group,
                    ..GroupInput::default()
                })),
                None => problems.push(problem(
                    j,
                    t,
                    &text,
                    "Không rõ nhóm hoàn cảnh đặc biệt. Hãy ghi chữ cái của nhóm (a, b, … o) theo Điều 10 Luật Trẻ em, hoặc tên nhóm.",
                    "Unknown special-circumstance group. Write the group's letter (a, b, … o) or its name.",
                )),
            },
            Target::Disability => input.disability = disability(&text),
            Target::Residence => match residence(&text) {
                Some(r) => input.residence_status = r.into(),
                None => problems.push(problem(
                    j,
                    t,
                    &text,
                    "Không rõ tình trạng cư trú. Hãy ghi “Thường trú”, “Tạm trú”, “Nơi ở hiện tại” hoặc “Chưa rõ”.",
                    "Unknown residence. Write \"Thường trú\" or \"Tạm trú\".",
                )),
            },
            Target::Notes => notes.push(text),
        }
    }
    let folded = fold(&input.full_name);
    if FOOTERS.iter().any(|f| folded.starts_with(f)) {
        problems.push(problem(
            header
                .columns
                .iter()
                .position(|c| *c == Some(Target::FullName))
                .unwrap_or(0),
            Target::FullName,
            &input.full_name,
            "Dòng này giống dòng ký tên hoặc dòng tổng, không phải một trẻ em: không nhập.",
            "This row looks like a signature or total line, not a child: not imported.",
        ));
    }
    if input.full_name.is_empty() {
        problems.push(problem(
            header
                .columns
                .iter()
                .position(|c| *c == Some(Target::FullName))
                .unwrap_or(0),
            Target::FullName,
            "",
            "Dòng này có dữ liệu nhưng không có họ và tên trẻ: không nhập.",
            "This row has data but no child's name: not imported.",
        ));
    }
    if input.sex.is_empty() {
        input.sex = "unknown".into();
        warnings.push(problem(
            0,
            Target::Sex,
            "",
            "Không ghi giới tính: nhập là “Không biết”.",
            "No sex given: imported as \"unknown\".",
        ));
    }
    if input.residence_status.is_empty() {
        input.residence_status = "chua_ro".into();
    }
    if !notes.is_empty() {
        input.notes = Some(notes.join("\n"));
    }
    ImportRow {
        row: number,
        input,
        problems,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::find;

    fn t(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    #[test]
    fn a_list_with_a_two_row_birth_header_reads_as_children() {
        let sheet: Vec<Vec<Cell>> = vec![
            vec![t("DANH SÁCH TRẺ EM")],
            vec![
                t("STT"),
                t("Họ và tên"),
                t("Năm sinh"),
                t(""),
                t("Thôn"),
                t("Đối tượng"),
                t("Khuyết tật"),
            ],
            vec![t(""), t(""), t("Nam"), t("Nữ"), t(""), t(""), t("")],
            vec![
                t("1"),
                t("Nguyễn Văn An"),
                Cell::Number(42_252.0),
                t(""),
                t("Bản Phìn"),
                t("a, đ"),
                t(""),
            ],
            vec![
                t("2"),
                t("Lò Thị Mỷ"),
                t(""),
                Cell::Number(2016.0),
                t("Bản Phìn"),
                t(""),
                t("x"),
            ],
            vec![t(""), t(""), t(""), t(""), t(""), t(""), t("")],
            vec![
                t("3"),
                t("Vừ A Dơ"),
                t("31/02/2015"),
                t(""),
                t(""),
                t("z"),
                t("nặng"),
            ],
            vec![
                t(""),
                t("Người lập biểu"),
                t(""),
                t(""),
                t(""),
                t(""),
                t(""),
            ],
            vec![t("Tổng"), t(""), t(""), t(""), t(""), t(""), t("")],
        ];
        let text: Vec<Vec<String>> = sheet
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect();
        let header = find(&text).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let rows = read(&sheet, &header, today);
        assert_eq!(
            rows.iter().map(|r| r.row).collect::<Vec<_>>(),
            vec![4, 5, 7, 8, 9]
        );
        let an = &rows[0].input;
        assert_eq!(
            (an.full_name.as_str(), an.sex.as_str()),
            ("Nguyễn Văn An", "male")
        );
        assert_eq!(an.date_of_birth.as_deref(), Some("05/09/2015"));
        let gs: Vec<&str> = an
            .special_circumstances
            .iter()
            .map(|g| g.group.as_str())
            .collect();
        assert_eq!(gs, vec!["a", "dd"]);
        assert_eq!(an.residence_status, "chua_ro");
        assert!(rows[0].problems.is_empty());
        let my = &rows[1].input;
        assert_eq!(my.sex, "female");
        assert_eq!(my.estimated_age.as_ref().map(|e| e.years), Some(10));
        assert_eq!(
            my.disability.as_ref().map(|d| d.level.as_str()),
            Some("unassessed")
        );
        let fields: Vec<&str> = rows[2].problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec!["birth_if_male", "group"],
            "both problems of row 7 at once"
        );
        assert_eq!(
            rows[2].input.disability.as_ref().map(|d| d.level.as_str()),
            Some("severe")
        );
        assert_eq!(
            rows[3].problems[0].field, "full_name",
            "a signature line is not a child"
        );
        assert_eq!(
            rows[4].problems[0].field, "full_name",
            "a total row is not a child"
        );
    }

    #[test]
    fn residences_as_bvte_labels_them_read_back() {
        use bvte_domain::child::ResidenceStatus;
        for r in [
            ResidenceStatus::ThuongTru,
            ResidenceStatus::TamTru,
            ResidenceStatus::NoiOHienTai,
            ResidenceStatus::ChuaRo,
        ] {
            assert_eq!(residence(r.label_vi()), Some(r.code()), "{}", r.label_vi());
        }
    }

    #[test]
    fn groups_by_letter_or_words() {
        assert_eq!(groups("a"), Some(vec!["a".into()]));
        assert_eq!(groups("Đ"), Some(vec!["dd".into()]));
        assert_eq!(groups("Trẻ em khuyết tật"), Some(vec!["d".into()]));
        assert_eq!(groups("mồ côi cả cha và mẹ"), Some(vec!["a".into()]));
        assert_eq!(groups("không rõ"), None);
        assert_eq!(groups("Trẻ em"), None, "every group's name has these words");
    }
}
