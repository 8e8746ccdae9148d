//! Connecting to PostgreSQL: the URL parsed once, a description of the target without the
//! password for messages, and every failure turned into one line saying what to check.

use crate::error::StorageError;
use postgres::config::Host;
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};
use std::time::Duration;

/// How long one connection attempt may take (a LAN database that does not answer).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed PostgreSQL URL. Holds the password: it has no `Debug` and is never printed.
pub(super) struct Target {
    config: Config,
    /// `user@host:port/database`, for messages.
    pub(super) described: String,
}

impl Target {
    /// Parses a `postgres://` URL.
    ///
    /// Errors: `Invalid` when it is not a valid connection URL (the URL is not repeated: it may
    /// hold a password).
    pub(super) fn parse(url: &str) -> Result<Target, StorageError> {
        let mut config: Config = url.parse().map_err(|_| {
            StorageError::invalid(
                "Địa chỉ PostgreSQL không hợp lệ: hãy dùng dạng postgres://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY:CỔNG/TÊN_CSDL (ký tự đặc biệt trong mật khẩu phải mã hóa %XX)",
                "invalid PostgreSQL URL: use postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special characters in the password)",
            )
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("bvte-server");
        }
        let described = describe(&config);
        Ok(Target { config, described })
    }

    /// The database name (PostgreSQL's default: the user name).
    fn database(&self) -> &str {
        self.config
            .get_dbname()
            .or(self.config.get_user())
            .unwrap_or("?")
    }

    /// Opens one connection (without TLS: a database on the same machine or the district LAN).
    ///
    /// Errors: `Unavailable` saying what to check: server unreachable, login refused, database
    /// missing, too many connections.
    pub(super) fn connect(&self) -> Result<Client, StorageError> {
        self.config
            .connect(NoTls)
            .map_err(|e| self.connect_error(&e))
    }

    fn connect_error(&self, e: &postgres::Error) -> StorageError {
        let d = &self.described;
        let user = self.config.get_user().unwrap_or("?");
        let db = self.database();
        let Some(db_error) = e.as_db_error() else {
            // No answer from a PostgreSQL server (refused, timed out, unknown host, bad
            // configuration); the text is the operating system's and holds no password.
            let e = match std::error::Error::source(e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            };
            return StorageError::unavailable(
                format!(
                    "Không kết nối được tới PostgreSQL ({d}): {e}. Hãy kiểm tra máy chủ PostgreSQL đang chạy, tên máy và cổng trong --database-url, và tường lửa"
                ),
                format!(
                    "cannot reach PostgreSQL ({d}): {e}; check that the PostgreSQL server is running, the host and port in --database-url, and the firewall"
                ),
            );
        };
        let code = db_error.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            StorageError::unavailable(
                format!(
                    "PostgreSQL từ chối đăng nhập của người dùng {user} ({d}): hãy kiểm tra tên người dùng và mật khẩu trong --database-url (hoặc server.toml) và pg_hba.conf"
                ),
                format!(
                    "PostgreSQL refused the login of user {user} ({d}): check the user and password in --database-url (or server.toml) and pg_hba.conf"
                ),
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            StorageError::unavailable(
                format!(
                    "Không có cơ sở dữ liệu {db} trên máy chủ PostgreSQL ({d}): hãy tạo nó (createdb -O {user} {db}) hoặc sửa tên trong --database-url"
                ),
                format!(
                    "there is no database {db} on the PostgreSQL server ({d}): create it (createdb -O {user} {db}) or fix the name in --database-url"
                ),
            )
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            StorageError::unavailable(
                format!(
                    "PostgreSQL đã hết chỗ kết nối ({d}): hãy thử lại sau hoặc tăng max_connections"
                ),
                format!(
                    "PostgreSQL has no connection slot left ({d}): retry later or raise max_connections"
                ),
            )
        } else {
            StorageError::unavailable(
                format!(
                    "PostgreSQL từ chối kết nối ({d}): {} ({})",
                    db_error.message(),
                    code.code()
                ),
                format!(
                    "PostgreSQL refused the connection ({d}): {} ({})",
                    db_error.message(),
                    code.code()
                ),
            )
        }
    }
}

/// `user@host:port/database`: where the server connects, without the password.
fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("?");
    let db = config.get_dbname().unwrap_or(user);
    format!("{user}@{}:{port}/{db}", hosts.join(","))
}

impl From<postgres::Error> for StorageError {
    fn from(e: postgres::Error) -> Self {
        let Some(db) = e.as_db_error() else {
            // Connection lost, protocol or conversion failure: no field values in the text.
            return StorageError::Backend(e.to_string());
        };
        let code = db.code();
        if *code == SqlState::DISK_FULL {
            StorageError::DiskFull
        } else if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::LOCK_NOT_AVAILABLE
            || *code == SqlState::TOO_MANY_CONNECTIONS
        {
            StorageError::Busy
        } else if *code == SqlState::DATA_CORRUPTED || *code == SqlState::INDEX_CORRUPTED {
            StorageError::Corrupt
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            StorageError::unavailable(
                format!(
                    "Người dùng PostgreSQL không đủ quyền: {} — hãy cho người dùng này làm chủ cơ sở dữ liệu (ALTER DATABASE … OWNER TO …)",
                    db.message()
                ),
                format!(
                    "the PostgreSQL role lacks a privilege: {}; make it the owner of the database (ALTER DATABASE … OWNER TO …)",
                    db.message()
                ),
            )
        } else {
            // The message only: the detail may quote a row, and rows hold personal data.
            StorageError::Backend(format!("{} ({})", db.message(), code.code()))
        }
    }
}
