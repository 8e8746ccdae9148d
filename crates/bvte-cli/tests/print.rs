//! `bvte print` as IT staff and scripts use it: a real database, a real case recorded step by
//! step, the forms printed with the real binary and read back with `pdftotext` (poppler-utils,
//! installed by `cargo xtask test`), and clear Vietnamese errors.

mod common;

use common::{Env, Out};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const PASS: &str = "mật khẩu thử in biểu mẫu";

fn bvte(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Out {
    common::run(args, stdin, PASS, env)
}

/// The text of a PDF as a reader extracts it, white space collapsed.
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: apt-get install poppler-utils");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Printing on a test database.
trait Printing {
    fn print(&self, case: &str, form: &str) -> (Out, PathBuf);
    fn print_with(&self, case: &str, form: &str, extra: &[&str]) -> (Out, PathBuf);
    fn step(&self, case: &str, s: Value);
}

impl Printing for Env {
    /// `bvte print --db … --case … --form … --out …`.
    fn print(&self, case: &str, form: &str) -> (Out, PathBuf) {
        self.print_with(case, form, &[])
    }
    fn print_with(&self, case: &str, form: &str, extra: &[&str]) -> (Out, PathBuf) {
        let out = self.path(&format!("mau-{form}.pdf"));
        let mut args = vec![
            "print",
            "--db",
            self.db(),
            "--case",
            case,
            "--form",
            form,
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let r = bvte(&args, None, &[]);
        (r, out)
    }
    fn step(&self, case: &str, s: Value) {
        self.ok(&["case", "step", case, "--json", "-"], Some(&s.to_string()));
    }
}

/// Sets up a child and a case received two days ago; returns (case id, received time).
fn open_case(env: &Env) -> (String, chrono::DateTime<chrono::FixedOffset>) {
    let child = env.ok(
        &["child", "add", "--json", "-"],
        Some(
            &json!({"full_name": "Đặng Thị Ưng Ngọc", "date_of_birth": "05/09/2015", "sex": "female",
                "residence_status": "thuong_tru", "village": "Thôn Đông",
                "carers": [{"relation": "father", "full_name": "Đặng Văn Lực", "birth_year": 1985, "occupation": "Thợ xây"}]})
            .to_string(),
        ),
    );
    let received = (chrono::Utc::now() - chrono::Duration::days(2))
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let case = env.ok(
        &["case", "open", "--json", "-"],
        Some(
            &json!({"child_id": child["id"], "received_at": received.to_rfc3339(), "category": "abused",
                "abuse_forms": ["violence"], "environment": "family", "channel": "hotline_111",
                "incident_place": "Nhà riêng",
                "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0912345678", "address": "Thôn Tây"},
                "intake": {"child_condition": "Có vết bầm ở tay, sợ hãi"}})
            .to_string(),
        ),
    );
    (case["id"].as_str().unwrap().to_string(), received)
}

#[test]
fn each_form_prints_from_the_recorded_case_once_its_step_exists() {
    let env = Env::new(PASS, Some("Lê Thị Hồng Nhung"));
    let (case, received) = open_case(&env);

    // Mẫu 01 names the reporter: a file of it only when asked for (issue 14).
    let (out, pdf) = env.print(&case, "01");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("người báo tin") && out.stderr.contains("--with-reporter"),
        "{}",
        out.stderr
    );
    assert!(!pdf.exists(), "nothing written");
    let (out, pdf) = env.print_with(&case, "01", &["--with-reporter"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Đã in Mẫu số 01"), "{}", out.stdout);
    let text = pdf_text(&pdf);
    let date = received.format("ngày %d tháng %m năm %Y").to_string();
    for s in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT",
        "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI",
        "Họ và tên trẻ em: Đặng Thị Ưng Ngọc",
        "Ngày tháng năm sinh: 05/09/2015",
        "Có vết bầm ở tay, sợ hãi",
        "Họ và tên cha: Đặng Văn Lực",
        "Người Báo Tin Kín",
        "Lê Thị Hồng Nhung",
    ] {
        assert!(text.contains(s), "Mẫu 01 lacks “{s}”: {text}");
    }
    assert!(
        text.contains(&format!("Thạch Thất, {date}")),
        "place and date with leading zeros: {text}"
    );
    assert!(!text.contains("null"));

    // Mẫu 02 needs the initial assessment.
    let (out, _) = env.print(&case, "02");
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        out.stderr.contains("Đánh giá nguy cơ ban đầu")
            && out.stderr.contains("initial_assessment"),
        "{}",
        out.stderr
    );
    env.step(&case, json!({"step": "initial_assessment", "data": {"serious_risk": true, "caused_by_parent_or_carer": true,
        "criteria": [{"criterion": "harm_severity", "level": "high", "note": "Vết bầm mới"}],
        "safety_measures": "Đưa trẻ sang nhà bà ngoại", "conclusion": "Nguy cơ cao"}}));
    let (out, pdf) = env.print(&case, "2");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("mẫu tạm"),
        "provisional forms say so: {}",
        out.stdout
    );
    let text = pdf_text(&pdf);
    for s in [
        "ĐÁNH GIÁ NGUY CƠ BAN ĐẦU",
        "Đặng Thị Ưng Ngọc",
        "Vết bầm mới",
        "Đưa trẻ sang nhà bà ngoại",
        "Cao: 1",
    ] {
        assert!(text.contains(s), "Mẫu 02 lacks “{s}”: {text}");
    }
    assert!(
        !text.contains("Người Báo Tin Kín"),
        "the reporter is printed on Mẫu 01 only"
    );

    env.step(&case, json!({"step": "separation_decided", "data": {"decision_no": "3", "grounds": "by_parent_or_carer",
        "separated_from": ["father"], "days": 7, "shelter": "Nhà bà ngoại, Thôn Tây", "carer": "Bà Phạm Thị Lựu",
        "decided_by": "Trần Văn Quyết", "decision_commune": "09955"}}));
    let (out, pdf) = env.print(&case, "07");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = pdf_text(&pdf);
    for s in [
        "Số: 03/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Về việc tạm thời cách ly trẻ em",
        "Nhà bà ngoại, Thôn Tây",
        "họ và tên: Đặng Văn Lực",
        "7 ngày",
    ] {
        assert!(text.contains(s), "Mẫu 07 lacks “{s}”: {text}");
    }

    env.step(&case, json!({"step": "detailed_assessment", "data": {"condition": "Ổn định dần", "child_views": "Muốn đi học lại", "plan_needed": true}}));
    env.step(&case, json!({"step": "plan_drafted", "data": {"goals": "Trẻ an toàn",
        "activities": [{"service": "Tư vấn tâm lý", "responsible": "Trung tâm công tác xã hội", "cost": 2000000}]}}));
    env.step(&case, json!({"step": "needs_meeting", "data": {"participants": "Chủ tịch UBND xã", "conclusions": "Tư vấn tâm lý"}}));
    env.step(&case, json!({"step": "plan_submitted"}));
    env.step(&case, json!({"step": "plan_approved", "data": {"decision_no": "12/QĐ-UBND", "approver": "Chủ tịch UBND xã"}}));
    env.step(
        &case,
        json!({"step": "review", "data": {"proposal": "end", "reasons": "Trẻ đã ổn định",
        "harm": [{"criterion": "harm_severity", "level": "low"}]}}),
    );
    let expected = [
        (
            "03",
            vec![
                "THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ",
                "Ổn định dần",
                "Muốn đi học lại",
            ],
        ),
        (
            "04",
            vec![
                "KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
                "Tư vấn tâm lý",
                "2.000.000",
                "Quyết định số 12/QĐ-UBND",
            ],
        ),
        (
            "05",
            vec![
                "Số: 12/QĐ-UBND",
                "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THẠCH THẤT",
                "Điều 1.",
                "2.000.000 đồng",
            ],
        ),
        (
            "06",
            vec![
                "RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA TRẺ EM",
                "Trẻ đã ổn định",
                "Thấp: 1",
            ],
        ),
    ];
    for (form, strings) in expected {
        let (out, pdf) = env.print(&case, form);
        assert_eq!(out.code, 0, "Mẫu {form}: {}", out.stderr);
        let text = pdf_text(&pdf);
        assert!(text.contains("Đặng Thị Ưng Ngọc"), "Mẫu {form}: {text}");
        for s in strings {
            assert!(text.contains(s), "Mẫu {form} lacks “{s}”: {text}");
        }
        assert!(!text.contains("null") && !text.contains("undefined"));
    }

    let list = env.ok(&["print", "--case", &case, "--json"], None);
    let forms: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["form"].as_str().unwrap())
        .collect();
    assert_eq!(forms, ["01", "02", "03", "04", "05", "06", "07"]);
    assert_eq!(list[1]["provisional"], true);
    assert_eq!(list[0]["provisional"], false);
}

