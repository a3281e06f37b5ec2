//! Reading and writing maps: the versioned JSON envelope, atomic saves and the JSON Schema.

pub mod files;
mod json;
pub mod mermaid;
pub mod refresh;
pub mod sheet;
pub mod table;
pub mod templates;
mod v1;
pub mod versions;

pub use json::{
    CURRENT_VERSION, FIRST_VERSION, FORMAT_NAME, FileStamp, LoadError, SaveError, from_json_str,
    from_json_str_repaired, load, load_repaired, save_atomic, schema_json, to_json_string,
    write_atomic, write_atomic_with,
};

/// A file of another tool read into a map, with what the reader had to say about it.
#[derive(Debug)]
pub struct Imported {
    /// The map.
    pub doc: crate::model::Document,
    /// Things kept but not as written ("line 7: score “Hello” is not a number …").
    pub warnings: Vec<String>,
}

/// A format [`import`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Mermaid `journey` text (`.mmd`, `.mermaid`).
    Mermaid,
    /// A CSV table, one row per card (`.csv`).
    Csv,
}

/// The import format of a file, from its extension (`None`: not one we import).
#[must_use]
pub fn import_format(path: &std::path::Path) -> Option<ImportFormat> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "mmd" | "mermaid" => Some(ImportFormat::Mermaid),
        "csv" => Some(ImportFormat::Csv),
        _ => None,
    }
}

/// Reads `bytes` as UTF-8 text (a BOM read past), or says where it is not.
///
/// # Errors
/// The line and column of the first byte that is not UTF-8.
pub fn utf8_text<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        LoadError::Syntax {
            path: name.to_owned(),
            line: before.split(|b| *b == b'\n').count(),
            column: before.iter().rev().take_while(|b| **b != b'\n').count() + 1,
            message: "the file is not UTF-8 text".into(),
        }
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Reads a map from another tool's file, by its extension: Mermaid (`.mmd`, `.mermaid`) or a
/// CSV table (`.csv`).
///
/// # Errors
/// An unreadable file, an unknown extension, or what the reader rejects (with line and column).
pub fn import(path: &std::path::Path) -> Result<Imported, LoadError> {
    let name = path.display().to_string();
    let Some(format) = import_format(path) else {
        return Err(LoadError::Invalid {
            path: name,
            message: "unknown import format (use a Mermaid .mmd or a CSV .csv file)".into(),
        });
    };
    let bytes = files::read_limited(path).map_err(|source| LoadError::Io {
        path: name.clone(),
        source,
    })?;
    let text = utf8_text(&bytes, &name)?;
    match format {
        ImportFormat::Mermaid => mermaid::import(text, &name),
        ImportFormat::Csv => table::import(text, &name),
    }
}
