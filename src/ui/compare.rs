//! The compare view (File → Compare with…): the map drawn with what changed since another
//! map or a saved version marked on it (see [`crate::compare::view`]), a window listing the
//! changes (a click selects the card) with the summary, and exports of it like any view.
//! While it is on, the canvas shows the comparison; editing goes on as usual and the marks
//! follow.

use std::path::PathBuf;

use super::app::App;
use crate::compare::view::{Comparison, comparison};
use crate::model::Document;
use crate::render::ColourBy;

/// A comparison being shown.
#[derive(Debug)]
pub(crate) struct CompareView {
    /// The other map's name as the legend shows it.
    pub name: String,
    other: Document,
    pub comparison: Comparison,
    /// The editor revision the comparison is of.
    revision: u64,
    /// The colouring before (the map is saved with it, and gets it back).
    pub before: ColourBy,
}

/// The window: choosing what to compare with, or the changes of the comparison shown.
#[derive(Debug, Default)]
pub(crate) struct CompareState {
    pub open: bool,
    /// A typed path of a map to compare with.
    pub path: String,
    pub error: Option<String>,
    /// Focus the path field on the next frame.
    focus: bool,
    /// The map's saved versions (read when the window opens).
    versions: Vec<crate::io::versions::Version>,
    /// The canvas's map was swapped (a comparison started or stopped): lay it all out again.
    pub swapped: bool,
}

/// What was clicked in the compare window.
struct Clicked {
    /// The window is still open.
    open: bool,
    /// Compare with this map file (typed, or a saved version).
    pick: Option<PathBuf>,
    /// Pick a file to compare with.
    browse: bool,
    stop: bool,
    /// A change to select on the map.
    select: Option<crate::compare::Change>,
}

/// The window, drawn from its state and the comparison the canvas shows; what was clicked.
fn compare_window_ui(
    ctx: &egui::Context,
    st: &mut CompareState,
    shown: Option<&CompareView>,
) -> Clicked {
    let mut open = true;
    let mut pick: Option<PathBuf> = None;
    let mut browse = false;
    let mut stop = false;
    let mut select: Option<crate::compare::Change> = None;
    let title = match shown {
        Some(c) => format!("Changes since {}", c.name),
        None => "Compare with…".to_string(),
    };
    egui::Window::new(title)
        .id(egui::Id::unique("compare window"))
        .open(&mut open)
        .default_width(440.0)
        .default_height(360.0)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-480.0, 60.0))
        .vscroll(true)
        .show(ctx, |ui| {
            if let Some(c) = shown {
                for line in &c.comparison.marks.summary {
                    ui.label(egui::RichText::new(line).strong());
                }
                if ui.button("Stop comparing").clicked() {
                    stop = true;
                }
                ui.separator();
                super::versions::changes_list_ui(ui, &c.comparison.diff, &mut select);
                ui.separator();
                ui.label("Compare with another instead:");
            }
            ui.horizontal(|ui| {
                let hint = "Path of a map file";
                let enter = super::submit_field(ui, &mut st.path, hint, 240.0, &mut st.focus);
                if (ui.button("Compare").clicked() || enter) && !st.path.trim().is_empty() {
                    pick = Some(PathBuf::from(st.path.trim()));
                }
                if ui.button("Browse…").clicked() {
                    browse = true;
                }
            });
            if let Some(e) = &st.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            if !st.versions.is_empty() {
                ui.label("or a saved version:");
                for v in st.versions.iter().take(20) {
                    if ui
                        .link(format!("{} \u{2014} {}", v.name, v.saved))
                        .clicked()
                    {
                        pick = Some(v.path.clone());
                    }
                }
            }
        });
    Clicked {
        open,
        pick,
        browse,
        stop,
        select,
    }
}

impl App {
    /// The folder of the open map's file (files it names are found there); the current
    /// folder for a map not saved yet.
    pub(crate) fn map_dir(&self) -> PathBuf {
        self.session
            .file
            .as_deref()
            .and_then(std::path::Path::parent)
            .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
    }

    /// The file of the map this one is based on (`None`: it names none).
    pub(crate) fn base_path(&self) -> Option<PathBuf> {
        let base = self.doc().based_on.trim();
        (!base.is_empty()).then(|| self.map_dir().join(base))
    }

