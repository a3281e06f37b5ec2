//! The file format: `{"format": "journeymap", "version": N, "map": {...}}`.
//!
//! Output is deterministic (struct field order, `Vec`s, two-space indent, trailing newline),
//! so saving twice gives identical bytes and a small edit gives a small diff. Older versions
//! pass through [`migrate`]; newer ones are refused so they are never overwritten by a save.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::Document;

/// The value of the envelope's `format` field.
pub const FORMAT_NAME: &str = "journeymap";
/// The version this build writes, and the newest it reads. Version 3 made order data (a
/// `pos` key on every stage, lane and card) and ids random (no `next_id`); version 2 added
/// several curves, links, richer personas and card marks. Older files are upgraded as they
/// are read (version 2's order becomes keys; version 1's one curve carries over).
pub const CURRENT_VERSION: u32 = 3;
/// The oldest version this build reads.
pub const FIRST_VERSION: u32 = 1;

/// Why a map could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The text is not valid JSON, or a value has the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// Valid JSON, but not a Journeymap file.
    #[error("{path}: not a Journeymap map (expected \"format\": \"journeymap\" at the top)")]
    NotAMap {
        /// The file.
        path: String,
    },
    /// A Journeymap file without a usable version number.
    #[error(
        "{path}: the map has {what}; Journeymap files say \"version\": {FIRST_VERSION} to {CURRENT_VERSION}"
    )]
    BadVersion {
        /// The file.
        path: String,
        /// What is wrong ("no \"version\"", "version 0").
        what: String,
    },
    /// Written by a newer Journeymap.
    #[error(
        "{path}: the map is format version {found}, newer than this Journeymap reads (up to {CURRENT_VERSION}); \
         update Journeymap to open it"
    )]
    NewerVersion {
        /// The file.
        path: String,
        /// The version in the file.
        found: u32,
    },
    /// Well-formed, but inconsistent (a card in a stage that does not exist …).
    #[error("{path}: invalid map: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A table that is not a map (a survey) that cannot be used, and why.
    #[error("{path}: {message}")]
    Table {
        /// The file.
        path: String,
        /// What is wrong, with its row and column.
        message: String,
    },
}

/// Why a map could not be saved.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot save: {source}")]
pub struct SaveError {
    /// The file.
    pub path: String,
    /// What the system said.
    pub source: std::io::Error,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Serialize, Deserialize)]
struct Envelope<M> {
    format: String,
    version: u32,
    map: M,
}

fn syntax(path: &str, text: &str, e: &serde_json::Error) -> LoadError {
    let message = e.to_string();
    // serde_json appends " at line L column C"; the location is already in front.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let (mut line, mut column) = (e.line(), e.column());
    if column == 0 && line > 1 {
        // serde_json says "column 0" when the text ends right after a line break: the place
        // to look is the end of the line before.
        line -= 1;
        column = text.lines().nth(line - 1).map_or(0, |l| l.chars().count()) + 1;
    }
    LoadError::Syntax {
        path: path.to_string(),
        line,
        column: column.max(1),
        message,
    }
}

/// Reads a map from JSON text; `path` only names the source in errors. Older versions are
/// upgraded (version 1: its one curve and persona carry over); type errors keep their line
/// and column in every version.
///
/// # Errors
/// [`LoadError`] with file, line and column for syntax and type errors.
pub fn from_json_str(text: &str, path: &str) -> Result<Document, LoadError> {
    from_json_str_repaired(text, path).map(|(doc, _)| doc)
}

