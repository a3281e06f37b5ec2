//! `journeymap library` and `journeymap search`: every map in a folder, and cards across
//! them, from the command line (the cache the app uses is shared).

use std::fmt::Write as _;
use std::path::Path;

use super::printable;
use crate::library::search::Query;
use crate::library::{Library, default_cache_dir};

fn open(folder: &Path) -> anyhow::Result<Library> {
    if !folder.is_dir() {
        anyhow::bail!("{}: not a folder", printable(&folder.display().to_string()));
    }
    let cache = default_cache_dir();
    Ok(Library::open(folder, cache.as_deref(), &|_, _| {}))
}

/// A map's path as printed: relative to the folder.
fn shown(lib: &Library, p: &Path) -> String {
    printable(&p.strip_prefix(&lib.root).unwrap_or(p).display().to_string())
}

/// `journeymap library FOLDER`: a line a map (title, persona, stages, cards, pain points by
/// severity), what was skipped and why; or, with `pain_by_owner`, that table as CSV.
///
/// # Errors
/// A folder that is not one.
pub fn library(folder: &Path, pain_by_owner: bool) -> anyhow::Result<String> {
    let lib = open(folder)?;
    if pain_by_owner {
        return Ok(lib.pain_by_owner_csv().trim_end().to_string());
    }
    let mut out = String::new();
    for e in &lib.entries {
        let [none, s1, s2, s3] = e.pain;
        let _ = writeln!(
            out,
            "{}: {}{} \u{2014} {} stages, {} cards, pain points: {s3} severe, {s2} major, {s1} minor{}",
            shown(&lib, &e.path),
            printable(&e.title),
            if e.persona.is_empty() {
                String::new()
            } else {
                format!(" ({})", printable(&e.persona))
            },
            e.stages.len(),
            e.cards,
            if none > 0 {
                format!(", {none} unrated")
            } else {
                String::new()
            }
        );
    }
    let _ = write!(out, "{} maps", lib.entries.len());
    if !lib.skipped.is_empty() {
        let _ = write!(out, "; skipped {}:", lib.skipped.len());
        for s in &lib.skipped {
            let _ = write!(out, "\n  {}: {}", shown(&lib, &s.path), printable(&s.why));
        }
    }
    let broken = lib.broken_links();
    if !broken.is_empty() {
        let _ = write!(
            out,
            "\n{} broken:",
            crate::text::count(broken.len(), "link")
        );
        for b in &broken {
            let _ = write!(
                out,
                "\n  {}: \u{201c}{}\u{201d} {}: {}",
                shown(&lib, &b.from),
                printable(&crate::text::short(&b.text, 50)),
                printable(&b.link.describe()),
                printable(&b.why)
            );
        }
    }
    Ok(out)
}

/// `journeymap search FOLDER QUERY`: each matching card with its map, stage and lane.
///
/// # Errors
/// A folder that is not one, a query that cannot be read.
pub fn search(folder: &Path, query: &str, json: bool) -> anyhow::Result<String> {
    let q = Query::parse(query).map_err(anyhow::Error::msg)?;
    let lib = open(folder)?;
    let hits = lib.search(&q);
    if json {
        return Ok(super::json_for_terminal(&serde_json::to_string(&hits)?));
    }
    let mut out = String::new();
    for h in &hits {
        let c = h.card;
        let mut tags = Vec::new();
        for t in [&c.owner, &c.channel] {
            if !t.is_empty() {
                tags.push(t.clone());
            }
        }
        if c.severity > 0 {
            tags.push(format!("severity {}", c.severity));
        }
        for (n, v) in &c.metrics {
            tags.push(format!("{n} {v}"));
        }
        let _ = writeln!(
            out,
            "{} ({}) \u{b7} {} \u{b7} {}: {}{}",
            printable(h.map),
            shown(&lib, h.path),
            printable(&c.stage),
            c.kind.label(),
            printable(&c.text.replace('\n', " ")),
            if tags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", printable(&tags.join(", ")))
            }
        );
    }
    let maps: std::collections::HashSet<_> = hits.iter().map(|h| h.path).collect();
    let _ = write!(
        out,
        "{} in {} of {} maps",
        crate::text::count(hits.len(), "card"),
        maps.len(),
        lib.entries.len()
    );
    Ok(out)
}
