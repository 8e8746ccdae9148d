//! Words an officer reads, wherever they are written: the UI's messages, every Rust message
//! (desktop, CLI, server), the README and the guides. Districts were abolished on 1 July 2025,
//! so nothing says "máy chủ huyện" or "cán bộ CNTT huyện" (the server is "máy chủ"); and a
//! message about a missing printer does not send the officer to CUPS or the `lp` command.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            // Generated, third-party, or the law's own text (which names districts).
            if !matches!(
                name,
                "target" | "node_modules" | "paraglide" | "gen" | "legal" | "data" | "build"
            ) && !name.starts_with('.')
            {
                files(&p, ext, out);
            }
        } else if ext.iter().any(|x| name.ends_with(x)) {
            out.push(p);
        }
    }
}

/// Phrases that name a district as if it still existed, or the printing system's insides.
const STALE: &[&str] = &[
    "máy chủ huyện",
    "CNTT huyện",
    "CNTT của huyện",
    "của huyện",
    "cấp huyện",
    "district server",
    "District server",
    "district IT",
    "the district",
    "CUPS, lệnh",
    "CUPS, the `lp`",
];

/// Lines that are not comments (a Rust `//` comment is for developers, not officers).
fn said(path: &Path, text: &str) -> Vec<(usize, String)> {
    let rust = path.extension().is_some_and(|e| e == "rs");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !(rust && l.trim_start().starts_with("//")))
        .filter(|(_, l)| STALE.iter().any(|s| l.contains(s)))
        .map(|(i, l)| (i + 1, l.trim().chars().take(140).collect()))
        .collect()
}

#[test]
fn no_message_names_a_district_or_the_printing_systems_insides() {
    let root = root();
    let mut all = Vec::new();
    files(&root.join("crates"), &[".rs"], &mut all);
    files(&root.join("src-tauri/src"), &[".rs"], &mut all);
    files(&root.join("ui/messages"), &[".json"], &mut all);
    files(&root.join("ui/src"), &[".svelte", ".ts"], &mut all);
    files(&root.join("docs"), &[".md"], &mut all);
    all.push(root.join("README.md"));
    all.push(root.join("ui/TESTIDS.md"));
    let this = Path::new(file!()).file_name().unwrap();
    let mut found = Vec::new();
    for p in all.iter().filter(|p| p.file_name() != Some(this)) {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        for (line, l) in said(p, &text) {
            found.push(format!(
                "{}:{line}: {l}",
                p.strip_prefix(&root).unwrap_or(p).display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "{} lines still say it:\n{}",
        found.len(),
        found.join("\n")
    );
}
