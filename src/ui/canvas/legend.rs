//! What the canvas shows beside the map: the persona strip above it (collapsible), and a
//! floating legend at its bottom right with a chip per curve (click one to edit that curve;
//! the others dim) and, when cards are coloured by owner, evidence or a metric, what the
//! colours mean.

use egui::Ui;

use crate::layout::Layout;
use crate::model::{CurveId, Document, Persona};
use crate::render::{ColourBy, Look};
use crate::theme::{Theme, ThemeKind};
use crate::ui::paint::c32;

/// The persona strip above the canvas: one block per persona (name, role, goals,
/// expectations, quote) or, collapsed, one line; `show` is whether it is open (the arrow
/// toggles it).
pub(crate) fn personas_ui(ui: &mut Ui, personas: &[Persona], theme: ThemeKind, show: &mut bool) {
    if personas.is_empty() {
        return;
    }
    let theme = Theme::get(theme);
    let open = *show;
    ui.horizontal(|ui| {
        let arrow = if open { "▼" } else { "▶" };
        let label = if personas.len() == 1 {
            format!("{arrow} Persona")
        } else {
            format!("{arrow} Personas ({})", personas.len())
        };
        if ui
            .selectable_label(false, egui::RichText::new(label).strong())
            .on_hover_text(if open {
                "Hide the personas"
            } else {
                "Show the personas"
            })
            .clicked()
        {
            *show = !open;
        }
        if !open {
            let line: Vec<String> = personas
                .iter()
                .map(|p| {
                    if p.role.trim().is_empty() {
                        p.name.trim().to_owned()
                    } else {
                        format!("{} — {}", p.name.trim(), p.role.trim())
                    }
                })
                .collect();
            ui.weak(line.join(" · "));
        }
    });
    if !open {
        return;
    }
    // At most four blocks side by side; the side panel lists them all.
    let more = personas.len().saturating_sub(4);
    ui.horizontal_top(|ui| {
        let n = personas.len().min(4) as f32;
        let w = ((ui.available_width() - 12.0 * (n - 1.0)) / n).clamp(220.0, 520.0);
        for p in personas.iter().take(4) {
            let accent = theme.hue(p.hue.unwrap_or(crate::model::Hue::Slate)).accent;
            egui::Frame::new()
                .inner_margin(egui::Margin {
                    left: 12,
                    right: 8,
                    top: 4,
                    bottom: 6,
                })
                .show(ui, |ui| {
                    ui.vertical(|ui| {
                        ui.set_width(w);
                        let top = ui.cursor().min;
                        let title = if p.role.trim().is_empty() {
                            p.name.trim().to_owned()
                        } else {
                            format!("{} — {}", p.name.trim(), p.role.trim())
                        };
                        ui.label(egui::RichText::new(title).strong());
                        for (label, text) in [
                            ("", p.description.trim()),
                            ("Goals: ", p.goals.trim()),
                            ("Expects: ", p.expectations.trim()),
                        ] {
                            if !text.is_empty() {
                                ui.label(egui::RichText::new(format!("{label}{text}")).weak());
                            }
                        }
                        if !p.quote.trim().is_empty() {
                            ui.label(
                                egui::RichText::new(format!("\u{201c}{}\u{201d}", p.quote.trim()))
                                    .italics()
                                    .color(c32(accent)),
                            );
                        }
                        let bottom = ui.cursor().min.y;
                        ui.painter().rect_filled(
                            egui::Rect::from_min_max(
                                egui::pos2(top.x - 10.0, top.y),
                                egui::pos2(top.x - 6.0, bottom),
                            ),
                            2.0,
                            c32(accent),
                        );
                    });
                });
        }
        if more > 0 {
            let noun = if more == 1 { "persona" } else { "personas" };
            ui.weak(format!("and {more} more {noun} (side panel)"));
        }
    });
}

/// While the executive view leaves cards out (`shown` of `all`), the canvas says how many it
/// shows at the top of the canvas `rect`, with a button back to the whole map (a filter must
/// never look like lost cards). Whether that button was clicked.
pub(crate) fn filter_note_ui(ui: &Ui, (n, all): (usize, usize), rect: egui::Rect) -> bool {
    if n >= all {
        return false;
    }
    let text = format!("Executive view: {n} of {all} cards shown");
    let mut show_all = false;
    egui::Area::new(egui::Id::unique("filter-note"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::CENTER_TOP)
        .fixed_pos(rect.center_top() + egui::vec2(0.0, 8.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                ui.horizontal(|ui| {
                    ui.label(&text);
                    show_all = ui.button("Show all").clicked();
                });
            });
        });
    show_all
}

/// What the floating legend shows.
pub(crate) struct Legend<'a> {
    /// The map drawn (the compare view's has the other version's curves too).
    pub drawn: &'a Document,
    /// The cards shown (the executive view shows some).
    pub shown: &'a Document,
    /// Its layout (with the view it was laid out in: colouring, executive view, theme) and
    /// colouring.
    pub layout: &'a Layout,
    pub look: &'a Look,
    /// The curve being edited.
    pub active: Option<CurveId>,
    /// The canvas.
    pub rect: egui::Rect,
}

