//! Lists of children as files on the PC, for the desktop's "Nhập từ Excel" screen and the
//! "Xuất Excel" button of the children list (issue 12): the spreadsheets found in the usual
//! places (the officer need not type a path), reading one with a clear message when it cannot
//! be opened, and saving the refused rows and the filtered list as .xlsx into the folder the
//! app saves files into. The import itself is [`crate::import_run`].

use crate::children::ChildQuery;
use crate::error::CoreError;
use crate::import::{ImportError, ImportOptions, MappingChoice};
use crate::import_run::{ImportPreview, ImportReport};
use crate::print_os::{SavedForm, save_file};
use crate::session::Session;
use bvte_domain::Instant;
use bvte_domain::time::local_date;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The extensions of the files a list is looked for in (the file is then judged by its bytes).
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "csv"];

/// At most this many files are listed (newest first).
const MAX_FOUND: usize = 200;

/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 50;

/// A spreadsheet found on the PC or a USB stick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FoundList {
    /// Its full path.
    pub path: String,
    /// Its file name.
    pub name: String,
    /// The folder it is in.
    pub folder: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// When it was last changed (RFC 3339), when known.
    pub modified: Option<String>,
}

/// A file to import, with the officer's choices (the desktop screen).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportRequest {
    /// The file's full path.
    pub path: String,
    /// The sheet to read (`null`: the first whose header is recognised).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The officer's changes to the proposed mapping.
    #[serde(default)]
    pub mapping: Option<MappingChoice>,
    /// Update a child already in the register instead of leaving the row alone.
    #[serde(default)]
    pub update_existing: bool,
}

