//! The printed forms in the desktop app: which forms a case has (or every form, blank), a form's
//! PDF with its file name, and handing the PDF to the operating system — saved into the export
//! folder, opened with the default PDF application, or sent to the printer.
//!
//! How each system prints (the decision and why: docs/forms.md, "Printing from the app"):
//!
//! | system | print | open |
//! |---|---|---|
//! | Linux, macOS | `lp` (CUPS) to the default printer, the PDF on its standard input | `xdg-open` / `open` |
//! | Windows | the print verb of the default PDF application (`Start-Process -Verb Print`) on the saved file | `Start-Process` |
//!
//! File names never carry personal data: `mau-02-<last 8 hex digits of the case id>.pdf`, or
//! `mau-02-trang.pdf` for a blank form.

use crate::error::CoreError;
use crate::print::{FormInfo, missing_step};
use crate::session::Session;
use bvte_domain::codes::Code;
use bvte_domain::event::StepKind;
use bvte_domain::{CaseId, Instant};
use bvte_forms::Templates;
use serde::Serialize;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A form in the desktop's print panel: whether the case's recorded steps allow it yet and, if
/// not, the step to record first.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FormChoice {
    /// Number, title, provisional mark and its reason, source, the step it needs.
    #[serde(flatten)]
    pub info: FormInfo,
    /// The form can be printed for this case now (always true for blank forms).
    pub applicable: bool,
    /// The step to record first (code), when not applicable.
    pub missing_step: Option<String>,
    /// That step in Vietnamese.
    pub missing_step_label: Option<String>,
    /// That step in English.
    pub missing_step_label_en: Option<String>,
}

/// A rendered form and the name its file gets.
#[derive(Clone, PartialEq, Eq)]
pub struct FormPdf {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// `mau-02-5f3a9c1e.pdf` or `mau-02-trang.pdf`.
    pub file_name: String,
    /// `Mẫu 02`: the title of the print job (no personal data: print queues are visible to
    /// every user of a printer).
    pub job_title: String,
    /// The PDF names the reporter (Mẫu 01 of a case whose reporter is known): a file of it is
    /// written only when the officer agrees (issue 14).
    pub holds_reporter: bool,
}

impl std::fmt::Debug for FormPdf {
    // The bytes hold a child's data: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormPdf")
            .field("file_name", &self.file_name)
            .field("bytes", &self.bytes.len())
            .field("holds_reporter", &self.holds_reporter)
            .finish()
    }
}

/// Where a form was saved.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SavedForm {
    /// The full path of the PDF.
    pub path: String,
}

/// Handing a PDF to the operating system failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// No printing system (`lp` is missing).
    #[error(
        "Chưa in được: máy tính này chưa cài máy in nào. Hãy bấm “Lưu PDF” hoặc “Mở PDF” rồi in từ chương trình xem PDF, hoặc nhờ cán bộ tin học cài máy in."
    )]
    NoPrintSystem,
    /// The printing system has no printer set up, or no default one.
    #[error(
        "Chưa in được: máy tính chưa có máy in nào được cài đặt hoặc chọn làm máy in mặc định ({detail}). Hãy cài máy in và chọn làm mặc định trong cài đặt của hệ điều hành, hoặc bấm “Lưu PDF” hoặc “Mở PDF” rồi in từ chương trình xem PDF."
    )]
    NoPrinter {
        /// What the printing system said.
        detail: String,
    },
    /// The printer or the PDF application refused the job.
    #[error(
        "Không gửi được biểu mẫu tới máy in: {detail}. Hãy kiểm tra máy in, hoặc bấm “Lưu PDF” hoặc “Mở PDF” rồi in từ chương trình xem PDF."
    )]
    PrintFailed {
        /// What the system said.
        detail: String,
    },
    /// No application opened the PDF.
    #[error(
        "Không mở được tệp PDF ({detail}). Tệp đã được lưu tại “{path}”: hãy mở bằng một chương trình xem PDF (cài một chương trình nếu máy chưa có)."
    )]
    OpenFailed {
        /// The saved file.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// The folder of saved forms could not be shown.
    #[error(
        "Không mở được thư mục “{path}” ({detail}). Các tệp PDF đã lưu nằm ở đó: hãy mở thư mục này bằng trình quản lý tệp."
    )]
    FolderFailed {
        /// The folder.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// A file of Mẫu 01 would hold the reporter's identity and the officer has not agreed.
    #[error(
        "Mẫu 01 có họ tên, địa chỉ và số điện thoại của người báo tin — thông tin phải giữ bí mật. Tệp PDF sẽ nằm trên máy và ai mở được thư mục cũng đọc được. Chỉ lưu khi thật cần (ví dụ để gửi qua hệ thống văn bản có bảo mật); để in ra giấy, hãy bấm “In”: không để lại tệp."
    )]
    ReporterConsent,
    /// The PDF could not be written.
    #[error(
        "Không lưu được tệp “{path}”: {detail}. Hãy kiểm tra thư mục có quyền ghi và còn chỗ trống, hoặc đóng tệp nếu nó đang mở trong chương trình khác."
    )]
    SaveFailed {
        /// The file.
        path: String,
        /// The system error.
        detail: String,
    },
}

