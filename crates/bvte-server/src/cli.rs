//! Command-line arguments. Help is in Vietnamese first, English in brackets.

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Parser, Subcommand};
use std::path::PathBuf;
use uuid::Uuid;

/// bvte-server — máy chủ đồng bộ của BVTE
/// [BVTE sync server: enrollment, devices, sync API]
#[derive(Debug, Parser)]
#[command(name = "bvte-server", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Lệnh [command]
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Common {
    /// Thư mục dữ liệu của máy chủ (cơ sở dữ liệu, chứng chỉ) [server data folder]
    #[arg(long, env = "BVTE_SERVER_DATA", value_name = "DIR")]
    pub data: PathBuf,

    /// Cơ sở dữ liệu: postgres://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY/TÊN_CSDL; `init` ghi nhớ trong
    /// server.toml; mặc định SQLite trong thư mục dữ liệu. Nên đặt qua biến môi trường
    /// BVTE_DATABASE_URL: gõ ở đây thì mật khẩu lộ qua ps và lịch sử lệnh
    /// [database URL, e.g. postgres://USER:PASSWORD@HOST/DB; `init` remembers it in server.toml;
    /// default SQLite in the data folder. Prefer BVTE_DATABASE_URL: typed here, the password
    /// shows in ps and the shell history]
    #[arg(
        long,
        env = "BVTE_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Khởi tạo thư mục dữ liệu: cơ sở dữ liệu và chứng chỉ TLS tự ký
    /// [create the data folder: database and self-signed TLS certificate]
    Init(InitArgs),
    /// In vân tay SHA-256 của chứng chỉ [print the certificate's SHA-256 fingerprint]
    Fingerprint(Common),
    /// Xã: đăng ký, liệt kê [communes: register, list]
    #[command(subcommand)]
    Commune(CommuneCommand),
    /// Tạo mã đăng ký thiết bị dùng một lần cho một xã
    /// [create a one-time device enrollment code for a commune]
    EnrollCode(EnrollCodeArgs),
    /// Chạy máy chủ HTTPS [serve the HTTPS sync API]
    Serve(ServeArgs),
    /// Thiết bị: liệt kê, thu hồi [devices: list, revoke]
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Báo cáo của một xã hoặc của toàn địa bàn, từ dữ liệu đã đồng bộ (mẫu tạm thời)
    /// [a commune's report, or the whole area's, from the synced records; provisional layout]
    Report(ReportArgs),
    /// Xem hoặc đổi tên địa bàn máy chủ phục vụ [show or change the name of the area served]
    Area(AreaArgs),
    /// Tài khoản bảng điều khiển khu vực: thêm, liệt kê, xóa
    /// [area dashboard accounts: add, list, remove]
    #[command(subcommand)]
    User(UserCommand),
    /// Bản cập nhật ứng dụng cho các máy xã: thêm gói đã ký, liệt kê
    /// [app releases for the commune PCs: add a signed package, list]
    #[command(subcommand)]
    Release(ReleaseCommand),
}

/// `release …`.
#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Thêm một gói cài đặt đã ký (chữ ký được kiểm tra bằng khóa phát hành của BVTE)
    /// [add a signed package; its signature is checked with BVTE's release key]
    Add(ReleaseAddArgs),
    /// Liệt kê các bản đã thêm [list the releases added]
    List(ListArgs),
}

/// `release add`.
#[derive(Debug, Args)]
pub struct ReleaseAddArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// Gói cài đặt, giữ nguyên tên (ví dụ bvte_0.2.0_amd64.deb)
    /// [the package, named as built, e.g. bvte_0.2.0_amd64.deb]
    #[arg(value_name = "GÓI")]
    pub package: PathBuf,
    /// Tệp chữ ký do `tauri signer sign` tạo (GÓI.sig) [the signature `tauri signer sign` wrote]
    #[arg(value_name = "GÓI.sig")]
    pub signature: PathBuf,
    /// Ghi chú phát hành bằng tiếng Việt, cán bộ xã đọc trước khi cài
    /// [release notes in Vietnamese, shown to the officer before installing]
    #[arg(long, value_name = "VĂN_BẢN")]
    pub notes: Option<String>,
}

