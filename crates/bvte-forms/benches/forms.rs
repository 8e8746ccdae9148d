//! Form printing benchmarks (issue 4): for every form, filled and blank, the median and p95 time
//! to render the PDF (budget ≤ 20 ms) and its size (budget ≤ 100 KB); and, in the same run, the
//! everyday alternative: LibreOffice converting a comparable one-page DOCX form to PDF
//! (`libreoffice --headless --convert-to pdf`). Run by `cargo xtask bench`.
//! Prints one JSON object per measurement on stdout.

use bvte_forms::{Templates, render_document};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let runs: usize = std::env::var("BVTE_BENCH_FORM_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50)
        .max(1);
    let filled: Value =
        serde_json::from_str(include_str!("../tests/fixtures/case.json")).expect("fixture");
    let blank = json!({});
    let templates = Templates::embedded();

    // The first render of a process also parses the four fonts (once).
    let t = Instant::now();
    let first = render_document(templates.get("01").expect("01"), &filled).expect("render");
    println!(
        "{}",
        json!({"bench": "form_first_render", "form": "01", "ms": t.elapsed().as_secs_f64() * 1000.0, "bytes": first.pdf.len()})
    );

    for t in templates.iter() {
        for (variant, data) in [("filled", &filled), ("blank", &blank)] {
            let mut times = Vec::with_capacity(runs);
            let mut last = None;
            for _ in 0..runs {
                let start = Instant::now();
                let r = render_document(t, data).expect("render");
                times.push(start.elapsed());
                last = Some(r);
            }
            times.sort();
            let r = last.expect("at least one run");
            println!(
                "{}",
                json!({
                    "bench": "form_render", "form": t.form, "variant": variant, "runs": runs,
                    "median_ms": percentile(&times, 0.5), "p95_ms": percentile(&times, 0.95),
                    "max_ms": percentile(&times, 1.0), "bytes": r.pdf.len(), "pages": r.pages,
                    "budget_ms": 20, "budget_bytes": 100 * 1024,
                })
            );
        }
    }
    libreoffice();
}

