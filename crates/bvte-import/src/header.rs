//! Finding the header row of a sheet and proposing which field each column fills.
//!
//! Officers' lists start with title rows ("UBND XÃ …", "DANH SÁCH TRẺ EM …", a date), then a
//! header, sometimes on two rows: "Năm sinh" over "Nam" | "Nữ", where the year or date of birth
//! is written under the child's sex. The header is the row, among the first [`SEARCH_ROWS`],
//! whose cells name the most known fields (at least two); the proposal is only a proposal — the
//! officer can change every column before importing.

use bvte_domain::text::fold;

/// How far down the header is looked for.
pub const SEARCH_ROWS: usize = 30;

/// What a column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Row number ("STT"): not imported.
    RowNumber,
    /// Họ và tên.
    FullName,
    /// Ngày sinh (a date, or a year alone).
    DateOfBirth,
    /// "Nam" under "Năm sinh": the date or year of birth of a boy.
    BirthIfMale,
    /// "Nữ" under "Năm sinh": of a girl.
    BirthIfFemale,
    /// Giới tính.
    Sex,
    /// Dân tộc.
    Ethnicity,
    /// Thôn, xóm, tổ dân phố, bản, ấp.
    Village,
    /// Địa chỉ (read as the village when there is no village column).
    Address,
    /// Số định danh cá nhân, CCCD.
    PersonalId,
    /// Họ tên cha.
    Father,
    /// Họ tên mẹ.
    Mother,
    /// Người chăm sóc, người giám hộ.
    Carer,
    /// Đối tượng, nhóm hoàn cảnh đặc biệt.
    Group,
    /// Khuyết tật, dạng tật.
    Disability,
    /// Cư trú (thường trú, tạm trú).
    Residence,
    /// Ghi chú.
    Notes,
}

impl Target {
    /// Every field a column can fill, in the order a mapping lists them.
    pub const ALL: [Self; 17] = [
        Self::RowNumber,
        Self::FullName,
        Self::DateOfBirth,
        Self::BirthIfMale,
        Self::BirthIfFemale,
        Self::Sex,
        Self::Ethnicity,
        Self::Village,
        Self::Address,
        Self::PersonalId,
        Self::Father,
        Self::Mother,
        Self::Carer,
        Self::Group,
        Self::Disability,
        Self::Residence,
        Self::Notes,
    ];

    /// The field named by its [`Target::code`].
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The stable code (`--mapping` files and `bvte import --json`).
    pub fn code(self) -> &'static str {
        match self {
            Self::RowNumber => "row_number",
            Self::FullName => "full_name",
            Self::DateOfBirth => "date_of_birth",
            Self::BirthIfMale => "birth_if_male",
            Self::BirthIfFemale => "birth_if_female",
            Self::Sex => "sex",
            Self::Ethnicity => "ethnicity",
            Self::Village => "village",
            Self::Address => "address",
            Self::PersonalId => "personal_id",
            Self::Father => "father",
            Self::Mother => "mother",
            Self::Carer => "carer",
            Self::Group => "group",
            Self::Disability => "disability",
            Self::Residence => "residence_status",
            Self::Notes => "notes",
        }
    }
}

/// Folded header words and the field they name, most specific first (a parent's name before
/// the child's, "năm sinh" before "nam").
const NAMES: &[(&str, Target)] = &[
    ("ten cha", Target::Father),
    ("ho ten bo", Target::Father),
    ("ten me", Target::Mother),
    ("nguoi cham soc", Target::Carer),
    ("nguoi nuoi", Target::Carer),
    ("giam ho", Target::Carer),
    ("ho va ten", Target::FullName),
    ("ho ten", Target::FullName),
    ("ten tre", Target::FullName),
    ("ngay sinh", Target::DateOfBirth),
    ("nam sinh", Target::DateOfBirth),
    ("sinh ngay", Target::DateOfBirth),
    ("gioi tinh", Target::Sex),
    ("nam/nu", Target::Sex),
    ("nam, nu", Target::Sex),
    ("dan toc", Target::Ethnicity),
    ("dinh danh", Target::PersonalId),
    ("cccd", Target::PersonalId),
    ("can cuoc", Target::PersonalId),
    ("thon", Target::Village),
    ("xom", Target::Village),
    ("to dan pho", Target::Village),
    ("khu pho", Target::Village),
    ("dia chi", Target::Address),
    ("noi o", Target::Address),
    ("khuyet tat", Target::Disability),
    ("dang tat", Target::Disability),
    ("doi tuong", Target::Group),
    ("hoan canh", Target::Group),
    ("nhom", Target::Group),
    ("cu tru", Target::Residence),
    ("thuong tru", Target::Residence),
    ("tam tru", Target::Residence),
    ("ghi chu", Target::Notes),
];

/// Whole folded headers that name a field only when alone ("Bản" is a village, "bản" inside
/// "bản thân" is not).
const WHOLE: &[(&str, Target)] = &[
    ("stt", Target::RowNumber),
    ("tt", Target::RowNumber),
    ("so tt", Target::RowNumber),
    ("ban", Target::Village),
    ("ap", Target::Village),
    ("to", Target::Village),
    ("khom", Target::Village),
    ("ten", Target::FullName),
];

/// The field a header cell names, if any.
pub fn target_of(header: &str) -> Option<Target> {
    let f = fold(header);
    let f: String = f.split_whitespace().collect::<Vec<_>>().join(" ");
    let f = f.trim_end_matches([':', '.', '*']).trim();
    if let Some(&(_, t)) = WHOLE.iter().find(|(w, _)| *w == f) {
        return Some(t);
    }
    NAMES
        .iter()
        .find(|(w, _)| contains_words(f, w))
        .map(|&(_, t)| t)
}