/// `user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Thêm tài khoản; mật khẩu đọc từ đầu vào chuẩn hoặc biến BVTE_USER_PASSWORD (ít nhất 12
    /// ký tự) [add an account; the password is read from standard input or BVTE_USER_PASSWORD,
    /// at least 12 characters]
    Add {
        /// Common options.
        #[command(flatten)]
        common: Common,
        /// Tên đăng nhập [sign-in name]
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Vai trò: supervisor (giám sát: xem số liệu) hoặc admin (quản trị)
        /// [role: supervisor (sees the figures) or admin]
        #[arg(long, value_parser = ["supervisor", "admin"])]
        role: String,
    },
    /// Liệt kê tài khoản [list accounts]
    List(ListArgs),
    /// Xóa tài khoản và kết thúc các phiên đăng nhập của nó [remove an account and end its sessions]
    Remove {
        /// Common options.
        #[command(flatten)]
        common: Common,
        /// Tên đăng nhập [sign-in name]
        #[arg(long, value_name = "NAME")]
        name: String,
    },
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// Mã xã (5 chữ số); bỏ trống: báo cáo toàn địa bàn (tổng các xã)
    /// [commune code; omitted: the whole area's report, the sum of its communes']
    #[arg(long, value_name = "CODE")]
    pub commune: Option<String>,
    /// Ngày đầu kỳ, dd/mm/yyyy hoặc yyyy-mm-dd [first day of the period]
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Ngày cuối kỳ (tính cả ngày này), không muộn hơn hôm nay [last day, included]
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Định dạng: json, xlsx (một bảng một trang tính) hoặc pdf (thể thức Nghị định 30)
    /// [format: json, xlsx (one sheet per table) or pdf (Decree 30 layout)]
    #[arg(long, default_value = "json", value_parser = ["json", "pdf", "xlsx"])]
    pub format: String,
    /// Tệp ghi ra (chỉ chủ tài khoản đọc được); "-" hoặc bỏ trống: in ra màn hình (xlsx, pdf:
    /// bắt buộc có tệp) [output file, owner-only; "-" or omitted: standard output (xlsx and pdf
    /// need a file)]
    #[arg(long, value_name = "FILE|-")]
    pub out: Option<PathBuf>,
}

/// `area`.
#[derive(Debug, Args)]
pub struct AreaArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// Tên mới của địa bàn (ví dụ "Tỉnh Ninh Bình" hoặc "Cụm xã phía Bắc"); bỏ trống: in tên
    /// hiện tại [the area's new name; omitted: print the current one]
    #[arg(value_name = "TÊN")]
    pub name: Option<String>,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// Tên máy hoặc địa chỉ IP thêm vào chứng chỉ (lặp lại được)
    /// [extra host name or IP address for the certificate; repeatable]
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// Tên địa bàn máy chủ phục vụ (một tỉnh, một nhóm xã…; đổi sau bằng `bvte-server area`)
    /// [the name of the area served: a province, a group of communes…; change it later with
    /// `bvte-server area`]
    #[arg(long, value_name = "TÊN")]
    pub area: Option<String>,
}

/// `commune …`.
#[derive(Debug, Subcommand)]
pub enum CommuneCommand {
    /// Đăng ký một xã (mã 5 chữ số) [register a commune (5-digit code)]
    Add {
        /// Common options.
        #[command(flatten)]
        common: Common,
        /// Mã xã chính thức, 5 chữ số [official commune code, 5 digits]
        #[arg(long, value_name = "CODE")]
        code: String,
    },
    /// Liệt kê các xã đã đăng ký [list registered communes]
    List(ListArgs),
}

/// A listing.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// In dạng JSON [print JSON]
    #[arg(long)]
    pub json: bool,
}

