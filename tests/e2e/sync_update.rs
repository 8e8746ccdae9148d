//! App updates between real processes (issue 13, "Updates that reach offline communes"): a
//! real `bvte-server` hosting releases added with `release add`, commune PCs asking it through
//! the real `bvte update check`, and update folders (a USB stick) taken with `bvte update
//! from-folder`. The release key is a throw-away key made here, given to both programs through
//! `BVTE_UPDATE_PUBLIC_KEY` (read by debug builds only).

use anyhow::{Result, bail};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::server::{Server, server_bin};
use bvte_update::key::ReleaseKey;
use bvte_update::package::file_name;
use bvte_update::sign::TestKey;
use bvte_update::{Manifest, Version, check_package, current, this_target};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const XA: &str = "09955";

fn newer() -> Version {
    let c = current();
    Version::parse(&format!("{}.{}.0", c.major, c.minor + 1)).unwrap()
}

fn older() -> Version {
    Version::parse("0.0.9").unwrap()
}

/// `bvte ARGS --db DB` trusting `key`.
fn bvte(d: &Device, key: &TestKey, args: &[&str]) -> Output {
    Command::new(bvte_e2e::cli_bin())
        .args(args)
        .arg("--db")
        .arg(&d.db)
        .env("BVTE_PASSPHRASE", PASSPHRASE)
        .env("BVTE_UPDATE_PUBLIC_KEY", key.public_key())
        .output()
        .expect("run bvte")
}

/// The JSON of a command that succeeded.
fn ok(out: Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The error code of an update refused (exit 10), with its Vietnamese message on stderr.
fn refused(out: Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(10), "an update refusal: {err}");
    assert!(err.starts_with("Lỗi: "), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    v["error"]["code"].as_str().unwrap_or_default().to_owned()
}

/// A package of `version` for this PC's kind, in `dir`, with its `.sig` by `key`.
fn package(dir: &Path, key: &TestKey, version: &Version, body: &[u8]) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(file_name(version, &this_target()).unwrap());
    std::fs::write(&path, body).unwrap();
    let sig = PathBuf::from(format!("{}.sig", path.display()));
    std::fs::write(&sig, key.sign_file(&path)).unwrap();
    (path, sig)
}

/// `bvte-server release add` trusting `key`.
fn release_add(server: &Server, key: &TestKey, pkg: &Path, sig: &Path, notes: &str) -> Result<()> {
    let out = Command::new(server_bin())
        .args(["release", "add"])
        .args([pkg, sig])
        .args(["--notes", notes, "--data"])
        .arg(server.data())
        .env("BVTE_UPDATE_PUBLIC_KEY", key.public_key())
        .output()?;
    if !out.status.success() {
        bail!("release add: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// An update folder (USB stick) with a package of `version` signed by `key`.
fn stick(dir: &Path, key: &TestKey, version: &Version, body: &[u8]) -> PathBuf {
    let (pkg, sig) = package(dir, key, version, body);
    let signature = std::fs::read_to_string(&sig).unwrap();
    let checked = check_package(
        &ReleaseKey::parse(&key.public_key()).unwrap(),
        &pkg,
        &signature,
    )
    .unwrap();
    Manifest {
        version: version.to_string(),
        notes: "Bản sửa lỗi.".into(),
        date: "2026-12-07".into(),
        file: pkg.file_name().unwrap().to_string_lossy().into_owned(),
        target: this_target(),
        size: checked.size,
        sha256: checked.sha256,
        signature,
    }
    .write(dir)
    .unwrap();
    dir.to_path_buf()
}

/// The update folder beside a device's database, and whether it holds a package.
fn kept_package(d: &Device) -> bool {
    let folder = d.db.parent().unwrap().join("cap-nhat");
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| !e.file_name().to_string_lossy().ends_with(".json"))
        })
        .unwrap_or(false)
}

