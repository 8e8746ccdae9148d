//! Tauri's build step (capabilities, context).
fn main() {
    tauri_build::build()
}