/// `enroll-code`.
#[derive(Debug, Args)]
pub struct EnrollCodeArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// Mã xã [commune code]
    #[arg(long, value_name = "CODE")]
    pub commune: String,
    /// Số ngày mã còn hiệu lực (0: hết hạn ngay, để thử) [days the code stays valid; 0 expires now]
    #[arg(long, default_value_t = 7, value_name = "DAYS")]
    pub valid_days: u32,
    /// In dạng JSON [print JSON]
    #[arg(long)]
    pub json: bool,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Common options.
    #[command(flatten)]
    pub common: Common,
    /// Địa chỉ lắng nghe; cổng 0 để hệ điều hành chọn [listen address; port 0 lets the OS pick]
    #[arg(long, default_value = "0.0.0.0:8443", value_name = "ADDR")]
    pub listen: String,
    /// Số kết nối mở cùng lúc tối đa; kết nối vượt quá bị đóng ngay
    /// [most connections open at once; more are closed at once]
    #[arg(long, env = "BVTE_SERVER_MAX_CONNECTIONS", default_value_t = 512, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Số kết nối tối đa từ một địa chỉ (các máy của một xã thường chung một địa chỉ)
    /// [most connections open at once from one address; a commune's PCs often share one]
    #[arg(long, env = "BVTE_SERVER_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 64,
          value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_address: u32,
    /// For the tests only: every wait on a slow client (TLS handshake, headers, request,
    /// a stalled answer) in milliseconds, instead of the defaults (10 s, 30 s, 120 s, 60 s).
    #[arg(long, env = "BVTE_SERVER_SLOW_CLIENT_MS", hide = true,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub slow_client_ms: Option<u64>,
}

/// `device …`.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Liệt kê thiết bị đã đăng ký [list enrolled devices]
    List(ListArgs),
    /// Thu hồi quyền đồng bộ của một thiết bị [revoke a device's token]
    Revoke {
        /// Common options.
        #[command(flatten)]
        common: Common,
        /// Mã thiết bị (UUID) [device id]
        #[arg(long, value_name = "UUID")]
        device: Uuid,
    },
}

/// Whether `url` holds a password (`scheme://user:password@host…`).
fn has_password(url: &str) -> bool {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?']).next())
        .and_then(|authority| authority.rsplit_once('@'))
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// Warns on standard error when a database password was typed with `--database-url`: it then
/// lands in the process list (`ps`, readable by every account) and the shell history (issue 10
/// item 11). The URL still works; the warning never repeats it.
pub fn warn_typed_password(matches: &ArgMatches) {
    fn typed(m: &ArgMatches) -> bool {
        // `try_get_one` first: it answers an unknown id with an error, not a panic.
        let here = matches!(m.try_get_one::<String>("database_url"), Ok(Some(url)) if has_password(url))
            && m.value_source("database_url") == Some(ValueSource::CommandLine);
        here || m.subcommand().is_some_and(|(_, sub)| typed(sub))
    }
    if typed(matches) {
        eprintln!(
            "Cảnh báo: mật khẩu cơ sở dữ liệu gõ trên dòng lệnh (--database-url) có thể bị người khác xem qua danh sách tiến trình (ps) và lịch sử lệnh. Hãy đặt biến môi trường BVTE_DATABASE_URL thay thế; sau `init`, các lệnh khác đọc địa chỉ trong server.toml."
        );
        eprintln!(
            "Warning: a database password given with --database-url shows in the process list (ps) and the shell history; set BVTE_DATABASE_URL instead (after `init` the other commands read server.toml)."
        );
    }
}

#[cfg(test)]
mod tests {
    use super::has_password;

    #[test]
    fn a_password_in_a_url_is_recognised() {
        assert!(has_password("postgres://bvte:mk@127.0.0.1/bvte"));
        assert!(has_password(
            "postgresql://u:p%40ss@h:5432/db?sslmode=disable"
        ));
        assert!(!has_password("postgres://bvte@127.0.0.1/bvte"));
        assert!(!has_password("postgres://127.0.0.1/bvte?user=a:b@c"));
        assert!(!has_password("sqlite:///srv/bvte/x.db"));
        assert!(!has_password("không phải url"));
    }
}
