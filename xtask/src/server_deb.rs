//! The server's `.deb`, staged here and built with `dpkg-deb --root-owner-group`: the binary in
//! `/usr/bin`, the systemd unit, the settings file (a conffile, so an upgrade keeps the
//! administrator's changes) and the maintainer scripts, all from `xtask/packaging/bvte-server/`.

use crate::sys;
use anyhow::{Context, Result};
use std::path::Path;

/// What the package is made of: (file in `xtask/packaging/bvte-server/`, path in the package,
/// mode).
const FILES: &[(&str, &str, u32)] = &[
    (
        "bvte-server.service",
        "lib/systemd/system/bvte-server.service",
        0o644,
    ),
    ("bvte-server.env", "etc/bvte-server/bvte-server.env", 0o640),
    ("postinst", "DEBIAN/postinst", 0o755),
    ("prerm", "DEBIAN/prerm", 0o755),
    ("postrm", "DEBIAN/postrm", 0o755),
];

/// Builds `out` from the (stripped) `binary`, staging in `root`; `fast`: gzip instead of xz
/// (the debug package the tests install).
pub fn build(
    binary: &Path,
    root: &Path,
    out: &Path,
    version: &str,
    arch: &str,
    fast: bool,
) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let sources = crate::root().join("xtask/packaging/bvte-server");
    let put = |to: &str, bytes: &[u8], mode: u32| -> Result<()> {
        let path = root.join(to);
        std::fs::create_dir_all(path.parent().expect("a folder"))?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
        Ok(())
    };
    put("usr/bin/bvte-server", &std::fs::read(binary)?, 0o755)?;
    for (from, to, mode) in FILES {
        let from = sources.join(from);
        let bytes =
            std::fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?;
        put(to, &bytes, *mode)?;
    }
    put(
        "usr/share/doc/bvte-server/copyright",
        COPYRIGHT.as_bytes(),
        0o644,
    )?;
    put(
        "DEBIAN/conffiles",
        b"/etc/bvte-server/bvte-server.env\n",
        0o644,
    )?;
    let glibc = glibc_needed(binary)?;
    let control = format!(
        "Package: bvte-server\n\
         Version: {version}\n\
         Architecture: {arch}\n\
         Maintainer: BVTE <bvte@localhost>\n\
         Installed-Size: {size}\n\
         Depends: libc6 (>= {glibc}), libgcc-s1, adduser\n\
         Section: net\n\
         Priority: optional\n\
         Description: {DESCRIPTION}",
        size = installed_kib(root)?,
    );
    put("DEBIAN/control", control.as_bytes(), 0o644)?;
    // Folders 0755 whatever the umask was.
    for dir in ["usr", "lib", "etc", "DEBIAN"] {
        set_dir_modes(&root.join(dir))?;
    }
    sys::step(
        "dpkg-deb (bvte-server .deb)",
        "dpkg-deb",
        &[
            if fast { "-Zgzip" } else { "-Zxz" },
            "--root-owner-group",
            "--build",
            &root.to_string_lossy(),
            &out.to_string_lossy(),
        ],
    )
}

const DESCRIPTION: &str = "Máy chủ khu vực BVTE (BVTE area server)
 Máy chủ đồng bộ của BVTE: nhận và gửi hồ sơ giữa các máy của xã qua HTTPS
 với chứng chỉ được ghim, đăng ký thiết bị bằng mã một lần, báo cáo của xã
 và của toàn địa bàn, bảng điều khiển khu vực. Dữ liệu ở /var/lib/bvte-server.
 .
 The sync server of BVTE: exchanges the communes' records over HTTPS with a
 pinned certificate, enrolls devices with one-time codes, makes the commune
 and area reports and serves the area dashboard. Runs as the bvte account
 under systemd; removing the package never deletes the data.
";

const COPYRIGHT: &str = "BVTE — Bảo vệ trẻ em
License: AGPL-3.0-or-later
 On Debian systems the full text of the GNU Affero General Public License is at
 https://www.gnu.org/licenses/agpl-3.0.html
";

/// The newest `GLIBC_2.N` symbol version the binary asks for (what `libc6` must provide).
pub fn glibc_needed(binary: &Path) -> Result<String> {
    let bytes = std::fs::read(binary)?;
    let needle = b"GLIBC_2.";
    let mut best = (2u32, 17u32);
    let mut i = 0;
    while let Some(pos) = bytes[i..].windows(needle.len()).position(|w| w == needle) {
        let start = i + pos + needle.len();
        let digits: String = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|b| *b as char)
            .collect();
        if let Ok(minor) = digits.parse::<u32>() {
            best = best.max((2, minor));
        }
        i = start;
    }
    Ok(format!("{}.{}", best.0, best.1))
}

/// The size of the files installed, in KiB (the control file's `Installed-Size`).
fn installed_kib(root: &Path) -> Result<u64> {
    fn walk(dir: &Path, total: &mut u64) -> Result<()> {
        for e in std::fs::read_dir(dir)?.flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == "DEBIAN") {
                continue;
            }
            if p.is_dir() {
                walk(&p, total)?;
            } else {
                *total += e.metadata()?.len().div_ceil(1024);
            }
        }
        Ok(())
    }
    let mut total = 0;
    walk(root, &mut total)?;
    Ok(total)
}

fn set_dir_modes(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    for e in std::fs::read_dir(dir)?.flatten() {
        if e.path().is_dir() {
            set_dir_modes(&e.path())?;
        }
    }
    Ok(())
}
