//! The administration commands: everything but `serve`.

use crate::cli::{Common, EnrollCodeArgs, InitArgs, ListArgs};
use crate::clock::{now_ms, rfc3339};
use crate::codes::{enroll_code_hash, new_enroll_code, normalize_enroll_code};
use crate::commune::valid_commune_code;
use crate::error::CliError;
use crate::storage::{self, Storage};
use crate::{settings, tls};
use serde_json::json;
use std::os::unix::fs::DirBuilderExt;
use std::sync::Arc;
use uuid::Uuid;

/// The result of a command.
pub type CmdResult = Result<(), CliError>;

pub fn open(common: &Common) -> Result<Arc<dyn Storage>, CliError> {
    Ok(storage::open(
        &common.data,
        common.database_url.as_deref(),
        false,
    )?)
}

/// `init`: data folder, certificate (kept if one exists), database; prints the fingerprint last.
/// A `--database-url` is remembered in `DIR/server.toml` (mode 0600) for the later commands.
pub fn init(args: &InitArgs) -> CmdResult {
    let data = &args.common.data;
    let url = args.common.database_url.as_deref();
    let location = storage::locate(data, url)?;
    let area = args.area.as_deref().map(area_name).transpose()?;
    // Before anything is written: an existing database is never overwritten.
    storage::check_absent(&location)?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(data)
        .map_err(|e| CliError::files("tạo thư mục", "create the folder", data, &e))?;
    // A folder that existed already keeps its mode on create: tighten it too.
    crate::folder::make_private(data)?;
    let (cert, key) = tls::paths(data);
    let kept = cert.is_file() && key.is_file();
    if !kept {
        tls::generate(data, &args.hosts)?;
    }
    let storage = storage::open_at(&location, true)?;
    if let Some(area) = &area {
        storage.set_area_name(area)?;
    }
    if let Some(url) = url {
        settings::remember_database_url(data, url)?;
    }
    let fingerprint = tls::fingerprint(&tls::certificate(data)?);
    println!(
        "Đã khởi tạo máy chủ BVTE trong {} (server initialized).",
        data.display()
    );
    if kept {
        println!(
            "Giữ chứng chỉ đã có (existing certificate kept): {}",
            cert.display()
        );
    } else {
        println!(
            "Chứng chỉ TLS mới (new TLS certificate): {}",
            cert.display()
        );
    }
    if url.is_some() {
        println!(
            "Địa chỉ cơ sở dữ liệu được lưu trong {} cho các lệnh sau (database URL remembered, mode 0600).",
            settings::path(data).display()
        );
    }
    if let Some(area) = &area {
        println!("Địa bàn (area): {area}");
    }
    println!("Vân tay SHA-256 để nhập vào ứng dụng (certificate fingerprint for the app):");
    println!("{fingerprint}");
    Ok(())
}

/// The name of an area as typed: NFC, trimmed, one line, not empty.
fn area_name(typed: &str) -> Result<String, CliError> {
    let name = bvte_domain::text::clean_line("area", typed, 200)
        .map_err(|e| CliError::input(e.message_vi(), e.message_en()))?;
    if name.is_empty() {
        return Err(CliError::input(
            "Tên địa bàn trống: hãy ghi tên, ví dụ \"Tỉnh Ninh Bình\" hoặc \"Cụm xã phía Bắc\".",
            "the area's name is empty",
        ));
    }
    Ok(name)
}

/// `area`: prints the area's name, or changes it.
pub fn area(args: &crate::cli::AreaArgs) -> CmdResult {
    let name = args.name.as_deref().map(area_name).transpose()?;
    let storage = open(&args.common)?;
    match name {
        Some(name) => {
            storage.set_area_name(&name)?;
            println!("Đã đặt tên địa bàn: {name} (area renamed).");
        }
        None => match storage.area_name()? {
            Some(name) => println!("{name}"),
            None => println!(
                "Chưa đặt tên địa bàn (no area name yet): bvte-server area --data THƯ_MỤC \"TÊN\""
            ),
        },
    }
    Ok(())
}

/// `fingerprint`.
pub fn fingerprint(common: &Common) -> CmdResult {
    storage::locate(&common.data, common.database_url.as_deref())?;
    println!("{}", tls::fingerprint(&tls::certificate(&common.data)?));
    Ok(())
}

