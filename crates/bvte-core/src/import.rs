//! Importing an officer's Excel list (issue 12), part one: reading the file into rows with
//! `bvte-import` (the sheet, its header, the column mapping the officer may change, the
//! encoding of each column) and the shapes a screen and `bvte import` show. The use cases
//! (preview, import, undo, history) are in [`crate::import_run`].
//!
//! Two phases for a screen: [`crate::Session::preview_import`] proposes a mapping and shows the
//! rows as they will be saved, with every problem next to its cell and duplicates marked; the
//! officer changes the mapping ([`MappingChoice`]) and [`crate::Session::import_children`]
//! imports with it.

use bvte_domain::text::fold;
use bvte_import::cell::{self, Cell};
use bvte_import::header::{self, Header, Target};
use bvte_import::legacy::Encoding;
use bvte_import::rows::ImportRow;
use bvte_import::workbook::{self, ReadError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How to import a file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The file's name, kept in the import history.
    pub file_name: String,
    /// The sheet to read (default: the first whose header is recognised).
    pub sheet: Option<String>,
    /// The officer's changes to the proposed mapping.
    pub mapping: Option<MappingChoice>,
    /// Update a child already in the register instead of skipping the row.
    pub update_existing: bool,
    /// Write nothing: only say what an import would do.
    pub dry_run: bool,
}

/// The officer's changes to the proposed mapping (`bvte import --mapping FILE.json`, or the
/// preview screen): the header row, and for a column (by its letter, "A", "B", … "AA") the
/// field it fills, or `null` for a column not to import. Columns not named keep the proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct MappingChoice {
    /// The header row as the spreadsheet numbers it (1 = the first row).
    #[serde(default)]
    pub header_row: Option<u32>,
    /// Column letter → field code (`full_name`, `date_of_birth`, … see docs/json.md) or `null`.
    #[serde(default)]
    pub columns: BTreeMap<String, Option<String>>,
}

/// What a column fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ColumnMapping {
    /// Its letter ("A", "B", …).
    pub column: String,
    /// Its header as written (read back to Unicode).
    pub header: String,
    /// The field it fills (`null`: not imported).
    pub field: Option<String>,
    /// The encoding its text was typed in (`unicode`, `tcvn3`, `vni`, `windows_1258`).
    pub encoding: String,
}

/// A problem with a row, or what was assumed for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RowProblem {
    /// The row as the spreadsheet numbers it.
    pub row: u32,
    /// The field (a column's field code, or the register's field path).
    pub field: String,
    /// The column's letter, when known.
    pub column: Option<String>,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// In English.
    pub message_en: String,
}

/// Why a list cannot be imported, or an import undone. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read (too large, HTML, encrypted, damaged, empty).
    #[error("{}", .0.message_vi())]
    Read(ReadError),
    /// The file cannot be opened (no such file, no permission).
    #[error(
        "Không mở được tệp “{file}”: {detail}. Hãy kiểm tra đường dẫn, hoặc chọn tệp trong danh sách."
    )]
    CannotOpen {
        /// The path given.
        file: String,
        /// What the system said.
        detail: String,
    },
    /// `--sheet` names no sheet of the workbook.
    #[error("Không có trang tính “{name}” trong tệp. Các trang tính có: {}.", .available.join(", "))]
    NoSheet {
        /// The name asked for.
        name: String,
        /// The workbook's sheets.
        available: Vec<String>,
    },
    /// No header row names the child's name and another field.
    #[error(
        "Không tìm thấy dòng tiêu đề trong trang tính “{sheet}”: cần một dòng có cột “Họ và tên” và ít nhất một cột khác (Ngày sinh, Giới tính, Thôn…). Hãy thêm dòng tiêu đề, hoặc chỉ rõ dòng tiêu đề và các cột bằng --mapping."
    )]
    NoHeader {
        /// The sheet read.
        sheet: String,
    },
    /// The mapping names an unknown column or field.
    #[error("Bảng ghép cột không hợp lệ: {vi}")]
    BadMapping {
        /// Vietnamese detail.
        vi: String,
        /// English detail.
        en: String,
    },
    /// The import was undone already.
    #[error("Lần nhập này đã được hoàn tác lúc {at}.")]
    AlreadyUndone {
        /// When (dd/mm/yyyy HH:MM).
        at: String,
    },
    /// A case was opened for children the import added.
    #[error(
        "Không hoàn tác được lần nhập này: đã mở vụ việc cho {children} trẻ em trong danh sách đã nhập, và vụ việc phải được lưu giữ. Nếu có hồ sơ nhập nhầm, hãy xóa từng hồ sơ không có vụ việc (bvte child delete)."
    )]
    HasCases {
        /// Children with cases.
        children: usize,
    },
}

