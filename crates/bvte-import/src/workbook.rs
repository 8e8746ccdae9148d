//! A file an officer chooses, read into sheets of cells: .xlsx, .xls, .ods (calamine) or CSV,
//! judged by its first bytes, never by its name — many ".xls" files sent around are HTML or CSV
//! renamed. Works on bytes in memory: the caller reads the file (and refuses one too large).

use crate::cell::Cell;
use crate::fonts::{self, FontHint, SheetHints};
use calamine::{Data, Range, Reader, Sheets, Xlsx, open_workbook_auto_from_rs};
use chrono::NaiveDate;
use std::io::{Cursor, Read, Seek};

/// The largest file read (a commune's list is well under a megabyte).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// What the first bytes say a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A zip: .xlsx (or .ods).
    Zip,
    /// An OLE2 compound file: .xls, or an .xlsx protected by a password.
    Ole2,
    /// A web page saved as ".xls".
    Html,
    /// Anything else: read as CSV.
    Csv,
}

/// Judges a file by its first bytes.
pub fn sniff(bytes: &[u8]) -> Format {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"PK\x03\x04") {
        Format::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Format::Ole2
    } else if start.trim_ascii_start().first() == Some(&b'<') {
        Format::Html
    } else {
        Format::Csv
    }
}

/// A sheet read.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// Its name in the workbook (`CSV` for a CSV file).
    pub name: String,
    /// Its rows, from the first row of the sheet (row 1 in the spreadsheet is index 0).
    pub rows: Vec<Vec<Cell>>,
    /// What the font of each text cell says, as `rows` (empty where nothing is known: see
    /// [`crate::fonts`]).
    pub fonts: SheetHints,
}

/// Why a file cannot be read. Each says it in Vietnamese and English; nothing is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Over [`MAX_BYTES`].
    TooLarge {
        /// The limit in MiB.
        max_mib: usize,
    },
    /// No byte at all.
    Empty,
    /// Protected by a password.
    Encrypted,
    /// A web page, not a workbook.
    Html,
    /// The workbook cannot be read (damaged, or not a workbook).
    Corrupt,
    /// No sheet holds a cell.
    NoData,
}

impl ReadError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "file_too_large",
            Self::Empty => "file_empty",
            Self::Encrypted => "workbook_encrypted",
            Self::Html => "workbook_html",
            Self::Corrupt => "workbook_corrupt",
            Self::NoData => "workbook_no_data",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::TooLarge { max_mib } => format!(
                "Tệp quá lớn (hơn {max_mib} MB). Danh sách của một xã chỉ vài trăm KB: hãy kiểm tra lại tệp đã chọn."
            ),
            Self::Empty => "Tệp rỗng, không có dữ liệu.".into(),
            Self::Encrypted => "Tệp Excel được đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc), lưu lại rồi nhập.".into(),
            Self::Html => "Tệp này là trang web được đặt tên .xls, không phải bảng tính. Hãy mở bằng Excel rồi lưu lại dưới dạng .xlsx.".into(),
            Self::Corrupt => "Không đọc được tệp: tệp bị hỏng hoặc không phải bảng tính (.xlsx, .xls, .ods, .csv).".into(),
            Self::NoData => "Bảng tính không có ô nào có dữ liệu.".into(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::TooLarge { max_mib } => format!(
                "The file is too large (over {max_mib} MB). A commune's list is a few hundred KB: check the file chosen."
            ),
            Self::Empty => "The file is empty.".into(),
            Self::Encrypted => "The workbook is protected by a password. Open it in Excel, remove the password, save it and import again.".into(),
            Self::Html => "This file is a web page named .xls, not a workbook. Open it in Excel and save it as .xlsx.".into(),
            Self::Corrupt => "The file cannot be read: it is damaged or not a workbook (.xlsx, .xls, .ods, .csv).".into(),
            Self::NoData => "The workbook has no cell with data.".into(),
        }
    }
}

/// An OLE2 file holding an encrypted Office document (the stream name, in UTF-16).
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        // i64 to f64: list values (years, ids of 12 digits) are far below 2^53.
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "x" } else { "" }.into()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
                .map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
    }
}

