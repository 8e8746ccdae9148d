//! The shipped layout against a real report: every key a figure, every figure in a table, each
//! row's figure the one at its key; and corrected layouts that are refused, with the reason.

use super::*;
use crate::layout::{LAYOUT_FILE, Layout, figure_keys};

/// A report with figures that are not all zero: children of both sexes in groups, abused.
fn busy_report() -> Report {
    let mut d = data(day(2019, 5, 1), Sex::Female);
    d.special_circumstances = vec![sc(Group::C, Some(2), None, None)];
    let girl = child(d);
    let boy = child(data(day(2012, 5, 1), Sex::Male));
    let mut abused = case_of(girl.id, at(2026, 10, 3, 9, 0), CaseCategory::Abused);
    abused.data.channel = Channel::School;
    let other = case_of(boy.id, at(2026, 10, 5, 9, 0), CaseCategory::AtRiskViolence);
    let cases = [abused, other].map(|c| rc(&c, &[]));
    report(&input(&[girl, boy], &cases))
}

fn at_path<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |cur, seg| match cur {
        Value::Array(items) => items.iter().find(|i| i["code"] == seg).unwrap(),
        _ => &cur[seg],
    })
}

#[test]
fn the_shipped_layout_shows_every_figure_at_its_key_and_nothing_else() {
    let r = busy_report();
    let json = serde_json::to_value(&r).unwrap();
    let layout = Layout::embedded();
    assert_eq!(
        layout.uncovered(&r),
        Vec::<String>::new(),
        "every figure of the report is in a table"
    );
    let tables = layout.tables(&r).unwrap();
    let mut shown = 0;
    for t in &tables {
        assert!(t.sheet.chars().count() <= 31, "{}", t.sheet);
        for row in &t.rows {
            assert_eq!(row.values.len(), t.columns.len(), "{}", row.key);
            for (i, v) in row.values.iter().enumerate() {
                let key = match t.columns.len() {
                    1 => row.key.clone(),
                    _ => format!("{}.{}", row.key, ["met", "overdue", "pending"][i]),
                };
                assert_eq!(
                    at_path(&json, &key).as_u64(),
                    Some(*v),
                    "the row {key} shows the report's figure"
                );
                shown += 1;
            }
            assert!(!row.vi.is_empty() && !row.en.is_empty(), "{}", row.key);
        }
    }
    assert_eq!(shown, figure_keys(&r).len(), "no figure is shown twice");
    let groups = tables.iter().find(|t| t.id == "children_groups").unwrap();
    let c2 = groups
        .rows
        .iter()
        .find(|r| r.key.ends_with(".c_2"))
        .unwrap();
    assert_eq!(
        (c2.values[0], c2.level),
        (1, 1),
        "a sub-group sits under its group"
    );
    assert!(groups.rows.iter().any(|r| r.vi.starts_with("đ) ")));
    assert!(tables.iter().filter(|t| t.chart).count() >= 2);
}

fn with(find: &str, replace: &str) -> String {
    let src = include_str!("../../../assets/reports/commune-report.toml");
    assert!(src.contains(find), "{find}");
    src.replacen(find, replace, 1)
}

#[test]
fn a_layout_naming_an_unknown_key_is_refused_in_vietnamese() {
    let src = with("key = \"children.at_risk\"", "key = \"children.at_risks\"");
    let e = Layout::parse("/sửa/commune-report.toml", &src).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("“/sửa/commune-report.toml”")
            && msg.contains("children.at_risks")
            && msg.contains("báo cáo không có số liệu nào mang khóa này")
            && msg.contains("ở dòng"),
        "{msg}"
    );
    assert_eq!(e.code(), "bad_report_layout");
    assert!(e.message_en().contains("children.at_risks"));
    // A breakdown that does not exist, and a key outside the figures.
    let src = with("each = \"cases.by_stage\"", "each = \"cases.by_stages\"");
    assert!(Layout::parse(LAYOUT_FILE, &src).is_err());
    let src = with(
        "key = \"children.total\", vi = \"Tổng",
        "key = \"period.from\" }, { key = \"children.total\", vi = \"Tổng",
    );
    let msg = Layout::parse(LAYOUT_FILE, &src).unwrap_err().to_string();
    assert!(msg.contains("period.from"), "{msg}");
}

#[test]
fn a_layout_that_leaves_a_figure_out_is_refused_naming_it() {
    let src = with(
        "  { key = \"children.at_risk\", vi = \"Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt\", en = \"At risk of falling into special circumstances\" },\n",
        "",
    );
    let msg = Layout::parse(LAYOUT_FILE, &src).unwrap_err().to_string();
    assert!(
        msg.contains("thiếu số liệu") && msg.contains("children.at_risk"),
        "{msg}"
    );
}

#[test]
fn sheet_names_and_syntax_are_checked() {
    let src = with(
        "sheet = \"Trẻ em - dân tộc\"",
        "sheet = \"Trẻ em theo dân tộc trên địa bàn xã\"",
    );
    let msg = Layout::parse(LAYOUT_FILE, &src).unwrap_err().to_string();
    assert!(msg.contains("1–31 ký tự"), "{msg}");
    let src = with("sheet = \"Vụ việc\"", "sheet = \"Trẻ em\"");
    let msg = Layout::parse(LAYOUT_FILE, &src).unwrap_err().to_string();
    assert!(msg.contains("bị trùng"), "{msg}");
    let e = Layout::parse(LAYOUT_FILE, "title_vi = \"A\"\ntitle_en = [\n").unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
}

#[test]
fn layout_text_is_nfc() {
    // "Trẻ em" typed with combining marks (NFD) becomes precomposed.
    let nfd = "Tre\u{309} em";
    let src = with(
        "vi = \"I. Trẻ em trên địa bàn\"",
        &format!("vi = \"I. {nfd}\""),
    );
    let layout = Layout::parse(LAYOUT_FILE, &src).unwrap();
    let t = &layout.tables(&busy_report()).unwrap()[0];
    assert_eq!(t.vi, "I. Trẻ em");
}