impl ImportError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read(e) => e.code(),
            Self::CannotOpen { .. } => "file_unreadable",
            Self::NoSheet { .. } => "sheet_not_found",
            Self::NoHeader { .. } => "header_not_found",
            Self::BadMapping { .. } => "bad_mapping",
            Self::AlreadyUndone { .. } => "import_already_undone",
            Self::HasCases { .. } => "import_has_cases",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Read(e) => e.message_en(),
            Self::CannotOpen { file, detail } => format!(
                "Cannot open \"{file}\": {detail}. Check the path, or choose a file in the list."
            ),
            Self::NoSheet { name, available } => format!(
                "No sheet \"{name}\" in the file. Its sheets: {}.",
                available.join(", ")
            ),
            Self::NoHeader { sheet } => format!(
                "No header row in sheet \"{sheet}\": a row naming the child's name and another field is needed. Add one, or give the header row and columns with --mapping."
            ),
            Self::BadMapping { en, .. } => format!("Invalid column mapping: {en}"),
            Self::AlreadyUndone { at } => format!("This import was undone at {at}."),
            Self::HasCases { children } => format!(
                "This import cannot be undone: cases were opened for {children} of its children, and cases must be kept. Delete the records entered in error one by one."
            ),
        }
    }
}

/// The letter of a column (0 → "A", 26 → "AA").
pub fn column_letter(mut j: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (j % 26) as u8);
        if j < 26 {
            break;
        }
        j = j / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The column a letter names.
fn column_index(letter: &str) -> Option<usize> {
    let l = letter.trim().to_ascii_uppercase();
    if l.is_empty() || l.len() > 3 || !l.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(
        l.bytes()
            .fold(0usize, |n, b| n * 26 + usize::from(b - b'A') + 1)
            - 1,
    )
}

/// A list read from a file, before the register is consulted.
#[derive(Debug, Clone)]
pub struct ListRead {
    /// Every sheet's name.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// The header found (or chosen).
    pub header: Header,
    /// The header row's text, each column.
    pub header_text: Vec<String>,
    /// What each column fills.
    pub mapping: Vec<ColumnMapping>,
    /// The encoding of the list (of its names column, or the first legacy one).
    pub encoding: Encoding,
    /// The rows read.
    pub rows: Vec<ImportRow>,
    /// Each data row's cells as text (personal ids stored as numbers padded back), by row
    /// number, for the file of rejected rows.
    pub cells: BTreeMap<usize, Vec<String>>,
}

fn bad_mapping(vi: String, en: String) -> ImportError {
    ImportError::BadMapping { vi, en }
}

/// The header row at `row` (0-based), with a second header row under it when there is one.
fn header_at(text: &[Vec<String>], row: usize) -> Header {
    let found = text
        .get(row..)
        .and_then(|rest| header::find(&rest[..rest.len().min(2)]).filter(|h| h.row == 0));
    match found {
        Some(h) => Header {
            row,
            data_row: row + h.data_row,
            columns: h.columns,
        },
        None => Header {
            row,
            data_row: row + 1,
            columns: text
                .get(row)
                .map(|r| r.iter().map(|c| header::target_of(c)).collect())
                .unwrap_or_default(),
        },
    }
}

fn apply(choice: &MappingChoice, header: &mut Header) -> Result<(), ImportError> {
    for (letter, field) in &choice.columns {
        let j = column_index(letter).ok_or_else(|| {
            bad_mapping(
                format!("“{letter}” không phải chữ cái của một cột (A, B, … AA)."),
                format!("\"{letter}\" is not a column letter (A, B, … AA)."),
            )
        })?;
        let target = match field.as_deref().filter(|f| !f.is_empty()) {
            None => None,
            Some(code) => Some(Target::parse(code).ok_or_else(|| {
                let known: Vec<&str> = Target::ALL.iter().map(|t| t.code()).collect();
                bad_mapping(
                    format!(
                        "cột {letter}: không có trường “{code}”. Các trường: {}.",
                        known.join(", ")
                    ),
                    format!(
                        "column {letter}: no field \"{code}\". Fields: {}.",
                        known.join(", ")
                    ),
                )
            })?),
        };
        if header.columns.len() <= j {
            header.columns.resize(j + 1, None);
        }
        header.columns[j] = target;
    }
    Ok(())
}

