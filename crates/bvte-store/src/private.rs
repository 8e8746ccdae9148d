//! Files that hold the register, its keys or anything read from it (the database and its
//! `-wal`/`-shm`, `<db>.keys`, `<db>.attempts`, printed forms, exports) are for the account that
//! runs BVTE only (issue 10 item 9: under the usual umask 022 they were created 0644, readable
//! by every account of the PC). On Unix they are created 0600 whatever the umask, and a file
//! that exists already is tightened when it is opened or replaced. Elsewhere (Windows) nothing
//! changes: files inherit the access list of their folder, private in the user's profile.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Opens `path` for writing, created owner-only when missing, emptied when present (and then
/// tightened: an existing file keeps its mode on open).
///
/// Errors: those of opening the file or changing its mode.
pub fn create(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    owner_only(&mut options);
    let file = options.open(path)?;
    restrict_open(&file)?;
    Ok(file)
}

/// Creates `path`, owner-only, failing if it exists already.
///
/// Errors: `AlreadyExists`, or those of creating the file.
pub fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    owner_only(&mut options);
    let file = options.open(path)?;
    restrict_open(&file)?;
    Ok(file)
}

/// Writes `bytes` to `path` (created or replaced, owner-only) and flushes them to the disk.
///
/// Errors: those of opening, writing or syncing the file.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Takes the permissions of other accounts off an existing file (its owner's stay); a missing
/// file is fine.
///
/// Errors: the file cannot be read or its mode cannot be changed (not its owner).
pub fn restrict(path: &Path) -> std::io::Result<()> {
    match File::open(path) {
        Ok(file) => restrict_open(&file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn owner_only(options: &mut std::fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}

#[cfg(not(unix))]
fn owner_only(_: &mut std::fs::OpenOptions) {}

#[cfg(unix)]
fn restrict_open(file: &File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode();
    if mode & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict_open(_: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_and_replaced_files_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        write(&f, b"x").unwrap();
        assert_eq!(mode(&f), 0o600);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&f, b"y").unwrap();
        assert_eq!(mode(&f), 0o600, "an existing file is tightened");
        assert_eq!(std::fs::read(&f).unwrap(), b"y");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        restrict(&f).unwrap();
        assert_eq!(mode(&f), 0o400, "the owner's bits are kept");
        restrict(&dir.path().join("missing")).unwrap();
        assert!(create_new(&f).is_err(), "never replaces");
    }
}
