//! Native file dialogs behind a trait, so tests never open one and the app can say when no
//! dialog could be shown (rfd answers `None` both for "cancelled" and "no dialog available").

use std::path::PathBuf;

/// Picks files for Open and Save As.
pub trait FileDialogs {
    /// A map to open, or `None` (cancelled, or no dialog available).
    fn pick_open(&self) -> Option<PathBuf>;
    /// Where to save, or `None`.
    fn pick_save(&self, suggested_name: &str) -> Option<PathBuf>;
    /// A Mermaid or CSV file to import, or `None`.
    fn pick_import(&self) -> Option<PathBuf> {
        None
    }
    /// A survey table to read, or `None`.
    fn pick_survey(&self) -> Option<PathBuf> {
        None
    }
    /// Where to export (`extension` without the dot), or `None`.
    fn pick_export(&self, _suggested_name: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
    /// A folder of maps (the library), or `None`.
    fn pick_folder(&self) -> Option<PathBuf> {
        None
    }
}

/// The system's dialogs, through rfd (XDG portal, then zenity).
pub struct RfdDialogs;

impl FileDialogs for RfdDialogs {
    fn pick_open(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Journeymap map", &["json"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn pick_import(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Mermaid journey or CSV", &["mmd", "mermaid", "csv"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn pick_survey(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Survey table (CSV)", &["csv"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn pick_save(&self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Journeymap map", &["json"])
            .set_file_name(suggested_name)
            .save_file()
    }

    fn pick_export(&self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(extension.to_ascii_uppercase(), &[extension])
            .set_file_name(suggested_name)
            .save_file()
    }

    fn pick_folder(&self) -> Option<PathBuf> {
        rfd::FileDialog::new().pick_folder()
    }
}

/// No dialogs at all (tests, and machines without a portal): always `None`.
pub struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn pick_open(&self) -> Option<PathBuf> {
        None
    }

    fn pick_save(&self, _suggested_name: &str) -> Option<PathBuf> {
        None
    }
}
