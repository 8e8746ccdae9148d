//! Import benchmarks (issue 12): a list of 5,000 children, the size the budget names (an .xlsx
//! made here, with a title row and a personal id column) read, converted, validated and
//! checked for duplicates (the preview, budget ≤ 5 s), then imported in one batch (≤ 5 s
//! more), into an encrypted database; and the children list of 10,000 demonstration children
//! written as .xlsx (≤ 2 s). Run by `cargo xtask bench`, which records the results in BENCHMARKS.md.
//! Prints one JSON object per measurement on stdout.

use bvte_core::Session;
use bvte_core::children::ListFilter;
use bvte_core::import::ImportOptions;
use bvte_store::KdfParams;
use rust_xlsxwriter::Workbook;
use serde_json::json;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc"];
const GIVEN: [&str; 10] = [
    "An", "Bình", "Chi", "Dũng", "Hằng", "Khánh", "Lan", "Mỷ", "Phương", "Tuấn",
];

/// A commune's list of `n` children, all distinct.
fn list(n: usize) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT")
        .unwrap();
    for (c, h) in [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Thôn",
        "Số định danh",
        "Đối tượng",
    ]
    .iter()
    .enumerate()
    {
        s.write_string(1, c as u16, *h).unwrap();
    }
    for i in 0..n {
        let r = 2 + i as u32;
        let name = format!(
            "{} {} {} {}",
            FAMILY[i % 8],
            MIDDLE[(i / 8) % 6],
            GIVEN[(i / 48) % 10],
            GIVEN[(i / 480) % 10]
        );
        s.write_number(r, 0, (i + 1) as f64).unwrap();
        s.write_string(r, 1, name).unwrap();
        s.write_string(
            r,
            2,
            format!(
                "{:02}/{:02}/{}",
                1 + i % 28,
                1 + (i / 28) % 12,
                2011 + i % 14
            ),
        )
        .unwrap();
        s.write_string(r, 3, if i % 2 == 0 { "Nam" } else { "Nữ" })
            .unwrap();
        s.write_string(r, 4, "Kinh").unwrap();
        s.write_string(r, 5, format!("Thôn {}", 1 + i % 12))
            .unwrap();
        s.write_number(r, 6, (1_215_000_000 + i) as f64).unwrap();
        s.write_string(r, 7, ["a", "d", "đ", ""][i % 4]).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn session(dir: &std::path::Path, name: &str) -> Session {
    Session::init(
        &dir.join(name),
        "mật khẩu đo hiệu năng",
        "09955",
        "Cán bộ đo",
        KdfParams::default(),
        bvte_core::now(),
    )
    .expect("init")
    .0
}

fn main() {
    let rows = env("BVTE_BENCH_IMPORT_ROWS", 5_000);
    let export = env("BVTE_BENCH_EXPORT_CHILDREN", 10_000);
    let runs = env("BVTE_BENCH_IMPORT_RUNS", 5).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let now = bvte_core::now();
    let bytes = list(rows);
    let mut s = session(dir.path(), "import.db");
    let opts = ImportOptions {
        file_name: "bench.xlsx".into(),
        ..ImportOptions::default()
    };
    let print = |name: &str, n: usize, budget_ms: u64, times: &mut Vec<Duration>, bytes: usize| {
        times.sort();
        println!(
            "{}",
            json!({
                "bench": name, "rows": n, "runs": times.len(),
                "median_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95),
                "max_ms": percentile(times, 1.0), "bytes": bytes, "budget_ms": budget_ms,
            })
        );
    };

    let mut preview = Vec::new();
    let mut import = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = s.preview_import(&bytes, &opts, 20, now).expect("preview");
        preview.push(t.elapsed());
        assert_eq!(p.report.imported as usize, rows, "every row new");
        let t = Instant::now();
        let r = s.import_children(&bytes, &opts, now).expect("import");
        import.push(t.elapsed());
        assert_eq!(r.imported as usize, rows);
        // Undone (not timed), so the next run imports the same list into the same register.
        s.undo_import(&r.batch_id.expect("batch"), now)
            .expect("undo");
    }
    print("import_preview", rows, 5_000, &mut preview, bytes.len());
    print("import_write", rows, 5_000, &mut import, bytes.len());

    let mut e = session(dir.path(), "export.db");
    e.generate_demo_sized(export, Some(0), 2026, now, |_, _| {})
        .expect("demo");
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        size = e
            .children_xlsx(&ListFilter::default(), now)
            .expect("xlsx")
            .len();
        times.push(t.elapsed());
    }
    print("children_xlsx", export, 2_000, &mut times, size);
}