impl ImportRequest {
    fn options(&self, dry_run: bool) -> ImportOptions {
        ImportOptions {
            file_name: file_name(Path::new(self.path.trim())),
            sheet: self.sheet.clone().filter(|s| !s.trim().is_empty()),
            mapping: self.mapping.clone(),
            update_existing: self.update_existing,
            dry_run,
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where a list is looked for: the folder BVTE saves into, the user's Documents, Downloads
/// and Desktop, the folders IT named in `BVTE_IMPORT_DIRS` (separated like PATH), and
/// removable drives (as for backups).
pub fn usual_places(export_dir: &Path) -> Vec<PathBuf> {
    let mut v = vec![export_dir.to_path_buf()];
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    if let Some(h) = home {
        for d in ["Documents", "Downloads", "Desktop", "Tài liệu", "Tải xuống"] {
            v.push(h.join(d));
        }
    }
    if let Some(dirs) = std::env::var_os("BVTE_IMPORT_DIRS") {
        v.extend(std::env::split_paths(&dirs));
    }
    // The backup folder itself holds no lists; the removable drives do.
    v.extend(crate::backup::usual_places(export_dir).into_iter().skip(1));
    v
}

/// The spreadsheets in `dirs` and their subfolders two levels down, newest first. Only names
/// and sizes are read, never the contents.
pub fn find_lists(dirs: &[PathBuf]) -> Vec<FoundList> {
    fn walk(dir: &Path, depth: u8, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with(['.', '~']);
            if hidden {
                continue;
            }
            if p.is_dir() {
                if depth > 0 {
                    walk(&p, depth - 1, out);
                }
            } else if p.extension().is_some_and(|x| {
                EXTENSIONS
                    .iter()
                    .any(|e| x.to_string_lossy().eq_ignore_ascii_case(e))
            }) {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for d in dirs {
        walk(d, 2, &mut files);
    }
    files.sort();
    files.dedup();
    let mut found: Vec<(std::time::SystemTime, FoundList)> = files
        .into_iter()
        .filter_map(|p| {
            let meta = std::fs::metadata(&p).ok()?;
            let changed = meta.modified().ok();
            Some((
                changed.unwrap_or(std::time::UNIX_EPOCH),
                FoundList {
                    name: file_name(&p),
                    folder: p
                        .parent()
                        .map(|f| f.display().to_string())
                        .unwrap_or_default(),
                    path: p.display().to_string(),
                    size_bytes: meta.len(),
                    modified: changed
                        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339()),
                },
            ))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().take(MAX_FOUND).map(|f| f.1).collect()
}

/// The bytes of the list at `path`; a file over the import limit is refused before it is read.
///
/// # Errors
/// [`ImportError::CannotOpen`] (no such file, a folder, no permission); the file is too large.
pub fn read_list_file(path: &Path) -> Result<Vec<u8>, CoreError> {
    let cannot = |detail: String| ImportError::CannotOpen {
        file: path.display().to_string(),
        detail,
    };
    if path.as_os_str().is_empty() {
        return Err(cannot("chưa chọn tệp".into()).into());
    }
    if path.is_dir() {
        return Err(cannot("đây là một thư mục, không phải tệp".into()).into());
    }
    let f = std::fs::File::open(path).map_err(|e| cannot(io_vi(&e)))?;
    let max = bvte_import::workbook::MAX_BYTES;
    let too_large = || {
        CoreError::from(ImportError::Read(
            bvte_import::workbook::ReadError::TooLarge {
                max_mib: max / (1024 * 1024),
            },
        ))
    };
    let mut bytes = Vec::new();
    f.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(io_vi(&e)))?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The system's reason, in Vietnamese for the common cases.
fn io_vi(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "không có tệp này".into(),
        std::io::ErrorKind::PermissionDenied => "không có quyền đọc tệp".into(),
        _ => e.to_string(),
    }
}

/// The file the refused rows of `source` are saved as.
pub fn rejected_file_name(source: &str) -> String {
    let stem = Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "danh-sach".into());
    format!("{stem}-dong-bi-tu-choi.xlsx")
}

impl Session {
    /// The first phase of the screen: the file at `req.path` read and judged, nothing written.
    ///
    /// # Errors
    /// The file cannot be opened or read ([`ImportError`]); a store error.
    pub fn preview_import_file(
        &self,
        req: &ImportRequest,
        now: Instant,
    ) -> Result<ImportPreview, CoreError> {
        self.require(crate::access::Action::Import)?;
        let bytes = read_list_file(Path::new(req.path.trim()))?;
        self.preview_import(&bytes, &req.options(true), PREVIEW_ROWS, now)
    }

    /// Imports the file at `req.path` (one batch, in the import history).
    ///
    /// # Errors
    /// As [`Session::import_children`]; nothing is written on an error.
    pub fn import_file(
        &mut self,
        req: &ImportRequest,
        now: Instant,
    ) -> Result<ImportReport, CoreError> {
        self.require(crate::access::Action::Import)?;
        self.import_file_reporting(req, now, &mut |_| {})
    }

    /// [`Session::import_file`], telling `progress` how far it is (the window's progress bar).
    ///
    /// # Errors
    /// As [`Session::import_file`].
    pub fn import_file_reporting(
        &mut self,
        req: &ImportRequest,
        now: Instant,
        progress: &mut dyn FnMut(crate::import_run::ImportProgress),
    ) -> Result<ImportReport, CoreError> {
        self.require(crate::access::Action::Import)?;
        let bytes = read_list_file(Path::new(req.path.trim()))?;
        self.import_children_reporting(&bytes, &req.options(false), now, progress)
    }

    /// Saves the rows of `req.path` that are refused as an .xlsx into `dir` (each row with its
    /// number and reasons, to fix and import again); `None` when no row is refused.
    ///
    /// # Errors
    /// As [`Session::preview_import_file`]; the file cannot be written.
    pub fn save_rejected_rows(
        &self,
        req: &ImportRequest,
        dir: &Path,
        now: Instant,
    ) -> Result<Option<SavedForm>, CoreError> {
        self.require(crate::access::Action::Import)?;
        let bytes = read_list_file(Path::new(req.path.trim()))?;
        let options = req.options(true);
        let preview = self.preview_import(&bytes, &options, 0, now)?;
        let r = &preview.report.rejected_sheet;
        if r.rows.is_empty() {
            return Ok(None);
        }
        let xlsx = bvte_sheet::rejected_xlsx(&r.header, &r.rows)?;
        save_file(dir, &rejected_file_name(&options.file_name), &xlsx).map(Some)
    }

    /// "Xuất Excel": the children of the list as filtered on screen saved as an .xlsx into
    /// `dir` (noted in the audit trail, as `bvte child list --xlsx`).
    ///
    /// # Errors
    /// An unknown filter code; a store error; the file cannot be written.
    pub fn save_children_xlsx(
        &self,
        query: &ChildQuery,
        dir: &Path,
        now: Instant,
    ) -> Result<SavedForm, CoreError> {
        self.require(crate::access::Action::Export)?;
        let bytes = self.children_xlsx(&query.filter()?, now)?;
        let name = format!(
            "danh-sach-tre-em-{}-{}.xlsx",
            self.store.installation().commune_code,
            local_date(now).format("%d-%m-%Y")
        );
        save_file(dir, &name, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_found_in_subfolders_newest_first_and_other_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let usb = dir.path().join("USB").join("Thôn Đông");
        std::fs::create_dir_all(&usb).unwrap();
        std::fs::write(dir.path().join("cũ.xls"), b"x").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(usb.join("Danh sách trẻ.XLSX"), b"xy").unwrap();
        std::fs::write(dir.path().join("ghi chú.txt"), b"x").unwrap();
        std::fs::write(dir.path().join("~$khóa.xlsx"), b"x").unwrap();
        let found = find_lists(&[dir.path().to_path_buf()]);
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Danh sách trẻ.XLSX", "cũ.xls"]);
        assert_eq!(found[0].size_bytes, 2);
        assert!(found[0].folder.ends_with("Thôn Đông"));
    }

    #[test]
    fn a_missing_file_or_a_folder_is_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_list_file(&dir.path().join("không có.xlsx")).unwrap_err();
        assert_eq!(missing.code(), "file_unreadable");
        assert!(
            missing.to_string().contains("không có tệp này"),
            "{missing}"
        );
        let folder = read_list_file(dir.path()).unwrap_err();
        assert!(folder.to_string().contains("thư mục"), "{folder}");
    }

    #[test]
    fn the_refused_rows_file_is_named_after_the_list() {
        assert_eq!(
            rejected_file_name("Danh sách 2024.xlsx"),
            "Danh sách 2024-dong-bi-tu-choi.xlsx"
        );
        assert_eq!(rejected_file_name(""), "danh-sach-dong-bi-tu-choi.xlsx");
    }
}
