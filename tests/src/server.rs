//! A real `bvte-server` process for sync tests: initialised in a temporary folder, served on a
//! loopback port, killed with SIGKILL and restarted on the same port when a test asks.

use anyhow::{Context, Result, anyhow, bail};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The `bvte-server` binary next to the desktop binary.
pub fn server_bin() -> PathBuf {
    crate::desktop_bin().with_file_name("bvte-server")
}

/// A server data folder and, while running, its process.
pub struct Server {
    data: PathBuf,
    child: Option<Child>,
    addr: Option<SocketAddr>,
    /// The certificate's SHA-256 fingerprint, as `init` printed it.
    pub fingerprint: String,
}

impl Server {
    /// `bvte-server init` in `dir/server`, then `commune add` for each commune.
    pub fn init(dir: &Path, communes: &[&str]) -> Result<Server> {
        Self::init_with(dir, communes, &[])
    }

    /// As [`Server::init`], with extra arguments for `init` (e.g. `--database-url URL`, which
    /// `init` remembers for the later commands).
    pub fn init_with(dir: &Path, communes: &[&str], init_args: &[&str]) -> Result<Server> {
        let data = dir.join("server");
        let mut args = vec!["init"];
        args.extend_from_slice(init_args);
        let out = admin_in(&data, &args)?;
        let fingerprint = out
            .lines()
            .last()
            .map(str::trim)
            .filter(|l| l.len() == 64 && l.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| anyhow!("init did not end with a fingerprint: {out}"))?
            .to_string();
        let server = Server {
            data,
            child: None,
            addr: None,
            fingerprint,
        };
        for c in communes {
            server.admin(&["commune", "add", "--code", c])?;
        }
        Ok(server)
    }

    /// The server's data folder.
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// Runs an administration command on this server's data folder; returns stdout.
    pub fn admin(&self, args: &[&str]) -> Result<String> {
        admin_in(&self.data, args)
    }

    /// A fresh one-time enrollment code for a commune.
    pub fn enroll_code(&self, commune: &str) -> Result<String> {
        let out = self.admin(&["enroll-code", "--commune", commune, "--json"])?;
        let v: serde_json::Value = serde_json::from_str(out.trim())?;
        Ok(v["code"]
            .as_str()
            .ok_or_else(|| anyhow!("no code in {out}"))?
            .to_string())
    }

    /// Starts serving (on the previous port after a restart, else on one the OS picks) and
    /// waits until it says it listens.
    pub fn start(&mut self) -> Result<()> {
        let listen = match self.addr {
            Some(a) => a.to_string(),
            None => "127.0.0.1:0".into(),
        };
        let mut child = Command::new(server_bin())
            .args(["serve", "--listen", &listen, "--data"])
            .arg(&self.data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start bvte-server")?;
        let stdout = child.stdout.take().expect("piped");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let addr = line
            .trim()
            .strip_prefix("listening on https://")
            .ok_or_else(|| anyhow!("bvte-server did not start: {line:?}"))?
            .parse()?;
        self.addr = Some(addr);
        self.child = Some(child);
        Ok(())
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr.expect("started")
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr())
    }

    /// Kills the process with SIGKILL (no chance to finish anything) and waits for it.
    pub fn kill9(&mut self) -> Result<()> {
        if let Some(mut c) = self.child.take() {
            c.kill()?;
            c.wait()?;
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.kill9();
    }
}

fn admin_in(data: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(server_bin())
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .context("cannot run bvte-server")?;
    if !out.status.success() {
        bail!(
            "bvte-server {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
