//! The desktop UI (`ui/`, SvelteKit): dependencies from the lock file, type check with zero
//! warnings, unit tests, and the static build that the desktop binary embeds.

use anyhow::{Result, bail};

fn npm(args: &[&str], name: &str) -> Result<()> {
    let ui = crate::root().join("ui");
    println!("\nxtask: {name}: npm {}", args.join(" "));
    let status = std::process::Command::new("npm")
        .args(args)
        .current_dir(&ui)
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => bail!("{name} failed ({s})"),
        Err(_) => bail!(
            "npm is missing: install Node.js 20 (https://nodejs.org or apt-get install nodejs npm)"
        ),
    }
}

/// Installs, checks, tests and builds the UI.
pub fn check_and_build() -> Result<()> {
    npm(&["ci", "--no-audit", "--no-fund"], "npm ci")?;
    npm(&["run", "check"], "svelte-check")?;
    npm(&["test"], "vitest")?;
    npm(&["run", "build"], "vite build")?;
    Ok(())
}

/// Installs and builds the UI (for `cargo xtask run`).
pub fn build() -> Result<()> {
    npm(&["ci", "--no-audit", "--no-fund"], "npm ci")?;
    npm(&["run", "build"], "vite build")?;
    Ok(())
}
