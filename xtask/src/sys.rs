//! Running commands, and installing missing Debian packages when run as root.

use anyhow::{Context, Result, bail};
use std::process::Command;

/// The cargo that runs us.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a command in the repository, failing with its name when it fails.
pub fn step(name: &str, program: &str, args: &[&str]) -> Result<()> {
    step_env(name, program, args, &[])
}

/// As [`step`], with extra environment variables.
pub fn step_env(name: &str, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    println!("\nxtask: {name}: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(crate::root())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its standard output.
pub fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(crate::root())
        .output()
        .with_context(|| format!("cannot start {program}"))?;
    if !out.status.success() {
        bail!(
            "{program} {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Fails with a clear message unless rustc is at least 1.95.
pub fn check_toolchain() -> Result<()> {
    let v = output("rustc", &["--version"])?;
    let ver = v.split_whitespace().nth(1).unwrap_or("0.0.0");
    let mut parts = ver.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) < (1, 95) {
        bail!("Rust 1.95 or newer is needed, found {ver}: run `rustup update`");
    }
    Ok(())
}

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// Whether this runs as root (who may install packages and start services).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs the Debian packages that are missing (as root), or prints the exact command.
pub fn ensure_packages(pkgs: &[&str]) -> Result<()> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        println!(
            "xtask: not a Debian system; make sure these are installed: {}",
            pkgs.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = pkgs.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let cmd = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        bail!("missing system packages; run as root:\n\n  sudo sh -c '{cmd}'\n");
    }
    step("apt-get install", "sh", &["-c", &cmd])
}

/// Installs tauri-driver 2.1 with cargo when it is missing.
pub fn ensure_tauri_driver() -> Result<()> {
    let home = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let on_path = Command::new("tauri-driver").arg("--help").output().is_ok();
    if on_path || home.join(".cargo/bin/tauri-driver").exists() {
        return Ok(());
    }
    step(
        "cargo install tauri-driver",
        &cargo(),
        &["install", "tauri-driver", "--locked", "--version", "2.1.0"],
    )
}
