//! The real `bvte` binary on `bvte report --format xlsx|pdf`: the workbook read back with
//! calamine shows every figure of the JSON report of the same period, at its key; the PDF's text
//! has the diacritics and the figures, its charts are vector drawing and it has no image; no
//! child's name nor the reporter's details in either; the files are owner-only; and a missing
//! `--out` or a broken corrected layout is refused in Vietnamese with nothing written.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::report::{register, today};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;

/// The figure at a key path of the JSON report (indicators by their code).
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |cur, seg| match cur {
        Value::Array(items) => items.iter().find(|i| i["code"] == seg),
        _ => cur.get(seg),
    })
}

/// Every numeric leaf of the report's figures, by key path.
fn figures(r: &Value) -> BTreeMap<String, u64> {
    fn walk(v: &Value, path: String, out: &mut BTreeMap<String, u64>) {
        match v {
            Value::Number(n) => {
                out.insert(path, n.as_u64().unwrap());
            }
            Value::Object(m) => m
                .iter()
                .for_each(|(k, x)| walk(x, format!("{path}.{k}"), out)),
            Value::Array(a) => a
                .iter()
                .for_each(|i| walk(i, format!("{path}.{}", i["code"].as_str().unwrap()), out)),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for root in ["children", "cases", "indicators"] {
        walk(&r[root], root.into(), &mut out);
    }
    out
}

fn period() -> (String, String) {
    let from = today() - chrono::Days::new(30);
    (
        from.format("%d/%m/%Y").to_string(),
        today().format("%d/%m/%Y").to_string(),
    )
}

#[cfg(unix)]
fn assert_owner_only(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{} is owner-only", path.display());
}

#[test]
fn the_xlsx_shows_every_figure_of_the_json_report() {
    let (env, names) = register();
    let (from, to) = period();
    let json = env.run(&["report", "--from", &from, "--to", &to], None);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let r = json.json();
    let file = env.path("bao-cao.xlsx");
    let out = env.run(
        &[
            "report",
            "--from",
            &from,
            "--to",
            &to,
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Đã ghi báo cáo"), "{}", out.stdout);
    assert_owner_only(&file);

    let mut wb: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut text = String::new();
    for sheet in wb.sheet_names() {
        assert!(sheet.chars().count() <= 31, "{sheet}");
        let range = wb.worksheet_range(&sheet).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        for row in &rows {
            for c in row.iter() {
                text.push_str(&c.to_string());
                text.push('\n');
            }
        }
        assert!(
            rows[0][0].to_string().starts_with("Xã Thạch Thất"),
            "{sheet}: the commune 09955"
        );
        assert!(
            rows[2][0]
                .to_string()
                .contains(&format!("từ ngày {from} đến ngày {to}")),
            "{sheet}"
        );
        assert_eq!(
            rows[3][0].to_string(),
            r["note"].as_str().unwrap(),
            "{sheet}"
        );
        // The table: a header row whose last cell is the key column; the value columns between.
        let Some(head) = rows
            .iter()
            .position(|row| row.iter().any(|c| *c == "Mã số liệu (JSON)"))
        else {
            assert_eq!(sheet, "Cần bổ sung");
            continue;
        };
        let key_col = rows[head]
            .iter()
            .position(|c| *c == "Mã số liệu (JSON)")
            .unwrap();
        let suffix = |h: &Data| match h.to_string().as_str() {
            "Số lượng" => String::new(),
            "Đúng hạn" => ".met".into(),
            "Quá hạn" => ".overdue".into(),
            "Còn trong hạn hôm nay" => ".pending".into(),
            other => panic!("unknown column {other}"),
        };
        for row in &rows[head + 1..] {
            let key = row[key_col].to_string();
            for col in 1..key_col {
                let full = format!("{key}{}", suffix(&rows[head][col]));
                let Data::Float(v) = row[col] else {
                    panic!("{full} is a number in the sheet, not {:?}", row[col]);
                };
                let want = at(&r, &full).and_then(Value::as_u64);
                assert_eq!(Some(v as u64), want, "{sheet}: {full}");
                assert!(
                    seen.insert(full.clone(), v as u64).is_none(),
                    "{full} shown twice"
                );
            }
        }
    }
    assert_eq!(
        seen,
        figures(&r),
        "every figure of the report, and only those"
    );
    assert!(
        seen["children.total"] > 0 && seen["cases.received"] > 0,
        "real figures"
    );
    // The completeness sheet lists the records by id.
    for g in r["completeness"].as_array().unwrap() {
        assert!(text.contains(g["id"].as_str().unwrap()), "{g}");
    }
    for name in &names {
        assert!(
            !text.contains(name.as_str()),
            "{name} appears in the workbook"
        );
    }
}

/// The page content streams of a PDF, inflated.
fn content(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = bytes;
    while let Some(i) = rest.windows(6).position(|w| w == b"stream") {
        let start = i + 6 + usize::from(rest[i + 6] == b'\r') + 1;
        let Some(len) = rest[start..].windows(9).position(|w| w == b"endstream") else {
            break;
        };
        let mut s = Vec::new();
        if flate2::read::ZlibDecoder::new(&rest[start..start + len])
            .read_to_end(&mut s)
            .is_ok()
        {
            out.push_str(&String::from_utf8_lossy(&s));
        }
        rest = &rest[start + len + 9..];
    }
    out
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} cannot run ({e}): install poppler-utils"));
    assert!(out.status.success(), "{name} {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_pdf_has_the_figures_with_diacritics_vector_charts_and_no_name() {
    let (env, names) = register();
    let (from, to) = period();
    let r = env
        .run(&["report", "--from", &from, "--to", &to], None)
        .json();
    let file = env.path("bao-cao.pdf");
    let out = env.run(
        &[
            "report",
            "--from",
            &from,
            "--to",
            &to,
            "--format",
            "pdf",
            "--out",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_owner_only(&file);
    let text = tool("pdftotext", &[file.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let c = &r["children"];
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_string(),
        "BÁO CÁO CÔNG TÁC BẢO VỆ TRẺ EM".into(),
        format!("Kỳ báo cáo: từ ngày {from} đến ngày {to}"),
        "Mẫu báo cáo tạm thời".into(),
        format!("Tổng số trẻ em (dưới 18 tuổi) {}", c["total"]),
        format!("Trẻ em khuyết tật {}", c["disabled"]),
        format!("Trẻ em mồ côi cả cha và mẹ {}", c["double_orphans"]),
        format!("Vụ việc tiếp nhận trong kỳ {}", r["cases"]["received"]),
        "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111".into(),
    ] {
        assert!(flat.contains(&want), "{want}:\n{flat}");
    }
    for name in &names {
        assert!(!flat.contains(name.as_str()), "{name} appears in the PDF");
    }
    let bytes = std::fs::read(&file).unwrap();
    let ops = content(&bytes);
    let bars = ops
        .lines()
        .filter(|l| l.trim_end().ends_with(" re"))
        .count();
    assert!(bars >= 2, "the charts' bars are vector rectangles ({bars})");
    let images = tool("pdfimages", &["-list", file.to_str().unwrap()]);
    assert_eq!(images.lines().count(), 2, "no image: {images}");
}

#[test]
fn binary_formats_need_out_and_a_broken_layout_is_refused() {
    let (env, _) = register();
    let (from, to) = period();
    for format in ["pdf", "xlsx"] {
        for out_args in [vec![], vec!["--out", "-"]] {
            let mut a = vec!["report", "--from", &from, "--to", &to, "--format", format];
            a.extend(out_args.iter().copied());
            let out = env.run(&a, None);
            assert_eq!(out.code, 2, "{a:?}");
            assert!(out.stderr.contains("--out"), "{}", out.stderr);
            assert!(
                out.stdout.is_empty(),
                "nothing printed: {}",
                out.stdout.len()
            );
        }
    }
    let dir = env.path("bo-cuc");
    std::fs::create_dir(&dir).unwrap();
    let shipped = include_str!("../../../assets/reports/commune-report.toml");
    std::fs::write(
        dir.join("commune-report.toml"),
        shipped.replacen("key = \"cases.received\"", "key = \"cases.recieved\"", 1),
    )
    .unwrap();
    let file = env.path("bao-cao.xlsx");
    let out = env.run(
        &[
            "report",
            "--from",
            &from,
            "--to",
            &to,
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
            "--layouts",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("cases.recieved") && out.stderr.contains("bố cục báo cáo"),
        "{}",
        out.stderr
    );
    assert!(!file.exists(), "nothing written");
}