impl OutputError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            OutputError::NoPrintSystem | OutputError::NoPrinter { .. } => "no_printer",
            OutputError::PrintFailed { .. } => "print_failed",
            OutputError::OpenFailed { .. } | OutputError::FolderFailed { .. } => "open_failed",
            OutputError::SaveFailed { .. } => "save_failed",
            OutputError::ReporterConsent => "reporter_consent",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        const INSTEAD: &str = "use “Save as PDF” or “Open PDF” and print from the PDF viewer";
        match self {
            OutputError::NoPrintSystem => format!(
                "Cannot print: no printer is installed on this computer. {INSTEAD}, or ask IT staff to set up a printer."
            ),
            OutputError::NoPrinter { detail } => format!(
                "Cannot print: no printer is set up or chosen as the default ({detail}). Set one up in the system settings, or {INSTEAD}."
            ),
            OutputError::PrintFailed { detail } => {
                format!(
                    "The form could not be sent to the printer: {detail}. Check the printer, or {INSTEAD}."
                )
            }
            OutputError::OpenFailed { path, detail } => format!(
                "The PDF could not be opened ({detail}). It is saved at \"{path}\": open it with a PDF viewer."
            ),
            OutputError::FolderFailed { path, detail } => format!(
                "The folder \"{path}\" could not be opened ({detail}). The saved PDFs are there: open it with the file manager."
            ),
            OutputError::ReporterConsent => "Mẫu 01 names the reporter (name, address, phone), whose identity must stay confidential. A PDF file stays on this computer, readable by anyone who can open the folder. Save it only when really needed; to print on paper, use “Print”, which leaves no file.".into(),
            OutputError::SaveFailed { path, detail } => format!(
                "Cannot save \"{path}\": {detail}. Check that the folder is writable and not full, or close the file in the other program."
            ),
        }
    }
}

