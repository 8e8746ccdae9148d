//! `bvte import FILE [--sheet NAME] [--mapping MAPPING.json] [--dry-run] [--update-existing]
//! [--rejected OUT.xlsx] [--json]`, `bvte import history`, `bvte import undo BATCH`: an
//! officer's Excel list brought into the register (issue 12). The file, the mapping and the
//! output paths are checked before the passphrase is asked.

use crate::cli::{Cli, ImportAction, ImportArgs};
use crate::exit::{CmdResult, Failure};
use crate::io::{local, open, print_json, read_json};
use bvte_core::CoreError;
use bvte_core::error::parse_json;
use bvte_core::import::{ImportError, ImportOptions, MappingChoice};
use bvte_core::import_run::ImportReport;
use serde_json::json;
use std::io::Read;
use std::path::Path;

/// Writes `bytes` to `file`, readable by its owner only (it holds children's names).
pub fn write_file(file: &Path, bytes: &[u8]) -> Result<(), Failure> {
    bvte_store::private::write(file, bytes).map_err(|e| Failure::Usage {
        vi: format!(
            "Không ghi được tệp “{}”: {e}. Hãy chọn một thư mục có quyền ghi.",
            file.display()
        ),
        en: format!(
            "Cannot write \"{}\": {e}. Choose a writable folder.",
            file.display()
        ),
    })
}

/// The file's bytes; one over the limit is refused before it is read.
fn read_file(file: &Path) -> Result<Vec<u8>, Failure> {
    let cannot = |e: std::io::Error| Failure::Usage {
        vi: format!(
            "Không mở được tệp “{}”: {e}. Hãy kiểm tra đường dẫn.",
            file.display()
        ),
        en: format!("Cannot open \"{}\": {e}. Check the path.", file.display()),
    };
    let f = std::fs::File::open(file).map_err(cannot)?;
    let max = bvte_import::workbook::MAX_BYTES;
    let too_large = || {
        Failure::Core(CoreError::Import(ImportError::Read(
            bvte_import::workbook::ReadError::TooLarge {
                max_mib: max / (1024 * 1024),
            },
        )))
    };
    if f.metadata().map_err(cannot)?.len() > max as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    f.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Runs `bvte import …`.
pub fn run(cli: &Cli, a: &ImportArgs) -> CmdResult {
    let now = bvte_core::now();
    match &a.action {
        Some(ImportAction::History(out)) => {
            let s = open(cli)?;
            let list = s.import_history()?;
            if out.json {
                print_json(&list);
            } else if list.is_empty() {
                crate::outln!("Chưa có lần nhập nào trên máy này.");
            } else {
                for b in list {
                    let undone = b
                        .undone_at
                        .as_deref()
                        .map(|t| format!(" — đã hoàn tác lúc {}", local(t)))
                        .unwrap_or_default();
                    crate::outln!(
                        "{}  {}  “{}” ({}): {} dòng, thêm {}, cập nhật {}, trùng {}, không nhập {}{undone}",
                        b.id,
                        local(&b.imported_at),
                        b.file_name,
                        b.author,
                        b.rows,
                        b.imported,
                        b.updated,
                        b.skipped_duplicates,
                        b.rejected
                    );
                }
            }
            return Ok(());
        }
        Some(ImportAction::Undo { batch, out }) => {
            let mut s = open(cli)?;
            let deleted = s.undo_import(batch, now)?;
            if out.json {
                print_json(&json!({"batch_id": batch, "deleted": deleted}));
            } else {
                crate::outln!(
                    "Đã hoàn tác lần nhập {batch}: xóa {deleted} hồ sơ (xem và khôi phục từng hồ sơ: bvte child deleted)."
                );
            }
            return Ok(());
        }
        None => {}
    }
    let file = a.file.as_deref().ok_or_else(|| Failure::Usage {
        vi: "Thiếu tệp cần nhập: bvte import TỆP --db PATH (hoặc bvte import history, bvte import undo MÃ).".into(),
        en: "Missing the file to import: bvte import FILE --db PATH (or import history, import undo ID).".into(),
    })?;
    let mapping: Option<MappingChoice> = match &a.mapping {
        Some(m) => Some(parse_json(read_json(&m.to_string_lossy())?)?),
        None => None,
    };
    let bytes = read_file(file)?;
    let options = ImportOptions {
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sheet: a.sheet.clone(),
        mapping,
        update_existing: a.update_existing,
        dry_run: a.dry_run,
    };
    let mut s = open(cli)?;
    let report = s.import_children(&bytes, &options, now)?;
    if let Some(out) = &a.rejected {
        let r = &report.rejected_sheet;
        write_file(
            out,
            &bvte_sheet::rejected_xlsx(&r.header, &r.rows).map_err(CoreError::from)?,
        )?;
    }
    if a.out.json {
        print_json(&report);
    } else {
        print_report(&report, &options, a.rejected.as_deref());
    }
    Ok(())
}

fn print_report(r: &ImportReport, o: &ImportOptions, rejected: Option<&Path>) {
    crate::outln!(
        "Tệp “{}”, trang tính “{}”, bảng mã {}.",
        o.file_name,
        r.sheet,
        match r.encoding.as_str() {
            "tcvn3" => "TCVN3 (ABC, phông .VnTime) — đã chuyển sang Unicode",
            "vni" => "VNI — đã chuyển sang Unicode",
            "windows_1258" => "Windows-1258 — đã chuyển sang Unicode",
            _ => "Unicode",
        }
    );
    for m in &r.mapping {
        crate::outln!(
            "  cột {} “{}” → {}",
            m.column,
            m.header,
            m.field.as_deref().unwrap_or("(không nhập)")
        );
    }
    crate::outln!(
        "{} dòng: {} {} trẻ em mới, {} cập nhật, {} trùng với hồ sơ đã có (bỏ qua), {} không nhập được.",
        r.rows,
        if r.dry_run {
            "sẽ thêm"
        } else {
            "đã thêm"
        },
        r.imported,
        r.updated,
        r.skipped_duplicates,
        r.rejected_rows
    );
    for p in &r.rejected {
        let col = p
            .column
            .as_deref()
            .map(|c| format!(", cột {c}"))
            .unwrap_or_default();
        crate::outln!("  Dòng {}{col}: {}", p.row, p.message);
    }
    if let Some(f) = rejected {
        crate::outln!(
            "Các dòng không nhập được đã ghi ra {} (thêm cột “Dòng” và “Lý do”): sửa rồi nhập lại tệp đó.",
            f.display()
        );
    }
    match &r.batch_id {
        Some(id) => crate::outln!("Mã lần nhập: {id}. Hoàn tác: bvte import undo {id}"),
        None if r.dry_run => crate::outln!("Chạy thử: chưa ghi gì vào sổ."),
        None => crate::outln!("Không có gì mới để ghi vào sổ."),
    }
}
