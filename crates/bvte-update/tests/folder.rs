//! Update folders (a USB stick: package, `.sig`, `bvte-update.json`) checked as the app checks
//! them, with a throw-away key made by the test.

use bvte_update::key::ReleaseKey;
use bvte_update::manifest::check_folder;
use bvte_update::sign::TestKey;
use bvte_update::{Manifest, Version, check_package};
use std::path::Path;

/// Writes an update folder for `file` (its bytes `body`) signed by `key`.
fn folder(dir: &Path, key: &TestKey, file: &str, body: &[u8]) -> Manifest {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(file);
    std::fs::write(&path, body).unwrap();
    let signature = key.sign_file(&path);
    let release_key = ReleaseKey::parse(&key.public_key()).unwrap();
    let checked = check_package(&release_key, &path, &signature).unwrap();
    let package = bvte_update::Package::from_file_name(file).unwrap();
    let m = Manifest {
        version: package.version.to_string(),
        notes: "Sửa lỗi in Mẫu 02; lịch nghỉ Tết 2027.".into(),
        date: "2026-12-07".into(),
        file: file.into(),
        target: package.target,
        size: checked.size,
        sha256: checked.sha256,
        signature,
    };
    m.write(dir).unwrap();
    m
}

fn current() -> Version {
    Version::parse("0.1.0").unwrap()
}

#[test]
fn a_signed_newer_release_is_verified_and_everything_else_refused_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let key = TestKey::generate();
    let trusted = ReleaseKey::parse(&key.public_key()).unwrap();
    let good = tmp.path().join("good");
    folder(&good, &key, "bvte_0.2.0_amd64.deb", b"goi 0.2.0");
    let v = check_folder(&good, &trusted, &current(), Some("deb-amd64")).unwrap();
    assert_eq!(v.manifest.version, "0.2.0");
    assert_eq!(v.package, good.join("bvte_0.2.0_amd64.deb"));

    let refused = |dir: &Path| {
        check_folder(dir, &trusted, &current(), Some("deb-amd64"))
            .unwrap_err()
            .code()
    };

    // One byte changed after signing.
    let altered = tmp.path().join("altered");
    folder(&altered, &key, "bvte_0.2.0_amd64.deb", b"goi 0.2.0");
    std::fs::write(altered.join("bvte_0.2.0_amd64.deb"), b"goi 0.2.1").unwrap();
    assert_eq!(refused(&altered), "update_altered");

    // Signed by another key.
    let other = tmp.path().join("other");
    folder(
        &other,
        &TestKey::generate(),
        "bvte_0.2.0_amd64.deb",
        b"goi 0.2.0",
    );
    assert_eq!(refused(&other), "update_wrong_key");

    // Older and equal versions, validly signed.
    for (name, file) in [
        ("older", "bvte_0.0.9_amd64.deb"),
        ("same", "bvte_0.1.0_amd64.deb"),
    ] {
        let d = tmp.path().join(name);
        folder(&d, &key, file, b"goi cu");
        assert_eq!(refused(&d), "update_not_newer", "{file}");
    }

    // No signature at all: none in the manifest, no .sig file.
    let unsigned = tmp.path().join("unsigned");
    let mut m = folder(&unsigned, &key, "bvte_0.2.0_amd64.deb", b"goi 0.2.0");
    m.signature.clear();
    m.write(&unsigned).unwrap();
    std::fs::remove_file(unsigned.join("bvte_0.2.0_amd64.deb.sig")).unwrap();
    assert_eq!(refused(&unsigned), "update_unsigned");
    // The .sig file alone is enough.
    let sig_only = tmp.path().join("sig-only");
    let mut m = folder(&sig_only, &key, "bvte_0.2.0_amd64.deb", b"goi 0.2.0");
    m.signature.clear();
    let sig = std::fs::read_to_string(sig_only.join("bvte_0.2.0_amd64.deb.sig")).unwrap();
    m.write(&sig_only).unwrap();
    std::fs::write(sig_only.join("bvte_0.2.0_amd64.deb.sig"), sig).unwrap();
    check_folder(&sig_only, &trusted, &current(), Some("deb-amd64")).unwrap();

    // A manifest claiming a newer version than its (older, signed) package.
    let lying = tmp.path().join("lying");
    let mut m = folder(&lying, &key, "bvte_0.0.9_amd64.deb", b"goi cu");
    m.version = "9.0.0".into();
    m.write(&lying).unwrap();
    assert_eq!(refused(&lying), "update_manifest_mismatch");

    // An older package renamed as a newer one: its signature names the old file.
    let renamed = tmp.path().join("renamed");
    let m = folder(&renamed, &key, "bvte_0.0.9_amd64.deb", b"goi cu");
    std::fs::rename(
        renamed.join("bvte_0.0.9_amd64.deb"),
        renamed.join("bvte_0.3.0_amd64.deb"),
    )
    .unwrap();
    Manifest {
        version: "0.3.0".into(),
        file: "bvte_0.3.0_amd64.deb".into(),
        ..m
    }
    .write(&renamed)
    .unwrap();
    assert_eq!(refused(&renamed), "update_name_mismatch");

    // A package for another kind of PC.
    let rpm = tmp.path().join("rpm");
    folder(&rpm, &key, "bvte-0.2.0-1.x86_64.rpm", b"goi rpm");
    assert_eq!(refused(&rpm), "update_wrong_target");

    // An empty folder, and a manifest that is not JSON.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(refused(&empty), "update_missing");
    std::fs::write(empty.join("bvte-update.json"), "{không phải json").unwrap();
    assert_eq!(refused(&empty), "update_bad_manifest");
}
