//! Tests of `print_os.rs`. Nothing here reaches a real printer or opens a window: the print and
//! open commands are checked as built, and their outcomes from the outputs `lp` gives.
use super::*;
use bvte_store::KdfParams;
use serde_json::json;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = Session::init(
        &dir.path().join("x.db"),
        "mật khẩu thử in",
        "09955",
        "Lê Thị Hồng Nhung",
        KdfParams {
            m_kib: 256,
            t: 1,
            p: 1,
        },
        crate::now(),
    )
    .unwrap();
    (dir, s)
}

/// A case with its report and an initial assessment.
fn assessed_case(s: &mut Session) -> CaseId {
    let now = crate::now();
    let child: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": "Đặng Thị Bích Ngọc", "date_of_birth": "05/09/2015", "sex": "female",
        "residence_status": "tam_tru"
    }))
    .unwrap();
    let child = s.add_child(&child, now).unwrap();
    let input: bvte_domain::case::CaseInput = serde_json::from_value(json!({
        "child_id": child.child.id.to_string(), "category": "abused", "abuse_forms": ["violence"],
        "environment": "family", "channel": "hotline_111"
    }))
    .unwrap();
    let id = s.open_case(&input, now).unwrap().id;
    let step: bvte_domain::event::StepInput = serde_json::from_value(json!({
        "step": "initial_assessment", "occurred_at": now.to_rfc3339(),
        "data": {"serious_risk": true, "conclusion": "Nguy cơ cao"}
    }))
    .unwrap();
    s.record_step(id, &step, now).unwrap();
    id
}

fn pdf(name: &str) -> FormPdf {
    FormPdf {
        bytes: b"%PDF-1.3 thu".to_vec(),
        file_name: name.into(),
        job_title: "BVTE Mẫu 01".into(),
        holds_reporter: false,
    }
}

fn output(code: i32, stderr: &str) -> Output {
    Output {
        status: ExitStatus::from_raw(code << 8),
        stdout: vec![],
        stderr: stderr.as_bytes().to_vec(),
    }
}

#[test]
fn a_case_lists_every_form_with_the_step_each_still_needs() {
    let (_d, mut s) = session();
    let id = assessed_case(&mut s);
    let forms = s.form_choices(Some(id)).unwrap();
    let numbers: Vec<&str> = forms.iter().map(|f| f.info.form.as_str()).collect();
    assert_eq!(
        numbers,
        ["01", "02", "03", "04", "05", "06", "07"],
        "all seven forms are listed, applicable or not, so the officer sees what comes next"
    );
    let by = |n: &str| forms.iter().find(|f| f.info.form == n).unwrap();
    assert!(by("01").applicable, "the report applies from the start");
    assert!(by("02").applicable, "the initial assessment is recorded");
    assert!(by("02").info.provisional, "Mẫu 02 is a reconstruction");
    let f05 = by("05");
    assert!(!f05.applicable, "no plan has been submitted");
    assert_eq!(f05.missing_step.as_deref(), Some("plan_submitted"));
    assert!(
        f05.missing_step_label
            .as_deref()
            .is_some_and(|l| l.contains("Trình")),
        "the step is named in Vietnamese: {:?}",
        f05.missing_step_label
    );
    assert!(f05.missing_step_label_en.is_some());
}

#[test]
fn blank_forms_all_apply_and_an_unknown_case_is_refused() {
    let (_d, s) = session();
    let forms = s.form_choices(None).unwrap();
    assert_eq!(forms.len(), 7);
    assert!(
        forms
            .iter()
            .all(|f| f.applicable && f.missing_step.is_none()),
        "any form can be printed blank for hand filling"
    );
    let err = s.form_choices(Some(CaseId::generate())).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_case_form_is_named_by_number_and_case_never_by_the_child() {
    let (_d, mut s) = session();
    let id = assessed_case(&mut s);
    let p = s.form_pdf(Some(id), "2", crate::now()).unwrap();
    assert!(p.bytes.starts_with(b"%PDF"));
    let hex = id.to_string().replace('-', "");
    assert_eq!(p.file_name, format!("mau-02-{}.pdf", &hex[24..]));
    assert_eq!(
        p.job_title, "BVTE Mẫu 02",
        "the print queue, visible to every user of the printer, shows no personal data"
    );
    let blank = s.form_pdf(None, "Mẫu 03", crate::now()).unwrap();
    assert_eq!(blank.file_name, "mau-03-trang.pdf");
    let err = s.form_pdf(Some(id), "05", crate::now()).unwrap_err();
    assert_eq!(err.code(), "form_not_applicable");
    assert!(!format!("{p:?}").contains("PDF-"), "Debug hides the bytes");
}

#[test]
fn cases_opened_in_the_same_minute_get_different_file_names() {
    let ids: Vec<CaseId> = (0..50).map(|_| CaseId::generate()).collect();
    let mut names: Vec<String> = ids.iter().map(|i| file_name(Some(*i), "01")).collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        50,
        "UUIDv7 ids share their leading (time) digits; the name uses the random tail"
    );
}

