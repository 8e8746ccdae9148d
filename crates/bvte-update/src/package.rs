//! The app's package files by name: which version, for which kind of PC (the "target": the
//! package format and the processor, e.g. `deb-amd64`). The names are the ones the Tauri
//! bundler writes (`cargo xtask dist`, README "Installing on an office PC"); a package is never
//! renamed, since its signature names it.

use crate::error::UpdateError;
use crate::version::Version;

/// A package file, read from its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Its version.
    pub version: Version,
    /// The kind of PC it installs on: `deb-amd64`, `rpm-x86_64`, `nsis-x64`…
    pub target: String,
}

const DEB_ARCHES: &[&str] = &["amd64", "arm64", "i386"];
const RPM_ARCHES: &[&str] = &["x86_64", "aarch64", "i686"];
const NSIS_ARCHES: &[&str] = &["x64", "x86", "arm64"];

impl Package {
    /// Reads `bvte_VERSION_ARCH.deb`, `bvte-VERSION-RELEASE.ARCH.rpm` or
    /// `BVTE_VERSION_ARCH-setup.exe`. Errors: `BadFileName` for anything else (a path, the
    /// server's own package, a renamed file).
    pub fn from_file_name(name: &str) -> Result<Package, UpdateError> {
        Self::parse(name).ok_or_else(|| UpdateError::BadFileName {
            file: name.chars().take(120).collect(),
        })
    }

    fn parse(name: &str) -> Option<Package> {
        let make = |version: &str, kind: &str, arch: &str, arches: &[&str]| {
            let version = Version::parse(version)?;
            arches.contains(&arch).then(|| Package {
                version,
                target: format!("{kind}-{arch}"),
            })
        };
        if let Some(rest) = name
            .strip_prefix("bvte_")
            .and_then(|r| r.strip_suffix(".deb"))
        {
            let (version, arch) = rest.rsplit_once('_')?;
            return make(version, "deb", arch, DEB_ARCHES);
        }
        if let Some(rest) = name
            .strip_prefix("bvte-")
            .and_then(|r| r.strip_suffix(".rpm"))
        {
            let (version_release, arch) = rest.rsplit_once('.')?;
            let (version, release) = version_release.rsplit_once('-')?;
            if release.is_empty() || !release.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            return make(version, "rpm", arch, RPM_ARCHES);
        }
        if let Some(rest) = name
            .strip_prefix("BVTE_")
            .and_then(|r| r.strip_suffix("-setup.exe"))
        {
            let (version, arch) = rest.rsplit_once('_')?;
            return make(version, "nsis", arch, NSIS_ARCHES);
        }
        None
    }
}

/// The file name the bundler gives the package of `version` for `target` (`None` for a target
/// that is not one).
pub fn file_name(version: &Version, target: &str) -> Option<String> {
    if !valid_target(target) {
        return None;
    }
    let (kind, arch) = target.split_once('-')?;
    Some(match kind {
        "deb" => format!("bvte_{version}_{arch}.deb"),
        "rpm" => format!("bvte-{version}-1.{arch}.rpm"),
        _ => format!("BVTE_{version}_{arch}-setup.exe"),
    })
}

/// Whether `target` names a kind of PC packages are made for.
pub fn valid_target(target: &str) -> bool {
    let Some((kind, arch)) = target.split_once('-') else {
        return false;
    };
    match kind {
        "deb" => DEB_ARCHES.contains(&arch),
        "rpm" => RPM_ARCHES.contains(&arch),
        "nsis" => NSIS_ARCHES.contains(&arch),
        _ => false,
    }
}

/// This PC's kind: the Windows installer on Windows; on Linux the .deb where the system is
/// Debian's family (`/etc/debian_version`), else the .rpm where `rpm` is installed.
pub fn this_target() -> String {
    let arch = std::env::consts::ARCH;
    if cfg!(windows) {
        let a = match arch {
            "x86" => "x86",
            "aarch64" => "arm64",
            _ => "x64",
        };
        return format!("nsis-{a}");
    }
    let rpm = !std::path::Path::new("/etc/debian_version").exists()
        && ["/usr/bin/rpm", "/bin/rpm"]
            .iter()
            .any(|p| std::path::Path::new(p).exists());
    if rpm {
        let a = match arch {
            "x86" => "i686",
            other => other,
        };
        format!("rpm-{a}")
    } else {
        let a = match arch {
            "x86" => "i386",
            "aarch64" => "arm64",
            _ => "amd64",
        };
        format!("deb-{a}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundlers_names_give_version_and_target() {
        let p = |n: &str| Package::from_file_name(n).unwrap();
        assert_eq!(p("bvte_0.2.0_amd64.deb").target, "deb-amd64");
        assert_eq!(p("bvte_0.2.0_amd64.deb").version.to_string(), "0.2.0");
        assert_eq!(p("bvte-0.2.0-1.x86_64.rpm").target, "rpm-x86_64");
        assert_eq!(p("BVTE_1.0.0-rc.1_x64-setup.exe").target, "nsis-x64");
        assert_eq!(p("BVTE_1.0.0-rc.1_x64-setup.exe").version.pre, "rc.1");
        for bad in [
            "bvte-server_0.2.0_amd64.deb",
            "bvte_0.2_amd64.deb",
            "../bvte_0.2.0_amd64.deb",
            "bvte_0.2.0_amd64.deb.sig",
            "bvte-0.2.0.x86_64.rpm",
            "bvte_0.2.0_sparc.deb",
            "setup.exe",
        ] {
            let e = Package::from_file_name(bad).unwrap_err();
            assert_eq!(e.code(), "update_bad_file_name", "{bad}");
        }
        assert!(valid_target(&this_target()), "{}", this_target());
        for name in [
            "bvte_0.2.0_amd64.deb",
            "bvte-0.2.0-1.x86_64.rpm",
            "BVTE_0.2.0_x64-setup.exe",
        ] {
            let p = p(name);
            assert_eq!(file_name(&p.version, &p.target).as_deref(), Some(name));
        }
        assert!(!valid_target("deb"));
    }
}
