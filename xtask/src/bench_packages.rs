//! `cargo xtask bench packages`: the sizes of the release packages of `cargo xtask dist`
//! against issue 13's budgets, recorded in BENCHMARKS.md between the `bench:packages` markers.

use crate::bench::{date, machine, verdict, write_section};
use anyhow::Result;

const START: &str = "<!-- bench:packages:start -->";
const END: &str = "<!-- bench:packages:end -->";

/// Issue 13's budgets, in MB (10⁶ bytes).
const DESKTOP_DEB_MB: f64 = 15.0;
const SERVER_DEB_MB: f64 = 10.0;

/// Builds the release packages and records their sizes.
pub fn packages() -> Result<()> {
    crate::dist::dist(&["--release".to_string()])?;
    let written = crate::dist::latest()?;
    let mb = |p: &std::path::Path| -> Result<f64> { Ok(std::fs::metadata(p)?.len() as f64 / 1e6) };
    let installed_mb = |p: &std::path::Path| -> f64 {
        crate::sys::output("dpkg-deb", &["-f", &p.to_string_lossy(), "Installed-Size"])
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .map(|kib| kib * 1024.0 / 1e6)
            .unwrap_or(f64::NAN)
    };
    let desktop = mb(&written.desktop_deb)?;
    let rpm = mb(&written.desktop_rpm)?;
    let server = mb(&written.server_deb)?;
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let section = format!(
        "{START}\n\
         Command: `cargo xtask bench packages` (runs `cargo xtask dist --release`), {date}.\n\
         Machine: {machine}.\n\n\
         | package | size | installed | budget (issue 13) |\n\
         |---|---|---|---|\n\
         | desktop app and `bvte`, `{dn}` | **{desktop:.1} MB** | {di:.1} MB | ≤ {DESKTOP_DEB_MB:.0} MB — {dv} |\n\
         | the same as `{rn}` | {rpm:.1} MB | — | — |\n\
         | area server, `{sn}` | **{server:.1} MB** | {si:.1} MB | ≤ {SERVER_DEB_MB:.0} MB — {sv} |\n\
         {END}",
        date = date(),
        machine = machine(),
        dn = name(&written.desktop_deb),
        rn = name(&written.desktop_rpm),
        sn = name(&written.server_deb),
        di = installed_mb(&written.desktop_deb),
        si = installed_mb(&written.server_deb),
        dv = verdict(desktop <= DESKTOP_DEB_MB),
        sv = verdict(server <= SERVER_DEB_MB),
    );
    write_section(START, END, &section)?;
    println!("\nxtask: BENCHMARKS.md packages section updated");
    Ok(())
}
