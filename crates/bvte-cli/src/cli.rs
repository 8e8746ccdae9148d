//! Command-line arguments. Help is in Vietnamese first, English in brackets.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use crate::cli_account::AccountCommand;

/// bvte — sổ theo dõi trẻ em và vụ việc bảo vệ trẻ em cấp xã
/// [commune child register and Decree 56 case management]
///
/// Mật khẩu lấy từ biến môi trường BVTE_PASSPHRASE, nếu không có thì hỏi.
/// [The passphrase comes from BVTE_PASSPHRASE, otherwise it is asked for.]
/// Mã khôi phục: BVTE_RECOVERY_CODE hoặc --recovery-code - (đọc từ stdin); gõ thẳng trên dòng
/// lệnh thì lộ qua ps và lịch sử lệnh. [The recovery code: BVTE_RECOVERY_CODE or
/// --recovery-code - (stdin); typed on the command line it shows in ps and the shell history.]
#[derive(Debug, Parser)]
#[command(name = "bvte", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Tệp cơ sở dữ liệu của xã [the commune's database file]
    #[arg(long, global = true, env = "BVTE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Mở khóa bằng mã khôi phục thay cho mật khẩu; "-" để đọc từ stdin (nên dùng "-" hoặc
    /// BVTE_RECOVERY_CODE) [unlock with the recovery code; "-" reads it from stdin]
    #[arg(
        long,
        global = true,
        env = "BVTE_RECOVERY_CODE",
        value_name = "CODE",
        hide_env_values = true
    )]
    pub recovery_code: Option<String>,

    /// Ngôn ngữ thông báo: vi hoặc en [language of messages]
    #[arg(long, global = true, env = "BVTE_LANG", default_value = "vi", value_parser = ["vi", "en"])]
    pub lang: String,

    /// Người ghi (mặc định: cán bộ đặt khi khởi tạo) [author of the changes]
    #[arg(long, global = true, env = "BVTE_OFFICER", value_name = "NAME")]
    pub officer: Option<String>,

    /// Tài khoản đăng nhập; không cần khi sổ chỉ có một tài khoản [the account signing in;
    /// not needed when the register has one]
    #[arg(long, global = true, env = "BVTE_ACCOUNT", value_name = "NAME")]
    pub account: Option<String>,

    /// Lệnh [command]
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tạo cơ sở dữ liệu mã hóa mới cho một xã [create a new encrypted commune database]
    Init(InitArgs),
    /// Trẻ em: thêm, xem, tìm, liệt kê [children: add, show, search, list]
    #[command(subcommand)]
    Child(ChildCommand),
    /// Vụ việc theo Nghị định 56: mở, ghi bước, xem [cases: open, record a step, show]
    #[command(subcommand)]
    Case(CaseCommand),
    /// Lịch ngày làm việc [working-day calendar]
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Tạo dữ liệu mẫu cho một xã [fill a commune with demonstration data]
    Demo(DemoArgs),
    /// Xuất toàn bộ sổ ra JSON (không có thông tin người báo tin) [export the register as JSON]
    Export(ExportArgs),
    /// Báo cáo số liệu của xã trong một kỳ, không có tên trẻ em hay người báo tin (mẫu tạm
    /// thời) [the commune report for a period; no names; provisional layout]
    Report(ReportArgs),
    /// Thông tin về cơ sở dữ liệu [about the database]
    Info(InfoArgs),
    /// Đổi mật khẩu (mở khóa bằng mật khẩu cũ hoặc --recovery-code) [change the passphrase]
    Passwd(PasswdArgs),
    /// Tìm mã xã/phường theo tên [find a commune code by name]
    Commune(CommuneArgs),
    /// In biểu mẫu Nghị định 56 ra PDF (Mẫu 01–07) [print a Decree 56 form as PDF]
    Print(PrintArgs),
    /// Đăng ký máy này với máy chủ đồng bộ bằng mã một lần [enroll with the sync server]
    Enroll(EnrollArgs),
    /// Đồng bộ ngay với máy chủ [sync with the server now]
    Sync(SyncArgs),
    /// Xung đột do đồng bộ: xem, chọn giá trị [sync conflicts: list, resolve]
    #[command(subcommand)]
    Conflict(ConflictCommand),
    /// Nhập danh sách trẻ em từ Excel (.xlsx, .xls, .ods, .csv; cả phông TCVN3/VNI cũ); xem
    /// lịch sử nhập; hoàn tác một lần nhập [import a children list from Excel; history; undo]
    Import(ImportArgs),
    /// Sao lưu cơ sở dữ liệu (mã hóa) ra một tệp, kể cả khi ứng dụng đang mở [back up the
    /// encrypted database to one file, even while the app is open]
    Backup(BackupArgs),
    /// Khôi phục từ tệp sao lưu vào --db; xem trước rồi mới thay [restore a backup as --db;
    /// previewed before anything is replaced]
    Restore(RestoreArgs),
    /// Nhật ký truy cập: kiểm tra chuỗi, xem các mục [the audit trail: verify, list]
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Tài khoản và vai trò: liệt kê, thêm, xóa, đổi mật khẩu [accounts and roles: list, add,
    /// remove, set a passphrase]
    #[command(subcommand)]
    Account(AccountCommand),
    /// Cập nhật ứng dụng: hỏi máy chủ và tải bản mới, hoặc lấy từ thư mục cập nhật (USB); gói
    /// chỉ được nhận khi có chữ ký của BVTE, còn nguyên vẹn và mới hơn bản đang dùng
    /// [app updates: ask the server and download, or take an update folder (USB); a package is
    /// accepted only when signed by BVTE, unchanged and newer than the running version]
    #[command(subcommand)]
    Update(UpdateCommand),
}

