//! Careful file access for every reader and writer: reads only regular files, with a size
//! limit checked before reading; atomic writes that keep a symlink and the file's mode, refuse
//! what the user cannot write, use short temporary names, sweep the temporaries a killed
//! Journeymap left behind, and remove their own on Ctrl+C, SIGTERM and SIGHUP.

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest file any reader accepts (a 10,000-card map is 2 MB).
pub const MAX_READ_BYTES: u64 = 256 << 20;

/// The longest piece of the target's name a temporary file repeats (names stay well under
/// the 255-byte limit of common file systems).
const TEMP_NAME_PREFIX: usize = 40;

/// Reads a whole regular file of at most [`MAX_READ_BYTES`].
///
/// # Errors
/// Not a regular file (a folder, FIFO, device), too large, or the system's reason.
pub fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    read_limited_to(path, MAX_READ_BYTES)
}

/// Reads a whole regular file of at most `limit` bytes (checked before reading, and again
/// while reading, for a file that grows).
///
/// # Errors
/// Not a regular file, larger than `limit`, or the system's reason.
pub fn read_limited_to(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind};
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a pipe, device or socket)"
        };
        return Err(Error::new(ErrorKind::InvalidInput, format!("it is {what}")));
    }
    let too_big = |n: u64| {
        Error::new(
            ErrorKind::InvalidData,
            format!(
                "it is {} MB; Journeymap reads files of at most {} MB",
                n.div_ceil(1 << 20),
                limit >> 20
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_big(meta.len()));
    }
    let f = fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    f.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Temporary files being written now (removed on Ctrl+C, SIGTERM, SIGHUP and quit).
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file this process is writing (its writes fail; the targets are
/// untouched). For signal handlers and for quitting in the middle of an export.
pub fn remove_temps() {
    for t in temps().drain(..) {
        let _ = fs::remove_file(t);
    }
}

/// Removes the temporary file this process is writing for `target` (the export being
/// stopped fails; its target is untouched), leaving other writes alone.
pub fn remove_temps_of(target: &Path) {
    let target = write_target(target);
    let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
    let prefix = temp_prefix(&target);
    temps().retain(|t| {
        let ours = t.parent() == Some(dir.as_path())
            && t.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix));
        if ours {
            let _ = fs::remove_file(t);
        }
        !ours
    });
}

/// Whether a temporary file is being written now.
#[must_use]
pub fn writing() -> bool {
    !temps().is_empty()
}

/// What runs when the process is stopped by a signal, before it exits.
type LastWork = Box<dyn FnOnce() + Send>;
static BEFORE_EXIT: std::sync::Mutex<Vec<LastWork>> = std::sync::Mutex::new(Vec::new());

/// Runs `f` when the process is stopped by Ctrl+C or a stop from the system, before it
/// exits (a hub writes its files once more).
pub fn before_exit(f: LastWork) {
    BEFORE_EXIT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(f);
}

/// On Ctrl+C, SIGTERM and SIGHUP: remove the temporary files being written, run what
/// [`before_exit`] was given, then exit with 128 + the signal's number (as a shell reports
/// it). Call once, early.
pub fn remove_temps_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    remove_temps();
                    let last: Vec<_> = std::mem::take(
                        &mut *BEFORE_EXIT
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner),
                    );
                    for f in last {
                        f();
                    }
                    std::process::exit(128 + sig);
                }
            });
    }
}

/// Whether a file has other names (hard links) that a rename would leave behind.
fn hard_linked(m: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(m) > 1
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        false
    }
}

/// The new file keeps the old one's owner and group (a save by root, or by a member of the
/// file's group, must not take someone's file over); where that is not allowed, it is not.
fn keep_owner(f: &fs::File, m: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let _ = std::os::unix::fs::fchown(f, Some(m.uid()), Some(m.gid()));
    }
    #[cfg(not(unix))]
    let _ = (f, m);
}

/// The file a write to `path` lands in: the target of a symlink (followed to its end, also
/// when it dangles), else `path` itself.
fn write_target(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&p) {
                Ok(t) if t.is_absolute() => p = t,
                Ok(t) => {
                    p = p.parent().map_or_else(|| t.clone(), |dir| dir.join(&t));
                }
                Err(_) => return p,
            },
            _ => return p,
        }
    }
    p
}

/// The beginning of a temporary file's name for `target` (hidden, short, ours).
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let short: String = name.chars().take(TEMP_NAME_PREFIX).collect();
    format!(".{short}.jm")
}

/// Removes temporary files of `target` left by a Journeymap that is no longer running (killed
/// in the middle of a write). Only on Linux, where a process's life can be checked safely.
fn sweep_stale(dir: &Path, target: &Path) {
    #[cfg(target_os = "linux")]
    {
        let prefix = temp_prefix(target);
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name
                .strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(".tmp"))
            else {
                continue;
            };
            let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
                continue;
            };
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (dir, target);
    }
}

/// Whether two paths name the same existing file (also through links).
#[must_use]
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

