//! File → Export… and Export again: the dialog, remembered settings, and the export job that
//! runs on its own thread (the canvas stays responsive) and reports progress and the outcome.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc;

use egui::Key;

use super::app::App;
use super::dialogs::Modal;
use crate::export::{ExportError, Format, Options, Page, Report, Size};
use crate::render::ExportMeta;
use crate::theme::ThemeKind;

/// Export settings kept between runs.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExportSettings {
    /// Format, size, theme and page.
    pub opts: Options,
    /// Where the last export went (empty: next to the map).
    pub path: String,
}

/// The state of the export dialog while it is open.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExportDialog {
    pub settings: ExportSettings,
    /// The width field, kept while the user types.
    pub width: u32,
    /// Whether the path field still has to take the keyboard focus (when the dialog opens:
    /// typing a path and Enter exports).
    pub focus_path: bool,
    /// Current vs future: the executive views of the map this one is based on and of this
    /// one, side by side on one page.
    pub side: bool,
}

/// A running export.
pub(crate) struct ExportJob {
    pub path: PathBuf,
    pub format: Format,
    /// Progress in thousandths.
    pub progress: Arc<AtomicU32>,
    /// Set to stop it (the status bar's Stop, or quitting): its threads end within a band.
    pub stop: Arc<AtomicBool>,
    pub done: mpsc::Receiver<Result<Report, ExportError>>,
}

/// What the app keeps about exporting.
#[derive(Default)]
pub(crate) struct ExportState {
    pub dialog: Option<ExportDialog>,
    pub job: Option<ExportJob>,
}

/// What the export dialog shows besides its own settings.
struct Facts {
    /// The canvas's text size (the export's is set apart from it).
    screen_text: f32,
    colour_choices: Vec<crate::render::ColourBy>,
    /// How many touchpoints the importance chart would show.
    chart_points: usize,
    /// The map names the current-state map it improves on.
    has_base: bool,
}

/// What was clicked in the export dialog.
struct Clicked {
    go: bool,
    close: bool,
    browse: bool,
}