#[test]
fn the_area_server_offers_a_release_only_when_signed_unchanged_and_newer() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let key = TestKey::generate();
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    // Each PC in its own folder: the update folder is beside the database.
    std::fs::create_dir_all(dir.path().join("a"))?;
    let a = Device::init(&dir.path().join("a"), "may-a", XA)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;

    // Nothing hosted yet; then only an older release: nothing offered, nothing downloaded.
    let r = ok(bvte(&a, &key, &["update", "check", "--json"]));
    assert_eq!(r["offer"], Value::Null, "{r}");
    assert_eq!(r["current"], current().to_string());
    let (pkg, sig) = package(&dir.path().join("ban-cu"), &key, &older(), b"ban cu");
    release_add(&server, &key, &pkg, &sig, "Bản cũ.")?;
    let r = ok(bvte(&a, &key, &["update", "check", "--json"]));
    assert_eq!(
        r["offer"],
        Value::Null,
        "an older release is not offered: {r}"
    );
    assert!(!kept_package(&a));

    // A newer signed release: offered, downloaded beside the database, checked.
    let body = b"ban moi cua BVTE";
    let (pkg, sig) = package(&dir.path().join("ban-moi"), &key, &newer(), body);
    release_add(
        &server,
        &key,
        &pkg,
        &sig,
        "Sửa lỗi in Mẫu 02; lịch nghỉ Tết 2027.",
    )?;
    let r = ok(bvte(&a, &key, &["update", "check", "--json"]));
    let offer = &r["offer"];
    assert_eq!(offer["version"], newer().to_string(), "{r}");
    assert_eq!(offer["notes"], "Sửa lỗi in Mẫu 02; lịch nghỉ Tết 2027.");
    let downloaded = PathBuf::from(offer["package"].as_str().unwrap());
    assert_eq!(
        downloaded.parent(),
        Some(a.db.parent().unwrap().join("cap-nhat").as_path())
    );
    assert_eq!(std::fs::read(&downloaded)?, body);
    // Asked again: the same offer, from the folder.
    let again = ok(bvte(&a, &key, &["update", "check", "--json"]));
    assert_eq!(again["offer"], r["offer"]);

    // The folder it downloaded works as a USB stick for a commune with no link at all.
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&usb)?;
    for e in std::fs::read_dir(downloaded.parent().unwrap())? {
        let e = e?;
        std::fs::copy(e.path(), usb.join(e.file_name()))?;
    }
    std::fs::create_dir_all(dir.path().join("offline"))?;
    let offline = Device::init(&dir.path().join("offline"), "may-khong-mang", XA)?;
    let o = ok(bvte(
        &offline,
        &key,
        &["update", "from-folder", usb.to_str().unwrap(), "--json"],
    ));
    assert_eq!(o["version"], newer().to_string());
    assert!(kept_package(&offline));

    // A PC that trusts another key refuses the same release, and keeps nothing of it.
    std::fs::create_dir_all(dir.path().join("b"))?;
    let b = Device::init(&dir.path().join("b"), "may-b", XA)?;
    b.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    let code = refused(bvte(
        &b,
        &TestKey::generate(),
        &["update", "check", "--json"],
    ));
    assert_eq!(code, "update_wrong_key");
    assert!(!kept_package(&b));

    // The package changed on the server after it was added (same size): refused.
    let stored = server
        .data()
        .join("releases")
        .join(pkg.file_name().unwrap());
    let mut altered = std::fs::read(&stored)?;
    altered[0] ^= 0x20;
    std::fs::write(&stored, altered)?;
    let code = refused(bvte(&b, &key, &["update", "check", "--json"]));
    assert_eq!(code, "update_altered");
    assert!(!kept_package(&b));
    Ok(())
}

#[test]
fn an_update_folder_is_refused_when_altered_wrongly_signed_unsigned_or_older() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let key = TestKey::generate();
    let d = Device::init(dir.path(), "may-xa", XA)?;
    let take = |usb: &Path| {
        bvte(
            &d,
            &key,
            &["update", "from-folder", usb.to_str().unwrap(), "--json"],
        )
    };

    let altered = stick(&dir.path().join("sua"), &key, &newer(), b"ban moi");
    let pkg = altered.join(file_name(&newer(), &this_target()).unwrap());
    std::fs::write(&pkg, b"ban moj")?;
    assert_eq!(refused(take(&altered)), "update_altered");

    let other = stick(
        &dir.path().join("khoa-khac"),
        &TestKey::generate(),
        &newer(),
        b"ban moi",
    );
    assert_eq!(refused(take(&other)), "update_wrong_key");

    let old = stick(&dir.path().join("cu"), &key, &older(), b"ban cu");
    assert_eq!(refused(take(&old)), "update_not_newer");
    let same = stick(&dir.path().join("cung-ban"), &key, &current(), b"ban nay");
    assert_eq!(refused(take(&same)), "update_not_newer");

    let unsigned = stick(&dir.path().join("khong-ky"), &key, &newer(), b"ban moi");
    let mut m = Manifest::read(&unsigned)?;
    m.signature.clear();
    m.write(&unsigned)?;
    std::fs::remove_file(unsigned.join(format!("{}.sig", m.file)))?;
    assert_eq!(refused(take(&unsigned)), "update_unsigned");
    assert!(!kept_package(&d), "nothing refused is kept");

    // Human output: the reason in Vietnamese, one line.
    let out = bvte(
        &d,
        &key,
        &["update", "from-folder", altered.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("đã bị thay đổi hoặc hỏng sau khi ký"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let good = stick(&dir.path().join("tot"), &key, &newer(), b"ban moi");
    let o = ok(take(&good));
    assert_eq!(o["version"], newer().to_string());
    assert!(kept_package(&d));
    Ok(())
}
