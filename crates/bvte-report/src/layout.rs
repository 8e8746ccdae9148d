//! The report's layout kept as data (`assets/reports/commune-report.toml`, embedded; an IT
//! technician may drop a corrected file of the same name in, see `bvte-core`): which tables,
//! their titles in Vietnamese and English, each row's label and the key path of its figure in
//! the report's JSON, and which tables get a chart. The XLSX and PDF outputs are drawn from
//! [`Layout::tables`], so a corrected layout changes both without a release.
//!
//! A layout is checked when it is read: every key must name a figure of the report, and every
//! figure of the report must be in some table, so nothing is silently dropped.

use crate::code_lists;
use crate::{Period, Report, ReportInput};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// The file name of the layout, shipped and overridden.
pub const LAYOUT_FILE: &str = "commune-report.toml";

/// The shipped layout.
const EMBEDDED: &str = include_str!("../../../assets/reports/commune-report.toml");

/// The longest name a spreadsheet tab may have (Excel's limit).
pub const SHEET_NAME_MAX: usize = 31;

/// A layout file that cannot be used: the file, the line when known, and what to fix, in
/// Vietnamese and English.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Tệp bố cục báo cáo “{file}” bị lỗi{}: {vi}. Hãy sửa tệp theo docs/json.md §14 (Bố cục).", .line.map(|l| format!(" ở dòng {l}")).unwrap_or_default())]
pub struct LayoutError {
    /// The file name or path.
    pub file: String,
    /// Line of the problem (from 1), when known.
    pub line: Option<usize>,
    /// What is wrong, in Vietnamese.
    pub vi: String,
    /// What is wrong, in English.
    pub en: String,
}

impl LayoutError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        "bad_report_layout"
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        let at = self
            .line
            .map(|l| format!(" at line {l}"))
            .unwrap_or_default();
        format!(
            "Report layout \"{}\" is broken{at}: {}. See docs/json.md §14 (Layout).",
            self.file, self.en
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    title_vi: String,
    title_en: String,
    tables: Vec<toml::Spanned<TableSpec>>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct TableSpec {
    id: String,
    sheet: String,
    vi: String,
    en: String,
    #[serde(default)]
    chart: bool,
    #[serde(default)]
    columns: Vec<ColumnSpec>,
    rows: Vec<RowSpec>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct ColumnSpec {
    key: String,
    vi: String,
    en: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct RowSpec {
    key: Option<String>,
    each: Option<String>,
    vi: Option<String>,
    en: Option<String>,
}

/// A checked layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Where it was read from (`commune-report.toml` or an override's path).
    pub file: String,
    /// The report's title, Vietnamese.
    pub title_vi: String,
    /// The report's title, English.
    pub title_en: String,
    tables: Vec<(usize, TableSpec)>,
}

/// A value column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Heading, Vietnamese.
    pub vi: String,
    /// Heading, English.
    pub en: String,
}

/// A row of a laid-out table: its label, its key path, its level and one figure per column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The figure's key path (the row's; a column's key is appended for multi-column tables).
    pub key: String,
    /// Label, Vietnamese.
    pub vi: String,
    /// Label, English.
    pub en: String,
    /// 0 for a row, 1 for a sub-row (a sub-group under its group).
    pub level: u8,
    /// One figure per column.
    pub values: Vec<u64>,
}

/// A table of the report, filled with the figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Stable id (`children_groups`).
    pub id: String,
    /// The spreadsheet tab's name (at most 31 characters).
    pub sheet: String,
    /// Title, Vietnamese.
    pub vi: String,
    /// Title, English.
    pub en: String,
    /// Whether the PDF draws a bar chart of its level-0 rows (first column).
    pub chart: bool,
    /// Value columns.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// Who the report is from, as printed on it; the caller looks it up (commune names are
/// reference data, the officer and the issuing body are settings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Issuer {
    /// The commune's full name ("Xã Thạch Thất, Thành phố Hà Nội").
    pub commune_name: String,
    /// The issuing body in the Decree 30/2020 header ("ỦY BAN NHÂN DÂN XÃ THẠCH THẤT").
    pub issuing_body: String,
    /// The place name of the date line ("Thạch Thất").
    pub place: String,
    /// The officer who signs.
    pub officer: String,
}

/// A report laid out for output: the title, the filled tables and who it is from. The XLSX
/// (`bvte-sheet`) and PDF (`bvte-forms`) writers take it with the [`Report`] (for its period,
/// note and completeness list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Title, Vietnamese.
    pub title_vi: String,
    /// Title, English.
    pub title_en: String,
    /// The tables, in the layout's order.
    pub tables: Vec<Table>,
    /// Who it is from.
    pub issuer: Issuer,
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