/// LibreOffice's DOCX → PDF conversion of a one-page form comparable to Mẫu 01 filled.
fn libreoffice() {
    let exe = ["libreoffice", "soffice"].into_iter().find(|e| {
        Command::new(e)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(exe) = exe else {
        println!(
            "{}",
            json!({"bench": "libreoffice_docx_to_pdf", "skipped":
                "libreoffice is not installed (apt-get install --no-install-recommends libreoffice-writer)"})
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let docx = dir.path().join("mau-01.docx");
    std::fs::write(&docx, docx_bytes()).expect("write docx");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let out_dir = dir.path().join("out");
    let convert = |out: &Path| {
        let start = Instant::now();
        let o = Command::new(exe)
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(out)
            .arg(&docx)
            .output()
            .expect("run libreoffice");
        assert!(
            o.status.success(),
            "libreoffice: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        start.elapsed()
    };
    // The first conversion also creates LibreOffice's user profile: the cold start an officer
    // waits for once per session.
    let cold = convert(&out_dir);
    let n: usize = std::env::var("BVTE_BENCH_LO_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut times: Vec<Duration> = (0..n).map(|_| convert(&out_dir)).collect();
    times.sort();
    // BVTE_BENCH_LO_OUT=DIR keeps the DOCX and LibreOffice's PDF to look at.
    if let Some(keep) = std::env::var_os("BVTE_BENCH_LO_OUT") {
        let keep = Path::new(&keep);
        let _ = std::fs::create_dir_all(keep);
        let _ = std::fs::copy(&docx, keep.join("mau-01.docx"));
        let _ = std::fs::copy(
            out_dir.join("mau-01.pdf"),
            keep.join("mau-01-libreoffice.pdf"),
        );
    }
    let pdf = std::fs::metadata(out_dir.join("mau-01.pdf"))
        .map(|m| m.len())
        .unwrap_or(0);
    let version = Command::new(exe)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!(
        "{}",
        json!({
            "bench": "libreoffice_docx_to_pdf", "version": version, "runs": n,
            "first_ms": cold.as_secs_f64() * 1000.0, "median_ms": percentile(&times, 0.5),
            "p95_ms": percentile(&times, 0.95), "bytes": pdf,
        })
    );
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn para(text: &str, bold: bool, italic: bool, center: bool, size_pt: u32) -> String {
    let jc = if center {
        r#"<w:jc w:val="center"/>"#
    } else {
        r#"<w:jc w:val="both"/>"#
    };
    let b = if bold { "<w:b/>" } else { "" };
    let i = if italic { "<w:i/>" } else { "" };
    format!(
        r#"<w:p><w:pPr>{jc}<w:spacing w:after="40"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>{b}{i}<w:sz w:val="{}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        size_pt * 2,
        esc(text)
    )
}

/// A one-page DOCX like Mẫu 01 filled: a two-column header table, the title, about twenty
/// lines of fields and the signature block; A4 with the Decree 30/2020 margins.
fn docx_bytes() -> Vec<u8> {
    let cell = |paras: &[String]| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{}</w:tc>"#,
            paras.concat()
        )
    };
    let header = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="9300" w:type="dxa"/></w:tblPr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>"#,
        cell(&[para("ỦY BAN NHÂN DÂN XÃ THẠCH THẤT", true, false, true, 12)]),
        cell(&[
            para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, false, true, 12),
            para("Độc lập - Tự do - Hạnh phúc", true, false, true, 13),
        ]),
        cell(&[para("Số: ……/BC-UBND", false, false, true, 13)]),
        cell(&[para(
            "Thạch Thất, ngày 05 tháng 03 năm 2026",
            false,
            true,
            true,
            13
        )]),
    );
    let lines = [
        "A. Thông tin chung",
        "1. Nguồn nhận thông tin",
        "- Thông qua (điện thoại/gặp trực tiếp/người khác báo): Tổng đài điện thoại quốc gia bảo vệ trẻ em 111",
        "- Thời gian (mấy giờ): 08 giờ 07 phút, ngày 05 tháng 03 năm 2026",
        "2. Thông tin về trẻ em",
        "- Họ và tên trẻ em: Nguyễn Thị Bích Ngọc",
        "- Ngày tháng năm sinh: 05/09/2015",
        "- Giới tính: ☐ Nam ☒ Nữ ☐ Không biết",
        "- Địa điểm xảy ra vụ việc: Nhà riêng, Thôn Đông",
        "- Tình trạng hiện tại của trẻ em: Có vết bầm ở tay và lưng, sợ hãi khi nhắc đến cha",
        "- Phỏng đoán hậu quả có thể sẽ xảy ra cho trẻ em nếu không có được hỗ trợ, can thiệp? Tiếp tục bị bạo lực, bỏ học",
        "- Họ và tên cha: Nguyễn Văn Ưng   Tuổi: 41   Nghề nghiệp: Làm ruộng",
        "- Họ và tên mẹ: Đặng Thị Hoa   Tuổi: 38   Nghề nghiệp: Công nhân",
        "- Hoàn cảnh gia đình: Cha nghiện rượu, mẹ đi làm xa",
        "- Hiện tại người chăm sóc trẻ em (nếu biết): Bà ngoại Phạm Thị Lựu",
        "- Những hành động hỗ trợ, can thiệp đã thực hiện đối với trẻ em trước khi nhận thông tin: Hàng xóm đưa trẻ sang nhà bà ngoại",
        "3. Thông tin người cung cấp thông tin (nếu đồng ý cung cấp)",
        "- Họ và tên: Trần Văn Kín   Số điện thoại: 0912345678",
        "- Địa chỉ: Thôn Tây",
        "Ghi thêm: Người báo tin đề nghị giữ kín danh tính",
    ];
    let mut body = header;
    body.push_str(&para("Mẫu số 01", true, false, false, 12));
    body.push_str(&para(
        "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI",
        true,
        false,
        true,
        14,
    ));
    for l in lines {
        body.push_str(&para(
            l,
            l.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == 'A'),
            false,
            false,
            13,
        ));
    }
    body.push_str(&para("CÁN BỘ TIẾP NHẬN THÔNG TIN", true, false, true, 13));
    body.push_str(&para("(Ký, ghi rõ họ tên)", false, true, true, 13));
    body.push_str(&para("Lê Thị Hồng Nhung", true, false, true, 13));
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    zip_stored(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A ZIP archive with uncompressed ("stored") entries: all a DOCX needs.
fn zip_stored(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let (n, len) = (name.len() as u16, data.len() as u32);
        u32le(&mut out, 0x0403_4b50);
        for x in [20, 0, 0, 0, 0x21] {
            u16le(&mut out, x);
        }
        u32le(&mut out, crc);
        u32le(&mut out, len);
        u32le(&mut out, len);
        u16le(&mut out, n);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        u32le(&mut central, 0x0201_4b50);
        for x in [20, 20, 0, 0, 0, 0x21] {
            u16le(&mut central, x);
        }
        u32le(&mut central, crc);
        u32le(&mut central, len);
        u32le(&mut central, len);
        for x in [n, 0, 0, 0, 0] {
            u16le(&mut central, x);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for x in [0, 0, files.len() as u16, files.len() as u16] {
        u16le(&mut out, x);
    }
    u32le(&mut out, cd_len);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}