pub fn check_commune(code: &str) -> Result<(), CliError> {
    if valid_commune_code(code) {
        Ok(())
    } else {
        Err(CliError::input(
            format!("Mã xã {code:?} không hợp lệ: phải gồm đúng 5 chữ số, ví dụ 09955"),
            "the commune code must be exactly 5 digits, e.g. 09955",
        ))
    }
}

/// `commune add`.
pub fn commune_add(common: &Common, code: &str) -> CmdResult {
    check_commune(code)?;
    if open(common)?.add_commune(code, now_ms())? {
        println!("Đã đăng ký xã {code} (commune registered).");
    } else {
        println!("Xã {code} đã được đăng ký trước đó (already registered).");
    }
    Ok(())
}

/// `commune list`.
pub fn commune_list(args: &ListArgs) -> CmdResult {
    let communes = open(&args.common)?.communes()?;
    if args.json {
        let rows: Vec<_> = communes
            .iter()
            .map(|c| json!({"code": c.code, "added_at": rfc3339(c.added_at_ms)}))
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else if communes.is_empty() {
        println!("Chưa có xã nào (no communes yet): bvte-server commune add --code MÃ_XÃ");
    } else {
        for c in communes {
            println!("{}\t{}", c.code, rfc3339(c.added_at_ms));
        }
    }
    Ok(())
}

/// `enroll-code`: the code alone on the last line.
pub fn enroll_code(args: &EnrollCodeArgs) -> CmdResult {
    check_commune(&args.commune)?;
    let storage = open(&args.common)?;
    let code = new_enroll_code().map_err(|e| CliError::Files {
        vi: format!("Hệ điều hành không cấp được số ngẫu nhiên: {e}"),
        en: "no randomness from the operating system".into(),
    })?;
    let canonical = normalize_enroll_code(&code).ok_or_else(|| CliError::Files {
        vi: "Lỗi nội bộ khi tạo mã".into(),
        en: "internal error making the code".into(),
    })?;
    let now = now_ms();
    let expires = now + u64::from(args.valid_days) * 24 * 3600 * 1000;
    storage.add_enroll_code(&enroll_code_hash(&canonical), &args.commune, now, expires)?;
    if args.json {
        println!("{}", json!({"code": code, "expires_at": rfc3339(expires)}));
    } else {
        println!(
            "Mã đăng ký một lần cho xã {}, hết hạn lúc {} (one-time enrollment code, expires then).",
            args.commune,
            rfc3339(expires)
        );
        println!("Nhập mã này trong ứng dụng khi kết nối máy chủ (enter it in the app):");
        println!("{code}");
    }
    Ok(())
}

/// `device list`.
pub fn device_list(args: &ListArgs) -> CmdResult {
    let devices = open(&args.common)?.devices()?;
    if args.json {
        let rows: Vec<_> = devices
            .iter()
            .map(|d| {
                json!({
                    "device_id": d.device_id,
                    "name": d.name,
                    "officer": d.officer,
                    "commune_code": d.commune_code,
                    "enrolled_at": rfc3339(d.enrolled_at_ms),
                    "last_seen": d.last_seen_ms.map(rfc3339),
                    "last_sync": d.last_sync_ms.map(rfc3339),
                    "acked_seq": d.acked_seq,
                    "revoked": d.revoked_at_ms.is_some(),
                    "revoked_at": d.revoked_at_ms.map(rfc3339),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else if devices.is_empty() {
        println!("Chưa có thiết bị nào đăng ký (no devices enrolled).");
    } else {
        println!("THIẾT BỊ\tXÃ\tĐĂNG KÝ\tLẦN CUỐI\tĐÃ NHẬN\tTHU HỒI\tTÊN\tCÁN BỘ");
        for d in devices {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                d.device_id,
                d.commune_code,
                rfc3339(d.enrolled_at_ms),
                d.last_seen_ms.map(rfc3339).unwrap_or_else(|| "-".into()),
                d.acked_seq,
                if d.revoked_at_ms.is_some() {
                    "có"
                } else {
                    "-"
                },
                d.name,
                d.officer
            );
        }
    }
    Ok(())
}

/// `device revoke`.
pub fn device_revoke(common: &Common, device: Uuid) -> CmdResult {
    open(common)?.revoke(device, now_ms())?;
    println!("Đã thu hồi thiết bị {device}: thiết bị không đồng bộ được nữa (device revoked).");
    Ok(())
}
