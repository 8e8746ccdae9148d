//! `cargo xtask dist [--release | --debug]`: the packages an office installs, in
//! `$CARGO_TARGET_DIR/dist/` (or `target/dist/`):
//!
//! - the desktop app as `.deb` and `.rpm`, made by the Tauri bundler (npm `@tauri-apps/cli`,
//!   pinned in `ui/package.json`) with the overlay `src-tauri/tauri.release.conf.json`; the
//!   `bvte` command line goes in beside it as `/usr/bin/bvte`;
//! - `bvte-server` as a `.deb`, staged here and built with `dpkg-deb` (its unit, settings and
//!   maintainer scripts are in `xtask/packaging/bvte-server/`).
//!
//! `--no-build` packages what was built last; `--check` then installs and removes the packages
//! as `cargo xtask test` does (`package_check`).
//!
//! Release (the default) builds the apps with the embedded UI (`custom-protocol`). `--debug`
//! packages the debug build `cargo xtask test` makes, built with exactly the same command so
//! nothing is compiled twice. The binaries are copied stripped into a staging folder and the
//! bundler is pointed there: it writes the bundle type into the binary it packages, which must
//! not be cargo's own file (a target folder may be hard-linked to another).

use crate::sys;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The command `cargo xtask test` builds everything with (apps and test harnesses, with the
/// features `cargo test` unifies); `dist --debug` runs the same, a no-op after the tests.
pub const TEST_BUILD: &[&str] = &[
    "build",
    "--workspace",
    "--exclude",
    "bvte-e2e",
    "--all-targets",
    "--locked",
];

/// The release build of what goes into the packages.
const RELEASE_BUILD: &[&str] = &[
    "build",
    "--release",
    "--locked",
    "-p",
    "bvte-desktop",
    "--features",
    "bvte-desktop/custom-protocol",
    "-p",
    "bvte-cli",
    "-p",
    "bvte-server",
];

/// Debian packages the packaging needs (`strip`; `dpkg-deb` comes with dpkg), and the server
/// package needs when installed (`adduser`; installed beforehand, so the check needs no network).
pub const DIST_PACKAGES: &[&str] = &["binutils", "adduser"];

/// Which build to package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `cargo build` (CI).
    Debug,
    /// `cargo build --release` with the embedded UI.
    Release,
}

impl Profile {
    fn dir(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }
}

/// The packages written.
#[derive(Debug, Clone)]
pub struct Packages {
    /// The desktop app's `.deb`.
    pub desktop_deb: PathBuf,
    /// The desktop app's `.rpm`.
    pub desktop_rpm: PathBuf,
    /// The server's `.deb`.
    pub server_deb: PathBuf,
}

impl Packages {
    /// Every package, desktop first.
    pub fn all(&self) -> [&Path; 3] {
        [&self.desktop_deb, &self.desktop_rpm, &self.server_deb]
    }
}

/// Where the packages go.
pub fn dist_dir() -> PathBuf {
    crate::target_dir().join("dist")
}

