//! `bvte print`: a Decree 56 form (Mẫu 01–07) as PDF, filled from a case or blank.

use crate::cli::{Cli, PrintArgs};
use crate::exit::{CmdResult, Failure};
use crate::io::{open, print_json};
use bvte_core::error::parse_id;
use bvte_core::print::{FormInfo, all_forms, blank_form};
use bvte_forms::Templates;
use serde_json::json;
use std::path::Path;

fn usage(vi: String, en: String) -> Failure {
    Failure::Usage { vi, en }
}

/// Runs `bvte print`.
pub fn run(cli: &Cli, a: &PrintArgs) -> CmdResult {
    let templates = match &a.templates {
        Some(dir) => Templates::load(Some(dir)),
        None => Templates::from_env(),
    }
    .map_err(bvte_core::CoreError::from)?;
    let Some(form) = &a.form else {
        return list(cli, a, &templates);
    };
    // Check everything that needs no passphrase first.
    let template = templates.get(form).map_err(bvte_core::CoreError::from)?;
    let out = a.out.as_deref().ok_or_else(|| {
        usage(
            "Thiếu --out FILE.pdf: hãy cho biết tệp PDF cần ghi ra.".into(),
            "Missing --out FILE.pdf: name the PDF file to write.".into(),
        )
    })?;
    check_writable(out)?;
    let pdf = if a.blank {
        if a.case_id.is_some() {
            return Err(usage(
                "--blank in mẫu trắng, không dùng cùng --case. Bỏ một trong hai.".into(),
                "--blank prints an empty form; do not combine it with --case.".into(),
            ));
        }
        match cli.db {
            Some(_) => open(cli)?.print_blank_with(&templates, form)?,
            None => blank_form(&templates, form)?,
        }
    } else {
        let case = a.case_id.as_deref().ok_or_else(|| {
            usage(
                "Thiếu --case ID: hãy cho biết vụ việc cần in (hoặc dùng --blank để in mẫu trắng)."
                    .into(),
                "Missing --case ID (or --blank for an empty form).".into(),
            )
        })?;
        let id = parse_id("vụ việc", case)?;
        let session = open(cli)?;
        // Mẫu 01 names the reporter (section A.3): a file of it only when asked for (issue 14).
        if template.form == "01" && !a.with_reporter && session.store.case_reporter(id)?.is_some() {
            return Err(usage(
                "Mẫu 01 của vụ việc này có họ tên, địa chỉ và số điện thoại người báo tin (phải giữ bí mật); tệp PDF sẽ giữ các thông tin đó. Chỉ ghi tệp khi thật cần: thêm --with-reporter. Không có gì được ghi.".into(),
                "Mẫu 01 of this case names the reporter (name, address, phone), who must stay confidential; the PDF file would hold it. Write it only when really needed: add --with-reporter. Nothing was written.".into(),
            ));
        }
        let pdf = session.print_form_with(&templates, id, form, bvte_core::now())?;
        session.note_print(Some(id), &template.form, "file", bvte_core::now())?;
        pdf
    };
    // Owner-only whatever the umask: a filled form holds a child's record.
    bvte_store::private::write(out, &pdf).map_err(|e| not_writable(out, &e))?;
    let info = FormInfo::of(template);
    if a.output.json {
        print_json(&json!({
            "out": out, "form": info.form, "bytes": pdf.len(),
            "provisional": info.provisional, "provisional_reason": info.provisional_reason,
        }));
    } else {
        crate::outln!(
            "Đã in Mẫu số {} ({}) ra tệp {} ({} KB).",
            info.form,
            info.title,
            out.display(),
            pdf.len().div_ceil(1024)
        );
        if info.provisional {
            crate::outln!("Lưu ý — mẫu tạm: {}", info.provisional_reason);
        }
    }
    Ok(())
}

/// Lists the forms: all of them, or those that apply to `--case`.
fn list(cli: &Cli, a: &PrintArgs, templates: &Templates) -> CmdResult {
    let forms = match &a.case_id {
        Some(case) => {
            let id = parse_id("vụ việc", case)?;
            open(cli)?.applicable_forms_with(templates, id)?
        }
        None => all_forms(templates),
    };
    if a.output.json {
        print_json(&forms);
    } else {
        for f in &forms {
            let mark = if f.provisional { "  [mẫu tạm]" } else { "" };
            crate::outln!("{}  {}{mark}", f.form, f.title);
        }
    }
    Ok(())
}

fn not_writable(path: &Path, e: &std::io::Error) -> Failure {
    usage(
        format!(
            "Không ghi được tệp “{}”: {e}. Hãy chọn một thư mục có quyền ghi.",
            path.display()
        ),
        format!(
            "Cannot write \"{}\": {e}. Choose a writable folder.",
            path.display()
        ),
    )
}

/// Refuses an output path whose folder does not exist or is a directory, before any work.
fn check_writable(path: &Path) -> Result<(), Failure> {
    if path.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "đây là một thư mục");
        return Err(not_writable(path, &e));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "thư mục không tồn tại");
        return Err(not_writable(path, &e));
    }
    Ok(())
}
