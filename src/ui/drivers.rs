//! Data → Import survey…: the drivers panel. Which touchpoints matter (the ranking with
//! relative weights and their bootstrap intervals, computed off the UI thread with progress),
//! the importance–performance chart, and the what-if; writing importance and score onto the
//! cards (undoable) and colouring the map by importance.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use super::app::App;
use super::dialogs::Modal;
use crate::drivers::{self, Bootstrap, Fit, Prepared, Progress};
use crate::edit::Command;
use crate::model::CardId;
use crate::render::chart::ChartPoint;

/// A bootstrap running on other threads.
pub(crate) struct BootJob {
    pub progress: Progress,
    pub replicates: usize,
    done: mpsc::Receiver<Bootstrap>,
}

/// A survey being read and its model fitted on another thread (a survey of 2,000 columns
/// takes seconds; the window stays live, says how long it has been and can cancel).
pub(crate) struct SurveyLoad {
    path: PathBuf,
    overall: String,
    started: std::time::Instant,
    /// The map's revision the survey is matched against.
    revision: u64,
    done: mpsc::Receiver<Result<(Prepared, Fit), String>>,
    /// Set on Cancel: the thread stops before fitting (a read or fit under way runs out).
    cancel: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for SurveyLoad {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// A survey read against the open map, and its model.
pub(crate) struct DriversState {
    /// The panel is shown.
    pub open: bool,
    /// The survey file.
    pub path: PathBuf,
    pub prepared: Arc<Prepared>,
    /// The fit, with intervals once the bootstrap is done.
    pub fit: Fit,
    pub boot: Option<Bootstrap>,
    pub job: Option<BootJob>,
    /// What-if: the rise of each touchpoint's mean score.
    pub deltas: Vec<(CardId, f64)>,
    /// The map's revision the survey was matched against.
    pub revision: u64,
    /// How the what-if names the overall score's scale (read once: a survey may have a
    /// million respondents).
    overall_scale: String,
    /// The chart as last laid out (placing its labels takes milliseconds, too long for every
    /// frame): for these points, this width and this theme.
    chart: Option<ChartCache>,
}

/// A laid-out chart and what it was laid out for.
struct ChartCache {
    points: Vec<ChartPoint>,
    width: f32,
    theme: crate::theme::ThemeKind,
    part: crate::render::Part,
    height: f32,
}

impl Drop for BootJob {
    fn drop(&mut self) {
        // A bootstrap nobody waits for stops.
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}

fn start_bootstrap(prepared: &Arc<Prepared>) -> BootJob {
    let progress = Progress::default();
    let (tx, rx) = mpsc::channel();
    let p = Arc::clone(prepared);
    let pr = progress.clone();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    std::thread::spawn(move || {
        let b = drivers::bootstrap(
            &p,
            drivers::DEFAULT_REPLICATES,
            drivers::DEFAULT_SEED,
            threads,
            &pr,
        );
        let _ = tx.send(b);
    });
    BootJob {
        progress,
        replicates: drivers::DEFAULT_REPLICATES,
        done: rx,
    }
}

/// " on the 0–10 scale of “overall” (as answered)": the range the respondents used.
fn overall_scale(p: &Prepared) -> String {
    let (lo, hi) =
        p.y.iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
    if lo.is_finite() && hi > lo {
        format!(
            " on the {lo}\u{2013}{hi} scale of \u{201c}{}\u{201d} (as answered)",
            p.overall
        )
    } else {
        format!(" on the \u{201c}{}\u{201d} score", p.overall)
    }
}

/// What was clicked in the drivers panel.
struct Clicked {
    /// Write importance and score onto the cards.
    apply: bool,
    /// And colour the map by importance.
    colour: bool,
    /// A touchpoint's card to select on the map.
    select: Option<CardId>,
}

/// The panel, drawn from the analysis's state in a theme; `stale`: the map changed since the
/// survey was read. What was clicked.
fn drivers_window_ui(
    ctx: &egui::Context,
    state: &mut DriversState,
    theme_kind: crate::theme::ThemeKind,
    stale: bool,
) -> Clicked {
    let mut open = true;
    let mut apply = false;
    let mut colour = false;
    let mut select: Option<CardId> = None;
    let theme = crate::theme::Theme::get(theme_kind);
    egui::Window::new("Which touchpoints matter")
            .open(&mut open)
            .default_size(egui::vec2(660.0, (ctx.content_rect().height() - 140.0).clamp(300.0, 860.0)))
            .default_pos(ctx.content_rect().left_top() + egui::vec2(60.0, 80.0))
            .vscroll(true)
            .show(ctx, |ui| {
                let p = &state.prepared;
                let fit = &state.fit;
                ui.label(format!(
                    "{} \u{2014} R\u{b2} = {:.3}: the touchpoints explain {:.0} % of the variation in \u{201c}{}\u{201d}, from {} who answered it and every touchpoint (of {}).",
                    state.path.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
                    fit.r2,
                    fit.r2 * 100.0,
                    p.overall,
                    crate::text::count(fit.n, "respondent"),
                    crate::text::thousands(p.respondents as u64)
                ));
                if !p.unmatched.is_empty() {
                    ui.weak(format!("Not touchpoints of the map: {}", p.unmatched.join(", ")));
                }
                for w in &p.warnings {
                    ui.weak(w);
                }
                if stale {
                    ui.weak("The map changed since the survey was read: Data \u{2192} Import survey… again to match it anew.");
                }
                // What to do with it, first: it stays in sight however long the rest grows.
                ui.horizontal(|ui| {
                    apply = ui
                        .button("Write importance and score onto the cards")
                        .on_hover_text("Metrics \u{201c}importance\u{201d} (the relative weight) and \u{201c}score\u{201d} (the mean) on each matched card: saved with the map, in exports' chart and colours. Undo takes them back.")
                        .clicked();
                    colour = ui.button("Colour the map by importance").clicked();
                });
                if let Some(job) = &state.job {
                    let done = job.progress.done.load(Ordering::Relaxed);
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::ProgressBar::new(done as f32 / job.replicates.max(1) as f32)
                                .desired_width(280.0)
                                .text(format!("Bootstrap intervals: {done} / {}", job.replicates)),
                        );
                        if ui.button("Stop").clicked() {
                            job.progress.cancel.store(true, Ordering::Relaxed);
                        }
                    });
                } else if let Some(b) = &state.boot {
                    ui.weak(format!(
                        "Intervals: 95 % percentile bootstrap of {} replicates (seed {}).",
                        b.weights.len(),
                        drivers::DEFAULT_SEED
                    ));
                }
                ui.add_space(4.0);
                egui::Grid::new("drivers")
                    .striped(true)
                    .num_columns(6)
                    .show(ui, |ui| {
                        ui.strong("#");
                        ui.strong("Touchpoint");
                        ui.strong("How much it drives overall")
                            .on_hover_text(format!("The share of the variation in \u{201c}{}\u{201d} the touchpoints explain that is this one's (Johnson's relative weight): it counts a touchpoint once even when its scores move with another's.", p.overall));
                        ui.strong("95 % interval");
                        ui.strong("Mean score");
                        ui.strong("Answers");
                        ui.end_row();
                        for (i, d) in fit.drivers.iter().enumerate() {
                            ui.label(format!("{}", i + 1));
                            if ui
                                .link(crate::text::one_line(&d.text, 34))
                                .on_hover_text("Select it on the map")
                                .clicked()
                            {
                                select = Some(d.card);
                            }
                            ui.label(format!("{:.0} %", d.share)).on_hover_text(format!(
                                "Relative weight {:.3} (of R\u{b2} {:.3}); correlation with overall r = {:.2}, standardised coefficient \u{3b2} = {:.2}",
                                d.weight, fit.r2, d.r, d.beta
                            ));
                            match (d.low, d.high) {
                                (Some(l), Some(h)) if fit.r2 > 0.0 => ui.label(format!(
                                    "{:.0} \u{2013} {:.0} %",
                                    l / fit.r2 * 100.0,
                                    h / fit.r2 * 100.0
                                )),
                                _ => ui.weak("\u{2026}"),
                            };
                            ui.label(format!("{:.2}", d.mean));
                            ui.label(crate::text::thousands(d.n as u64));
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                // The importance–performance chart, as exports draw it.
                let points: Vec<ChartPoint> = fit
                    .drivers
                    .iter()
                    .map(|d| ChartPoint {
                        label: d.text.split_whitespace().collect::<Vec<_>>().join(" "),
                        score: d.mean,
                        importance: d.weight,
                    })
                    .collect();
                let w = ui.available_width().max(360.0);
                let fresh = state.chart.as_ref().is_some_and(|c| {
                    c.points == points && (c.width - w).abs() < 0.5 && c.theme == theme_kind
                });
                if !fresh {
                    let (items, height) = crate::render::chart::chart(&points, &theme, w);
                    let mut part = crate::render::Part::new(crate::render::Element::Chart);
                    for (b, item) in items {
                        part.push(b, item);
                    }
                    state.chart = Some(ChartCache {
                        points,
                        width: w,
                        theme: theme_kind,
                        part,
                        height,
                    });
                }
                if let Some(chart) = state.chart.as_ref().filter(|c| c.height > 0.0) {
                    let (rect, _) = ui
                        .allocate_exact_size(egui::vec2(chart.width, chart.height), egui::Sense::hover());
                    let view = super::Viewport {
                        offset: egui::Vec2::ZERO,
                        zoom: 1.0,
                    };
                    super::paint::paint_parts(
                        &ui.painter().with_clip_rect(rect),
                        std::iter::once(&chart.part),
                        &view,
                        rect.min,
                    );
                }
                ui.add_space(8.0);
                ui.strong("What if a touchpoint's mean score rose? (points on its own scale)");
                egui::Grid::new("what-if").num_columns(2).show(ui, |ui| {
                    for d in fit.drivers.iter().take(8) {
                        let at = state.deltas.iter().position(|(c, _)| *c == d.card);
                        let mut v = at.map_or(0.0, |i| state.deltas[i].1);
                        ui.label(crate::text::one_line(&d.text, 34));
                        let resp = ui.add(
                            egui::DragValue::new(&mut v)
                                .range(-4.0..=4.0)
                                .speed(0.05)
                                .fixed_decimals(1)
                                .custom_formatter(|v, _| format!("{v:+.1}")),
                        );
                        if resp.changed() {
                            match at {
                                Some(i) => state.deltas[i].1 = v,
                                None => state.deltas.push((d.card, v)),
                            }
                        }
                        ui.end_row();
                    }
                });
                let active: Vec<(CardId, f64)> =
                    state.deltas.iter().copied().filter(|(_, d)| d.abs() > 1e-9).collect();
                if active.is_empty() {
                    ui.weak("Drag a value above to see the predicted change in overall satisfaction.");
                } else {
                    let s = drivers::what_if(fit, state.boot.as_ref(), &active);
                    let range = match (s.low, s.high) {
                        (Some(l), Some(h)) => format!(" (95 % interval {l:+.2} to {h:+.2})"),
                        _ => " (interval once the bootstrap is done)".into(),
                    };
                    let scale = &state.overall_scale;
                    ui.label(
                        egui::RichText::new(format!(
                            "Predicted change in mean overall satisfaction: {:+.2}{scale}{range}",
                            s.change
                        ))
                        .strong(),
                    );
                    if ui.small_button("Reset").clicked() {
                        state.deltas.clear();
                    }
                }
            });
    state.open = open;
    Clicked {
        apply,
        colour,
        select,
    }
}

impl App {
    /// Data → Import survey…: a file dialog, or the typed path where none can be shown.
    pub(crate) fn pick_survey(&mut self) {
        let asked = std::time::Instant::now();
        match self.file_dialogs.pick_survey() {
            Some(path) => self.load_survey(&path, drivers::DEFAULT_OVERALL),
            None if asked.elapsed() < std::time::Duration::from_millis(300) => {
                self.dialogs.modal = Some(Modal::SurveyPath {
                    path: String::new(),
                    overall: drivers::DEFAULT_OVERALL.into(),
                    error: None,
                });
            }
            None => self.dialogs.status = Some("No survey chosen.".into()),
        }
    }

    /// Reads a survey against the open map and fits the model on another thread, then
    /// starts the bootstrap (see [`Self::survey_loaded`]). On a problem the survey dialog
    /// shows it (so the overall column can be named).
    pub fn load_survey(&mut self, path: &Path, overall: &str) {
        let (tx, rx) = mpsc::channel();
        let doc = self.doc().clone();
        let (p, o) = (path.to_path_buf(), overall.to_owned());
        let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        std::thread::spawn(move || {
            let result = drivers::prepare_file_until(&doc, &p, &o, &stop)
                .map_err(|e| e.to_string())
                .and_then(|p| {
                    if stop.load(Ordering::Relaxed) {
                        return Err("cancelled".into());
                    }
                    drivers::fit(&p).map(|f| (p, f))
                });
            // Nobody waits when it was cancelled.
            let _ = tx.send(result);
        });
        self.dialogs.status = Some(format!("Reading the survey {}\u{2026}", path.display()));
        self.dialogs.survey_load = Some(SurveyLoad {
            path: path.to_path_buf(),
            overall: overall.to_owned(),
            started: std::time::Instant::now(),
            revision: self.session.editor.revision(),
            done: rx,
            cancel,
        });
    }

    /// Whether a survey is being read.
    #[must_use]
    pub fn survey_loading(&self) -> bool {
        self.dialogs.survey_load.is_some()
    }

    /// The survey being read, once it is read: the panel, or the dialog with the problem;
    /// while it is read, a window that says so and can cancel.
    fn poll_survey_load(&mut self, ctx: &egui::Context) {
        let Some(load) = &self.dialogs.survey_load else {
            return;
        };
        match load.done.try_recv() {
            Ok(result) => {
                let (path, overall, revision) =
                    (load.path.clone(), load.overall.clone(), load.revision);
                self.dialogs.survey_load = None;
                self.survey_loaded(&path, &overall, revision, result);
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                let path = load.path.display().to_string();
                self.dialogs.survey_load = None;
                self.dialogs.status = Some(format!("Reading the survey {path} failed."));
            }
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                // Quick reads show nothing; a slow one says what is going on.
                let secs = load.started.elapsed().as_secs_f64();
                if secs < 0.5 {
                    return;
                }
                let name = load.path.file_name().map_or_else(
                    || load.path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let mut cancel = false;
                egui::Window::new("Reading the survey")
                    .collapsible(false)
                    .resizable(false)
                    .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
                    .show(ctx, |ui| {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(format!(
                                "Reading {name} and fitting the model: {}",
                                crate::text::duration(secs)
                            ));
                        });
                        cancel = ui.button("Cancel").clicked();
                    });
                if cancel {
                    self.dialogs.survey_load = None;
                    self.dialogs.status = Some(format!("Stopped reading the survey {name}."));
                }
            }
        }
    }

    /// A survey read (or not) against the map at `revision`.
    fn survey_loaded(
        &mut self,
        path: &Path,
        overall: &str,
        revision: u64,
        result: Result<(Prepared, Fit), String>,
    ) {
        match result {
            Ok((prepared, fit)) => {
                let prepared = Arc::new(prepared);
                let job = (fit.n > 0).then(|| start_bootstrap(&prepared));
                self.dialogs.status = Some(format!(
                    "Survey {}: {} touchpoints, R\u{b2} = {:.2} from {}",
                    path.display(),
                    fit.drivers.len(),
                    fit.r2,
                    crate::text::count(fit.n, "respondent")
                ));
                let overall_scale = overall_scale(&prepared);
                self.dialogs.drivers = Some(DriversState {
                    open: true,
                    path: path.to_path_buf(),
                    prepared,
                    fit,
                    boot: None,
                    job,
                    deltas: Vec::new(),
                    revision,
                    overall_scale,
                    chart: None,
                });
            }
            Err(e) => {
                self.dialogs.modal = Some(Modal::SurveyPath {
                    path: path.display().to_string(),
                    overall: overall.to_owned(),
                    error: Some(e),
                });
            }
        }
    }

    /// Writes `importance` and `score` onto the matched cards, as one undoable step.
    pub(crate) fn apply_drivers(&mut self) -> usize {
        let Some(state) = &self.dialogs.drivers else {
            return 0;
        };
        let ops = drivers::metric_ops(self.doc(), &state.fit);
        let n = ops.len();
        if n > 0 {
            self.queue(Command::Ops(ops));
        }
        n
    }

    /// The bootstrap's progress, picked up when it is done.
    fn poll_bootstrap(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.dialogs.drivers else {
            return;
        };
        let Some(job) = &state.job else {
            return;
        };
        match job.done.try_recv() {
            Ok(boot) => {
                drivers::add_intervals(&mut state.fit, &boot);
                state.boot = Some(boot);
                state.job = None;
            }
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(mpsc::TryRecvError::Disconnected) => state.job = None,
        }
    }

    /// The drivers panel (a window over the canvas).
    pub(crate) fn drivers_ui(&mut self, ctx: &egui::Context) {
        self.poll_survey_load(ctx);
        self.poll_bootstrap(ctx);
        let Some(state) = &self.dialogs.drivers else {
            return;
        };
        if !state.open {
            return;
        }
        let theme_kind = self.prefs.theme;
        let stale = state.revision != self.session.editor.revision();
        let Some(state) = &mut self.dialogs.drivers else {
            return;
        };
        let Clicked {
            apply,
            colour,
            select,
        } = drivers_window_ui(ctx, state, theme_kind, stale);
        if apply || colour {
            let n = self.apply_drivers();
            self.dialogs.status = Some(format!(
                "Importance and score written onto {}",
                crate::text::count(n, "card")
            ));
        }
        if colour {
            self.canvas.colour_by = crate::render::ColourBy::Metric("importance".into());
        }
        if let Some(card) = select {
            self.canvas.selection = super::Selection::default();
            self.canvas.selection.cards = std::iter::once(card).collect();
            self.canvas.reveal = Some(super::canvas::Reveal::Card(card));
        }
    }
}