/// The export dialog's form over its settings; what was clicked.
fn export_form_ui(ctx: &egui::Context, d: &mut ExportDialog, facts: &Facts) -> Clicked {
    let mut close = false;
    let mut go = false;
    let mut browse = false;
    let &Facts {
        screen_text,
        ref colour_choices,
        chart_points,
        has_base,
    } = facts;
    let resp = egui::Modal::new(egui::Id::unique("journeymap-export")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("Export map");
            ui.add_space(4.0);
            egui::Grid::new("export-grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    ui.label("Format");
                    ui.horizontal(|ui| {
                        for f in Format::ALL {
                            let on = d.settings.opts.format == f;
                            if ui.selectable_label(on, f.label()).clicked() && !on {
                                d.settings.opts.format = f;
                                d.settings.path = with_extension(&d.settings.path, f);
                            }
                        }
                    });
                    ui.end_row();
                    let fmt = d.settings.opts.format;
                    // Sizes, colours and views are for pictures; Mermaid and CSV carry the
                    // journey itself.
                    if fmt.is_image() {
                        ui.label("Size");
                        ui.add_enabled_ui(fmt != Format::Pdf, |ui| {
                            ui.horizontal(|ui| {
                                for s in [1.0_f32, 2.0, 3.0] {
                                    let on = d.settings.opts.size == Size::Scale(s);
                                    if ui.selectable_label(on, format!("{s}×")).clicked() {
                                        d.settings.opts.size = Size::Scale(s);
                                    }
                                }
                                let on = matches!(d.settings.opts.size, Size::Width(_));
                                if ui.selectable_label(on, "Width").clicked() {
                                    d.settings.opts.size = Size::Width(d.width);
                                }
                                let dv = ui.add_enabled(
                                    on,
                                    egui::DragValue::new(&mut d.width)
                                        .range(16..=60_000)
                                        .suffix(" px"),
                                );
                                if dv.changed() {
                                    d.settings.opts.size = Size::Width(d.width);
                                }
                            });
                        });
                        ui.end_row();
                        ui.label("Theme");
                        ui.horizontal(|ui| {
                            for (t, label) in [(ThemeKind::Light, "Light"), (ThemeKind::Dark, "Dark")] {
                                if ui
                                    .selectable_label(d.settings.opts.view.theme == t, label)
                                    .clicked()
                                {
                                    d.settings.opts.view.theme = t;
                                }
                            }
                        });
                        ui.end_row();
                        ui.label("Text size");
                        ui.horizontal(|ui| {
                            let t = &mut d.settings.opts.view.text_scale;
                            if ui
                                .selectable_label((*t - 1.0).abs() < 0.01, "100 %")
                                .on_hover_text(
                                    "The design size (exports use it unless you choose otherwise)",
                                )
                                .clicked()
                            {
                                *t = 1.0;
                            }
                            if screen_text > 1.01
                                && ui
                                    .selectable_label(
                                        (*t - screen_text).abs() < 0.01,
                                        format!("As on screen ({:.0} %)", screen_text * 100.0),
                                    )
                                    .clicked()
                            {
                                *t = screen_text;
                            }
                        });
                        ui.end_row();
                        ui.label("Show");
                        ui.horizontal(|ui| {
                            let ex = &mut d.settings.opts.view.executive;
                            if ui.selectable_label(!*ex && !d.side, "Whole map").clicked() {
                                *ex = false;
                                d.side = false;
                            }
                            if ui
                                .selectable_label(*ex && !d.side, "Executive view")
                                .on_hover_text("Severe pain points, moments of truth, opportunities, the curves and their gap")
                                .clicked()
                            {
                                *ex = true;
                                d.side = false;
                            }
                            if has_base
                                && ui
                                    .selectable_label(d.side, "Current vs future")
                                    .on_hover_text("The executive views of the map this one is based on and of this one, side by side on one page")
                                    .clicked()
                            {
                                d.side = true;
                            }
                        });
                        ui.end_row();
                        ui.label("Colour by");
                        egui::ComboBox::from_id_salt("export-colour-by")
                            .selected_text(d.settings.opts.view.colour_by.label())
                            .show_ui(ui, |ui| {
                                if let Some(c) = super::chrome::colour_by_list(
                                    ui,
                                    colour_choices,
                                    &d.settings.opts.view.colour_by,
                                ) {
                                    d.settings.opts.view.colour_by = c;
                                }
                            });
                        ui.end_row();
                        ui.label("Chart");
                        ui.add_enabled_ui(chart_points >= 2 && fmt.is_image(), |ui| {
                            ui.checkbox(
                                &mut d.settings.opts.view.chart,
                                "Importance\u{2013}performance chart",
                            )
                            .on_hover_text("Which touchpoints matter, under the map: from the cards' importance and score (Data \u{2192} Import survey…, then Write importance and score onto the cards)")
                            .on_disabled_hover_text("Needs importance and score on two cards or more: Data \u{2192} Import survey…, then Write importance and score onto the cards");
                        });
                        ui.end_row();
                        ui.label("Page");
                        ui.add_enabled_ui(fmt == Format::Pdf, |ui| {
                            ui.horizontal(|ui| {
                                for p in Page::ALL {
                                    if ui
                                        .selectable_label(d.settings.opts.page == p, p.label())
                                        .clicked()
                                    {
                                        d.settings.opts.page = p;
                                    }
                                }
                            });
                        });
                        ui.end_row();
                    }
                    let label = ui.label("File");
                    ui.horizontal(|ui| {
                        let te = ui
                            .add(
                                egui::TextEdit::singleline(&mut d.settings.path)
                                    .desired_width(380.0),
                            )
                            .labelled_by(label.id);
                        if d.focus_path {
                            te.request_focus();
                            d.focus_path = false;
                        }
                        if te.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                            go = true;
                        }
                        if ui.button("Browse…").clicked() {
                            browse = true;
                        }
                    });
                    ui.end_row();
                });
            if let Some(hint) = size_hint(&d.settings.opts) {
                ui.weak(hint);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Export").clicked() {
                    go = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if resp.should_close() {
        close = true;
    }
    Clicked { go, close, browse }
}

impl App {
    /// The path an export of this map goes to by default: next to the map, same stem.
    fn default_export_path(&self, format: Format) -> String {
        let stem = self
            .session
            .file
            .as_ref()
            .and_then(|f| f.file_name())
            .map_or_else(
                || {
                    self.suggested_name()
                        .trim_end_matches(".journeymap.json")
                        .to_string()
                },
                |n| {
                    let n = n.to_string_lossy();
                    n.trim_end_matches(".json")
                        .trim_end_matches(".journeymap")
                        .to_string()
                },
            );
        let dir = self
            .session
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        dir.join(format!("{stem}.{}", format.extension()))
            .display()
            .to_string()
    }

    /// Opens the export dialog with the remembered settings.
    pub(crate) fn open_export_dialog(&mut self) {
        let mut settings = self.prefs.export.clone().unwrap_or_default();
        if settings.path.trim().is_empty() || self.prefs.export_for != self.session.file {
            settings.path = self.default_export_path(settings.opts.format);
        }
        // What the canvas shows is what is exported (the dialog can change it), in the
        // remembered theme, text size and chart.
        settings.opts.view = self.view().exported(&settings.opts.view);
        let width = match settings.opts.size {
            Size::Width(w) => w,
            Size::Scale(_) => 3840,
        };
        self.dialogs.export.dialog = Some(ExportDialog {
            settings,
            width,
            focus_path: true,
            side: false,
        });
    }

