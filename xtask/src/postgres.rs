//! A local PostgreSQL for the server's tests and benchmark: as root on Debian it installs the
//! package, starts the cluster and makes the role `bvte` (password `bvte`, may create
//! databases); otherwise it checks that one is reachable and says exactly what to run.

use anyhow::{Result, bail};
use std::process::Command;
use std::time::{Duration, Instant};

/// The role, password and maintenance database the tests use (local, test-only).
pub const URL: &str = "postgres://bvte:bvte@127.0.0.1/postgres";

/// Whether `url` accepts a connection and a query (psql, 5 s at most).
fn reachable(url: &str) -> bool {
    Command::new("psql")
        .args([url, "-tAqc", "SELECT 1"])
        .env("PGCONNECT_TIMEOUT", "5")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The newest installed major version (a folder of /usr/lib/postgresql with a bin/postgres).
fn installed_version() -> Option<String> {
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("bin/postgres").exists())
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
        .collect();
    versions.sort_unstable();
    versions.last().map(u32::to_string)
}

const ROLE_SQL: &str = "DO $$ BEGIN \
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'bvte') \
    THEN ALTER ROLE bvte LOGIN CREATEDB PASSWORD 'bvte'; \
    ELSE CREATE ROLE bvte LOGIN CREATEDB PASSWORD 'bvte'; END IF; END $$";

/// What to run by hand when this is not root.
fn instructions(version: &str) -> String {
    format!(
        "PostgreSQL is needed for the server tests on PostgreSQL and does not answer at \
         postgres://bvte:…@127.0.0.1/postgres. Run as root (or run `cargo xtask` as root, \
         which does it):\n\n  \
         apt-get install -y postgresql\n  \
         pg_ctlcluster {version} main start\n  \
         runuser -u postgres -- psql -c \"CREATE ROLE bvte LOGIN CREATEDB PASSWORD 'bvte'\"\n\n\
         or set {var} to the URL of a role that may create databases.",
        var = "BVTE_TEST_DATABASE_URL / BVTE_BENCH_DATABASE_URL"
    )
}

/// A PostgreSQL URL whose role may create databases: `override_var` when set, else [`URL`],
/// set up first when this is root.
///
/// Errors: not reachable and not root (with the commands to run); set-up commands failing;
/// the server not answering within 30 s of starting.
pub fn ensure(override_var: &str) -> Result<String> {
    if let Some(url) = std::env::var(override_var).ok().filter(|u| !u.is_empty()) {
        if !reachable(&url) {
            bail!("{override_var} is set but PostgreSQL does not answer there");
        }
        return Ok(url);
    }
    if reachable(URL) {
        return Ok(URL.to_owned());
    }
    if !crate::sys::is_root() {
        let version = installed_version().unwrap_or_else(|| "15".into());
        bail!("{}", instructions(&version));
    }
    crate::sys::ensure_packages(&["postgresql"])?;
    let Some(version) = installed_version() else {
        bail!("postgresql is installed but /usr/lib/postgresql holds no server");
    };
    let cluster = std::path::Path::new("/etc/postgresql")
        .join(&version)
        .join("main");
    if !cluster.exists() {
        crate::sys::step("pg_createcluster", "pg_createcluster", &[&version, "main"])?;
    }
    // Exit 2 means "already running": fine.
    let status = Command::new("pg_ctlcluster")
        .args([version.as_str(), "main", "start"])
        .status()?;
    if !status.success() && status.code() != Some(2) {
        bail!("pg_ctlcluster {version} main start failed ({status})");
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let role = Command::new("runuser")
            .args(["-u", "postgres", "--", "psql", "-qc", ROLE_SQL])
            .current_dir("/")
            .output()?;
        if role.status.success() && reachable(URL) {
            return Ok(URL.to_owned());
        }
        if Instant::now() > deadline {
            bail!(
                "PostgreSQL {version} did not accept the role bvte: {}",
                String::from_utf8_lossy(&role.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Makes a new empty database `name` (dropping an older one) through `url`; returns its URL.
///
/// Errors: psql failing.
pub fn fresh_database(url: &str, name: &str) -> Result<String> {
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        let out = Command::new("psql")
            .args([url, "-qc", &sql])
            .env("PGCONNECT_TIMEOUT", "5")
            .output()?;
        if !out.status.success() {
            bail!(
                "psql {sql:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| i + authority);
    Ok(format!("{}/{name}{query}", &base[..path]))
}
