//! App releases through the real server process (issue 13): `release add` checks the
//! signature with the release key (here a throw-away key made by the test, given through
//! `BVTE_UPDATE_PUBLIC_KEY`, which only debug builds read), `release list`, and an enrolled
//! device asks for the newest release of its kind of PC and downloads it — then checks it as
//! the app does.

mod common;

use bvte_client::ClientError;
use bvte_update::key::ReleaseKey;
use bvte_update::manifest::check_release;
use bvte_update::package::file_name;
use bvte_update::sign::TestKey;
use bvte_update::{Version, current};
use common::{A, Site, api_code, bin};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The version after the running one (a newer release), and one before it.
fn newer() -> Version {
    let c = current();
    Version::parse(&format!("{}.{}.0", c.major, c.minor + 1)).unwrap()
}

fn older() -> Version {
    Version::parse("0.0.9").unwrap()
}

/// A package of `version` for `deb-amd64` written in `dir`, and its signature by `key`.
fn package(dir: &Path, key: &TestKey, version: &Version, body: &[u8]) -> (PathBuf, PathBuf) {
    let path = dir.join(file_name(version, "deb-amd64").unwrap());
    std::fs::write(&path, body).unwrap();
    let sig = PathBuf::from(format!("{}.sig", path.display()));
    std::fs::write(&sig, key.sign_file(&path)).unwrap();
    (path, sig)
}

/// `bvte-server release ARGS --data DIR` with the test's release key.
fn release(site: &Site, key: &TestKey, args: &[&str]) -> Output {
    bin()
        .arg("release")
        .args(args)
        .arg("--data")
        .arg(site.data())
        .env_remove("BVTE_DATABASE_URL")
        .env("BVTE_UPDATE_PUBLIC_KEY", key.public_key())
        .output()
        .unwrap()
}