/// Like [`from_json_str`], also saying what [`Document::normalize`] repaired (a dangling
/// reference, a repeated id …); a file from an older version is upgraded without a word.
///
/// # Errors
/// [`LoadError`] with file, line and column for syntax and type errors; a map over a size
/// limit is refused.
pub fn from_json_str_repaired(
    text: &str,
    path: &str,
) -> Result<(Document, crate::model::Repairs), LoadError> {
    // Editors on Windows save UTF-8 with a byte-order mark: it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header: Header = serde_json::from_str(text).map_err(|e| syntax(path, text, &e))?;
    if header.format.as_deref() != Some(FORMAT_NAME) {
        return Err(LoadError::NotAMap { path: path.into() });
    }
    let version = match header.version {
        None => {
            return Err(LoadError::BadVersion {
                path: path.into(),
                what: "no \"version\"".into(),
            });
        }
        Some(v) if v > CURRENT_VERSION => {
            return Err(LoadError::NewerVersion {
                path: path.into(),
                found: v,
            });
        }
        Some(v) if v < FIRST_VERSION => {
            return Err(LoadError::BadVersion {
                path: path.into(),
                what: format!("version {v}"),
            });
        }
        Some(v) => v,
    };
    let mut doc = if version == 1 {
        // Straight from the text, so type errors keep their line and column.
        let env: Envelope<super::v1::DocumentV1> =
            serde_json::from_str(text).map_err(|e| syntax(path, text, &e))?;
        env.map.upgrade()
    } else {
        let env: Envelope<Document> =
            serde_json::from_str(text).map_err(|e| syntax(path, text, &e))?;
        env.map
    };
    let invalid = |message| LoadError::Invalid {
        path: path.into(),
        message,
    };
    doc.check_limits().map_err(invalid)?;
    let repairs = doc.normalize();
    // A normalised map is valid (property-tested on mutated files); debug builds, and so
    // every test, check it again.
    #[cfg(debug_assertions)]
    doc.validate().map_err(invalid)?;
    Ok((doc, repairs))
}

/// The file's bytes for a map: deterministic, pretty-printed, ending in a newline.
#[must_use]
pub fn to_json_string(doc: &Document) -> String {
    let env = Envelope {
        format: FORMAT_NAME.to_string(),
        version: CURRENT_VERSION,
        map: doc,
    };
    // Serialising plain data with string keys cannot fail.
    let mut s = serde_json::to_string_pretty(&env).unwrap_or_default();
    s.push('\n');
    s
}

/// What a file looked like when it was read or written, to notice changes made by others.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    /// Length in bytes.
    pub len: u64,
    /// A hash of the content.
    pub hash: u64,
}

impl FileStamp {
    /// The stamp of some bytes.
    #[must_use]
    pub fn of(bytes: &[u8]) -> Self {
        use std::hash::{Hash as _, Hasher as _};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        Self {
            len: bytes.len() as u64,
            hash: h.finish(),
        }
    }

    /// The stamp of a file as it is on disk now (`None` if it cannot be read).
    #[must_use]
    pub fn read(path: &Path) -> Option<Self> {
        super::files::read_limited(path).ok().map(|b| Self::of(&b))
    }
}

/// Reads a map file.
///
/// # Errors
/// [`LoadError`], with the path in its message.
pub fn load(path: &Path) -> Result<(Document, FileStamp), LoadError> {
    load_repaired(path).map(|(doc, stamp, _)| (doc, stamp))
}

