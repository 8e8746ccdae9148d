//! # bvte-e2e — the desktop app as an officer uses it, and sync between real processes
//!
//! Sync tests (`e2e/sync.rs`) run a real `bvte-server` (`server`), devices through the real
//! `bvte` CLI (`device`) and a proxy that cuts connections mid-transfer (`proxy`).
//!
//! Starts a virtual X display (Xvfb), `tauri-driver` (which starts WebKitWebDriver, which starts
//! the real `bvte-desktop` binary) and drives the window through WebDriver. Everything started is
//! stopped when the harness is dropped. Waits are on conditions (a port accepting connections,
//! an element appearing, `data-ready="true"`), never on sleeps.
//!
//! Needs: `Xvfb`, `tauri-driver` (on PATH or in ~/.cargo/bin), `WebKitWebDriver`, and the app
//! built with its UI — `cargo xtask test` provides all of them and sets `BVTE_DESKTOP_BIN`.

pub mod browser;
pub mod device;
pub mod proxy;
mod screen;
pub mod server;

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails with a clear message.
pub const WAIT: Duration = Duration::from_secs(30);

/// The repository root. Read when run (cargo sets `CARGO_MANIFEST_DIR` for `cargo run` and
/// `cargo test`) before the path compiled in: a target directory shared by two checkouts can
/// hand one checkout a binary built in the other, with the other's path inside.
pub fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    dir.parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// The desktop binary: `BVTE_DESKTOP_BIN`, else `target/debug/bvte-desktop`.
pub fn desktop_bin() -> PathBuf {
    std::env::var_os("BVTE_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/bvte-desktop"))
}

/// The printer the app under test is pointed at; it does not exist.
pub const NO_PRINTER: &str = "bvte-e2e-khong-co-may-in";

/// Where the app under test saves printed forms (`BVTE_EXPORT_DIR`) for a data folder.
pub fn export_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("exports")
}