impl Session {
    /// Every form, with whether it applies to `case` yet (`None`: blank forms, all apply), with
    /// the shipped templates and those of `BVTE_FORMS_DIR`. Errors: an unknown case, a broken
    /// override template.
    pub fn form_choices(&self, case: Option<CaseId>) -> Result<Vec<FormChoice>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let templates = Templates::from_env()?;
        let events = match case {
            Some(id) => {
                self.store.case(id)?;
                Some(self.store.case_events(id)?)
            }
            None => None,
        };
        Ok(templates
            .iter()
            .map(|t| {
                let missing = events.as_deref().and_then(|e| missing_step(t, e));
                let kind = missing.as_deref().and_then(StepKind::from_code_str);
                FormChoice {
                    info: FormInfo::of(t),
                    applicable: missing.is_none(),
                    missing_step_label: kind.map(|k| k.label_vi().to_string()),
                    missing_step_label_en: kind.map(|k| k.label_en().to_string()),
                    missing_step: missing,
                }
            })
            .collect())
    }

    /// The PDF of `form` filled from `case`, or blank (with the commune header and officer from
    /// the settings) when `case` is `None`, with its file name. Errors as
    /// [`Session::print_form`] and [`Session::print_blank`].
    pub fn form_pdf(
        &self,
        case: Option<CaseId>,
        form: &str,
        now: Instant,
    ) -> Result<FormPdf, CoreError> {
        self.require(crate::access::Action::Print)?;
        let templates = Templates::from_env()?;
        let number = templates.get(form)?.form.clone();
        let bytes = match case {
            Some(id) => self.print_form_with(&templates, id, &number, now)?,
            None => self.print_blank_with(&templates, &number)?,
        };
        // What `print_form_with` puts on Mẫu 01 only (Mẫu 01 section A.3).
        let holds_reporter = match case {
            Some(id) if number == "01" => self.store.case_reporter(id)?.is_some(),
            _ => false,
        };
        Ok(FormPdf {
            bytes,
            file_name: file_name(case, &number),
            job_title: format!("BVTE Mẫu {number}"),
            holds_reporter,
        })
    }
}

/// `mau-02-5f3a9c1e.pdf` for a case (the last 8 hex digits of its id: a UUIDv7 starts with
/// the time, so its first digits are shared by cases opened within the same minute), or
/// `mau-02-trang.pdf` for a blank form. Never the child's name: file names show in folder
/// listings, recent-files menus and print queues.
pub fn file_name(case: Option<CaseId>, form: &str) -> String {
    let form: String = form.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match case {
        Some(id) => {
            let hex = id.to_string().replace('-', "");
            format!("mau-{form}-{}.pdf", &hex[hex.len().saturating_sub(8)..])
        }
        None => format!("mau-{form}-trang.pdf"),
    }
}

/// The folder forms are saved into: `BVTE_EXPORT_DIR` when set (`env`), else `BVTE` in the
/// user's documents folder, else `BVTE` in the home folder, else `fallback`.
pub fn export_dir(
    env: Option<PathBuf>,
    documents: Option<PathBuf>,
    home: Option<PathBuf>,
    fallback: &Path,
) -> PathBuf {
    env.filter(|p| !p.as_os_str().is_empty())
        .or_else(|| documents.map(|d| d.join("BVTE")))
        .or_else(|| home.map(|h| h.join("BVTE")))
        .unwrap_or_else(|| fallback.to_path_buf())
}

/// Writes the PDF into `dir` (created when missing) under its file name, replacing an earlier
/// print of the same form of the same case. Written to a temporary name first, so a half-written
/// PDF never replaces a good one; readable by its owner only. A PDF that names the reporter is
/// written only with the officer's `consent`.
pub fn save_pdf(dir: &Path, pdf: &FormPdf, consent: bool) -> Result<SavedForm, CoreError> {
    if pdf.holds_reporter && !consent {
        return Err(OutputError::ReporterConsent.into());
    }
    save_file(dir, &pdf.file_name, &pdf.bytes)
}

/// Writes `bytes` into `dir` (created when missing) as `file_name`, replacing an earlier file of
/// that name, through a temporary name (a half-written file never replaces a good one);
/// readable by its owner only.
pub fn save_file(dir: &Path, file_name: &str, bytes: &[u8]) -> Result<SavedForm, CoreError> {
    let path = dir.join(file_name);
    let tmp = dir.join(format!(".{file_name}.tmp"));
    let failed = |e: std::io::Error| OutputError::SaveFailed {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    // Owner-only: a filled form holds a child's record (issue 10 item 9).
    bvte_store::private::write(&tmp, bytes).map_err(failed)?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })?;
    Ok(SavedForm {
        path: path.display().to_string(),
    })
}

