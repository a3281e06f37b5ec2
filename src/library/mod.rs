//! A library of maps: every map in a folder (and its folders), each summed up for a list —
//! title, persona, stages, last change, pain points by severity, a thumbnail of where its
//! cards are — with its cards indexed for search across all of them ([`search`]). The
//! summaries are cached (per file, by size and modification time) so a folder opens again
//! without reading its maps; the cache is as private as recovery files (owner-only), since
//! it holds card texts.

pub mod links;
pub mod search;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Document, LaneKind};

/// The most map files a library lists; a folder with more lists these and says so.
pub const MAX_FILES: usize = 10_000;
/// How deep folders are walked.
pub const MAX_DEPTH: usize = 12;
/// The cache's format (a cache of another is read again from the maps).
const CACHE_VERSION: u32 = 3;

/// One map of a library.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its file.
    pub path: PathBuf,
    /// The file's size and modification time (Unix seconds) when it was read.
    pub size: u64,
    pub modified: i64,
    /// The map's title.
    pub title: String,
    /// Its first persona's name (empty: none).
    pub persona: String,
    /// Stage names, in order.
    pub stages: Vec<String>,
    /// Cards, and pain points by severity (none given, 1, 2, 3).
    pub cards: usize,
    pub pain: [usize; 4],
    /// Where its cards are: for each lane (top to bottom) its kind and the number of cards
    /// in each stage.
    pub thumb: Vec<(LaneKind, Vec<u16>)>,
    /// Its cards, for search.
    pub index: Vec<search::CardRow>,
    /// Its stages' ids (what links from other maps can point at).
    pub stage_ids: Vec<u64>,
    /// Its cards' links to other maps, for checking them.
    pub links: Vec<links::LinkRow>,
}

impl Entry {
    /// Sums up a map read from `path`.
    #[must_use]
    pub fn of(doc: &Document, path: &Path, size: u64, modified: i64) -> Self {
        let mut pain = [0; 4];
        let lanes: HashMap<_, _> = doc.lanes.iter().map(|l| (l.id, l)).collect();
        let stages: HashMap<_, _> = doc
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, (i, s)))
            .collect();
        let mut thumb: Vec<(LaneKind, Vec<u16>)> = doc
            .lanes
            .iter()
            .map(|l| (l.kind, vec![0; doc.stages.len()]))
            .collect();
        let lane_row: HashMap<_, _> = doc
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id, i))
            .collect();
        let mut index = Vec::with_capacity(doc.cards.len());
        // A card without an owner is owned where its cause is (as the map shows it).
        let inherited = crate::model::inherited_owners(doc);
        for c in &doc.cards {
            let kind = lanes.get(&c.lane).map_or(LaneKind::Custom, |l| l.kind);
            if kind == LaneKind::PainPoints {
                pain[usize::from(c.severity.unwrap_or(0).min(3))] += 1;
            }
            if let (Some(r), Some((s, _))) = (lane_row.get(&c.lane), stages.get(&c.stage)) {
                let cell = &mut thumb[*r].1[*s];
                *cell = cell.saturating_add(1);
            }
            index.push(search::CardRow::of(
                c,
                stages.get(&c.stage).map_or("", |(_, s)| s.name.as_str()),
                kind,
                inherited.get(&c.id).map(String::as_str),
            ));
        }
        Self {
            path: path.to_path_buf(),
            size,
            modified,
            title: doc.title.clone(),
            persona: doc
                .personas
                .first()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            stages: doc.stages.iter().map(|s| s.name.clone()).collect(),
            cards: doc.cards.len(),
            pain,
            thumb,
            index,
            stage_ids: doc.stages.iter().map(|s| s.id.0).collect(),
            links: links::LinkRow::of(doc),
        }
    }
}

/// A file the library left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: String,
}

/// A folder's maps.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// The folder.
    pub root: PathBuf,
    /// Its maps, by path.
    pub entries: Vec<Entry>,
    /// What was left out (not maps, unreadable, over the limits).
    pub skipped: Vec<Skipped>,
    /// How many entries came from the cache (not read again).
    pub cached: usize,
}

/// Where the scan is, for a progress bar: files looked at of those found.
pub trait Progress: Sync {
    /// `done` of `total` files.
    fn at(&self, done: usize, total: usize);
}