/// Writes a file atomically, streamed by `write` into a temporary file in the target's
/// folder, flushed, then renamed over the target. A symlink stays a symlink (its target is
/// written); an existing file keeps its mode; a read-only file or something that is not a
/// regular file is refused. On failure the target is untouched and no temporary is left.
///
/// # Errors
/// The system's (or `write`'s) reason.
pub fn write_atomic_raw<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    use std::io::{Error, ErrorKind};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let target = write_target(path);
    let existing = fs::metadata(&target).ok();
    if let Some(m) = &existing {
        if !m.is_file() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "it is not a regular file (a folder, pipe or device)",
            ));
        }
        if m.permissions().readonly() {
            return Err(Error::new(
                ErrorKind::PermissionDenied,
                "the file is read-only; make it writable or choose another name",
            ));
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    sweep_stale(&dir, &target);
    let tmp = dir.join(format!(
        "{}{}-{}.tmp",
        temp_prefix(&target),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    temps().push(tmp.clone());
    let result = (|| {
        let f = fs::File::create(&tmp)?;
        if let Some(m) = &existing {
            f.set_permissions(m.permissions())?;
            keep_owner(&f, m);
        }
        let mut buf = std::io::BufWriter::with_capacity(1 << 20, f);
        let value = write(&mut buf)?;
        buf.flush()?;
        let f = buf
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        drop(f);
        if existing.as_ref().is_some_and(hard_linked) {
            // Renaming would split the file from its other names: the complete, synced copy
            // is written over the file itself, and kept until that is done (a crash in
            // between leaves it beside the file).
            temps().retain(|t| *t != tmp);
            let mut from = fs::File::open(&tmp)?;
            let mut to = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)?;
            std::io::copy(&mut from, &mut to)?;
            to.sync_all()?;
            fs::remove_file(&tmp)?;
            return Ok(value);
        }
        fs::rename(&tmp, &target)?;
        // Make the rename itself durable; not every platform can open a folder, so best effort.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(value)
    })();
    temps().retain(|t| *t != tmp);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_a_bounded_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("small.json");
        fs::write(&f, b"{}").unwrap();
        assert_eq!(read_limited(&f).unwrap(), b"{}");
        let e = read_limited(dir.path()).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
        let big = dir.path().join("big.json");
        fs::write(&big, vec![b' '; 5000]).unwrap();
        let e = read_limited_to(&big, 4096).unwrap_err();
        assert!(e.to_string().contains("at most"), "{e}");
        #[cfg(unix)]
        {
            // A character device (endless zeros) is refused without reading a byte.
            let e = read_limited(Path::new("/dev/zero")).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn writes_keep_hard_links_and_owners() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        fs::write(&a, b"old").unwrap();
        fs::hard_link(&a, &b).unwrap();
        write_atomic_raw(&a, |w| w.write_all(b"new content")).unwrap();
        assert_eq!(
            fs::read(&b).unwrap(),
            b"new content",
            "the other name sees the save"
        );
        assert_eq!(fs::metadata(&a).unwrap().nlink(), 2);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        // Saved by root (as in CI), another user's file stays theirs.
        let theirs = dir.path().join("theirs.json");
        fs::write(&theirs, b"old").unwrap();
        if std::os::unix::fs::chown(&theirs, Some(4242), Some(4343)).is_ok() {
            write_atomic_raw(&theirs, |w| w.write_all(b"new")).unwrap();
            let m = fs::metadata(&theirs).unwrap();
            assert_eq!((m.uid(), m.gid()), (4242, 4343));
        }
    }

    #[cfg(unix)]
    #[test]
    fn writes_keep_links_and_modes_and_refuse_read_only_files() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomic_raw(&link, |w| w.write_all(b"new")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let ro = dir.path().join("ro.png");
        fs::write(&ro, b"keep").unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
        let e = write_atomic_raw(&ro, |w| w.write_all(b"x")).unwrap_err();
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(fs::read(&ro).unwrap(), b"keep");
        // Nothing else was left in the folder.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn long_names_get_short_temporaries_and_stale_ones_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join(format!("{}.json", "x".repeat(240)));
        write_atomic_raw(&long, |w| w.write_all(b"ok")).unwrap();
        assert_eq!(fs::read(&long).unwrap(), b"ok");
        #[cfg(target_os = "linux")]
        {
            // A temporary of a Journeymap that no longer runs (pid beyond the kernel's limit).
            let stale = dir
                .path()
                .join(format!("{}4194999-0.tmp", temp_prefix(&long)));
            fs::write(&stale, b"partial").unwrap();
            write_atomic_raw(&long, |w| w.write_all(b"again")).unwrap();
            assert!(!stale.exists());
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_same_file_is_recognised_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        fs::write(&a, b"x").unwrap();
        assert!(same_file(&a, &dir.path().join(".").join("a.json")));
        assert!(!same_file(&a, &dir.path().join("b.json")));
        #[cfg(unix)]
        {
            let l = dir.path().join("l.svg");
            std::os::unix::fs::symlink(&a, &l).unwrap();
            assert!(same_file(&a, &l));
        }
    }
}
