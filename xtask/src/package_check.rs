//! The packages of `cargo xtask dist`, installed as an office would install them (part of
//! `cargo xtask test`, as root or with passwordless sudo; otherwise skipped, saying so):
//!
//! - the desktop `.deb`: installed with apt, `bvte --version` runs, the installed app opens its
//!   window under Xvfb with a fresh home folder, and after the package is removed the officer's
//!   data folder is still there;
//! - the server `.deb`: installed with apt, its unit passes `systemd-analyze verify` (where
//!   systemd is installed), the `bvte` account exists, `/var/lib/bvte-server` is 0700, the
//!   first-run message's `init` works and the server starts on what it made, and after a purge
//!   the data folder is still there.
//!
//! No systemd needs to run (CI runs in a container): nothing here calls `systemctl`.

use crate::dist::Packages;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How commands that need root run: directly as root, or through `sudo -n`.
#[derive(Clone, Copy)]
enum Root {
    Am,
    Sudo,
}

impl Root {
    fn find() -> Option<Root> {
        if crate::sys::is_root() {
            return Some(Root::Am);
        }
        let sudo = Command::new("sudo")
            .args(["-n", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        sudo.is_ok_and(|s| s.success()).then_some(Root::Sudo)
    }

    fn command(self, program: &str) -> Command {
        match self {
            Root::Am => Command::new(program),
            Root::Sudo => {
                let mut c = Command::new("sudo");
                c.args(["-n", "--"]).arg(program);
                c
            }
        }
    }

    /// Runs as root; returns standard output and error together; fails with both when it fails.
    fn run(self, program: &str, args: &[&str]) -> Result<String> {
        println!("xtask:   # {program} {}", args.join(" "));
        let out = self
            .command(program)
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .with_context(|| format!("cannot start {program}"))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() {
            bail!(
                "{program} {} failed ({}):\n{text}",
                args.join(" "),
                out.status
            );
        }
        Ok(text)
    }
}

/// Installs, runs and removes the packages; skipped without root.
pub fn check(packages: &Packages) -> Result<()> {
    let Some(root) = Root::find() else {
        println!(
            "xtask: SKIPPED installing the packages: this needs root or passwordless sudo (CI runs as root)"
        );
        return Ok(());
    };
    desktop(root, &packages.desktop_deb)?;
    server(root, &packages.server_deb)?;
    println!("xtask: the installed packages work, and removing them kept the data");
    Ok(())
}

/// What the maintainer scripts printed, without apt's own lines (for the CI log).
fn show_messages(apt_output: &str) {
    const APT: &[&str] = &[
        "Reading",
        "Building",
        "Selecting",
        "Preparing",
        "Unpacking",
        "Setting up",
        "Processing",
        "Note,",
        "The following",
        "  ",
        "0 upgraded",
        "1 upgraded",
        "Need to get",
        "After this",
        "Get:",
        "(Reading",
        "Removing",
        "Purging",
        "WARNING",
        "debconf",
        "dpkg:",
        "Suggested",
        "Recommended",
    ];
    for line in apt_output.lines() {
        let ours = line.starts_with("  ")
            && (line.contains("-- bvte-server") || line.contains("systemctl"));
        if !line.trim().is_empty() && (ours || !APT.iter().any(|p| line.starts_with(p))) {
            println!("xtask:   | {line}");
        }
    }
}

fn apt_install(root: Root, deb: &Path) -> Result<String> {
    let deb = std::fs::canonicalize(deb)?;
    root.run(
        "apt-get",
        &[
            "install",
            "-y",
            "--no-install-recommends",
            "--allow-downgrades",
            &deb.to_string_lossy(),
        ],
    )
}

fn desktop(root: Root, deb: &Path) -> Result<()> {
    println!("\nxtask: installing the desktop package {}", deb.display());
    apt_install(root, deb)?;
    let result = desktop_installed();
    let removed = root.run("apt-get", &["remove", "-y", "bvte"]);
    let home = result?;
    removed?;
    for gone in ["/usr/bin/bvte", "/usr/bin/bvte-desktop"] {
        if Path::new(gone).exists() {
            bail!("{gone} is still there after `apt-get remove bvte`");
        }
    }
    let db = data_dir(&home).join("bvte.db");
    if !db.is_file() {
        bail!(
            "the officer's database {} was lost when the package was removed",
            db.display()
        );
    }
    std::fs::remove_dir_all(&home)?;
    println!("xtask: desktop package removed; the officer's data folder is still there");
    Ok(())
}

/// Where the installed app keeps its data for a home folder (Tauri's app data folder:
/// `$XDG_DATA_HOME/<identifier>`, by default `~/.local/share/vn.bvte.desktop`).
fn data_dir(home: &Path) -> PathBuf {
    home.join(".local/share/vn.bvte.desktop")
}

/// Checks the installed desktop app; returns the home folder it used.
fn desktop_installed() -> Result<PathBuf> {
    let version = crate::sys::output("/usr/bin/bvte", &["--version"])?;
    if !version.contains(env!("CARGO_PKG_VERSION")) {
        bail!("the installed `bvte --version` said {version:?}");
    }
    println!("xtask:   installed {}", version.trim());
    let desktop_files = std::fs::read_dir("/usr/share/applications")?
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .any(|t| t.contains("Exec=bvte-desktop") && t.contains("Name=BVTE — Bảo vệ trẻ em"));
    if !desktop_files {
        bail!("no desktop entry named “BVTE — Bảo vệ trẻ em” starts bvte-desktop");
    }
    let home = crate::dist::dist_dir().join("check-home");
    if home.exists() {
        std::fs::remove_dir_all(&home)?;
    }
    std::fs::create_dir_all(&home)?;
    // The officer's register, made by the installed command line where the app looks for it.
    let db = data_dir(&home).join("bvte.db");
    let out = Command::new("/usr/bin/bvte")
        .args(["init", "--commune", "09955", "--db"])
        .arg(&db)
        .env("BVTE_PASSPHRASE", "kiem-tra-goi-cai-dat")
        .env("BVTE_OFFICER", "Cán bộ Kiểm tra")
        .output()?;
    if !out.status.success() {
        bail!(
            "the installed `bvte init` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    window(&home)?;
    Ok(home)
}

/// Starts the installed app under Xvfb with `home` as its home folder and waits for its window.
fn window(home: &Path) -> Result<()> {
    let (mut xvfb, display) = start_xvfb()?;
    let app = Command::new("/usr/bin/bvte-desktop")
        .env("HOME", home)
        .env("DISPLAY", &display)
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("BVTE_DATA_DIR")
        .env_remove("BVTE_EXPORT_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let seen = match app {
        Ok(mut app) => {
            let seen = wait_for_window(&display, &mut app);
            let _ = app.kill();
            let _ = app.wait();
            seen
        }
        Err(e) => Err(e).context("cannot start /usr/bin/bvte-desktop"),
    };
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    seen
}

fn start_xvfb() -> Result<(Child, String)> {
    for n in 140..160 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            || Path::new(&format!("/tmp/.X{n}-lock")).exists()
        {
            continue;
        }
        let display = format!(":{n}");
        let mut child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start Xvfb (apt-get install xvfb)")?;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return Ok((child, display));
            }
            if child.try_wait()?.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    bail!("Xvfb did not start on any display from :140 to :159")
}

fn wait_for_window(display: &str, app: &mut Child) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Some(status) = app.try_wait()? {
            bail!("the installed bvte-desktop exited before showing a window ({status})");
        }
        let tree = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", display])
            .output()
            .context("cannot run xwininfo (apt-get install x11-utils)")?;
        let tree = String::from_utf8_lossy(&tree.stdout);
        if let Some(line) = tree
            .lines()
            .find(|l| l.contains("\"BVTE") && l.contains("bvte-desktop"))
        {
            println!(
                "xtask:   the installed app's window is up after {:.1} s: {}",
                started.elapsed().as_secs_f64(),
                line.trim()
            );
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!("the installed bvte-desktop showed no window within 60 s")
}

const SERVER_DATA: &str = "/var/lib/bvte-server";

fn server(root: Root, deb: &Path) -> Result<()> {
    println!("\nxtask: installing the server package {}", deb.display());
    let said = apt_install(root, deb)?;
    show_messages(&said);
    let result = server_installed(root, &said);
    let purged = root.run("apt-get", &["purge", "-y", "bvte-server"]);
    result?;
    let purged = purged?;
    show_messages(&purged);
    if Path::new("/usr/bin/bvte-server").exists() {
        bail!("/usr/bin/bvte-server is still there after `apt-get purge bvte-server`");
    }
    if !Path::new(SERVER_DATA).is_dir() {
        bail!("{SERVER_DATA} was deleted by `apt-get purge bvte-server`");
    }
    if !purged.contains("never") || !purged.contains(SERVER_DATA) {
        bail!("the purge did not say the data is kept:\n{purged}");
    }
    println!("xtask: server package purged; {SERVER_DATA} is still there");
    Ok(())
}

fn server_installed(root: Root, said: &str) -> Result<()> {
    let unit = "/lib/systemd/system/bvte-server.service";
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok()
    {
        let verdict = root.run("systemd-analyze", &["verify", unit])?;
        if verdict.contains("bvte-server.service") {
            bail!("systemd-analyze verify {unit} complained:\n{verdict}");
        }
        println!("xtask:   systemd-analyze verify {unit}: ok");
    } else {
        println!("xtask:   systemd-analyze is not installed; the unit was not verified");
    }
    let user = crate::sys::output("getent", &["passwd", "bvte"])
        .context("the package did not create the `bvte` account")?;
    let uid: u32 = user.split(':').nth(2).unwrap_or("").parse()?;
    let meta = std::fs::metadata(SERVER_DATA)?;
    let mode = meta.permissions().mode() & 0o7777;
    if mode != 0o700 || meta.uid() != uid {
        bail!("{SERVER_DATA} is {mode:04o} owned by uid {}", meta.uid());
    }
    let version = crate::sys::output("/usr/bin/bvte-server", &["--version"])?;
    if !version.contains(env!("CARGO_PKG_VERSION")) {
        bail!("the installed `bvte-server --version` said {version:?}");
    }
    let help = crate::sys::output("/usr/bin/bvte-server", &["serve", "--help"])?;
    if !help.contains("--listen") {
        bail!("`bvte-server serve --help` does not mention --listen:\n{help}");
    }
    if Path::new(SERVER_DATA).join("cert.pem").exists() {
        println!("xtask:   {SERVER_DATA} was initialised by an earlier run; init not repeated");
    } else {
        // The first-run message's commands, as printed.
        let init = "runuser -u bvte -- bvte-server init --data /var/lib/bvte-server";
        if !said.contains(init) || !said.contains("bvte-server fingerprint") {
            bail!("the first-run message does not say how to init:\n{said}");
        }
        root.run(
            "runuser",
            &[
                "-u",
                "bvte",
                "--",
                "bvte-server",
                "init",
                "--data",
                SERVER_DATA,
                "--host",
                "localhost",
            ],
        )?;
    }
    let fingerprint = root.run(
        "runuser",
        &[
            "-u",
            "bvte",
            "--",
            "bvte-server",
            "fingerprint",
            "--data",
            SERVER_DATA,
        ],
    )?;
    println!("xtask:   fingerprint: {}", fingerprint.trim());
    serve_starts(root)?;
    println!("xtask:   installed {}", version.trim());
    Ok(())
}

/// The command the unit runs (as `bvte`, on the data `init` made) serves.
fn serve_starts(root: Root) -> Result<()> {
    let mut serve = root
        .command("runuser")
        .args(["-u", "bvte", "--", "/usr/bin/bvte-server", "serve"])
        .args(["--data", SERVER_DATA, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start bvte-server serve")?;
    let mut line = String::new();
    let read = BufReader::new(serve.stdout.take().expect("piped")).read_line(&mut line);
    // runuser forwards the signal to the server, which stops gracefully.
    let _ = root.command("kill").arg(serve.id().to_string()).status();
    let _ = serve.wait();
    read?;
    if !line.starts_with("listening on https://") {
        bail!("the installed server did not start: {line:?}");
    }
    println!("xtask:   the installed server as bvte: {}", line.trim());
    Ok(())
}