#[test]
fn the_export_folder_is_the_environment_then_documents_then_home() {
    let p = PathBuf::from;
    let fallback = Path::new("/data");
    assert_eq!(
        export_dir(Some(p("/x")), Some(p("/docs")), None, fallback),
        p("/x")
    );
    assert_eq!(
        export_dir(Some(p("")), Some(p("/docs")), None, fallback),
        p("/docs/BVTE"),
        "an empty BVTE_EXPORT_DIR counts as unset"
    );
    assert_eq!(
        export_dir(None, None, Some(p("/home/a")), fallback),
        p("/home/a/BVTE")
    );
    assert_eq!(export_dir(None, None, None, fallback), p("/data"));
}

#[test]
fn saving_creates_the_folder_and_replaces_an_earlier_print() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Tài liệu").join("BVTE");
    let saved = save_pdf(&target, &pdf("mau-01-trang.pdf"), false).unwrap();
    assert_eq!(
        Path::new(&saved.path),
        target.join("mau-01-trang.pdf").as_path()
    );
    let mut again = pdf("mau-01-trang.pdf");
    again.bytes = b"%PDF-1.3 moi".to_vec();
    save_pdf(&target, &again, false).unwrap();
    assert_eq!(std::fs::read(&saved.path).unwrap(), b"%PDF-1.3 moi");
    let files: Vec<_> = std::fs::read_dir(&target).unwrap().collect();
    assert_eq!(files.len(), 1, "no temporary file is left behind");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "a saved form is for its owner only (issue 10 item 9)"
        );
    }

    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = save_pdf(&file, &pdf("mau-01-trang.pdf"), false).unwrap_err();
    assert_eq!(err.code(), "save_failed");
    assert!(err.to_string().contains("Không lưu được"), "{err}");
}

#[test]
fn each_system_prints_and_opens_with_its_own_command() {
    let file = Path::new(r"C:\Users\Hoa\Documents\BVTE\mau-01-trang.pdf");
    let lp = Invocation::print(Platform::Linux, None, "BVTE Mẫu 01");
    assert_eq!(lp.program, "lp");
    assert_eq!(
        lp.args,
        ["-t", "BVTE Mẫu 01", "-o", "media=A4"].map(OsString::from),
        "no file argument: the PDF goes on standard input, so no copy is left on disk"
    );
    assert!(lp.env.contains(&("LC_ALL", "C".into())));
    assert_eq!(Invocation::print(Platform::MacOs, None, "t").program, "lp");

    let win = Invocation::print(Platform::Windows, Some(file), "t");
    assert_eq!(win.program, "powershell");
    assert!(
        win.args
            .iter()
            .any(|a| a.to_string_lossy().contains("-Verb Print")),
        "the default PDF application's print verb"
    );
    assert_eq!(win.env, [("BVTE_FILE", file.as_os_str().to_owned())]);
    assert!(
        !win.args.iter().any(|a| a.to_string_lossy().contains("Hoa")),
        "the path travels in the environment, never spliced into the script"
    );

    assert_eq!(Invocation::open(Platform::Linux, file).program, "xdg-open");
    assert_eq!(Invocation::open(Platform::MacOs, file).program, "open");
    let open = Invocation::open(Platform::Windows, file);
    assert!(
        !open
            .args
            .iter()
            .any(|a| a.to_string_lossy().contains("Verb"))
    );
}

