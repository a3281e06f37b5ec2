//! `journeymap diff` and `journeymap merge`: versions of a map compared and merged, for
//! people and for git (an external diff driver, a merge driver).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{json_for_terminal, load, printable};

/// `journeymap diff`: the text (or JSON) and whether the maps differ (never, for git, whose
/// external diff driver must exit 0).
///
/// # Errors
/// A file that cannot be read as a map, or a number of files that is neither 2 nor git's 7.
pub fn diff(files: &[PathBuf], format: &str) -> anyhow::Result<(String, bool)> {
    let (a, b, git) = match files {
        [a, b] => (a, b, None),
        [path, a, _, _, b, _, _] => (a, b, Some(path)),
        _ => anyhow::bail!(
            "diff takes two maps (older, newer), or the seven arguments git gives a diff driver"
        ),
    };
    let (old, _) = load(a)?;
    let (new, _) = load(b)?;
    let d = crate::compare::maps(&old, &new);
    let text = if format == "json" {
        json_for_terminal(&serde_json::to_string(&d)?)
    } else {
        let body = printable(&d.to_text());
        match git {
            Some(p) => format!(
                "journeymap diff {}\n{}",
                printable(&p.display().to_string()),
                body.trim_end()
            ),
            None => body.trim_end().to_string(),
        }
    };
    Ok((text, git.is_none() && !d.is_empty()))
}

/// What `journeymap merge` did.
#[derive(Debug)]
pub struct MergeOutcome {
    /// What was merged and each conflict, safe for a terminal.
    pub summary: String,
    /// The merged map's file text when no output was named (for standard output; the
    /// summary then goes to standard error).
    pub map: Option<String>,
    /// How many conflicts the merged map holds (its own and new ones).
    pub conflicts: usize,
}

/// `journeymap merge`: merges, writes the merged map (or prints it), and says what was
/// merged and which conflicts are marked.
///
/// # Errors
/// A file that cannot be read as a map (nothing is written then), or the output cannot be
/// written.
pub fn merge(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    output: Option<&Path>,
) -> anyhow::Result<MergeOutcome> {
    let (b, _) = load(base)?;
    let (o, _) = load(ours)?;
    let (t, _) = load(theirs)?;
    let m = crate::compare::merge(&b, &o, &t);
    let d = &m.doc;
    let mut text = String::new();
    let (from_o, from_t) = (
        crate::compare::maps(&b, &o).changes.len(),
        crate::compare::maps(&b, &t).changes.len(),
    );
    let _ = write!(
        text,
        "Merged {from_o} change(s) of ours and {from_t} of theirs"
    );
    match (m.new_conflicts, d.conflicts.len()) {
        (_, 0) => text.push_str(": no conflicts"),
        (n, all) if n == all => {
            let _ = write!(text, "; {n} conflict(s) marked in the map:");
        }
        (n, all) => {
            let _ = write!(
                text,
                "; {n} new conflict(s), {all} marked in the map in all:"
            );
        }
    }
    for c in &d.conflicts {
        let _ = write!(
            text,
            "\n  {}\n      {}",
            crate::compare::thing_label(d, c),
            crate::compare::conflict_text(d, c)
        );
    }
    for f in &m.kept_ours {
        let _ = write!(text, "\n  both sides changed the map's {f}: ours is kept");
    }
    if let Some(out) = output {
        crate::io::save_atomic(out, d).map_err(|e| {
            anyhow::anyhow!(
                "could not write {}: {e}",
                printable(&out.display().to_string())
            )
        })?;
        if !d.conflicts.is_empty() {
            let _ = write!(
                text,
                "\nOpen {} in Journeymap to settle them (File \u{2192} Merge conflicts).",
                printable(&out.display().to_string())
            );
        }
    }
    // Each line made safe for a terminal (names and texts come from the files).
    let summary: Vec<String> = text.lines().map(printable).collect();
    let map = output.is_none().then(|| {
        let json = crate::io::to_json_string(d);
        let lines: Vec<String> = json.trim_end().lines().map(json_for_terminal).collect();
        lines.join("\n")
    });
    Ok(MergeOutcome {
        summary: summary.join("\n"),
        map,
        conflicts: d.conflicts.len(),
    })
}