/// Whether `phrase` occurs in `text` at word boundaries.
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The header found: its row (0-based), the first data row, and the field of each column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The header row.
    pub row: usize,
    /// The first row of data (after a second header row, when there is one).
    pub data_row: usize,
    /// What each column fills (`None`: not imported).
    pub columns: Vec<Option<Target>>,
}

/// Finds the header among the first [`SEARCH_ROWS`] rows of `rows` (cells as text); `None`
/// when no row names two known fields, or none names the child's name.
pub fn find(rows: &[Vec<String>]) -> Option<Header> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.iter().take(SEARCH_ROWS).enumerate() {
        let known = row.iter().filter(|c| target_of(c).is_some()).count();
        if known >= 2 && best.is_none_or(|(_, n)| known > n) {
            best = Some((i, known));
        }
    }
    let (row, _) = best?;
    let mut columns: Vec<Option<Target>> = rows[row].iter().map(|c| target_of(c)).collect();
    if !columns.contains(&Some(Target::FullName)) {
        return None;
    }
    // A second header row: "Nam" | "Nữ" under "Năm sinh" (a merged cell reads as its first
    // column only), or other headers under empty cells of a merged group.
    // Such a row holds header words only: a first child ("1", a name, "Nam", "Thôn Đông") is
    // data, never a second header.
    let mut data_row = row + 1;
    if let Some(next) = rows.get(row + 1) {
        let sub_target = |cell: &str| match fold(cell).trim() {
            "nam" => Some(Target::BirthIfMale),
            "nu" => Some(Target::BirthIfFemale),
            _ => target_of(cell),
        };
        let filled: Vec<(usize, &String)> = next
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .collect();
        let is_header = !filled.is_empty()
            && filled.iter().all(|(_, c)| sub_target(c).is_some())
            && filled
                .iter()
                .all(|&(j, _)| columns.get(j) != Some(&Some(Target::FullName)));
        if is_header {
            for (j, cell) in filled {
                if columns.len() <= j {
                    columns.resize(j + 1, None);
                }
                if let Some(t) = sub_target(cell)
                    && matches!(columns[j], None | Some(Target::DateOfBirth))
                {
                    columns[j] = Some(t);
                }
            }
            data_row += 1;
        }
    }
    Some(Header {
        row,
        data_row,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn headers_as_officers_write_them() {
        for (h, t) in [
            ("Họ và tên", Target::FullName),
            ("HỌ VÀ TÊN TRẺ", Target::FullName),
            ("Họ tên cha", Target::Father),
            ("Họ tên mẹ", Target::Mother),
            ("Ngày, tháng, năm sinh", Target::DateOfBirth),
            ("Giới tính", Target::Sex),
            ("Dân tộc", Target::Ethnicity),
            ("Thôn/Xóm", Target::Village),
            ("Tổ dân phố", Target::Village),
            ("Bản", Target::Village),
            ("Số định danh cá nhân", Target::PersonalId),
            ("Số CCCD", Target::PersonalId),
            ("Đối tượng", Target::Group),
            ("Dạng tật", Target::Disability),
            ("Thường trú/Tạm trú", Target::Residence),
            ("Ghi chú", Target::Notes),
            ("STT", Target::RowNumber),
        ] {
            assert_eq!(target_of(h), Some(t), "{h}");
        }
        assert_eq!(target_of("Bản thân trẻ"), None);
        for t in Target::ALL {
            assert_eq!(Target::parse(t.code()), Some(t), "codes read back");
        }
        assert_eq!(target_of(""), None);
    }

    #[test]
    fn the_header_below_title_rows_and_a_two_row_birth_header() {
        let sheet = rows(&[
            &["UBND XÃ THẠCH THẤT"],
            &["DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT NĂM 2024"],
            &[],
            &["STT", "Họ và tên", "Năm sinh", "", "Dân tộc", "Thôn"],
            &["", "", "Nam", "Nữ", "", ""],
            &["1", "Nguyễn Văn An", "2015", "", "Kinh", "Bản Phìn"],
        ]);
        let h = find(&sheet).unwrap();
        assert_eq!((h.row, h.data_row), (3, 5));
        assert_eq!(
            h.columns,
            vec![
                Some(Target::RowNumber),
                Some(Target::FullName),
                Some(Target::BirthIfMale),
                Some(Target::BirthIfFemale),
                Some(Target::Ethnicity),
                Some(Target::Village),
            ]
        );
    }

    #[test]
    fn a_first_data_row_with_a_boy_or_a_village_is_data_not_a_second_header() {
        let sheet = rows(&[
            &["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn"],
            &["1", "Nguyễn Văn An", "05/09/2015", "Nam", "Thôn Đông"],
            &["2", "Lò Thị Mỷ", "01/02/2016", "Nữ", "Thôn Đông"],
        ]);
        let h = find(&sheet).unwrap();
        assert_eq!(
            (h.row, h.data_row),
            (0, 1),
            "the first child must not be taken for a header row"
        );
        assert_eq!(h.columns[3], Some(Target::Sex));
    }

    #[test]
    fn no_header_without_a_name_column() {
        assert_eq!(
            find(&rows(&[
                &["Ngày sinh", "Giới tính"],
                &["01/01/2015", "Nam"]
            ])),
            None
        );
        assert_eq!(find(&rows(&[&["a", "b"], &["c", "d"]])), None);
        assert_eq!(find(&[]), None);
    }
}