#[test]
fn blank_forms_print_without_a_database_and_take_the_header_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trang.pdf");
    let r = bvte(
        &[
            "print",
            "--form",
            "03",
            "--blank",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
        &[("BVTE_PASSPHRASE", "")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_text(&out);
    assert!(text.contains("THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ"));
    assert!(text.contains("Họ và tên trẻ em: ……"), "{text}");

    let r = bvte(
        &[
            "print",
            "--form",
            "05",
            "--blank",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_text(&out);
    assert!(
        !text.contains("THẠCH THẤT") && text.contains("Số: ………/QĐ-UBND"),
        "no database, dotted header: {text}"
    );

    let env = Env::new(PASS, Some("Lê Thị Hồng Nhung"));
    let r = bvte(
        &[
            "print",
            "--db",
            env.db(),
            "--form",
            "05",
            "--blank",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_text(&out);
    assert!(
        text.contains("ỦY BAN NHÂN DÂN XÃ THẠCH THẤT")
            && text.contains("Thạch Thất, ngày …… tháng …… năm ……"),
        "{text}"
    );
}

#[test]
fn mistakes_get_one_clear_line_in_vietnamese() {
    let env = Env::new(PASS, Some("Lê Thị Hồng Nhung"));
    let (case, _) = open_case(&env);
    let out = env.path("x.pdf");
    let o = out.to_str().unwrap();

    let r = bvte(
        &[
            "print",
            "--db",
            env.db(),
            "--case",
            &case,
            "--form",
            "08",
            "--out",
            o,
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("Không có Mẫu số 08") && r.stderr.contains("01, 02, 03, 04, 05, 06, 07"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);

    let r = bvte(
        &[
            "print",
            "--db",
            env.db(),
            "--case",
            &case,
            "--form",
            "08",
            "--out",
            o,
            "--json",
        ],
        None,
        &[],
    );
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["error"]["code"], "unknown_form");

    let nowhere = env.path("không-có/x.pdf");
    let r = bvte(
        &[
            "print",
            "--db",
            env.db(),
            "--case",
            &case,
            "--form",
            "01",
            "--out",
            nowhere.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("Không ghi được tệp") && r.stderr.contains("không-có"),
        "{}",
        r.stderr
    );
    assert!(!nowhere.exists());

    let r = bvte(
        &["print", "--db", env.db(), "--case", &case, "--form", "01"],
        None,
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--out"), "{}", r.stderr);
    let r = bvte(
        &["print", "--db", env.db(), "--form", "01", "--out", o],
        None,
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--case") && r.stderr.contains("--blank"),
        "{}",
        r.stderr
    );
    let r = bvte(
        &[
            "print",
            "--db",
            env.db(),
            "--case",
            "0193a0b2-0000-7000-8000-000000000000",
            "--form",
            "01",
            "--out",
            o,
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);

    let r = bvte(
        &[
            "print",
            "--db",
            env.db(),
            "--case",
            &case,
            "--form",
            "01",
            "--out",
            o,
            "--lang",
            "en",
        ],
        None,
        &[("BVTE_FORMS_DIR", "/không/có")],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("templates directory"), "{}", r.stderr);
}

#[test]
fn a_corrected_template_needs_no_new_release_and_a_broken_one_names_its_line() {
    let env = Env::new(PASS, Some("Lê Thị Hồng Nhung"));
    let (case, _) = open_case(&env);
    let templates = env.path("mau-bieu");
    std::fs::create_dir(&templates).unwrap();
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/forms/mau-01.toml"),
    )
    .unwrap();
    let fixed = shipped.replace(
        "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM",
        "BÁO CÁO (ĐÃ SỬA) TIẾP NHẬN THÔNG TIN TRẺ EM",
    );
    std::fs::write(templates.join("mau-01.toml"), fixed).unwrap();
    let out = env.path("sua.pdf");
    let args = [
        "print",
        "--db",
        env.db(),
        "--case",
        &case,
        "--form",
        "01",
        "--with-reporter",
        "--out",
        out.to_str().unwrap(),
    ];
    let r = bvte(
        &args,
        None,
        &[("BVTE_FORMS_DIR", templates.to_str().unwrap())],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(pdf_text(&out).contains("BÁO CÁO (ĐÃ SỬA) TIẾP NHẬN"));

    let broken = shipped.replacen("type = \"header\"", "type = \"heder\"", 1);
    let line = broken.lines().position(|l| l.contains("heder")).unwrap() + 1;
    std::fs::write(templates.join("mau-01.toml"), broken).unwrap();
    let mut a = args.to_vec();
    a.extend(["--templates", templates.to_str().unwrap()]);
    let r = bvte(&a, None, &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("mau-01.toml")
            && r.stderr.contains(&format!("dòng {line}"))
            && r.stderr.contains("heder"),
        "{}",
        r.stderr
    );
}
