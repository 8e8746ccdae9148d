//! How WebKitGTK draws the window on Linux.
//!
//! Decision (issue 3, measured in BENCHMARKS.md): BVTE is forms and lists on commune office PCs,
//! often old machines without a working GPU driver, and run under Xvfb in CI. WebKitGTK's
//! accelerated compositing there costs a second rendering path: under Xvfb search results
//! reached the page in 47–81 ms but the screen only at the next composited frame (p50 333 ms),
//! and the web process used 378 MB. Without compositing the same search was on screen at p50
//! 66 ms and the web process used 223 MB. So BVTE turns compositing off unless whoever starts it
//! already chose (`WEBKIT_DISABLE_COMPOSITING_MODE` set to anything, e.g. `0` to keep it on).
//!
//! Setting it from inside the app is the only way before the first page loads: Tauri creates
//! the web view itself, and changing WebKit's hardware acceleration policy after the page has
//! loaded starts a new web process, which lost the WebDriver session in the end-to-end tests.

#[cfg(target_os = "linux")]
/// The variable WebKitGTK reads when it creates its first web view.
const COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Turns WebKitGTK's accelerated compositing off unless the environment already chose.
/// Must run first in `main`, before any thread starts.
pub fn choose() {
    #[cfg(target_os = "linux")]
    if std::env::var_os(COMPOSITING).is_none() {
        // SAFETY: called as the first statement of `main`, before Tauri, GTK or any other code
        // has started a thread, so nothing can read the environment concurrently.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(COMPOSITING, "1");
        }
    }
}