/// `update …`.
#[derive(Debug, Subcommand)]
pub enum UpdateCommand {
    /// Hỏi máy chủ khu vực có bản mới không; nếu có thì tải về thư mục cap-nhat bên cạnh sổ và
    /// kiểm tra chữ ký [ask the area server for a newer version; download it into cap-nhat
    /// beside the database and check its signature]
    Check(UpdateArgs),
    /// Kiểm tra thư mục cập nhật (USB: gói, tệp .sig, bvte-update.json) rồi chép vào thư mục
    /// cap-nhat bên cạnh sổ; không cần mật khẩu [check an update folder (USB) and copy it into
    /// cap-nhat beside the database; no passphrase needed]
    FromFolder {
        /// Thư mục cập nhật [the update folder]
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        args: UpdateArgs,
    },
}

/// Options of `update …`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Loại máy (mặc định: máy này, ví dụ deb-amd64) [kind of PC; default: this one's]
    #[arg(long, value_name = "TARGET", hide = true)]
    pub target: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `import`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ImportArgs {
    /// Lịch sử nhập hoặc hoàn tác [history or undo]
    #[command(subcommand)]
    pub action: Option<ImportAction>,
    /// Tệp danh sách (.xlsx, .xls, .ods, .csv) [the list's file]
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Trang tính cần đọc (mặc định: trang đầu tiên có dòng tiêu đề) [sheet to read]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Tệp JSON sửa bảng ghép cột: {"header_row": 3, "columns": {"C": "date_of_birth",
    /// "H": null}} (xem docs/json.md) [column mapping changes]
    #[arg(long, value_name = "MAPPING.json")]
    pub mapping: Option<PathBuf>,
    /// Chạy thử: đọc, kiểm tra, báo kết quả, không ghi gì vào sổ [check only, write nothing]
    #[arg(long)]
    pub dry_run: bool,
    /// Cập nhật hồ sơ đã có khi dòng trùng (mặc định: bỏ qua dòng trùng) [update matched
    /// records instead of skipping them]
    #[arg(long)]
    pub update_existing: bool,
    /// Ghi các dòng không nhập được ra tệp .xlsx để sửa rồi nhập lại (chỉ chủ tài khoản đọc
    /// được) [write the refused rows to an .xlsx to fix and import again]
    #[arg(long, value_name = "OUT.xlsx")]
    pub rejected: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `import history`, `import undo`.
#[derive(Debug, Subcommand)]
pub enum ImportAction {
    /// Các lần nhập trên máy này, mới nhất trước [imports made on this PC]
    History(OutputArgs),
    /// Hoàn tác một lần nhập: xóa (có lý do, khôi phục được) các trẻ em lần đó đã thêm; không
    /// làm được khi đã mở vụ việc cho trẻ nào trong số đó [undo an import]
    Undo {
        /// Mã lần nhập (trong `bvte import history`) [the import's id]
        batch: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// `enroll`.
#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// Địa chỉ máy chủ, ví dụ https://192.168.1.10:8443 [server address]
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// Mã đăng ký một lần do người quản trị máy chủ cấp [one-time enrollment code]
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// Dấu vân tay SHA-256 của chứng chỉ máy chủ (64 chữ số hex) [certificate fingerprint]
    #[arg(long, value_name = "HEX")]
    pub fingerprint: String,
    /// Tên máy này trong danh sách thiết bị của máy chủ [this device's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Chỉ xem tình trạng, không kết nối [only show the status, do not connect]
    #[arg(long)]
    pub status: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `conflict …`.
#[derive(Debug, Subcommand)]
pub enum ConflictCommand {
    /// Liệt kê xung đột chưa giải quyết [list open conflicts]
    List(OutputArgs),
    /// Chọn giá trị cho một xung đột [choose the value of a conflict]
    Resolve {
        /// Số xung đột [conflict id]
        id: i64,
        /// Giữ giá trị nào: kept (đang dùng) | other (giá trị kia) [which value to keep]
        #[arg(long, value_parser = ["kept", "other"])]
        take: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// `print`.
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Số mẫu (01–07); bỏ trống để xem danh sách mẫu [form number; omit to list the forms]
    #[arg(long, value_name = "NN")]
    pub form: Option<String>,
    /// Mã vụ việc [case id]
    #[arg(long = "case", value_name = "ID")]
    pub case_id: Option<String>,
    /// Mẫu trắng để điền tay; không cần --db (khi có --db thì in sẵn tên xã) [blank form]
    #[arg(long)]
    pub blank: bool,
    /// Tệp PDF ghi ra [output PDF file]
    #[arg(long, value_name = "FILE.pdf")]
    pub out: Option<PathBuf>,
    /// Đồng ý ghi ra tệp Mẫu 01 có họ tên, địa chỉ, số điện thoại người báo tin (phải giữ bí
    /// mật) [agree to write Mẫu 01 with the reporter's identity, which must stay confidential]
    #[arg(long)]
    pub with_reporter: bool,
    /// Thư mục chứa mẫu biểu đã sửa (mau-NN.toml), thay mẫu cùng số; mặc định: biến môi
    /// trường BVTE_FORMS_DIR [folder of corrected templates; default: $BVTE_FORMS_DIR]
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Ghi ra tệp (chỉ chủ tài khoản đọc được) thay vì màn hình [write to FILE, owner-only]
    #[arg(long = "out", value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Ngày đầu kỳ, dd/mm/yyyy hoặc yyyy-mm-dd [first day of the period]
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Ngày cuối kỳ (tính cả ngày này), không muộn hơn hôm nay [last day, included]
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Định dạng: json, pdf (Nghị định 30/2020, có biểu đồ) hoặc xlsx (mỗi bảng một trang
    /// tính) [format: json, pdf or xlsx]
    #[arg(long, default_value = "json", value_parser = ["json", "pdf", "xlsx"])]
    pub format: String,
    /// Tệp ghi ra (chỉ chủ tài khoản đọc được); "-" hoặc bỏ trống: in ra màn hình (chỉ với
    /// json; pdf và xlsx bắt buộc có tệp) [output file, owner-only; "-" or omitted: standard
    /// output, json only]
    #[arg(long, value_name = "FILE|-")]
    pub out: Option<PathBuf>,
    /// Thư mục chứa bố cục báo cáo đã sửa (commune-report.toml); mặc định: biến môi trường
    /// BVTE_REPORTS_DIR [folder of a corrected report layout; default: $BVTE_REPORTS_DIR]
    #[arg(long, value_name = "DIR")]
    pub layouts: Option<PathBuf>,
}

/// `--json` for output.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// In kết quả dạng JSON [print JSON]
    #[arg(long)]
    pub json: bool,
}

/// `info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Kiểm tra toàn vẹn từng trang (chậm với sổ lớn) [check every page's integrity; slow on a
    /// large register]
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Kiểm tra nhật ký không bị sửa, xóa hay đổi chỗ (mã thoát 0 khi nguyên vẹn) [check that
    /// no entry was edited, removed or moved; exit 0 when intact]
    Verify(OutputArgs),
    /// Các mục nhật ký, cũ trước [the entries, oldest first]
    List {
        /// Sau mục số [after entry number]
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// Nhiều nhất [at most]
        #[arg(long, default_value_t = 200)]
        limit: u32,
        /// Chỉ loại việc này: view_child, view_case, change, print, export, backup, restore,
        /// sign_in, sign_in_failed [only this action]
        #[arg(long)]
        action: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Ai đã xem hay làm gì với hồ sơ một trẻ em (cả các vụ việc và các bước) hoặc một vụ
    /// việc, mới trước [who saw or did what with a child's file (its cases and steps too) or a
    /// case, newest first]
    Record {
        /// Mã trẻ em [the child's id]
        #[arg(long, conflicts_with = "case", required_unless_present = "case")]
        child: Option<String>,
        /// Hoặc mã vụ việc [or the case's id]
        #[arg(long)]
        case: Option<String>,
        /// Nhiều nhất [at most]
        #[arg(long, default_value_t = 200)]
        limit: u32,
        /// Chỉ loại việc này [only this action]
        #[arg(long)]
        action: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Tệp sao lưu mới (không ghi đè tệp có sẵn) [the new backup file; never overwritten]
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "folder",
        required_unless_present = "folder"
    )]
    pub out: Option<PathBuf>,
    /// Hoặc: thư mục sao lưu (ví dụ USB); tên tệp theo xã và thời điểm [or: a backup folder,
    /// e.g. a USB stick; the file is named by commune and time]
    #[arg(long, value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// Với --folder: giữ lại bao nhiêu bản mới nhất của xã [with --folder: how many of the
    /// commune's newest backups to keep]
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    pub keep: u16,
    #[command(flatten)]
    pub out_format: OutputArgs,
}

/// `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// Tệp sao lưu (.bvte-backup) [the backup file]
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Đồng ý thay cơ sở dữ liệu đang có ở --db (bản cũ được giữ lại bên cạnh) [agree to
    /// replace the database at --db; the old one is kept beside it]
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Mã xã/phường hiện hành (5 chữ số) [current official commune code]
    #[arg(long, value_name = "CODE")]
    pub commune: String,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Số trẻ em [number of children]
    #[arg(long, default_value_t = 500)]
    pub children: usize,
    /// Hạt giống ngẫu nhiên: cùng số cho cùng dữ liệu [seed]
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Mã xã khi tạo cơ sở dữ liệu mới [commune code when the database is new]
    #[arg(long, default_value = "09955", value_name = "CODE")]
    pub commune: String,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `passwd`.
#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Mật khẩu mới (mặc định: hỏi, hoặc BVTE_NEW_PASSPHRASE; gõ ở đây thì lộ qua ps)
    /// [new passphrase; default: asked, or BVTE_NEW_PASSPHRASE]
    #[arg(
        long,
        env = "BVTE_NEW_PASSPHRASE",
        hide_env_values = true,
        value_name = "PASS"
    )]
    pub new_passphrase: Option<String>,
}

/// `commune`.
#[derive(Debug, Args)]
pub struct CommuneArgs {
    /// Tên hoặc mã (không dấu cũng được) [name or code]
    pub query: String,
    /// Số kết quả tối đa [maximum results]
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Reading a JSON document: `--json -` for standard input, or a file.
#[derive(Debug, Args)]
pub struct JsonInput {
    /// Đọc JSON từ tệp, hoặc "-" từ bàn phím/stdin; kết quả in ra dạng JSON [JSON input; `-` = stdin]
    #[arg(long = "json", value_name = "FILE|-")]
    pub source: String,
}

/// `child …`.
#[derive(Debug, Subcommand)]
pub enum ChildCommand {
    /// Thêm trẻ em từ JSON [add a child from JSON]
    Add(JsonInput),
    /// Sửa hồ sơ trẻ em (JSON đầy đủ) [replace a child's record]
    Update {
        /// Mã hồ sơ [child id]
        id: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Xem hồ sơ [show a child]
    Show {
        /// Mã hồ sơ [child id]
        id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Tìm theo tên, tên cha mẹ, thôn, mã định danh (không dấu cũng được) [search]
    Search {
        /// Nội dung tìm [search text]
        query: String,
        /// Số kết quả tối đa [maximum results]
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Liệt kê có lọc [list with filters]
    List(ListArgs),
    /// Xóa hồ sơ nhập nhầm hoặc nhập trùng (không xóa được trẻ đã có vụ việc) [delete a record
    /// entered in error; a child with cases cannot be deleted]
    Delete {
        /// Mã hồ sơ [child id]
        id: String,
        /// Lý do xóa, ví dụ "Nhập trùng với hồ sơ …" [why]
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Khôi phục hồ sơ đã xóa [bring a deleted record back]
    Restore {
        /// Mã hồ sơ [child id]
        id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Liệt kê hồ sơ đã xóa [list deleted records]
    Deleted(OutputArgs),
}

/// `child list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Nhóm hoàn cảnh đặc biệt: a b c d dd e g h i k l m n o [special-circumstance group]
    #[arg(long)]
    pub group: Option<String>,
    /// Tình trạng cư trú: thuong_tru | tam_tru | noi_o_hien_tai | chua_ro [residence status]
    #[arg(long)]
    pub residence: Option<String>,
    /// Thôn/tổ dân phố [village]
    #[arg(long)]
    pub village: Option<String>,
    /// Chỉ trẻ có nguy cơ [at risk only]
    #[arg(long)]
    pub at_risk: bool,
    /// Chỉ trẻ khuyết tật [disabled only]
    #[arg(long)]
    pub disabled: bool,
    /// Chỉ trẻ mồ côi cả cha và mẹ [orphans of both parents only]
    #[arg(long)]
    pub orphan: bool,
    /// Tuổi từ [minimum age]
    #[arg(long)]
    pub age_min: Option<u32>,
    /// Tuổi đến [maximum age]
    #[arg(long)]
    pub age_max: Option<u32>,
    /// Số dòng [page size]
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// Bỏ qua bao nhiêu dòng [rows to skip]
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// Ghi cả danh sách đã lọc (mọi dòng, không chia trang) ra tệp Excel, chỉ chủ tài khoản
    /// đọc được [write the whole filtered list to an .xlsx file, owner-only]
    #[arg(long, value_name = "FILE.xlsx")]
    pub xlsx: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// `case …`.
#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Mở vụ việc từ báo cáo tiếp nhận (Mẫu 01) [open a case]
    Open(JsonInput),
    /// Ghi một bước của vụ việc [record one step]
    Step {
        /// Mã vụ việc [case id]
        case_id: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Xem vụ việc: giai đoạn, bước tiếp theo, thời hạn [show a case]
    Show {
        /// Mã vụ việc [case id]
        case_id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Danh sách vụ việc, việc gấp trước [list cases, most urgent first]
    List(OutputArgs),
}

/// `calendar …`.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Ngày làm việc thứ N sau một ngày [the N-th working day after DATE]
    AddWorkingDays {
        /// Ngày (dd/mm/yyyy hoặc yyyy-mm-dd) [date]
        date: String,
        /// Số ngày làm việc [working days]
        n: u32,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Có phải ngày làm việc không [is DATE a working day]
    IsWorkingDay {
        /// Ngày [date]
        date: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}