/// The font of each text cell of an .xlsx sheet: its own format's, or the workbook's default
/// format's for a cell without one (old lists often made `.VnTime` the default font).
fn xlsx_fonts<RS: Read + Seek>(book: &mut Xlsx<RS>, name: &str, range: &Range<Data>) -> SheetHints {
    let hint_of = |style: &calamine::Style| {
        style
            .font
            .as_ref()
            .and_then(|f| f.name.as_deref())
            .map_or(FontHint::None, FontHint::of)
    };
    // The formats first: a workbook without a legacy font (most) is not read a second time.
    let (default, legacy) = book
        .worksheet_cells_reader(name)
        .ok()
        .map(|r| {
            let styles = r.styles();
            let default = styles.first().map(hint_of).unwrap_or_default();
            (default, styles.iter().any(|s| hint_of(s) != FontHint::None))
        })
        .unwrap_or_default();
    let mut hints = SheetHints::new();
    if !legacy {
        return hints;
    }
    let Ok(styles) = book.worksheet_style(name) else {
        return hints;
    };
    let (top, left) = range.start().unwrap_or((0, 0));
    for (r, c, d) in range.used_cells() {
        if !matches!(d, Data::String(_)) {
            continue;
        }
        let (row, col) = (top as usize + r, left as usize + c);
        let at = (u32::try_from(row), u32::try_from(col));
        let hint = match at {
            (Ok(row), Ok(col)) => styles.get((row, col)).map_or(default, hint_of),
            _ => default,
        };
        fonts::set(&mut hints, row, col, hint);
    }
    hints
}

fn workbook(bytes: &[u8], format: Format) -> Result<Vec<Sheet>, ReadError> {
    let mut book: Sheets<_> =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| ReadError::Corrupt)?;
    // The fonts of an .xls, read once for all its sheets.
    let mut xls_fonts = if format == Format::Ole2 {
        fonts::xls::hints(bytes)
    } else {
        Default::default()
    };
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        // Rows from the sheet's first row: the range starts at its first used cell.
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
        for r in range.rows() {
            let mut row = vec![Cell::Empty; left as usize];
            row.extend(r.iter().map(cell));
            rows.push(row);
        }
        let fonts = match &mut book {
            Sheets::Xlsx(x) => xlsx_fonts(x, &name, &range),
            _ => xls_fonts.remove(&name).unwrap_or_default(),
        };
        out.push(Sheet { name, rows, fonts });
    }
    Ok(out)
}

/// Splits CSV text into rows of cells: `,` or `;` (whichever the first lines use more — a title
/// line above the header may hold neither, or a comma in its words), double quotes around a
/// cell, "" for a quote inside one.
fn csv(text: &str) -> Vec<Vec<Cell>> {
    let head: Vec<&str> = text.lines().take(crate::header::SEARCH_ROWS).collect();
    let count = |c: char| head.iter().map(|l| l.matches(c).count()).sum::<usize>();
    let sep = if count(';') > count(',') { ';' } else { ',' };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let cell = |s: &mut String| {
        let t = std::mem::take(s);
        if t.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t)
        }
    };
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (c, false) if c == sep => row.push(cell(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(cell(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(cell(&mut field));
        rows.push(row);
    }
    rows
}

/// Reads a file's bytes into its sheets. Text in a legacy encoding is left as the file shows
/// it (see [`crate::legacy`]); a CSV file that is not UTF-8 shows its bytes as Windows-1252.
///
/// # Errors
/// [`ReadError`], each with its message.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge {
            max_mib: MAX_BYTES / (1024 * 1024),
        });
    }
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let sheets = match sniff(bytes) {
        Format::Html => return Err(ReadError::Html),
        Format::Ole2 if is_encrypted_ooxml(bytes) => return Err(ReadError::Encrypted),
        f @ (Format::Zip | Format::Ole2) => workbook(bytes, f)?,
        Format::Csv => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let text = match std::str::from_utf8(body) {
                Ok(s) => s.to_string(),
                Err(_) => crate::legacy::bytes_as_text(body),
            };
            if text.contains('\0') {
                return Err(ReadError::Corrupt);
            }
            vec![Sheet {
                name: "CSV".into(),
                rows: csv(&text),
                fonts: SheetHints::new(),
            }]
        }
    };
    if sheets
        .iter()
        .all(|s| s.rows.iter().all(|r| r.iter().all(Cell::is_blank)))
    {
        return Err(ReadError::NoData);
    }
    Ok(sheets)
}