impl<F: Fn(usize, usize) + Sync> Progress for F {
    fn at(&self, done: usize, total: usize) {
        self(done, total);
    }
}

/// The files a library looks at: `.json` files under `root` (not in hidden folders, nor in
/// the `*.versions` folders that keep a map's saved versions), at most [`MAX_FILES`].
fn map_files(root: &Path, skipped: &mut Vec<Skipped>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                skipped.push(Skipped {
                    path: dir,
                    why: format!("cannot read the folder: {e}"),
                });
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
        names.sort_by_key(std::fs::DirEntry::file_name);
        for e in names {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            // A symlink is followed to a file, never to a folder (no loops).
            let Ok(kind) = e.file_type() else { continue };
            let path = e.path();
            if kind.is_dir() {
                if name.ends_with(".versions") {
                    continue;
                }
                if depth + 1 < MAX_DEPTH {
                    stack.push((path, depth + 1));
                }
            } else if name.to_ascii_lowercase().ends_with(".json") {
                if out.len() >= MAX_FILES {
                    skipped.push(Skipped {
                        path,
                        why: format!("more than {MAX_FILES} map files: not listed"),
                    });
                    continue;
                }
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn stat(path: &Path) -> Option<(u64, i64)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Some((m.len(), t))
}

impl Library {
    /// Reads every map under `root`, taking from `cache` (a folder; `None`: no cache) what
    /// has not changed since, and writing the cache back.
    #[must_use]
    pub fn open(root: &Path, cache: Option<&Path>, progress: &dyn Progress) -> Self {
        let mut skipped = Vec::new();
        let files = map_files(root, &mut skipped);
        let cache_file = cache.map(|d| d.join(cache_name(root)));
        let old: HashMap<PathBuf, Entry> = cache_file
            .as_deref()
            .and_then(read_cache)
            .unwrap_or_default();
        let mut entries = Vec::with_capacity(files.len());
        let mut cached = 0;
        let total = files.len();
        for (i, path) in files.into_iter().enumerate() {
            if i % 16 == 0 {
                progress.at(i, total);
            }
            let Some((size, modified)) = stat(&path) else {
                skipped.push(Skipped {
                    path,
                    why: "cannot be read".into(),
                });
                continue;
            };
            if let Some(e) = old
                .get(&path)
                .filter(|e| e.size == size && e.modified == modified)
            {
                entries.push(e.clone());
                cached += 1;
                continue;
            }
            match crate::io::load(&path) {
                Ok((doc, _)) => entries.push(Entry::of(&doc, &path, size, modified)),
                Err(e) => skipped.push(Skipped {
                    why: one_line(&e.to_string()),
                    path,
                }),
            }
        }
        progress.at(total, total);
        // Written again when a map was read anew or one it had is gone.
        if let Some(f) = &cache_file
            && (cached != entries.len() || old.len() != cached)
        {
            write_cache(f, &entries);
        }
        Self {
            root: root.to_path_buf(),
            entries,
            skipped,
            cached,
        }
    }

    /// Pain points by owner across the maps, as CSV: owner, map, stage, severity, text.
    #[must_use]
    pub fn pain_by_owner_csv(&self) -> String {
        let mut rows: Vec<(&str, &str, &str, u8, &str)> = Vec::new();
        for e in &self.entries {
            for c in e.index.iter().filter(|c| c.kind == LaneKind::PainPoints) {
                rows.push((&c.owner, &e.title, &c.stage, c.severity, &c.text));
            }
        }
        rows.sort_by(|a, b| {
            (a.0.is_empty(), a.0, std::cmp::Reverse(a.3), a.1).cmp(&(
                b.0.is_empty(),
                b.0,
                std::cmp::Reverse(b.3),
                b.1,
            ))
        });
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let _ = w.write_record(["owner", "map", "stage", "severity", "pain point"]);
        for (owner, map, stage, sev, text) in rows {
            let owner = if owner.is_empty() {
                "(no owner)"
            } else {
                owner
            };
            let sev = if sev == 0 {
                String::new()
            } else {
                sev.to_string()
            };
            let _ = w.write_record([
                crate::io::sheet::guard(owner),
                crate::io::sheet::guard(map),
                crate::io::sheet::guard(stage),
                sev,
                crate::io::sheet::guard(text),
            ]);
        }
        w.into_inner()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cache file of a folder: named after a hash of its path.
fn cache_name(root: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    format!("library-{:016x}.json", h.finish())
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: Vec<Entry>,
}

fn read_cache(path: &Path) -> Option<HashMap<PathBuf, Entry>> {
    let bytes = crate::io::files::read_limited(path).ok()?;
    let c: CacheFile = serde_json::from_slice(&bytes).ok()?;
    (c.version == CACHE_VERSION)
        .then(|| c.entries.into_iter().map(|e| (e.path.clone(), e)).collect())
}

/// Writes the cache owner-only (it holds card texts); a cache that cannot be written is
/// left out (the next open reads the maps again).
fn write_cache(path: &Path, entries: &[Entry]) {
    let Some(dir) = path.parent() else { return };
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    if b.create(dir).is_err() {
        return;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    if o.open(path).is_err() {
        return;
    }
    let file = CacheFile {
        version: CACHE_VERSION,
        entries: entries.to_vec(),
    };
    let _ = crate::io::write_atomic_with(path, |w| {
        serde_json::to_writer(w, &file).map_err(std::io::Error::other)
    });
}

/// The cache folder: `$XDG_CACHE_HOME/journeymap`, else `~/.cache/journeymap`.
#[must_use]
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("journeymap"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::library::search::Query;

    #[test]
    fn a_folder_is_read_once_then_from_the_cache_and_non_maps_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("m.versions")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        let mut doc = crate::model::sample_map();
        crate::io::save_atomic(&root.join("m.json"), &doc).unwrap();
        crate::io::save_atomic(&root.join("a/b/deep.journeymap.json"), &doc).unwrap();
        crate::io::save_atomic(&root.join("m.versions/old.journeymap.json"), &doc).unwrap();
        crate::io::save_atomic(&root.join(".hidden/x.json"), &doc).unwrap();
        std::fs::write(root.join("a/junk.json"), "[1, 2").unwrap();
        std::fs::write(root.join("a/readme.txt"), "hello").unwrap();

        let lib = Library::open(root, Some(cache.path()), &|_, _| {});
        let names: Vec<_> = lib
            .entries
            .iter()
            .map(|e| e.path.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [
                PathBuf::from("a/b/deep.journeymap.json"),
                PathBuf::from("m.json")
            ]
        );
        assert_eq!(lib.skipped.len(), 1);
        assert!(lib.skipped[0].path.ends_with("a/junk.json"));
        assert_eq!(lib.cached, 0);
        let e = &lib.entries[1];
        assert_eq!(e.title, doc.title);
        assert_eq!(e.stages.len(), doc.stages.len());
        assert_eq!(
            e.thumb
                .iter()
                .map(|(_, c)| c.iter().map(|n| usize::from(*n)).sum::<usize>())
                .sum::<usize>(),
            doc.cards.len()
        );

        // Again: from the cache; a changed map is read anew.
        let again = Library::open(root, Some(cache.path()), &|_, _| {});
        assert_eq!(again.cached, 2);
        doc.title = "Changed".into();
        doc.cards.truncate(3);
        crate::io::save_atomic(&root.join("m.json"), &doc).unwrap();
        let third = Library::open(root, Some(cache.path()), &|_, _| {});
        assert_eq!(third.cached, 1);
        assert_eq!(third.entries[1].title, "Changed");
        assert_eq!(third.entries[1].cards, 3);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let f = std::fs::read_dir(cache.path())
                .unwrap()
                .next()
                .unwrap()
                .unwrap();
            assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }

        // Search across both; pain points by owner as CSV.
        let hits = third.search(&Query::parse("fee owner:billing").unwrap());
        assert!(
            hits.iter()
                .all(|h| h.path.ends_with("deep.journeymap.json"))
        );
        assert!(!hits.is_empty());
        let csv = third.pain_by_owner_csv();
        assert!(
            csv.starts_with("owner,map,stage,severity,pain point\n"),
            "{csv}"
        );
        assert!(
            csv.contains("Billing,Sorting out a surprise on my bill,First bill,3,"),
            "{csv}"
        );
    }
}
