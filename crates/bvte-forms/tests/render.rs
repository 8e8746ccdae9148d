//! Golden tests on what a person gets from the printed forms: the text a PDF reader extracts
//! (with `pdftotext` from poppler-utils, as copy/search/screen readers would), where the blocks
//! sit on the page (`pdftotext -bbox`), and the fonts (`pdffonts`). Every form, filled and blank.
//! Each run also renders every form to PNG in `target/forms-preview/` (`pdftoppm`) for a person
//! to look at.
//!
//! Needs poppler-utils (`apt-get install poppler-utils`); `cargo xtask test` installs it.

use bvte_forms::{Templates, render_document};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const MM: f64 = 72.0 / 25.4;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/case.json")).expect("fixture is JSON")
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} cannot run ({e}): these tests need poppler-utils (apt-get install poppler-utils)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

struct Pdf {
    _dir: tempfile::TempDir,
    path: PathBuf,
    bytes: usize,
    pages: usize,
}

impl Pdf {
    fn new(form: &str, data: &Value) -> Pdf {
        let t = Templates::embedded().get(form).unwrap();
        let r = render_document(t, data).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("form.pdf");
        std::fs::write(&path, &r.pdf).unwrap();
        Pdf {
            _dir: dir,
            path,
            bytes: r.pdf.len(),
            pages: r.pages,
        }
    }

    fn p(&self) -> &str {
        self.path.to_str().unwrap()
    }