/// The `bvte` CLI next to the desktop binary.
pub fn cli_bin() -> PathBuf {
    desktop_bin().with_file_name("bvte")
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let cargo_bin = home.join(".cargo/bin/tauri-driver");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// A child process stopped with SIGTERM on drop (tauri-driver must get SIGTERM, not SIGKILL,
/// or WebKitWebDriver is left running).
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::yield_now();
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until `port` accepts TCP connections.
async fn wait_port(port: u16, what: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if start.elapsed() > WAIT {
            bail!("{what} did not listen on port {port} within {WAIT:?}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A virtual display.
pub struct Display {
    _xvfb: Proc,
    /// `:N`.
    pub name: String,
}

impl Display {
    /// Starts Xvfb on the first free display number from 90, 1280×800.
    pub fn start() -> Result<Self> {
        for n in 90..130 {
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
            if socket.exists() || lock.exists() {
                continue;
            }
            let child = Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("cannot start Xvfb (apt-get install xvfb)")?;
            let proc = Proc(child);
            let start = Instant::now();
            while !socket.exists() {
                if start.elapsed() > WAIT {
                    bail!("Xvfb :{n} did not start");
                }
                std::thread::yield_now();
            }
            return Ok(Self {
                _xvfb: proc,
                name: format!(":{n}"),
            });
        }
        bail!("no free X display between :90 and :129")
    }
}

/// The running app under WebDriver.
pub struct App {
    /// The WebDriver session.
    pub client: Client,
    _driver: Proc,
    /// When the session started (the app was launched).
    pub launched: Instant,
    /// The X display the window is on.
    display: String,
}

impl App {
    /// Launches the desktop app with its data in `data_dir` on `display`, saving forms into
    /// [`export_dir`]`(data_dir)`.
    pub async fn launch(display: &Display, data_dir: &Path) -> Result<Self> {
        Self::launch_with(display, data_dir, &[]).await
    }

    /// [`App::launch`] with more environment variables for the app (`BVTE_BACKUP_DIRS`…).
    pub async fn launch_with(
        display: &Display,
        data_dir: &Path,
        env: &[(&str, &Path)],
    ) -> Result<Self> {
        let bin = desktop_bin();
        if !bin.exists() {
            bail!(
                "{} is missing: build it with `cargo xtask test`",
                bin.display()
            );
        }
        let port = free_port()?;
        let native = free_port()?;
        let mut driver = Command::new(tauri_driver());
        driver.envs(env.iter().copied());
        let driver = driver
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", &display.name)
            .env("BVTE_DATA_DIR", data_dir)
            .env("BVTE_EXPORT_DIR", export_dir(data_dir))
            // "Print" must never reach a real printer from a test: CUPS's `lp` sends to
            // LPDEST / PRINTER first, and this one does not exist (without `lp` the app says
            // there is no printing system; either way the officer gets the clear error).
            .env("LPDEST", NO_PRINTER)
            .env("PRINTER", NO_PRINTER)
            // The webview keeps its own storage (the UI language) under the XDG folders: one
            // run must not see what the previous one left.
            .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
            .env("XDG_CACHE_HOME", data_dir.join("xdg-cache"))
            .env("XDG_CONFIG_HOME", data_dir.join("xdg-config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start tauri-driver (cargo install tauri-driver --locked)")?;
        let driver = Proc(driver);
        wait_port(port, "tauri-driver").await?;
        wait_port(native, "WebKitWebDriver").await?;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": bin }),
        );
        let launched = Instant::now();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("WebDriver session")?;
        Ok(Self {
            client,
            _driver: driver,
            launched,
            display: display.name.clone(),
        })
    }

    /// The element with `data-testid`, waiting for it to appear.
    pub async fn el(&self, testid: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
            .await
            .with_context(|| format!("element [data-testid=\"{testid}\"] never appeared"))
    }

    /// All elements with `data-testid` currently present. Asked again when the page replaced
    /// an element while WebDriver was collecting them (WebKitWebDriver then answers "stale").
    pub async fn all(&self, testid: &str) -> Result<Vec<Element>> {
        let css = format!("[data-testid=\"{testid}\"]");
        let mut tries = 0;
        loop {
            match self.client.find_all(Locator::Css(&css)).await {
                Ok(found) => return Ok(found),
                Err(e) if tries < 5 && e.to_string().contains("Stale element") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Waits until the page's root says it has loaded its data.
    pub async fn ready(&self) -> Result<()> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("[data-ready=\"true\"]"))
            .await
            .context("page never became ready (data-ready=\"true\")")?;
        Ok(())
    }

    /// Clicks an element, first scrolled to the middle of its scrolling area as an officer
    /// would (WebKitWebDriver scrolls only until the element's edge shows, which can leave its
    /// centre under the status bar).
    pub async fn click(&self, testid: &str) -> Result<()> {
        let el = self.el(testid).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                vec![serde_json::to_value(&el)?],
            )
            .await?;
        el.click()
            .await
            .with_context(|| format!("click [{testid}]"))?;
        Ok(())
    }

    /// Clears an input and types into it.
    pub async fn type_into(&self, testid: &str, text: &str) -> Result<()> {
        let e = self.el(testid).await?;
        e.clear().await?;
        e.send_keys(text).await?;
        Ok(())
    }

    /// The visible text of an element.
    pub async fn text(&self, testid: &str) -> Result<String> {
        Ok(self.el(testid).await?.text().await?)
    }

    /// Waits until `cond` holds for the text of `testid`.
    pub async fn wait_text(
        &self,
        testid: &str,
        what: &str,
        cond: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let start = Instant::now();
        loop {
            if let Ok(e) = self
                .client
                .find(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
                .await
                && let Ok(t) = e.text().await
                && cond(&t)
            {
                return Ok(t);
            }
            if start.elapsed() > WAIT {
                let got = self.text(testid).await.unwrap_or_default();
                bail!("[{testid}] never showed {what}; it shows {got:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot of the window as `dir/name.png`, after two animation frames so the
    /// picture shows the current DOM. Read from the X server rather than through WebDriver:
    /// WebKitWebDriver's screenshot never answered once the app runs without accelerated
    /// compositing (src-tauri/src/rendering.rs), and the X server shows what the officer sees.
    /// Only the window's part of the screen is kept, so a window made smaller (1024×640) gives
    /// a picture of that size.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> Result<PathBuf> {
        let size = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(
                   () => done([window.innerWidth, window.innerHeight])));",
                vec![],
            )
            .await?;
        let (w, h): (u16, u16) = serde_json::from_value(size)?;
        let png = screen::capture(&self.display, w, h)?;
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Ends the WebDriver session (the app closes).
    pub async fn close(self) -> Result<()> {
        self.client.close().await.map_err(|e| anyhow!("close: {e}"))
    }
}

/// Runs the `bvte` CLI against `db` with the passphrase, returning stdout.
pub fn bvte(db: &Path, passphrase: &str, args: &[&str], stdin: Option<&str>) -> Result<String> {
    use std::io::Write;
    let mut cmd = Command::new(cli_bin());
    cmd.args(args)
        .arg("--db")
        .arg(db)
        .env("BVTE_PASSPHRASE", passphrase)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("cannot start bvte")?;
    if let Some(s) = stdin {
        child.stdin.take().expect("piped").write_all(s.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "bvte {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