/// Reads a map file, also saying what was repaired in it.
///
/// # Errors
/// [`LoadError`], with the path in its message.
pub fn load_repaired(
    path: &Path,
) -> Result<(Document, FileStamp, crate::model::Repairs), LoadError> {
    let name = path.display().to_string();
    let bytes = super::files::read_limited(path).map_err(|source| LoadError::Io {
        path: name.clone(),
        source,
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.split(|b| *b == b'\n').count();
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        LoadError::Syntax {
            path: name.clone(),
            line,
            column,
            message: "the file is not UTF-8 text".into(),
        }
    })?;
    let (doc, repairs) = from_json_str_repaired(text, &name)?;
    Ok((doc, FileStamp::of(&bytes), repairs))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over the target (a symlink's target; the file's mode kept; a read-only file
/// refused). On failure the target is untouched and no temporary is left.
///
/// # Errors
/// [`SaveError`] with the path and the system's reason.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// Like [`write_atomic`], with the content streamed by `write` (which gets a buffered writer
/// to the temporary file): an error from `write` leaves the target untouched too.
///
/// # Errors
/// [`SaveError`] with the path and the system's (or `write`'s) reason.
pub fn write_atomic_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<T>,
) -> Result<T, SaveError> {
    super::files::write_atomic_raw(path, write).map_err(|source| SaveError {
        path: path.display().to_string(),
        source,
    })
}

/// Saves a map atomically and returns the stamp of what was written.
///
/// # Errors
/// [`SaveError`] with the path and the system's reason.
pub fn save_atomic(path: &Path, doc: &Document) -> Result<FileStamp, SaveError> {
    let text = to_json_string(doc);
    write_atomic(path, text.as_bytes())?;
    Ok(FileStamp::of(text.as_bytes()))
}

/// The JSON Schema of the file format, generated from the Rust types.
#[must_use]
pub fn schema_json() -> String {
    #[derive(schemars::JsonSchema)]
    #[expect(dead_code, reason = "only its schema is used")]
    /// A Journeymap file.
    struct JourneymapFile {
        /// Always "journeymap".
        format: String,
        /// The format version (2).
        version: u32,
        /// The map.
        map: Document,
    }
    let schema = schemars::schema_for!(JourneymapFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample_map;

    #[test]
    fn round_trip_and_deterministic() {
        let doc = sample_map();
        let a = to_json_string(&doc);
        let back = from_json_str(&a, "x").unwrap();
        assert_eq!(back, doc);
        assert_eq!(to_json_string(&back), a);
    }

    #[test]
    fn errors_have_positions() {
        let e = from_json_str(
            "{\n  \"format\": \"journeymap\",\n  \"version\": 1,\n  \"map\": {\"title\": 3",
            "f.json",
        )
        .unwrap_err();
        let LoadError::Syntax { line, .. } = e else {
            panic!("{e}")
        };
        assert_eq!(line, 4);
        let e =
            from_json_str(r#"{"format":"journeymap","version":7,"map":{}}"#, "f.json").unwrap_err();
        assert!(matches!(e, LoadError::NewerVersion { found: 7, .. }), "{e}");
        let e = from_json_str(r#"{"hello": 1}"#, "f.json").unwrap_err();
        assert!(matches!(e, LoadError::NotAMap { .. }), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_read_past_and_huge_scales_repaired() {
        let text = to_json_string(&crate::model::sample_map());
        let with_bom = format!("\u{feff}{text}");
        assert!(from_json_str(&with_bom, "bom.json").is_ok());
        // A scale far out (min and max the same f32) would draw NaNs: the map opens with the
        // default scale, and says so.
        let far = text
            .replacen("\"min\": -2", "\"min\": -16777216", 1)
            .replacen("\"max\": 2", "\"max\": -16777214", 1);
        let (doc, repairs) = from_json_str_repaired(&far, "far.json").unwrap();
        assert_eq!(doc.emotion.scale, crate::model::EmotionScale::default());
        assert!(
            repairs.to_string().contains("-16777216..-16777214"),
            "{repairs}"
        );
    }

    #[test]
    fn maps_over_a_limit_and_deep_nesting_are_refused_with_a_reason() {
        let mut doc = crate::model::sample_map();
        for i in 0..201 {
            let id = crate::model::PersonaId(doc.unused_id());
            doc.personas
                .push(crate::model::Persona::named(id, format!("P{i}")));
        }
        let e = from_json_str(&to_json_string(&doc), "many.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 200"), "{e}");
        let mut doc = crate::model::sample_map();
        doc.card_at_mut(0).text = "x".repeat(crate::model::limits::MAX_TEXT + 1);
        let e = from_json_str(&to_json_string(&doc), "long.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("characters long"), "{e}");
        // Nesting far deeper than any map: an error with a position, not a stack overflow.
        let deep = format!(
            "{{\"format\": \"journeymap\", \"version\": 2, \"map\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let e = from_json_str(&deep, "deep.json").unwrap_err();
        assert!(matches!(e, LoadError::Syntax { .. }), "{e}");
    }

    #[test]
    fn version_0_and_a_missing_version_are_refused_by_name() {
        let e =
            from_json_str(r#"{"format":"journeymap","version":0,"map":{}}"#, "f.json").unwrap_err();
        assert!(e.to_string().contains("version 0"), "{e}");
        let e = from_json_str(r#"{"format":"journeymap","map":{}}"#, "f.json").unwrap_err();
        assert!(e.to_string().contains("no \"version\""), "{e}");
    }
}