/// `cargo xtask dist [--release | --debug]`.
pub fn dist(args: &[String]) -> Result<()> {
    let mut profile = Profile::Release;
    let (mut build, mut check) = (true, false);
    for a in args {
        match a.as_str() {
            "--release" => profile = Profile::Release,
            "--debug" => profile = Profile::Debug,
            "--no-build" => build = false,
            "--check" => check = true,
            other => bail!(
                "unknown option {other}: cargo xtask dist [--release | --debug] [--no-build] [--check]"
            ),
        }
    }
    sys::check_toolchain()?;
    let packages: Vec<&str> = crate::BUILD_PACKAGES
        .iter()
        .chain(crate::DESKTOP_PACKAGES)
        .chain(DIST_PACKAGES)
        .copied()
        .collect();
    sys::ensure_packages(&packages)?;
    if build {
        crate::ui::build()?;
        let cargo = sys::cargo();
        match profile {
            Profile::Debug => sys::step("cargo build (as cargo xtask test)", &cargo, TEST_BUILD)?,
            Profile::Release => sys::step("cargo build --release", &cargo, RELEASE_BUILD)?,
        }
    }
    let started = std::time::Instant::now();
    let written = package(profile)?;
    println!(
        "\nxtask: packages written in {:.0} s:",
        started.elapsed().as_secs_f64()
    );
    for p in written.all() {
        println!("  {}", p.display());
    }
    if check {
        let started = std::time::Instant::now();
        crate::package_check::check(&written)?;
        println!(
            "xtask: installed and removed in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The packages `dist` wrote last (in the dist folder).
pub fn latest() -> Result<Packages> {
    let out = dist_dir();
    let find = |prefix: &str, ext: &str| -> Result<PathBuf> {
        std::fs::read_dir(&out)
            .with_context(|| format!("no packages in {}", out.display()))?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                let n = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                n.starts_with(prefix) && n.ends_with(ext)
            })
            .with_context(|| format!("no {prefix}*{ext} in {}", out.display()))
    };
    Ok(Packages {
        desktop_deb: find("bvte_", ".deb")?,
        desktop_rpm: find("bvte-", ".rpm")?,
        server_deb: find("bvte-server_", ".deb")?,
    })
}

/// Packages the apps already built for `profile` (the UI built and `npm ci` run).
pub fn package(profile: Profile) -> Result<Packages> {
    let version = env!("CARGO_PKG_VERSION");
    let built = crate::target_dir().join(profile.dir());
    let out = dist_dir();
    let stage = out.join("stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).context("cannot empty the staging folder")?;
    }
    std::fs::create_dir_all(stage.join(profile.dir()))?;
    for old in std::fs::read_dir(&out)?.flatten() {
        let name = old.file_name().to_string_lossy().into_owned();
        if name.ends_with(".deb") || name.ends_with(".rpm") {
            std::fs::remove_file(old.path())?;
        }
    }
    // The bundler takes the app from `<target>/<profile>/`: a staging target folder.
    let desktop = stage.join(profile.dir()).join("bvte-desktop");
    let cli = stage.join("bvte");
    let server = stage.join("bvte-server");
    for (from, to) in [
        (built.join("bvte-desktop"), &desktop),
        (built.join("bvte"), &cli),
        (built.join("bvte-server"), &server),
    ] {
        copy_stripped(&from, to)?;
    }

    let glibc = crate::server_deb::glibc_needed(&desktop)?;
    let config = release_config(&stage, &cli, version, &glibc, profile)?;
    let tauri = crate::root().join("ui/node_modules/.bin/tauri");
    if !tauri.exists() {
        bail!(
            "{} is missing: run `npm ci` in ui/ (without --omit=optional: the bundler's binary is an optional package)",
            tauri.display()
        );
    }
    let mut args = vec!["bundle", "--bundles", "deb,rpm", "--config"];
    let config_s = config.to_string_lossy().into_owned();
    args.push(&config_s);
    if profile == Profile::Debug {
        args.push("--debug");
    }
    sys::step_env(
        "tauri bundle (desktop .deb and .rpm)",
        &tauri.to_string_lossy(),
        &args,
        &[("CARGO_TARGET_DIR", &stage.to_string_lossy())],
    )?;
    let bundle = stage.join(profile.dir()).join("bundle");
    let arch = deb_arch();
    let desktop_deb = out.join(format!("bvte_{version}_{arch}.deb"));
    let desktop_rpm = out.join(format!("bvte-{version}-1.{}.rpm", std::env::consts::ARCH));
    std::fs::rename(only_file(&bundle.join("deb"), ".deb")?, &desktop_deb)?;
    std::fs::rename(only_file(&bundle.join("rpm"), ".rpm")?, &desktop_rpm)?;

    let server_deb = out.join(format!("bvte-server_{version}_{arch}.deb"));
    crate::server_deb::build(
        &server,
        &stage.join("server-root"),
        &server_deb,
        version,
        &arch,
        profile == Profile::Debug,
    )?;
    std::fs::remove_dir_all(&stage)?;
    Ok(Packages {
        desktop_deb,
        desktop_rpm,
        server_deb,
    })
}

/// Copies `from` to `to` without its symbols and debug information (a debug build's are most
/// of its size), or as it is when `strip` is missing.
fn copy_stripped(from: &Path, to: &Path) -> Result<()> {
    if !from.is_file() {
        bail!("{} is missing: build it first", from.display());
    }
    let stripped = Command::new("strip")
        .arg("-o")
        .arg(to)
        .arg(from)
        .status()
        .is_ok_and(|s| s.success());
    if !stripped {
        std::fs::copy(from, to).with_context(|| format!("cannot copy {}", from.display()))?;
    }
    Ok(())
}

/// The release overlay with what is known only now: the version, where `bvte` is, and the
/// glibc the binaries were linked against (the bundler declares the libraries, not libc).
/// A debug build's packages are only installed by the tests: compressed fast, not small.
fn release_config(
    stage: &Path,
    cli: &Path,
    version: &str,
    glibc: &str,
    profile: Profile,
) -> Result<PathBuf> {
    let overlay = crate::root().join("src-tauri/tauri.release.conf.json");
    let text = std::fs::read_to_string(&overlay)
        .with_context(|| format!("cannot read {}", overlay.display()))?;
    let mut config: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", overlay.display()))?;
    config["version"] = version.into();
    let linux = &mut config["bundle"]["linux"];
    linux["deb"]["depends"] = serde_json::json!([format!("libc6 (>= {glibc})")]);
    if profile == Profile::Debug {
        linux["rpm"]["compression"] = serde_json::json!({"type": "gzip", "level": 1});
    }
    for kind in ["deb", "rpm"] {
        linux[kind]["files"] = serde_json::json!({ "/usr/bin/bvte": cli.to_string_lossy() });
        // Relative to the overlay's folder for the bundler; this copy lives elsewhere.
        if let Some(t) = linux[kind]["desktopTemplate"].as_str() {
            let t = crate::root().join("src-tauri").join(t);
            linux[kind]["desktopTemplate"] = t.to_string_lossy().into_owned().into();
        }
    }
    let path = stage.join("tauri.release.conf.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&config)?)?;
    Ok(path)
}

/// The one file ending with `ext` in `dir`.
fn only_file(dir: &Path, ext: &str) -> Result<PathBuf> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("the bundler wrote nothing in {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(ext))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!(
            "expected one {ext} in {}, found {}",
            dir.display(),
            found.len()
        ),
    }
}

/// Debian's name for this machine's architecture.
pub fn deb_arch() -> String {
    sys::output("dpkg", &["--print-architecture"])
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| match std::env::consts::ARCH {
            "x86_64" => "amd64".into(),
            "aarch64" => "arm64".into(),
            other => other.into(),
        })
}