/// The floating legend at the canvas's bottom right: the executive view named, a chip per
/// curve, what card colours mean. The curve chip clicked, if one was.
pub(crate) fn legend_ui(ui: &Ui, l: &Legend<'_>) -> Option<CurveId> {
    let doc = l.drawn;
    let curves: Vec<(CurveId, String, crate::model::CurveKind)> = l
        .layout
        .emotion
        .as_ref()
        .map(|e| {
            e.curves
                .iter()
                .map(|c| {
                    let name = doc.emotion.curve(c.id).map_or("", |x| x.name.trim());
                    let name = if name.is_empty() {
                        c.kind.label()
                    } else {
                        name
                    };
                    (c.id, name.to_owned(), c.kind)
                })
                .collect()
        })
        .unwrap_or_default();
    let view = &l.layout.view;
    let executive = view.executive;
    if curves.len() < 2 && view.colour_by == ColourBy::Lane && !executive {
        return None;
    }
    let theme = Theme::get(view.theme);
    let rect = l.rect;
    let mut picked = None;
    egui::Area::new(egui::Id::unique("canvas-legend"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::RIGHT_BOTTOM)
        .fixed_pos(rect.right_bottom() - egui::vec2(12.0, 12.0))
        .constrain_to(rect)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(360.0);
                if executive {
                    ui.label(egui::RichText::new("Executive view").strong())
                        .on_hover_text("Severe pain points, moments of truth, opportunities, the curves and their gap (Ctrl+Shift+X: the whole map)");
                }
                if curves.len() >= 2 {
                    ui.label(egui::RichText::new("Curves").strong());
                    for (id, name, kind) in &curves {
                        let box_ = l.layout.emotion.as_ref().and_then(|e| e.curve(*id));
                        let color = box_.map_or(theme.curve, |c| crate::render::curve_color(c, &theme));
                        ui.horizontal(|ui| {
                            swatch_line(ui, c32(color), *kind);
                            let on = l.active == Some(*id);
                            if ui
                                .selectable_label(on, name)
                                .on_hover_text(format!("{}: click to add and move its points; the other curves dim", kind.label()))
                                .clicked()
                            {
                                picked = Some(*id);
                            }
                        });
                    }
                }
                colour_legend(ui, l.look, l.shown, &theme);
            });
        });
    picked
}

/// A short line in a curve's colour (dashed for measured, dotted for future curves).
fn swatch_line(ui: &mut Ui, color: egui::Color32, kind: crate::model::CurveKind) {
    let (r, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
    let y = r.center().y;
    let stroke = egui::Stroke::new(2.5, color);
    match kind {
        crate::model::CurveKind::Measured | crate::model::CurveKind::Future => {
            let dash = if kind == crate::model::CurveKind::Measured {
                5.0
            } else {
                2.0
            };
            let mut x = r.min.x;
            while x < r.max.x {
                let end = (x + dash).min(r.max.x);
                ui.painter()
                    .line_segment([egui::pos2(x, y), egui::pos2(end, y)], stroke);
                x = end + 3.0;
            }
        }
        _ => {
            ui.painter()
                .line_segment([egui::pos2(r.min.x, y), egui::pos2(r.max.x, y)], stroke);
        }
    }
}

/// A colour swatch and a label.
fn swatch(ui: &mut Ui, fill: egui::Color32, stripe: Option<egui::Color32>, label: &str) {
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(r, 2.0, fill);
        if let Some(s) = stripe {
            ui.painter().rect_filled(
                egui::Rect::from_min_size(r.min, egui::vec2(4.0, r.height())),
                0.0,
                s,
            );
        }
        ui.painter().rect_stroke(
            r,
            2.0,
            egui::Stroke::new(1.0, egui::Color32::from_black_alpha(60)),
            egui::StrokeKind::Inside,
        );
        ui.label(label);
    });
}

/// What card colours mean, when they do not mean the lane kind.
fn colour_legend(ui: &mut Ui, look: &Look, shown: &Document, theme: &Theme) {
    match &look.by {
        ColourBy::Lane => {}
        ColourBy::Owner => {
            ui.label(egui::RichText::new("Owners").strong());
            // The owners of the cards shown (the executive view shows some), in their
            // map-wide colours.
            let present: std::collections::HashSet<&str> =
                shown.cards.iter().map(|c| c.owner.trim()).collect();
            for o in look.owners.iter().filter(|o| present.contains(o.as_str())) {
                if let Some(h) = look.owner_hue(o) {
                    let c = theme.hue(h);
                    swatch(ui, c32(c.fill), Some(c32(c.accent)), o);
                }
            }
            swatch(ui, c32(theme.label_fill), None, "No owner");
        }
        ColourBy::Evidence => {
            use crate::model::EvidenceKind;
            ui.label(egui::RichText::new("Evidence").strong());
            for (label, kind) in [
                ("Researched", Some(EvidenceKind::Researched)),
                ("Assumed", Some(EvidenceKind::Assumed)),
                ("Not said", None),
            ] {
                let fill = theme.hue(crate::render::evidence_hue(kind)).fill;
                swatch(ui, c32(fill), None, label);
            }
        }
        ColourBy::Metric(name) => {
            ui.label(egui::RichText::new(name.as_str()).strong());
            let steps = look.heat_steps(theme);
            if steps.is_empty() {
                ui.weak("No card has this metric");
            }
            for (label, fill) in steps {
                swatch(ui, c32(fill), None, &label);
            }
            swatch(ui, c32(theme.label_fill), None, "Not measured");
        }
        ColourBy::Changes => {
            let Some(m) = &look.changes else {
                return;
            };
            ui.label(egui::RichText::new(format!("Since {}", m.other)).strong());
            for (label, mark) in crate::render::CHANGE_KINDS {
                let c = theme.hue(crate::render::change_hue(&mark));
                swatch(ui, c32(c.fill), Some(c32(c.accent)), label);
            }
            swatch(ui, c32(theme.label_fill), None, "The same");
            for line in &m.summary {
                ui.label(line);
            }
        }
    }
}
