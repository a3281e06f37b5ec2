//! Named, dated versions of a map, kept as ordinary map files in a folder beside it:
//! `bill.journeymap.json` keeps `bill.versions/2026-12-04 20.31.05 Before the workshop.journeymap.json`.
//! Each version opens, diffs and merges like any map, git keeps them with the map, and the
//! map file itself stays the size of one map. A version is as private as its map: the folder
//! and files get the map file's permissions (an owner-only map keeps owner-only versions).

use std::path::{Path, PathBuf};

use super::{LoadError, SaveError};
use crate::model::Document;

/// The ending of a version's file name (a map file like any other).
const SUFFIX: &str = ".journeymap.json";
/// The longest version name kept in a file name, in characters.
pub const MAX_NAME: usize = 80;
/// The most versions listed (newest first); a folder with more lists these and says so.
pub const MAX_LISTED: usize = 2_000;

/// One saved version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Its file.
    pub path: PathBuf,
    /// Its name.
    pub name: String,
    /// When it was saved (UTC), `YYYY-MM-DD HH:MM:SS`.
    pub saved: String,
}

/// The versions of the map at `map`, newest first, and how many more the folder holds past
/// [`MAX_LISTED`]. Files that are not versions are left out.
///
/// # Errors
/// A folder that exists but cannot be read.
pub fn list(map: &Path) -> std::io::Result<(Vec<Version>, usize)> {
    let dir = folder(map);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let mut out: Vec<Version> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file = e.file_name().to_str()?.to_string();
            parse(&file).map(|(saved, name)| Version {
                path: e.path(),
                name,
                saved,
            })
        })
        .collect();
    // Newest first: by the time in the name, then (saved within one second) the file's.
    let modified = |v: &Version| std::fs::metadata(&v.path).and_then(|m| m.modified()).ok();
    out.sort_by_cached_key(|v| std::cmp::Reverse((v.saved.clone(), modified(v))));
    let more = out.len().saturating_sub(MAX_LISTED);
    out.truncate(MAX_LISTED);
    Ok((out, more))
}

/// Saves `doc` as a version of the map at `map`, named `name`, at Unix time `now`.
///
/// # Errors
/// The folder or file cannot be made or written: [`SaveError`] naming it.
pub fn save(map: &Path, doc: &Document, name: &str, now: i64) -> Result<Version, SaveError> {
    let dir = folder(map);
    let err = |p: &Path, source| SaveError {
        path: p.display().to_string(),
        source,
    };
    let mode = private_mode(map);
    make_folder(&dir, mode).map_err(|e| err(&dir, e))?;
    let name = clean(name);
    let stamp = stamp(now);
    let mut path = dir.join(format!("{stamp} {name}{SUFFIX}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stamp} {name} {n}{SUFFIX}"));
        n += 1;
    }
    make_file(&path, mode).map_err(|e| err(&path, e))?;
    super::save_atomic(&path, doc)?;
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
    let (saved, name) = file.as_deref().and_then(parse).unwrap_or_default();
    Ok(Version { path, name, saved })
}

/// Reads a version.
///
/// # Errors
/// As opening a map: [`LoadError`] naming the file.
pub fn load(v: &Version) -> Result<Document, LoadError> {
    super::load(&v.path).map(|(d, _)| d)
}

/// The folder a map's versions are kept in: beside it, named after it.
#[must_use]
pub fn folder(map: &Path) -> PathBuf {
    let file = map
        .file_name()
        .map_or_else(|| "map".to_string(), |f| f.to_string_lossy().into_owned());
    let stem = file
        .strip_suffix(SUFFIX)
        .or_else(|| file.strip_suffix(".json"))
        .unwrap_or(&file);
    map.with_file_name(format!("{stem}.versions"))
}

/// A name fit for a file name: trimmed, without path separators or characters some systems
/// refuse, at most [`MAX_NAME`] characters; "Version" when nothing is left.
fn clean(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '-'
            } else {
                c
            }
        })
        .take(MAX_NAME)
        .collect();
    let s = s.trim().trim_start_matches('.').trim().to_string();
    if s.is_empty() {
        "Version".to_string()
    } else {
        s
    }
}