    /// The compare view's summary lines, when it is on.
    #[must_use]
    pub fn compare_summary(&self) -> Option<&[String]> {
        self.canvas
            .compare
            .as_ref()
            .map(|c| c.comparison.marks.summary.as_slice())
    }

    /// Opens the window to choose a map (or a version) to compare with.
    pub(crate) fn open_compare(&mut self) {
        self.dialogs.compare.open = true;
        self.dialogs.compare.error = None;
        self.dialogs.compare.focus = self.canvas.compare.is_none();
        self.reread_compare_versions();
    }

    fn reread_compare_versions(&mut self) {
        self.dialogs.compare.versions = self
            .session
            .file
            .as_ref()
            .and_then(|f| crate::io::versions::list(f).ok())
            .map(|(v, _)| v)
            .unwrap_or_default();
    }

    /// Shows the map compared with `other` (named `name`).
    pub(crate) fn start_compare(&mut self, other: Document, name: String) {
        let before = match self.canvas.compare.take() {
            Some(c) => c.before,
            None => self.canvas.colour_by.clone(),
        };
        let revision = self.session.editor.revision();
        let comparison = comparison(self.session.editor.doc(), &other, &name);
        self.canvas.compare = Some(CompareView {
            name,
            other,
            comparison,
            revision,
            before,
        });
        self.canvas.colour_by = ColourBy::Changes;
        self.dialogs.compare.open = true;
        self.reread_compare_versions();
        self.dialogs.compare.error = None;
        self.canvas.executive_doc = None;
        self.dialogs.compare.swapped = true;
    }

    /// Back to the map alone, coloured as before.
    pub(crate) fn stop_compare(&mut self) {
        if let Some(c) = self.canvas.compare.take() {
            if self.canvas.colour_by == ColourBy::Changes {
                self.canvas.colour_by = c.before;
            }
            self.canvas.executive_doc = None;
            self.dialogs.compare.swapped = true;
        }
    }

    /// The comparison brought up to date with the editor's map; whether it changed.
    pub(crate) fn update_compare(&mut self) -> bool {
        let rev = self.session.editor.revision();
        let Some(c) = &mut self.canvas.compare else {
            return false;
        };
        if c.revision == rev {
            return false;
        }
        c.comparison = comparison(self.session.editor.doc(), &c.other, &c.name);
        c.revision = rev;
        true
    }

    /// The compare view against the map this one is based on (its path relative to this
    /// map's folder): the future state drawn with what it changes in the current one.
    pub(crate) fn show_base(&mut self) {
        let Some(path) = self.base_path() else {
            return;
        };
        match crate::io::load(&path) {
            Ok((doc, _)) => {
                let name = format!("base ({})", file_stem(&path));
                self.start_compare(doc, name);
            }
            Err(e) => {
                self.dialogs.compare.open = true;
                self.dialogs.compare.error = Some(format!("The base map: {e}"));
            }
        }
    }

    fn compare_with_path(&mut self, path: &std::path::Path) {
        match crate::io::load(path) {
            Ok((doc, _)) => self.start_compare(doc, file_stem(path)),
            Err(e) => self.dialogs.compare.error = Some(e.to_string()),
        }
    }

    pub(crate) fn compare_ui(&mut self, ctx: &egui::Context) {
        if !self.dialogs.compare.open {
            return;
        }
        let Clicked {
            open,
            mut pick,
            browse,
            stop,
            select,
        } = compare_window_ui(ctx, &mut self.dialogs.compare, self.canvas.compare.as_ref());
        if !open || stop {
            self.stop_compare();
            self.dialogs.compare.open = false;
        }
        if browse {
            pick = self.file_dialogs.pick_open();
        }
        if let Some(p) = pick {
            let version = self.dialogs.compare.versions.iter().find(|v| v.path == p);
            if let Some(v) = version.cloned() {
                match crate::io::versions::load(&v) {
                    Ok(doc) => self.start_compare(doc, v.name.clone()),
                    Err(e) => self.dialogs.compare.error = Some(e.to_string()),
                }
            } else {
                self.compare_with_path(&p);
            }
        }
        if let Some(c) = select {
            self.select_change(&c);
        }
    }
}

/// A map file's name without its ending, as the legend names the other version.
fn file_stem(path: &std::path::Path) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    name.strip_suffix(".journeymap.json")
        .or_else(|| name.strip_suffix(".json"))
        .unwrap_or(&name)
        .to_string()
}