/// Writes the PDF into `scratch` (the folder of files written only to be opened or printed,
/// emptied by [`clear_scratch`]) and opens it with the default PDF application. A PDF that
/// names the reporter is written only with the officer's `consent`.
pub fn open_pdf(scratch: &Path, pdf: &FormPdf, consent: bool) -> Result<SavedForm, CoreError> {
    open_saved(save_pdf(scratch, pdf, consent)?)
}

/// Removes the files written only to be opened or printed (the viewer or the printer had them
/// long ago): when the app starts, locks and closes. A missing folder is fine.
pub fn clear_scratch(scratch: &Path) {
    if let Ok(entries) = std::fs::read_dir(scratch) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Opens a file just saved with the application the system has for it.
pub fn open_saved(saved: SavedForm) -> Result<SavedForm, CoreError> {
    let failed = |detail: String| OutputError::OpenFailed {
        path: saved.path.clone(),
        detail,
    };
    let run = Invocation::open(Platform::CURRENT, Path::new(&saved.path));
    // The viewer may keep the opener running (xdg-open's generic mode): a few seconds without
    // an error means it started.
    match run.execute(Duration::from_secs(3)) {
        Err(e) => Err(failed(format!("{}: {e}", run.program.to_string_lossy())).into()),
        Ok(Some(out)) if !out.status.success() => Err(failed(first_line(&out)).into()),
        Ok(_) => Ok(saved),
    }
}

/// Shows `dir`, the folder forms are saved into (created if missing), in the file manager, so
/// the officer finds the PDF just saved; answers the folder.
pub fn open_folder(dir: &Path) -> Result<SavedForm, CoreError> {
    let path = dir.display().to_string();
    let failed = |detail: String| OutputError::FolderFailed {
        path: path.clone(),
        detail,
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
    let run = Invocation::open(Platform::CURRENT, dir);
    match run.execute(Duration::from_secs(3)) {
        Err(e) => Err(failed(format!("{}: {e}", run.program.to_string_lossy())).into()),
        Ok(Some(out)) if !out.status.success() => Err(failed(first_line(&out)).into()),
        Ok(_) => Ok(SavedForm { path }),
    }
}

/// Sends the PDF to the default printer (Linux, macOS: `lp`, the PDF on its standard input, no
/// file; Windows: the PDF application's print verb on a file written into `scratch`, removed by
/// [`clear_scratch`]). Printing is what the officer asked for, so no consent is needed. Errors say
/// when there is no printer and suggest saving or opening the PDF instead.
pub fn print_pdf(scratch: &Path, pdf: &FormPdf) -> Result<(), CoreError> {
    let platform = Platform::CURRENT;
    let run = match platform {
        Platform::Windows => {
            let saved = save_pdf(scratch, pdf, true)?;
            Invocation::print(platform, Some(Path::new(&saved.path)), &pdf.job_title)
        }
        _ => Invocation::print(platform, None, &pdf.job_title).with_stdin(&pdf.bytes),
    };
    print_outcome(&run, run.execute(Duration::from_secs(60)))
}

/// The operating system, as far as printing and opening files differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    Linux,
    MacOs,
    Windows,
}

impl Platform {
    /// This computer's system (BSDs print and open like Linux).
    const CURRENT: Platform = if cfg!(target_os = "windows") {
        Platform::Windows
    } else if cfg!(target_os = "macos") {
        Platform::MacOs
    } else {
        Platform::Linux
    };
}

/// A program to run, with its input.
#[derive(Debug, Clone)]
struct Invocation {
    program: OsString,
    args: Vec<OsString>,
    env: Vec<(&'static str, OsString)>,
    stdin: Option<Vec<u8>>,
}

/// PowerShell, with the file in an environment variable so no quoting can break the command.
fn powershell(script: &str, file: &Path) -> Invocation {
    Invocation {
        program: "powershell".into(),
        args: ["-NoProfile", "-NonInteractive", "-Command", script]
            .map(OsString::from)
            .to_vec(),
        env: vec![("BVTE_FILE", file.as_os_str().to_owned())],
        stdin: None,
    }
}

const PS_OPEN: &str = "try { Start-Process -FilePath $env:BVTE_FILE -ErrorAction Stop } \
                       catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }";
const PS_PRINT: &str = "try { Start-Process -FilePath $env:BVTE_FILE -Verb Print -ErrorAction Stop } \
                        catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }";

impl Invocation {
    /// How `platform` opens `file` with its default application.
    fn open(platform: Platform, file: &Path) -> Invocation {
        match platform {
            Platform::Windows => powershell(PS_OPEN, file),
            Platform::MacOs | Platform::Linux => Invocation {
                program: if platform == Platform::MacOs {
                    "open"
                } else {
                    "xdg-open"
                }
                .into(),
                args: vec![file.as_os_str().to_owned()],
                env: vec![],
                stdin: None,
            },
        }
    }

    /// How `platform` prints: `lp` reading standard input (A4, the job titled without personal
    /// data; English messages so they can be recognised), or the print verb on `file`.
    fn print(platform: Platform, file: Option<&Path>, title: &str) -> Invocation {
        match (platform, file) {
            (Platform::Windows, Some(file)) => powershell(PS_PRINT, file),
            _ => Invocation {
                program: "lp".into(),
                args: ["-t", title, "-o", "media=A4"].map(OsString::from).to_vec(),
                env: vec![("LC_ALL", "C".into())],
                stdin: None,
            },
        }
    }

    fn with_stdin(mut self, bytes: &[u8]) -> Invocation {
        self.stdin = Some(bytes.to_vec());
        self
    }

    /// Runs the program; `Ok(None)` when it is still running after `wait` (it is then left to
    /// finish and reaped in the background).
    fn execute(&self, wait: Duration) -> std::io::Result<Option<Output>> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        no_console_window(&mut cmd);
        let mut child = cmd.spawn()?;
        if let (Some(bytes), Some(mut pipe)) = (&self.stdin, child.stdin.take()) {
            // A program that exits early closes the pipe: its exit status tells why.
            let _ = pipe.write_all(bytes);
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(wait) {
            Ok(out) => out.map(Some),
            Err(_) => Ok(None),
        }
    }
}

/// No console window flashes up when the app starts PowerShell.
#[cfg(target_os = "windows")]
fn no_console_window(cmd: &mut Command) {
    use std::os::windows::process::CommandExt;
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    cmd.creation_flags(CREATE_NO_WINDOW);
}

#[cfg(not(target_os = "windows"))]
fn no_console_window(_: &mut Command) {}

/// What a print run means for the officer.
fn print_outcome(
    run: &Invocation,
    result: std::io::Result<Option<Output>>,
) -> Result<(), CoreError> {
    let is_lp = run.program == "lp";
    let err = match result {
        Ok(Some(out)) if out.status.success() => return Ok(()),
        Ok(Some(out)) => {
            let detail = first_line(&out);
            let lower = detail.to_lowercase();
            let no_printer = ["destination", "does not exist", "scheduler not responding"]
                .iter()
                .any(|s| lower.contains(s));
            if is_lp && no_printer {
                OutputError::NoPrinter { detail }
            } else {
                OutputError::PrintFailed { detail }
            }
        }
        Ok(None) => OutputError::PrintFailed {
            detail: "hệ thống in không trả lời sau 60 giây".into(),
        },
        Err(e) if is_lp && e.kind() == std::io::ErrorKind::NotFound => OutputError::NoPrintSystem,
        Err(e) => OutputError::PrintFailed {
            detail: format!("{}: {e}", run.program.to_string_lossy()),
        },
    };
    Err(err.into())
}

/// The first line the program wrote to stderr (else stdout, else its exit status), shortened.
fn first_line(out: &Output) -> String {
    let text = [&out.stderr, &out.stdout]
        .iter()
        .map(|b| String::from_utf8_lossy(b).trim().to_string())
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| out.status.to_string());
    bvte_domain::text::truncate_detail(text.lines().next().unwrap_or_default())
}

// The tests build fake exit statuses the Unix way.
#[cfg(all(test, unix))]
#[path = "print_os_tests.rs"]
mod tests;
