//! Why a release is refused, in words an officer or an IT technician can act on: a stable
//! code, a Vietnamese message (`Display`) and an English one ([`UpdateError::message_en`]).

/// A release that cannot be offered or stored.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// This build has no release key: it accepts no update at all.
    #[error(
        "Bản BVTE này không có khóa công khai để kiểm tra chữ ký bản cập nhật, nên không nhận bản \
         cập nhật nào. Hãy cài bản chính thức mới từ người quản trị"
    )]
    NoKey,
    /// No signature with the package.
    #[error(
        "Gói {file} không có chữ ký (thiếu tệp {file}.sig): không nhận. Chỉ gói do nhóm phát \
         triển BVTE ký mới được cài"
    )]
    Unsigned {
        /// The package's file name.
        file: String,
    },
    /// The signature (or the key) is not a minisign one as `tauri signer` writes it.
    #[error(
        "Chữ ký của gói {file} không đọc được (không phải chữ ký do `tauri signer sign` tạo): \
         không nhận"
    )]
    SignatureUnreadable {
        /// The package's file name.
        file: String,
    },
    /// Signed, but with another key than the one built into the app.
    #[error(
        "Gói {file} được ký bằng một khóa khác, không phải khóa phát hành của BVTE: không nhận. \
         Có thể đây là gói giả mạo; hãy báo người quản trị"
    )]
    WrongKey {
        /// The package's file name.
        file: String,
    },
    /// The package's bytes are not the ones signed (changed, damaged, truncated).
    #[error(
        "Gói {file} đã bị thay đổi hoặc hỏng sau khi ký (chữ ký không khớp nội dung): không \
         nhận. Hãy tải lại hoặc chép lại từ nguồn"
    )]
    Altered {
        /// The package's file name.
        file: String,
    },
    /// The signature was made for a file of another name (another version, another system).
    #[error(
        "Chữ ký được làm cho tệp {signed}, không phải cho {file}: không nhận (tên tệp cho biết \
         phiên bản, không được đổi)"
    )]
    NameMismatch {
        /// The package's file name.
        file: String,
        /// The name the signature was made for.
        signed: String,
    },
    /// Not newer than the running app: never go back to an older version.
    #[error(
        "Bản {version} không mới hơn bản đang dùng ({current}): không nhận. BVTE không quay về \
         bản cũ hơn"
    )]
    NotNewer {
        /// The release's version.
        version: String,
        /// The running app's version.
        current: String,
    },
    /// A file name that is not one of the app's packages.
    #[error(
        "Tên tệp «{file}» không phải tên một gói cài đặt BVTE (ví dụ bvte_0.2.0_amd64.deb, \
         bvte-0.2.0-1.x86_64.rpm, BVTE_0.2.0_x64-setup.exe); không đổi tên gói"
    )]
    BadFileName {
        /// The name given.
        file: String,
    },
    /// A package for another kind of PC.
    #[error("Gói {file} dành cho loại máy {target}, không phải máy này ({here}): không nhận")]
    WrongTarget {
        /// The package's file name.
        file: String,
        /// Its kind of PC.
        target: String,
        /// This PC's.
        here: String,
    },
    /// The manifest says something else than the package.
    #[error(
        "Tệp mô tả bản cập nhật không khớp với gói {file} ({what}): không nhận. Hãy chép lại \
         cả thư mục cập nhật"
    )]
    ManifestMismatch {
        /// The package's file name.
        file: String,
        /// What differs, in Vietnamese.
        what: &'static str,
    },
    /// The manifest cannot be read.
    #[error("Tệp mô tả bản cập nhật {path} không đọc được: {detail}")]
    BadManifest {
        /// Its path.
        path: String,
        /// What is wrong (never file contents).
        detail: String,
    },
    /// A file of the update is missing.
    #[error(
        "Không thấy {path}: thư mục cập nhật phải có gói cài đặt, tệp chữ ký .sig và tệp bvte-update.json"
    )]
    Missing {
        /// The path looked for.
        path: String,
    },
    /// Reading or writing a file failed.
    #[error("Không đọc hoặc ghi được {path}: {detail}")]
    Io {
        /// The path.
        path: String,
        /// The system's reason.
        detail: String,
    },
}