    /// Repeats the last export (or opens the dialog when there was none for this map).
    pub(crate) fn export_again(&mut self) {
        match self.prefs.export.clone() {
            Some(s) if self.prefs.export_for == self.session.file && !s.path.trim().is_empty() => {
                self.start_export(&s);
            }
            _ => self.open_export_dialog(),
        }
    }

    /// Whether an export is running.
    #[must_use]
    pub fn export_running(&self) -> bool {
        self.dialogs.export.job.is_some()
    }

    /// Asks the running export to stop; it ends within a band, writing nothing, and says so.
    pub(crate) fn stop_export(&mut self) {
        if let Some(job) = &self.dialogs.export.job {
            job.stop.store(true, Ordering::Relaxed);
            self.dialogs.status = Some(format!("Stopping the export of {}…", job.path.display()));
        }
    }

    /// The remembered export settings (of the last export started).
    #[must_use]
    pub fn export_settings(&self) -> Option<&ExportSettings> {
        self.prefs.export.as_ref()
    }

    /// Whether the export dialog is open.
    #[must_use]
    pub fn export_dialog_open(&self) -> bool {
        self.dialogs.export.dialog.is_some()
    }

    /// Starts an export of the current document on a thread of its own.
    pub(crate) fn start_export(&mut self, settings: &ExportSettings) {
        if self.dialogs.export.job.is_some() {
            self.dialogs.status = Some("An export is already running.".into());
            return;
        }
        let mut path = PathBuf::from(settings.path.trim());
        if path.extension().is_none() {
            path.set_extension(settings.opts.format.extension());
        }
        let format = match Format::from_path(&path) {
            Ok(f) => f,
            Err(e) => {
                self.dialogs.modal = Some(Modal::Error("Could not export", e.to_string()));
                return;
            }
        };
        let opts = Options {
            format,
            ..settings.opts.clone()
        };
        self.prefs.export = Some(ExportSettings {
            opts: opts.clone(),
            path: path.display().to_string(),
        });
        self.prefs.export_for.clone_from(&self.session.file);
        // The compare view exports as it is shown: its map, its marks (remembered settings
        // of one colour by lane kind once it is off).
        let mut opts = opts;
        if opts.view.colour_by == crate::render::ColourBy::Changes && self.canvas.compare.is_none()
        {
            opts.view.colour_by = crate::render::ColourBy::Lane;
        }
        let doc = match &self.canvas.compare {
            Some(c) if opts.view.colour_by == crate::render::ColourBy::Changes => {
                opts.view.compare = Some(c.comparison.marks.clone());
                c.comparison.shown.clone()
            }
            _ => {
                opts.view.compare = None;
                self.session.editor.doc().clone()
            }
        };
        let meta = ExportMeta {
            file_name: self
                .session
                .file
                .as_ref()
                .and_then(|f| f.file_name())
                .map_or_else(
                    || format!("{} (not saved)", self.suggested_name()),
                    |n| n.to_string_lossy().into_owned(),
                ),
            date: crate::render::export_date(),
        };
        let progress = Arc::new(AtomicU32::new(0));
        let (tx, rx) = mpsc::channel();
        let ctx = self.egui_ctx.clone();
        let job_progress = Arc::clone(&progress);
        let stop = Arc::new(AtomicBool::new(false));
        let job_stop = Arc::clone(&stop);
        let job_path = path.clone();
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let report = |f: f32| {
                    job_progress.store((f.clamp(0.0, 1.0) * 1000.0) as u32, Ordering::Relaxed);
                    if let Some(ctx) = &ctx {
                        ctx.request_repaint();
                    }
                };
                let r =
                    crate::export::export_until(&doc, &meta, &opts, &job_path, &report, &job_stop);
                let _ = tx.send(r);
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            });
        match spawned {
            Ok(_) => {
                self.dialogs.status = Some(format!("Exporting {}…", path.display()));
                self.dialogs.export.job = Some(ExportJob {
                    path,
                    format,
                    progress,
                    stop,
                    done: rx,
                });
            }
            Err(e) => {
                self.dialogs.modal = Some(Modal::Error("Could not export", e.to_string()));
            }
        }
    }

    /// Checks on a running export: reports its end.
    pub(crate) fn poll_export(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.dialogs.export.job else {
            return;
        };
        match job.done.try_recv() {
            Ok(Ok(report)) => {
                let unit = if job.format == Format::Pdf {
                    "pt"
                } else {
                    "px"
                };
                let mut msg = if job.format.is_image() {
                    format!(
                        "Exported {} ({:.0} × {:.0} {unit}, {})",
                        job.path.display(),
                        report.width,
                        report.height,
                        human_bytes(report.bytes)
                    )
                } else {
                    format!(
                        "Exported {} ({}, {})",
                        job.path.display(),
                        job.format.label(),
                        human_bytes(report.bytes)
                    )
                };
                for w in &report.warnings {
                    msg.push_str(" — ");
                    msg.push_str(w);
                }
                self.dialogs.status = Some(msg);
                self.dialogs.export.job = None;
            }
            Ok(Err(ExportError::Stopped)) => {
                self.dialogs.status = Some(format!(
                    "Export stopped; {} was not written.",
                    job.path.display()
                ));
                self.dialogs.export.job = None;
            }
            Ok(Err(e)) => {
                self.dialogs.status = Some("Export failed.".into());
                self.dialogs.modal = Some(Modal::Error("Export failed", e.to_string()));
                self.dialogs.export.job = None;
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                self.dialogs.modal = Some(Modal::Error(
                    "Export failed",
                    "the export stopped unexpectedly; nothing was written".into(),
                ));
                self.dialogs.export.job = None;
            }
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
    }

    /// The export dialog.
    pub(crate) fn export_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(mut d) = self.dialogs.export.dialog.clone() else {
            return;
        };
        let doc = self.session.editor.doc();
        let facts = Facts {
            screen_text: self.prefs.text_scale,
            colour_choices: crate::render::colour_choices(doc),
            chart_points: crate::render::chart::points_of(doc).len(),
            has_base: !doc.based_on.trim().is_empty(),
        };
        let Clicked { go, close, browse } = export_form_ui(ctx, &mut d, &facts);
        if browse {
            let suggested = Path::new(d.settings.path.trim())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(p) = self
                .file_dialogs
                .pick_export(&suggested, d.settings.opts.format.extension())
            {
                d.settings.path = p.display().to_string();
                if let Ok(f) = Format::from_path(&p) {
                    d.settings.opts.format = f;
                }
            }
        }
        if go && !d.settings.path.trim().is_empty() {
            self.dialogs.export.dialog = None;
            if d.side {
                // The current state, read from beside the map.
                let base = self.base_path().unwrap_or_default();
                match crate::io::load(&base) {
                    Ok((current, _)) => {
                        let mut s = d.settings.clone();
                        s.opts.side_by_side = Some(Arc::new(current));
                        self.start_export(&s);
                    }
                    Err(e) => {
                        self.dialogs.modal =
                            Some(Modal::Error("Could not read the base map", e.to_string()));
                    }
                }
                return;
            }
            self.start_export(&d.settings);
        } else if close {
            self.dialogs.export.dialog = None;
        } else {
            self.dialogs.export.dialog = Some(d);
        }
    }
}