/// The figure at `path` in the report's JSON: objects by key, the indicators by their code.
fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = root;
    for seg in path.split('.') {
        cur = match cur {
            Value::Object(m) => m.get(seg)?,
            Value::Array(items) => items.iter().find(|i| i["code"] == seg)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The key paths of every figure of the report (children, cases, indicators).
pub fn figure_keys(report: &Report) -> BTreeSet<String> {
    fn walk(v: &Value, path: String, out: &mut BTreeSet<String>) {
        match v {
            Value::Number(_) => {
                out.insert(path);
            }
            Value::Object(m) => {
                for (k, x) in m {
                    walk(x, format!("{path}.{k}"), out);
                }
            }
            Value::Array(items) => {
                for i in items {
                    if let Some(code) = i["code"].as_str() {
                        walk(i, format!("{path}.{code}"), out);
                    }
                }
            }
            _ => {}
        }
    }
    let json = serde_json::to_value(report).expect("the report serialises");
    let mut out = BTreeSet::new();
    for root in ["children", "cases", "indicators"] {
        walk(&json[root], root.to_string(), &mut out);
    }
    out
}

/// The shape of every report: the one of an empty register (every breakdown lists every code).
fn shape() -> Report {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("a date");
    let period = Period { from: day, to: day };
    crate::build(
        &ReportInput::default(),
        &period,
        bvte_domain::reference::calendar(),
        period.end(),
    )
}

impl Layout {
    /// The shipped layout.
    pub fn embedded() -> Layout {
        Layout::parse(LAYOUT_FILE, EMBEDDED)
            .unwrap_or_else(|e| panic!("the shipped layout is broken (a test catches this): {e}"))
    }

    /// Reads and checks a layout: TOML of the documented shape, sheet names of at most 31
    /// characters without `[ ] : * ? / \`, unique ids and sheets, every key a figure of the
    /// report, every figure of the report in some table. Text is NFC.
    ///
    /// # Errors
    /// [`LayoutError`] naming the file, the line and what to fix.
    pub fn parse(file: &str, src: &str) -> Result<Layout, LayoutError> {
        let bad = |line: Option<usize>, vi: String, en: String| LayoutError {
            file: file.to_string(),
            line,
            vi,
            en,
        };
        let spec: FileSpec = toml::from_str(src).map_err(|e| {
            let line = e.span().map(|s| line_of(src, s.start));
            let m = e.message().trim().to_string();
            bad(line, format!("không đúng định dạng ({m})"), m)
        })?;
        let nfc = |s: &str| bvte_domain::text::nfc(s.trim());
        let mut tables = Vec::new();
        let mut ids = BTreeSet::new();
        let mut sheets = BTreeSet::new();
        for spanned in spec.tables {
            let line = line_of(src, spanned.span().start);
            let mut t = spanned.into_inner();
            for s in [&mut t.id, &mut t.sheet, &mut t.vi, &mut t.en] {
                *s = nfc(s);
            }
            for c in &mut t.columns {
                c.vi = nfc(&c.vi);
                c.en = nfc(&c.en);
            }
            for r in &mut t.rows {
                r.vi = r.vi.as_deref().map(nfc);
                r.en = r.en.as_deref().map(nfc);
            }
            let fail = |vi: String, en: String| bad(Some(line), vi, en);
            let n = t.sheet.chars().count();
            if n == 0
                || n > SHEET_NAME_MAX
                || t.sheet.contains(['[', ']', ':', '*', '?', '/', '\\'])
            {
                return Err(fail(
                    format!(
                        "tên trang tính “{}” của bảng “{}” phải có 1–{SHEET_NAME_MAX} ký tự và không chứa [ ] : * ? / \\",
                        t.sheet, t.id
                    ),
                    format!(
                        "sheet name \"{}\" of table \"{}\" must have 1–{SHEET_NAME_MAX} characters and none of [ ] : * ? / \\",
                        t.sheet, t.id
                    ),
                ));
            }
            if !ids.insert(t.id.clone()) || !sheets.insert(t.sheet.to_lowercase()) {
                return Err(fail(
                    format!("bảng “{}” hoặc trang tính “{}” bị trùng", t.id, t.sheet),
                    format!("table \"{}\" or sheet \"{}\" is repeated", t.id, t.sheet),
                ));
            }
            if t.rows.is_empty() {
                return Err(fail(
                    format!("bảng “{}” không có dòng nào", t.id),
                    format!("table \"{}\" has no rows", t.id),
                ));
            }
            tables.push((line, t));
        }
        let layout = Layout {
            file: file.to_string(),
            title_vi: nfc(&spec.title_vi),
            title_en: nfc(&spec.title_en),
            tables,
        };
        let shape = shape();
        layout.tables(&shape)?;
        let missing = layout.uncovered(&shape);
        if !missing.is_empty() {
            let list = missing.into_iter().take(5).collect::<Vec<_>>().join(", ");
            return Err(bad(
                None,
                format!("thiếu số liệu của báo cáo, hãy thêm vào một bảng: {list}"),
                format!("figures of the report are left out; add them to a table: {list}"),
            ));
        }
        Ok(layout)
    }

    /// The tables filled with the figures of `report`.
    ///
    /// # Errors
    /// A key that is not a figure of the report (the message names the key and the table).
    pub fn tables(&self, report: &Report) -> Result<Vec<Table>, LayoutError> {
        let json = serde_json::to_value(report).expect("the report serialises");
        self.tables
            .iter()
            .map(|(line, t)| self.table(&json, *line, t))
            .collect()
    }

    fn table(&self, json: &Value, line: usize, t: &TableSpec) -> Result<Table, LayoutError> {
        let unknown = |key: &str| LayoutError {
            file: self.file.clone(),
            line: Some(line),
            vi: format!(
                "bảng “{}” ghi khóa “{key}” nhưng báo cáo không có số liệu nào mang khóa này (xem danh sách khóa ở docs/json.md §14)",
                t.id
            ),
            en: format!(
                "table \"{}\" names the key \"{key}\", which is not a figure of the report",
                t.id
            ),
        };
        let columns: Vec<(String, Column)> = if t.columns.is_empty() {
            vec![(
                String::new(),
                Column {
                    vi: "Số lượng".into(),
                    en: "Number".into(),
                },
            )]
        } else {
            t.columns
                .iter()
                .map(|c| {
                    (
                        c.key.trim().to_string(),
                        Column {
                            vi: c.vi.clone(),
                            en: c.en.clone(),
                        },
                    )
                })
                .collect()
        };
        let figure = |key: &str| -> Result<Vec<u64>, LayoutError> {
            let is_figure = ["children.", "cases.", "indicators."]
                .iter()
                .any(|r| key.starts_with(r));
            columns
                .iter()
                .map(|(col, _)| {
                    let path = if col.is_empty() {
                        key.to_string()
                    } else {
                        format!("{key}.{col}")
                    };
                    lookup(json, &path)
                        .filter(|_| is_figure)
                        .and_then(Value::as_u64)
                        .ok_or_else(|| unknown(&path))
                })
                .collect()
        };
        let mut rows = Vec::new();
        for r in &t.rows {
            match (&r.key, &r.each) {
                (Some(key), None) => {
                    let key = key.trim();
                    rows.push(Row {
                        key: key.to_string(),
                        vi: r.vi.clone().unwrap_or_else(|| key.to_string()),
                        en: r.en.clone().unwrap_or_else(|| key.to_string()),
                        level: 0,
                        values: figure(key)?,
                    });
                }
                (None, Some(each)) => {
                    let each = each.trim();
                    let name = each.rsplit('.').next().unwrap_or(each);
                    let list = code_lists::for_breakdown(name).ok_or_else(|| LayoutError {
                        file: self.file.clone(),
                        line: Some(line),
                        vi: format!(
                            "bảng “{}”: “each = {each}” không phải một bảng phân tổ có danh sách mã; hãy ghi từng dòng với key, vi, en",
                            t.id
                        ),
                        en: format!(
                            "table \"{}\": \"each = {each}\" is not a breakdown with a code list; list its rows with key, vi, en",
                            t.id
                        ),
                    })?;
                    if !lookup(json, each).is_some_and(Value::is_object) {
                        return Err(unknown(each));
                    }
                    for e in list {
                        let key = format!("{each}.{}", e.code);
                        let label = |prefix: &Option<String>, l: &str| match prefix {
                            Some(p) => format!("{p}: {l}"),
                            None => l.to_string(),
                        };
                        rows.push(Row {
                            values: figure(&key)?,
                            key,
                            vi: bvte_domain::text::nfc(&label(&r.vi, &e.vi)),
                            en: label(&r.en, &e.en),
                            level: e.level,
                        });
                    }
                }
                _ => {
                    return Err(LayoutError {
                        file: self.file.clone(),
                        line: Some(line),
                        vi: format!(
                            "bảng “{}”: mỗi dòng ghi đúng một trong hai: key (một số liệu) hoặc each (một bảng phân tổ)",
                            t.id
                        ),
                        en: format!(
                            "table \"{}\": each row has exactly one of key (a figure) or each (a breakdown)",
                            t.id
                        ),
                    });
                }
            }
        }
        Ok(Table {
            id: t.id.clone(),
            sheet: t.sheet.clone(),
            vi: t.vi.clone(),
            en: t.en.clone(),
            chart: t.chart,
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            rows,
        })
    }

    /// The report laid out: title, filled tables and issuer.
    ///
    /// # Errors
    /// As [`Layout::tables`].
    pub fn document(&self, report: &Report, issuer: Issuer) -> Result<Document, LayoutError> {
        Ok(Document {
            title_vi: self.title_vi.clone(),
            title_en: self.title_en.clone(),
            tables: self.tables(report)?,
            issuer,
        })
    }

    /// The figures of `report` that no table shows (empty for a complete layout).
    pub fn uncovered(&self, report: &Report) -> Vec<String> {
        let Ok(tables) = self.tables(report) else {
            return figure_keys(report).into_iter().collect();
        };
        let mut shown = BTreeSet::new();
        for (t, (_, spec)) in tables.iter().zip(&self.tables) {
            for r in &t.rows {
                if spec.columns.is_empty() {
                    shown.insert(r.key.clone());
                } else {
                    for c in &spec.columns {
                        shown.insert(format!("{}.{}", r.key, c.key.trim()));
                    }
                }
            }
        }
        figure_keys(report)
            .into_iter()
            .filter(|k| !shown.contains(k))
            .collect()
    }
}
