//! The commune report's PDF read back: the Decree 30/2020 header, title and period, every
//! table's figures and labels with their diacritics, the provisional note, the officer's
//! signature; bar charts drawn as filled vector rectangles, and no image at all. Needs
//! poppler-utils, like `render.rs`.

use bvte_report::{Issuer, Layout, Period, ReportInput};
use std::io::Read;
use std::process::Command;

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} cannot run ({e}): these tests need poppler-utils (apt-get install poppler-utils)")
    });
    assert!(out.status.success(), "{tool} {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn report() -> bvte_report::Report {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
    let period = Period {
        from: day(1),
        to: day(31),
    };
    let mut r = bvte_report::build(
        &ReportInput::default(),
        &period,
        bvte_domain::reference::calendar(),
        period.end(),
    );
    // Figures set by hand: what matters here is that each is printed where it belongs.
    r.children.total = 1234;
    r.children.by_group.insert("a".into(), 17);
    r.children.by_group.insert("dd".into(), 4);
    r.cases.by_channel.insert("hotline_111".into(), 9);
    r
}

fn pdf() -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let r = report();
    let issuer = Issuer {
        commune_name: "Xã Thạch Thất, Thành phố Hà Nội".into(),
        issuing_body: "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT".into(),
        place: "Thạch Thất".into(),
        officer: "Đặng Thị Ngọc Ánh".into(),
    };
    let doc = Layout::embedded().document(&r, issuer).unwrap();
    let bytes = bvte_forms::report_pdf::render(&r, &doc).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bao-cao.pdf");
    std::fs::write(&path, &bytes).unwrap();
    (dir, path, bytes)
}

/// A copy of the PDF and its pages as PNG in the target directory, to look at.
fn preview(path: &std::path::Path) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("forms-preview");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(path, dir.join("bao-cao.pdf")).unwrap();
    let prefix = dir.join("bao-cao");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "70",
            path.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
}

/// The page content streams, inflated.
fn content(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = bytes;
    while let Some(i) = rest.windows(6).position(|w| w == b"stream") {
        let start = i + 6 + usize::from(rest[i + 6] == b'\r') + 1;
        let Some(len) = rest[start..].windows(9).position(|w| w == b"endstream") else {
            break;
        };
        let raw = &rest[start..start + len];
        let mut s = Vec::new();
        if flate2::read::ZlibDecoder::new(raw)
            .read_to_end(&mut s)
            .is_ok()
        {
            out.push_str(&String::from_utf8_lossy(&s));
        } else {
            out.push_str(&String::from_utf8_lossy(raw));
        }
        rest = &rest[start + len + 9..];
    }
    out
}

#[test]
fn the_report_prints_in_the_decree_30_layout_with_every_table() {
    let (_dir, path, _) = pdf();
    preview(&path);
    let text = run("pdftotext", &[path.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT",
        "BÁO CÁO CÔNG TÁC BẢO VỆ TRẺ EM",
        "Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 31/10/2026",
        "Mẫu báo cáo tạm thời",
        "NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM",
        "Đặng Thị Ngọc Ánh",
        "Tổng số trẻ em (dưới 18 tuổi) 1234",
        "a) Trẻ em mồ côi cả cha và mẹ 17",
        "đ) Trẻ em nhiễm HIV/AIDS 4",
        "Biểu đồ: I.4. Trẻ em có hoàn cảnh đặc biệt theo nhóm",
        "Biểu đồ: II.1. Vụ việc tiếp nhận theo nguồn thông tin",
    ] {
        assert!(flat.contains(want), "{want} is printed:\n{flat}");
    }
    for t in Layout::embedded()
        .document(&report(), Issuer::default())
        .unwrap()
        .tables
    {
        let title: String = t.vi.split_whitespace().collect::<Vec<_>>().join(" ");
        let start: String = title.chars().take(30).collect();
        assert!(flat.contains(&start), "table {} is printed", t.id);
    }
}

#[test]
fn charts_are_vector_rectangles_and_there_is_no_image() {
    let (_dir, path, bytes) = pdf();
    let ops = content(&bytes);
    let bars = ops
        .lines()
        .filter(|l| l.trim_end().ends_with(" re"))
        .count();
    // Bars of the non-zero figures of the charted tables: groups a and đ, hotline 111.
    assert!(bars >= 3, "filled rectangles for the bars: {bars}");
    assert!(ops.lines().any(|l| l.trim() == "f"), "the bars are filled");
    let images = run("pdfimages", &["-list", path.to_str().unwrap()]);
    assert_eq!(images.lines().count(), 2, "no images: {images}");
    assert!(!String::from_utf8_lossy(&bytes).contains("/Subtype /Image"));
    assert!(!String::from_utf8_lossy(&bytes).contains("/Subtype/Image"));
}