/// A note under the dialog's fields about what the size means.
fn size_hint(opts: &Options) -> Option<String> {
    match (opts.format, opts.size) {
        (Format::Pdf, _) => Some(match opts.page {
            crate::export::Page::Map => "PDF is vector: text stays sharp and selectable at any zoom. Map size keeps text at its design size.".into(),
            crate::export::Page::A4 | crate::export::Page::A3 => "No text under 9 pt (cards 11 pt): the text grows as the page needs; then the notes and descriptions are left out, then the title, summary and legend go on a cover page and the map on pages of its own.".into(),
            crate::export::Page::Slides => "A 16:9 deck: the whole map, then a slide per stage with its feeling, gap and cards, lane by lane, large enough for a room.".into(),
        }),
        (Format::Svg, _) => Some("SVG is vector; the size only sets its default display size.".into()),
        (Format::Png, Size::Scale(s)) => Some(format!(
            "At {s}× the smallest text is {:.0} px high.",
            crate::export::SMALLEST_TEXT * opts.view.text_scale * s
        )),
        (Format::Png, Size::Width(_)) => None,
        (Format::Mermaid, _) => Some(
            "Mermaid journey text: a section per stage, a task per card of the Actions lane, scores from the perceived curve, personas as actors."
                .into(),
        ),
        (Format::Csv, _) => Some(
            "A CSV table for spreadsheets: a row per card with its stage, lane, text, channel, owner, marks and metrics (no curves or links)."
                .into(),
        ),
    }
}

/// `path` with its extension set for `format`.
fn with_extension(path: &str, format: Format) -> String {
    let p = Path::new(path.trim());
    if p.as_os_str().is_empty() {
        return String::new();
    }
    p.with_extension(format.extension()).display().to_string()
}

/// Bytes as kB or MB for people.
fn human_bytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{:.0} kB", (n as f64 / 1e3).ceil())
    }
}