    /// The extracted text with every run of white space as one space.
    fn text(&self) -> String {
        run("pdftotext", &[self.p(), "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text of one page (from 1).
    fn page_text(&self, n: usize) -> String {
        let n = n.to_string();
        run("pdftotext", &["-f", &n, "-l", &n, self.p(), "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Words with their boxes in points from the top-left corner, per page.
    fn words(&self) -> Vec<Vec<Word>> {
        let html = run("pdftotext", &["-bbox", self.p(), "-"]);
        let mut pages = Vec::new();
        for line in html.lines() {
            let line = line.trim();
            if line.starts_with("<page") {
                pages.push(Vec::new());
            } else if let Some(rest) = line.strip_prefix("<word ") {
                let attr = |name: &str| -> f64 {
                    let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    rest[start..].split('"').next().unwrap().parse().unwrap()
                };
                let text = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
                pages.last_mut().unwrap().push(Word {
                    text: html_unescape(text),
                    x0: attr("xMin"),
                    y0: attr("yMin"),
                    x1: attr("xMax"),
                    y1: attr("yMax"),
                });
            }
        }
        pages
    }

    fn preview(&self, name: &str) {
        self.preview_pages(name, 5);
    }

    fn preview_pages(&self, name: &str, last: usize) {
        let dir = preview_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let prefix = dir.join(name);
        // Drop the pages of an earlier run, which may have had more pages.
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let f = e.file_name().to_string_lossy().into_owned();
            if f.strip_prefix(name).is_some_and(|rest| {
                rest.starts_with('-') && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            }) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        std::fs::copy(&self.path, dir.join(format!("{name}.pdf"))).unwrap();
        let last = last.to_string();
        let prefix = prefix.to_str().unwrap();
        run(
            "pdftoppm",
            &["-png", "-r", "70", "-l", &last, self.p(), prefix],
        );
    }
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn preview_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("forms-preview")
}

/// Strings that must appear, exactly, in each filled form (with diacritics and leading zeros).
fn expected_filled(form: &str) -> Vec<&'static str> {
    match form {
        "01" => vec![
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT",
            "Thạch Thất, ngày 05 tháng 03 năm 2026",
            "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI",
            "Họ và tên trẻ em: Nguyễn Thị Bích Ngọc",
            "Ngày tháng năm sinh: 05/09/2015",
            "08 giờ 07 phút, ngày 05 tháng 03 năm 2026",
            "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111",
            "Có vết bầm ở tay và lưng, sợ hãi khi nhắc đến cha",
            "Họ và tên cha: Nguyễn Văn Ưng Tuổi: 41 Nghề nghiệp: Làm ruộng",
            "Họ và tên: Trần Văn Kín Số điện thoại: 0912345678",
            "CÁN BỘ TIẾP NHẬN THÔNG TIN",
            "Lê Thị Hồng Nhung",
        ],
        "02" => vec![
            "ĐÁNH GIÁ NGUY CƠ BAN ĐẦU, MỨC ĐỘ TỔN HẠI CỦA TRẺ EM",
            "Họ và tên trẻ em: Nguyễn Thị Bích Ngọc",
            "14 giờ 30 phút, ngày 05 tháng 03 năm 2026",
            "Ghi chú: Nhiều vết bầm",
            "Cao: 2 Trung bình: 1 Thấp: 0",
            "Nguy cơ cao, cần can thiệp khẩn cấp",
            "Đưa trẻ về ở với bà ngoại, báo Công an xã",
            "Phối hợp công an ngăn chặn hành vi xâm hại",
        ],
        "03" => vec![
            "THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ",
            "Nguyễn Thị Bích Ngọc",
            "ngày 07 tháng 03 năm 2026",
            "Sức khỏe ổn định, còn lo âu",
            "Muốn ở với mẹ",
            "Thôn Đông, Xã Thạch Thất, Thành phố Hà Nội",
        ],
        "04" => vec![
            "KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
            "(Kèm theo Quyết định số 07/QĐ-UBND ngày 09/03/2026 của Chủ tịch Ủy ban nhân dân xã Thạch Thất)",
            "Nguyễn Thị Bích Ngọc",
            "Trẻ an toàn, ổn định tâm lý và tiếp tục đi học",
            "Tư vấn tâm lý cho trẻ",
            "10/03/2026",
            "1.500.000",
            "1.750.000",
            "Cán bộ bảo vệ trẻ em thăm trẻ hằng tuần",
        ],
        "05" => vec![
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 07/QĐ-UBND",
            "Thạch Thất, ngày 09 tháng 03 năm 2026",
            "QUYẾT ĐỊNH",
            "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em Nguyễn Thị Bích Ngọc",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THẠCH THẤT",
            "Điều 1. Phê duyệt kế hoạch",
            "sinh ngày 05/09/2015",
            "1.750.000 đồng",
            "Nơi nhận:",
            "Nguyễn Văn Quyết",
        ],
        "06" => vec![
            "RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA TRẺ EM SAU KHI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
            "Họ và tên trẻ em: Nguyễn Thị Bích Ngọc",
            "ngày 02 tháng 06 năm 2026",
            "tổn hại của trẻ em vẫn còn rất nghiêm trọng",
            "Ghi chú: Cha còn uống rượu",
            "Cao: 0 Trung bình: 1 Thấp: 2",
            "Trẻ biết cách tìm kiếm sự giúp đỡ",
            "Trẻ đã ổn định, không còn nguy cơ",
        ],
        "07" => vec![
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 05/QĐ-UBND",
            "Thạch Thất, ngày 05 tháng 03 năm 2026",
            "Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em",
            "Tạm thời cách ly trẻ em Nguyễn Thị Bích Ngọc",
            "họ và tên: Nguyễn Văn Ưng",
            "10 ngày, từ 16 giờ 45 phút ngày 05/03/2026 đến 16 giờ 45 phút ngày 15/03/2026",
            // Decree 56 Art 32 k2, k4: the shelter, the alternative carer, and which chair of
            // which commune decided (issue 15 item 11).
            "Nhà bà ngoại, Thôn Tây",
            "Bà Phạm Thị Lựu (bà ngoại)",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THẠCH THẤT",
            "Trần Văn Quyết",
        ],
        _ => unreachable!(),
    }
}

fn assert_clean(text: &str, what: &str) {
    for bad in ["null", "undefined", "None", "NaN", "{", "}"] {
        assert!(!text.contains(bad), "{what} shows “{bad}”: {text}");
    }
}

#[test]
fn every_form_filled_shows_the_case_data_exactly() {
    let data = fixture();
    for form in ["01", "02", "03", "04", "05", "06", "07"] {
        let pdf = Pdf::new(form, &data);
        let text = pdf.text();
        for s in expected_filled(form) {
            assert!(text.contains(s), "Mẫu {form} lacks “{s}”:\n{text}");
        }
        assert!(
            text.contains(&format!("Mẫu số {form}")),
            "form number on Mẫu {form}"
        );
        assert_clean(&text, &format!("filled Mẫu {form}"));
        assert!(
            !text.contains("Trần Văn Kín") || form == "01",
            "the reporter appears on Mẫu 01 only"
        );
        assert!(
            pdf.bytes <= 100 * 1024,
            "Mẫu {form} is {} bytes (budget 100 KB)",
            pdf.bytes
        );
        pdf.preview(&format!("mau-{form}-filled"));
    }
}

#[test]
fn every_form_blank_prints_dots_for_hand_filling() {
    for form in ["01", "02", "03", "04", "05", "06", "07"] {
        let pdf = Pdf::new(form, &json!({}));
        let text = pdf.text();
        assert_clean(&text, &format!("blank Mẫu {form}"));
        assert!(
            text.contains("……"),
            "blank Mẫu {form} has dotted placeholders"
        );
        assert!(!text.contains("Nguyễn Thị Bích Ngọc"));
        assert!(text.contains(&format!("Mẫu số {form}")));
        let label = match form {
            "01" | "02" | "06" => "Họ và tên trẻ em: ……",
            "03" | "04" => "Họ và tên trẻ em: ……",
            _ => "ngày …… tháng …… năm ……",
        };
        assert!(
            text.contains(label),
            "blank Mẫu {form} lacks “{label}”:\n{text}"
        );
        assert!(pdf.pages <= 2, "blank Mẫu {form}: {} pages", pdf.pages);
        assert!(
            pdf.bytes <= 100 * 1024,
            "blank Mẫu {form} is {} bytes",
            pdf.bytes
        );
        pdf.preview(&format!("mau-{form}-blank"));
    }
    let text = Pdf::new("05", &json!({})).text();
    assert!(text.contains("Số: ………/QĐ-UBND"), "{text}");
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    // Mẫu 03 (h) is printed on the blank form, left out when the parent causes the harm.
    assert!(
        Pdf::new("03", &json!({}))
            .text()
            .contains("h) Ý kiến, nguyện vọng của cha, mẹ")
    );
    assert!(
        !Pdf::new("03", &fixture())
            .text()
            .contains("h) Ý kiến, nguyện vọng")
    );
}

#[test]
fn a_10000_character_field_flows_over_pages_without_losing_a_word() {
    let words: Vec<String> = (0..1400).map(|i| format!("Nguyễn{i}")).collect();
    let long = words.join(" ");
    assert!(long.chars().count() >= 10_000);
    let mut data = fixture();
    data["steps"]["intake"]["data"]["child_condition"] = json!(long);
    let pdf = Pdf::new("01", &data);
    assert!(pdf.pages >= 2, "{} pages", pdf.pages);
    let text = pdf.text();
    let out: Vec<&str> = text
        .split(' ')
        .filter(|w| {
            w.starts_with("Nguyễn") && w[8..].chars().all(|c| c.is_ascii_digit()) && w.len() > 8
        })
        .collect();
    assert_eq!(out.len(), words.len(), "words in = words out");
    assert!(out.iter().zip(&words).all(|(a, b)| a == b), "in order");
    // Every line stays inside the page's text area (nothing cut at the bottom or the edges).
    for (p, page) in pdf.words().iter().enumerate() {
        for w in page {
            assert!(
                w.x0 >= 30.0 * MM - 0.5 && w.x1 <= (210.0 - 15.0) * MM + 0.5,
                "page {} {w:?}",
                p + 1
            );
            if p > 0 && w.text == (p + 1).to_string() && w.y1 < 20.0 * MM {
                continue; // the page number
            }
            assert!(
                w.y0 >= 20.0 * MM - 1.0 && w.y1 <= (297.0 - 20.0) * MM + 1.0,
                "page {} {w:?}",
                p + 1
            );
        }
    }
    pdf.preview("mau-01-long");

    // The same in a table cell: the plan's activities.
    let mut data = fixture();
    data["steps"]["plan_drafted"]["data"]["activities"][0]["service"] = json!(long);
    let pdf = Pdf::new("04", &data);
    assert!(pdf.pages >= 2);
    let text = pdf.text();
    let n = text
        .split(' ')
        .filter(|w| w.starts_with("Nguyễn") && w.len() > 8)
        .count();
    assert_eq!(n, words.len(), "every word of the long cell is printed");
    pdf.preview_pages("mau-04-long", 3);
}

#[test]
fn blocks_sit_where_decree_30_puts_them() {
    let (pw, ph) = (210.0 * MM, 297.0 * MM);
    for form in ["01", "05", "07"] {
        let pdf = Pdf::new(form, &fixture());
        let words = pdf.words();
        let find = |page: &[Word], s: &str| {
            page.iter()
                .find(|w| w.text == s)
                .cloned()
                .unwrap_or_else(|| panic!("{s} on Mẫu {form}"))
        };
        let p1 = &words[0];
        // National title and motto: top right, the motto under the title.
        let cong = find(p1, "CỘNG");
        let nam = p1
            .iter()
            .filter(|w| w.text == "NAM")
            .min_by(|a, b| a.y0.total_cmp(&b.y0))
            .unwrap()
            .clone();
        let centre = (cong.x0 + nam.x1) / 2.0;
        assert!(
            centre > pw / 2.0 && nam.y1 < ph / 4.0,
            "national title top right on Mẫu {form}: {cong:?} {nam:?}"
        );
        let doc = find(p1, "Độc");
        assert!(doc.y0 > cong.y1 - 1.0, "motto under the national title");
        // Issuing body: top left.
        let uy = find(p1, "ỦY");
        assert!(
            uy.x1 < pw / 2.0 && (uy.y0 - cong.y0).abs() < 3.0,
            "issuing body top left, level with the title"
        );
        // "Số:" left and the place/date right share one line.
        let so = find(p1, "Số:");
        let thach = p1
            .iter()
            .filter(|w| w.text == "Thạch" && w.x0 > pw / 2.0)
            .min_by(|a, b| a.y0.total_cmp(&b.y0))
            .unwrap();
        assert!(
            so.x1 < pw / 2.0 && (so.y1 - thach.y1).abs() < 1.0,
            "number and date on one line: {so:?} {thach:?}"
        );
        // Nothing in the top margin of page 1: page numbers start on page 2.
        assert!(
            p1.iter().all(|w| w.y0 >= 20.0 * MM - 1.0),
            "no page number on page 1 of Mẫu {form}"
        );
    }
    // Page numbers from page 2, centred in the top margin.
    let mut data = fixture();
    data["steps"]["intake"]["data"]["child_condition"] = json!("nội dung dài ".repeat(900));
    let pdf = Pdf::new("01", &data);
    let words = pdf.words();
    assert!(words.len() >= 2);
    for (i, page) in words.iter().enumerate().skip(1) {
        let n = (i + 1).to_string();
        let w = page
            .iter()
            .find(|w| w.text == n && w.y1 < 20.0 * MM)
            .unwrap_or_else(|| panic!("page number {n}"));
        let text_centre = (30.0 + (210.0 - 15.0)) / 2.0 * MM;
        assert!(
            ((w.x0 + w.x1) / 2.0 - text_centre).abs() < 2.0,
            "page number centred: {w:?}"
        );
        assert!(
            pdf.page_text(i + 1).starts_with(&n),
            "page {n} begins with its number"
        );
    }
    assert!(!pdf.page_text(1).starts_with('1'));
}

#[test]
fn fonts_are_embedded_subset_with_unicode_and_there_are_no_images() {
    let pdf = Pdf::new("05", &fixture());
    let fonts = run("pdffonts", &[pdf.p()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "regular, bold, italic: {fonts}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert!(cols[0].contains("+LiberationSerif"), "subset tag: {r}");
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "embedded, subset, ToUnicode: {r}"
        );
    }
    let images = run("pdfimages", &["-list", pdf.p()]);
    assert_eq!(
        images.lines().count(),
        2,
        "no images, only the header lines: {images}"
    );
    let info = run("pdfinfo", &[pdf.p()]);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn decomposed_input_prints_as_precomposed_letters() {
    let mut data = fixture();
    // "Nguyễn" typed with combining marks (NFD), as some keyboards and PDFs produce.
    data["child"]["full_name"] =
        json!("Nguye\u{0302}\u{0303}n Thi\u{0323} Bi\u{0301}ch Ngo\u{0323}c");
    let text = Pdf::new("01", &data).text();
    assert!(
        text.contains("Họ và tên trẻ em: Nguyễn Thị Bích Ngọc"),
        "{text}"
    );
}
