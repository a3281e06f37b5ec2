//! `journeymap refresh`: a map's sourced metrics read again from their data.

use std::fmt::Write as _;
use std::path::Path;

use super::{load, printable};

/// Reads the map's sourced metrics again, writes the map (unless `dry_run`), and says what
/// changed, what could not be read, and which metrics are still stale.
///
/// # Errors
/// A map that cannot be read or written.
pub fn refresh(map: &Path, dry_run: bool) -> anyhow::Result<String> {
    let (mut doc, _) = load(map)?;
    let dir = map.parent().unwrap_or(Path::new("."));
    let today = crate::render::export_date();
    let r = crate::io::refresh::refresh(&mut doc, dir, &today);
    let mut out = String::new();
    for l in &r.lines {
        let _ = writeln!(out, "{}", printable(l));
    }
    if r.updated + r.failed == 0 {
        out.push_str("No metric of this map names a source.");
        return Ok(out);
    }
    let _ = write!(out, "{} read, {} not read", r.updated, r.failed);
    if r.updated > 0 && !dry_run {
        crate::io::save_atomic(map, &doc)?;
        let _ = write!(out, "; {} saved", printable(&map.display().to_string()));
    }
    Ok(out)
}