/// `YYYY-MM-DD HH.MM.SS` (UTC): sorts by time, and has no `:` (refused in Windows names).
fn stamp(secs: i64) -> String {
    let t = secs.rem_euclid(86_400);
    format!(
        "{} {:02}.{:02}.{:02}",
        crate::text::date_of(secs),
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// A version's file name read back: (saved, name).
fn parse(file: &str) -> Option<(String, String)> {
    let rest = file.strip_suffix(SUFFIX)?;
    let (date, rest) = rest.split_at_checked(10)?;
    let (time, name) = rest.strip_prefix(' ')?.split_at_checked(8)?;
    let digits = |s: &str, seps: &[usize], sep: char| {
        s.char_indices().all(|(i, c)| {
            if seps.contains(&i) {
                c == sep
            } else {
                c.is_ascii_digit()
            }
        })
    };
    if !digits(date, &[4, 7], '-') || !digits(time, &[2, 5], '.') {
        return None;
    }
    let name = name.strip_prefix(' ')?.to_string();
    Some((format!("{date} {}", time.replace('.', ":")), name))
}

/// The permission bits the map file has (owner-only when it cannot be read).
fn private_mode(map: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(map).map_or(0o600, |m| m.permissions().mode() & 0o666)
    }
    #[cfg(not(unix))]
    {
        let _ = map;
        0o600
    }
}

/// The folder, made with the map's permissions (and the search bit where it can be read).
fn make_folder(dir: &Path, mode: u32) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        let search = (mode & 0o444) >> 2;
        std::os::unix::fs::DirBuilderExt::mode(&mut b, mode | search | 0o700);
    }
    #[cfg(not(unix))]
    let _ = mode;
    b.create(dir)
}

/// The file, made empty with the map's permissions before anything is written into it (an
/// atomic write keeps its mode).
fn make_file(path: &Path, mode: u32) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, mode | 0o600);
    #[cfg(not(unix))]
    let _ = mode;
    o.open(path).map(drop)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    #[test]
    fn versions_are_map_files_beside_the_map_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("bill.journeymap.json");
        let mut doc = crate::model::sample_map();
        super::super::save_atomic(&map, &doc).unwrap();
        assert_eq!(list(&map).unwrap(), (Vec::new(), 0));
        let a = save(&map, &doc, "Before the workshop", 1_795_478_400).unwrap();
        doc.title = "After".into();
        let b = save(&map, &doc, "  after: day 1/2 ", 1_795_482_061).unwrap();
        // Same second, same name: a second file, not the first replaced.
        let c = save(&map, &doc, "after: day 1/2", 1_795_482_061).unwrap();
        assert_eq!(a.path.parent().unwrap(), dir.path().join("bill.versions"));
        assert_eq!(
            a.path.file_name().unwrap(),
            "2026-11-24 00.00.00 Before the workshop.journeymap.json"
        );
        assert_eq!(b.name, "after- day 1-2");
        assert_eq!(b.saved, "2026-11-24 01:01:01");
        assert_eq!(c.name, "after- day 1-2 2");
        std::fs::write(dir.path().join("bill.versions/notes.txt"), "x").unwrap();
        let (all, more) = list(&map).unwrap();
        assert_eq!(more, 0);
        let names: Vec<_> = all.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["after- day 1-2 2", "after- day 1-2", "Before the workshop"]
        );
        assert_eq!(
            load(&all[2]).unwrap().title,
            crate::model::sample_map().title
        );
        assert_eq!(load(&all[0]).unwrap().title, "After");
    }

    #[cfg(unix)]
    #[test]
    fn a_private_map_keeps_private_versions() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("secret.json");
        super::super::save_atomic(&map, &crate::model::sample_map()).unwrap();
        std::fs::set_permissions(&map, std::fs::Permissions::from_mode(0o600)).unwrap();
        let v = save(&map, &crate::model::sample_map(), "v", 0).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&v.path), 0o600);
        assert_eq!(mode(&dir.path().join("secret.versions")), 0o700);
    }

    #[test]
    fn odd_names_are_made_safe() {
        assert_eq!(clean(""), "Version");
        assert_eq!(clean("../../etc"), "-..-etc");
        assert_eq!(clean("a\u{0}b\nc"), "a-b-c");
        assert_eq!(clean(&"x".repeat(500)).chars().count(), MAX_NAME);
        assert!(parse("2026-11-24 00.00.00 ok.journeymap.json").is_some());
        assert!(parse("notes.journeymap.json").is_none());
        assert!(parse("2026-11-24 0a.00.00 x.journeymap.json").is_none());
    }
}