fn add(site: &Site, key: &TestKey, pkg: &Path, sig: &Path, notes: &str) -> Output {
    release(
        site,
        key,
        &[
            "add",
            pkg.to_str().unwrap(),
            sig.to_str().unwrap(),
            "--notes",
            notes,
        ],
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn release_add_keeps_only_packages_signed_by_the_release_key() {
    let site = Site::new();
    let tmp = tempfile::tempdir().unwrap();
    let key = TestKey::generate();

    // Signed by another key: refused, nothing stored.
    let (pkg, sig) = package(tmp.path(), &TestKey::generate(), &newer(), b"goi moi");
    let out = add(&site, &key, &pkg, &sig, "");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(stderr(&out).contains("khóa khác"), "{}", stderr(&out));

    // Changed after signing: refused.
    let (pkg, sig) = package(tmp.path(), &key, &newer(), b"goi moi");
    std::fs::write(&pkg, b"goi moi da bi sua").unwrap();
    let out = add(&site, &key, &pkg, &sig, "");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(stderr(&out).contains("đã bị thay đổi"), "{}", stderr(&out));

    // Not a package name (the server's own package, a renamed file): refused.
    let renamed = tmp.path().join("bvte-moi.deb");
    std::fs::write(&renamed, b"goi").unwrap();
    let out = add(&site, &key, &renamed, &sig, "");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        stderr(&out).contains("không phải tên một gói"),
        "{}",
        stderr(&out)
    );

    // A missing signature file: not found.
    let (pkg, _) = package(tmp.path(), &key, &newer(), b"goi moi");
    let out = add(&site, &key, &pkg, &tmp.path().join("khong-co.sig"), "");
    assert_eq!(out.status.code(), Some(4), "{out:?}");

    let list = release(&site, &key, &["list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&list.stdout).trim(), "[]");
    assert!(
        std::fs::read_dir(site.data().join("releases"))
            .map(|d| d.flatten().all(|e| e.file_type().unwrap().is_dir()))
            .unwrap_or(true),
        "no package kept from a refused release"
    );

    // Signed and unchanged: stored, listed, and not added twice.
    let (pkg, sig) = package(tmp.path(), &key, &newer(), b"goi moi");
    let out = add(&site, &key, &pkg, &sig, "Sửa lỗi in Mẫu 02.");
    assert!(out.status.success(), "{out:?}");
    let out = add(&site, &key, &pkg, &sig, "");
    assert_eq!(out.status.code(), Some(3), "added twice: {out:?}");
    let list = release(&site, &key, &["list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["version"], newer().to_string());
    assert_eq!(rows[0]["target"], "deb-amd64");
    assert_eq!(rows[0]["notes"], "Sửa lỗi in Mẫu 02.");
    let stored = site.data().join("releases").join(pkg.file_name().unwrap());
    assert_eq!(std::fs::read(stored).unwrap(), b"goi moi");
}

#[test]
fn a_device_is_offered_the_newest_release_of_its_kind_and_checks_what_it_downloads() {
    let site = Site::new();
    let tmp = tempfile::tempdir().unwrap();
    let key = TestKey::generate();
    let trusted = ReleaseKey::parse(&key.public_key()).unwrap();
    for (v, body) in [(older(), &b"goi cu"[..]), (newer(), &b"goi moi"[..])] {
        let (pkg, sig) = package(tmp.path(), &key, &v, body);
        let out = add(&site, &key, &pkg, &sig, "Lịch nghỉ Tết 2027.");
        assert!(out.status.success(), "{out:?}");
    }
    let server = site.serve();

    // Enrolled devices only.
    let stranger = server.client();
    let (status, code, _) = api_code(stranger.latest_release("deb-amd64"));
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let file = file_name(&newer(), "deb-amd64").unwrap();
    let (status, _, _) = api_code(stranger.download_release(&file, &mut Vec::new(), 100));
    assert_eq!(status, 401);

    let device = server.device(&site, A);
    let m = device
        .client
        .latest_release("deb-amd64")
        .unwrap()
        .release
        .expect("a release for deb-amd64");
    assert_eq!(
        m.version,
        newer().to_string(),
        "the newest, not the last added"
    );
    assert_eq!(m.notes, "Lịch nghỉ Tết 2027.");
    assert_eq!(m.file, file);
    assert!(
        device
            .client
            .latest_release("rpm-x86_64")
            .unwrap()
            .release
            .is_none(),
        "nothing for another kind of PC"
    );
    let (status, code, _) = api_code(device.client.latest_release("windows"));
    assert_eq!((status, code.as_str()), (400, "bad_request"));

    // Downloaded, then checked as the app checks it.
    let got = tmp.path().join("tai-ve");
    std::fs::create_dir_all(&got).unwrap();
    let mut bytes = Vec::new();
    device
        .client
        .download_release(&m.file, &mut bytes, m.size)
        .unwrap();
    std::fs::write(got.join(&m.file), &bytes).unwrap();
    let v = check_release(&got, m.clone(), &trusted, &current(), Some("deb-amd64")).unwrap();
    assert_eq!(v.manifest.sha256, m.sha256);

    // Only recorded packages, by name: no path, no other file of the data folder.
    for name in ["bvte_9.9.9_amd64.deb", "..%2Fserver.db", "server.db"] {
        let (status, _, _) = api_code(device.client.download_release(name, &mut Vec::new(), 100));
        assert_eq!(status, 404, "{name}");
    }

    // A package changed on the server after it was added reaches the device, which refuses it.
    // (Same size: only the signature can tell.)
    std::fs::write(site.data().join("releases").join(&m.file), b"goi moj").unwrap();
    let mut bytes = Vec::new();
    device
        .client
        .download_release(&m.file, &mut bytes, m.size)
        .unwrap();
    let altered = tmp.path().join("bi-sua");
    std::fs::create_dir_all(&altered).unwrap();
    std::fs::write(altered.join(&m.file), &bytes).unwrap();
    let e = check_release(&altered, m, &trusted, &current(), Some("deb-amd64")).unwrap_err();
    assert_eq!(e.code(), "update_altered", "{e}");

    // A server that sends more than the manifest says is cut off.
    let big = device.client.download_release(&file, &mut Vec::new(), 3);
    assert!(matches!(big, Err(ClientError::Protocol(_))), "{big:?}");
}