impl UpdateError {
    /// A stable code (`--json`, the desktop).
    pub fn code(&self) -> &'static str {
        match self {
            UpdateError::NoKey => "update_no_key",
            UpdateError::Unsigned { .. } => "update_unsigned",
            UpdateError::SignatureUnreadable { .. } => "update_signature_unreadable",
            UpdateError::WrongKey { .. } => "update_wrong_key",
            UpdateError::Altered { .. } => "update_altered",
            UpdateError::NameMismatch { .. } => "update_name_mismatch",
            UpdateError::NotNewer { .. } => "update_not_newer",
            UpdateError::BadFileName { .. } => "update_bad_file_name",
            UpdateError::WrongTarget { .. } => "update_wrong_target",
            UpdateError::ManifestMismatch { .. } => "update_manifest_mismatch",
            UpdateError::BadManifest { .. } => "update_bad_manifest",
            UpdateError::Missing { .. } => "update_missing",
            UpdateError::Io { .. } => "update_io",
        }
    }

    /// Whether the release itself was refused (signature, version, name), as opposed to a
    /// file that could not be read.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, UpdateError::Io { .. } | UpdateError::Missing { .. })
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            UpdateError::NoKey => "This BVTE build has no public key to check updates with, so it accepts none; install a new official build from the administrator.".into(),
            UpdateError::Unsigned { file } => format!("The package {file} is not signed ({file}.sig is missing): refused. Only packages signed by the BVTE team are installed."),
            UpdateError::SignatureUnreadable { file } => format!("The signature of {file} cannot be read (not one made by `tauri signer sign`): refused."),
            UpdateError::WrongKey { file } => format!("The package {file} is signed with another key than BVTE's release key: refused. It may be forged; tell the administrator."),
            UpdateError::Altered { file } => format!("The package {file} was changed or damaged after it was signed (the signature does not match): refused. Download or copy it again."),
            UpdateError::NameMismatch { file, signed } => format!("The signature was made for {signed}, not {file}: refused (the file name carries the version and must not be changed)."),
            UpdateError::NotNewer { version, current } => format!("Version {version} is not newer than the running one ({current}): refused. BVTE never goes back to an older version."),
            UpdateError::BadFileName { file } => format!("«{file}» is not the name of a BVTE package (e.g. bvte_0.2.0_amd64.deb, bvte-0.2.0-1.x86_64.rpm, BVTE_0.2.0_x64-setup.exe); do not rename packages."),
            UpdateError::WrongTarget { file, target, here } => format!("The package {file} is for {target} PCs, not this one ({here}): refused."),
            UpdateError::ManifestMismatch { file, what } => format!("The update's description does not match the package {file} ({}): refused. Copy the whole update folder again.", what_en(what)),
            UpdateError::BadManifest { path, detail } => format!("The update description {path} cannot be read: {detail}"),
            UpdateError::Missing { path } => format!("{path} is missing: an update folder holds the package, its .sig signature and bvte-update.json."),
            UpdateError::Io { path, detail } => format!("Cannot read or write {path}: {detail}"),
        }
    }
}

fn what_en(what: &str) -> &'static str {
    match what {
        "phiên bản" => "version",
        "kích thước" => "size",
        "mã SHA-256" => "SHA-256",
        _ => "contents",
    }
}

/// An I/O error on `path`.
pub(crate) fn io(path: &std::path::Path, e: std::io::Error) -> UpdateError {
    if e.kind() == std::io::ErrorKind::NotFound {
        return UpdateError::Missing {
            path: path.display().to_string(),
        };
    }
    UpdateError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}