/// Reads `bytes` as a list of children on `today`, with the officer's `options`.
///
/// # Errors
/// [`ImportError`]: the file cannot be read, the sheet does not exist, no header row is found,
/// or the mapping is invalid.
pub fn read_list(
    bytes: &[u8],
    options: &ImportOptions,
    today: NaiveDate,
) -> Result<ListRead, ImportError> {
    let sheets = workbook::read(bytes).map_err(ImportError::Read)?;
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    let decoded: Vec<_> = sheets
        .iter()
        .map(bvte_import::columns::decode_sheet)
        .collect();
    let texts: Vec<Vec<Vec<String>>> = decoded
        .iter()
        .map(|(cells, _)| {
            cells
                .iter()
                .map(|r| r.iter().map(Cell::text).collect())
                .collect()
        })
        .collect();
    let index = match &options.sheet {
        Some(name) => names
            .iter()
            .position(|n| fold(n).trim() == fold(name).trim())
            .ok_or_else(|| ImportError::NoSheet {
                name: name.clone(),
                available: names.clone(),
            })?,
        None => texts
            .iter()
            .position(|t| header::find(t).is_some())
            .unwrap_or(0),
    };
    let (cells, encodings) = &decoded[index];
    let text = &texts[index];
    let sheet = names[index].clone();
    let choice = options.mapping.clone().unwrap_or_default();
    let mut header = match choice.header_row {
        Some(0) => {
            return Err(bad_mapping(
                "header_row tính từ 1 (dòng đầu tiên là 1).".into(),
                "header_row counts from 1 (the first row is 1).".into(),
            ));
        }
        Some(n) => header_at(text, n as usize - 1),
        None => header::find(text).ok_or_else(|| ImportError::NoHeader {
            sheet: sheet.clone(),
        })?,
    };
    apply(&choice, &mut header)?;
    if !header.columns.contains(&Some(Target::FullName)) {
        return Err(ImportError::NoHeader { sheet });
    }
    let header_text: Vec<String> = text.get(header.row).cloned().unwrap_or_default();
    let width = header.columns.len().max(header_text.len());
    let enc_of = |j: usize| encodings.get(j).copied().unwrap_or(Encoding::Unicode);
    let mapping: Vec<ColumnMapping> = (0..width)
        .filter_map(|j| {
            let field = header.columns.get(j).copied().flatten();
            let head = header_text.get(j).cloned().unwrap_or_default();
            (field.is_some() || !head.is_empty()).then(|| ColumnMapping {
                column: column_letter(j),
                header: head,
                field: field.map(|t| t.code().to_string()),
                encoding: enc_of(j).code().to_string(),
            })
        })
        .collect();
    let name_col = header
        .columns
        .iter()
        .position(|c| *c == Some(Target::FullName));
    let encoding = name_col
        .map(enc_of)
        .filter(|e| *e != Encoding::Unicode)
        .or_else(|| {
            (0..width)
                .filter(|&j| header.columns.get(j).copied().flatten().is_some())
                .map(enc_of)
                .find(|e| *e != Encoding::Unicode)
        })
        .unwrap_or(Encoding::Unicode);
    let rows = bvte_import::rows::read(cells, &header, today);
    let cells_text = rows
        .iter()
        .map(|r| {
            let row = cells.get(r.row - 1).cloned().unwrap_or_default();
            let texts = (0..width.max(row.len()))
                .map(|j| {
                    let c = row.get(j).unwrap_or(&Cell::Empty);
                    match (header.columns.get(j).copied().flatten(), c) {
                        (Some(Target::PersonalId), Cell::Number(_)) => {
                            cell::personal_id(c).unwrap_or_default()
                        }
                        _ => c.text(),
                    }
                })
                .collect();
            (r.row, texts)
        })
        .collect();
    Ok(ListRead {
        sheets: names,
        sheet,
        header,
        header_text,
        mapping,
        encoding,
        rows,
        cells: cells_text,
    })
}

/// The column of the first cell filling the register's field `path` (a validation error's
/// field, e.g. `date_of_birth`, `carers[0].full_name`).
pub fn column_of(header: &Header, path: &str) -> Option<String> {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    let wanted: &[Target] = match top {
        "full_name" => &[Target::FullName],
        "date_of_birth" | "estimated_age" => &[
            Target::DateOfBirth,
            Target::BirthIfMale,
            Target::BirthIfFemale,
        ],
        "sex" => &[Target::Sex, Target::BirthIfMale, Target::BirthIfFemale],
        "ethnicity" => &[Target::Ethnicity],
        "village" => &[Target::Village, Target::Address],
        "personal_id" => &[Target::PersonalId],
        "carers" => &[Target::Father, Target::Mother, Target::Carer],
        "special_circumstances" => &[Target::Group],
        "disability" => &[Target::Disability],
        "residence_status" => &[Target::Residence],
        "notes" => &[Target::Notes, Target::Address],
        _ => &[],
    };
    header
        .columns
        .iter()
        .position(|c| c.is_some_and(|t| wanted.contains(&t)))
        .map(column_letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_both_ways() {
        for (j, l) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letter(j), l);
            assert_eq!(column_index(l), Some(j));
        }
        assert_eq!(column_index("b"), Some(1), "lower case is the same column");
        assert_eq!(column_index("A1"), None);
        assert_eq!(column_index(""), None);
    }
}