#[test]
fn lp_failures_become_clear_messages() {
    let lp = Invocation::print(Platform::Linux, None, "t");
    let missing = print_outcome(&lp, Err(std::io::ErrorKind::NotFound.into())).unwrap_err();
    assert_eq!(missing.code(), "no_printer");
    assert!(
        missing.to_string().contains("chưa cài máy in nào")
            && missing.to_string().contains("Lưu PDF")
            && !missing.to_string().contains("CUPS")
            && !missing.message_en().contains("CUPS"),
        "says there is no printer, in the officer's words, and what to do instead: {missing}"
    );
    for said in [
        "lp: Error - No default destination.",
        "lp: Error - no default destination available.",
        "lp: The printer or class does not exist.",
        "lp: Error - scheduler not responding.",
    ] {
        let err = print_outcome(&lp, Ok(Some(output(1, said)))).unwrap_err();
        assert_eq!(err.code(), "no_printer", "{said}");
        assert!(
            err.to_string().contains("chưa có máy in nào") && err.to_string().contains(said),
            "{err}"
        );
    }
    let other =
        print_outcome(&lp, Ok(Some(output(1, "lp: Unsupported document-format")))).unwrap_err();
    assert_eq!(other.code(), "print_failed");
    assert!(print_outcome(&lp, Ok(Some(output(0, "request id is A-1")))).is_ok());
    let hung = print_outcome(&lp, Ok(None)).unwrap_err();
    assert_eq!(hung.code(), "print_failed");

    let win = Invocation::print(Platform::Windows, Some(Path::new("a.pdf")), "t");
    let err = print_outcome(
        &win,
        Ok(Some(output(
            1,
            "No application is associated with the specified file for this operation.",
        ))),
    )
    .unwrap_err();
    assert_eq!(err.code(), "print_failed");
    assert!(err.to_string().contains("No application is associated"));
}

#[test]
fn a_program_gets_its_input_and_a_slow_one_is_left_running() {
    let count = Invocation {
        program: "sh".into(),
        args: vec!["-c".into(), "wc -c".into()],
        env: vec![],
        stdin: None,
    }
    .with_stdin(&[b'x'; 100_000]);
    let out = count.execute(Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "100000",
        "the whole PDF reaches lp's standard input"
    );
    let slow = Invocation {
        program: "sleep".into(),
        args: vec!["5".into()],
        env: vec![],
        stdin: None,
    };
    let started = std::time::Instant::now();
    assert!(slow.execute(Duration::from_millis(200)).unwrap().is_none());
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn a_file_that_names_the_reporter_is_written_only_with_consent_and_scratch_files_go() {
    let (_d, mut s) = session();
    let now = crate::now();
    let anonymous = assessed_case(&mut s);
    assert!(
        !s.form_pdf(Some(anonymous), "01", now)
            .unwrap()
            .holds_reporter,
        "no reporter recorded: nothing to protect"
    );
    let child: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": "Lò Văn Sáng", "date_of_birth": "05/09/2014", "sex": "male",
        "residence_status": "thuong_tru"
    }))
    .unwrap();
    let child = s.add_child(&child, now).unwrap();
    let input: bvte_domain::case::CaseInput = serde_json::from_value(json!({
        "child_id": child.child.id.to_string(), "category": "abused", "abuse_forms": ["violence"],
        "environment": "family", "channel": "phone",
        "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0912345678", "address": "Thôn Tây"}
    }))
    .unwrap();
    let id = s.open_case(&input, now).unwrap().id;
    let one = s.form_pdf(Some(id), "01", now).unwrap();
    assert!(one.holds_reporter);
    let blank = s.form_pdf(None, "01", now).unwrap();
    assert!(!blank.holds_reporter, "a blank form names no one");
    let dir = tempfile::tempdir().unwrap();
    let err = save_pdf(dir.path(), &one, false).unwrap_err();
    assert_eq!(err.code(), "reporter_consent");
    assert!(err.to_string().contains("người báo tin"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
    let err = open_pdf(dir.path(), &one, false).unwrap_err();
    assert_eq!(err.code(), "reporter_consent", "opening writes a file too");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
    save_pdf(dir.path(), &one, true).unwrap();
    save_pdf(dir.path(), &blank, false).unwrap();
    assert!(std::fs::read_dir(dir.path()).unwrap().count() >= 1);
    clear_scratch(dir.path());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "scratch emptied"
    );
    clear_scratch(&dir.path().join("missing"));
}
