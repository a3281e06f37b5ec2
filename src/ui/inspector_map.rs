//! The inspector with nothing selected: the map's title and description, its personas (name,
//! role, description, goals, expectations, a quote, a colour) and its curves (name, kind,
//! persona, colour; which one is being edited; hide, delete, add).

use egui::Ui;

use super::asks::{Ask, Asks};
use super::inspector::{Shown, committed_text};
use crate::edit::Command;
use crate::model::{Curve, CurveId, CurveKind, Document, Hue, Persona, PersonaId};

/// The map's title, description, personas, curves and executive view (nothing selected).
pub(crate) fn map_ui(ui: &mut Ui, shown: &Shown, asks: &mut Asks) {
    ui.heading("Map");
    let doc = shown.doc;
    if let Some(t) = committed_text(ui, "Title", "title", &doc.title, false) {
        asks.edit(Command::SetTitle(t));
    }
    if let Some(t) = committed_text(ui, "Description", "description", &doc.description, true) {
        asks.edit(Command::SetDescription(t));
    }
    let base = &doc.based_on;
    let label = "Based on (the current-state map this one improves on)";
    if let Some(t) = committed_text(ui, label, "based-on", base, false) {
        asks.edit(Command::Ops(vec![crate::edit::op::Op::SetMap(
            crate::edit::op::MapField::BasedOn(t.trim().to_string()),
        )]));
    }
    if !base.is_empty() {
        let a = super::actions::Action::ShowBase;
        if ui
            .add_enabled((shown.can)(a), egui::Button::new(a.label()))
            .clicked()
        {
            asks.run(a);
        }
    }
    ui.add_space(8.0);
    for (cmd, toast) in personas_ui(ui, &doc.personas) {
        asks.ask(match toast {
            Some(t) => Ask::EditSaid(cmd, t),
            None => Ask::Edit(cmd),
        });
    }
    ui.add_space(8.0);
    curves_ui(ui, doc, shown.active_curve, asks);
    ui.add_space(8.0);
    executive_ui(ui, doc, shown.executive, asks);
    ui.add_space(8.0);
    ui.weak("Click a cell and type to add a card; click a stage's emotion cell and type a number; drag right of the last stage (or Ctrl+Shift+N) to add a stage.");
}

/// A colour picker over the named hues (`None`: the default colour); true when it changed
/// `hue`.
fn hue_ui(
    ui: &mut Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    hue: &mut Option<Hue>,
) -> bool {
    let current = *hue;
    let l = ui.label("Colour");
    egui::ComboBox::from_id_salt(salt)
        .selected_text(hue.map_or("Default", Hue::label))
        .show_ui(ui, |ui| {
            ui.selectable_value(hue, None, "Default");
            for h in Hue::ALL {
                ui.selectable_value(hue, Some(h), h.label());
            }
        })
        .response
        .labelled_by(l.id);
    *hue != current
}

/// An edit the side panel asks for, with what to say once it is done.
type Edit = (Command, Option<super::dialogs::Toast>);

/// The personas of the map, each to edit, delete or add: the edits asked for.
fn personas_ui(ui: &mut Ui, personas: &[Persona]) -> Vec<Edit> {
    ui.heading("Personas");
    let mut edits: Vec<Edit> = Vec::new();
    let one = personas.len() == 1;
    for p in personas {
        let key = p.id.0;
        let title = if p.name.trim().is_empty() {
            "Unnamed persona".to_owned()
        } else {
            p.name.clone()
        };
        egui::CollapsingHeader::new(title)
            .id_salt(("persona", key))
            .default_open(one)
            .show(ui, |ui| {
                let fields: [(&str, &str, &str, bool); 6] = [
                    ("Name", "name", &p.name, false),
                    ("Role or segment", "role", &p.role, false),
                    ("Who they are", "desc", &p.description, true),
                    ("Goals", "goals", &p.goals, true),
                    ("Expectations", "expect", &p.expectations, true),
                    ("A quote", "quote", &p.quote, true),
                ];
                for (label, salt, value, multi) in fields {
                    if let Some(v) = committed_text(ui, label, ("persona", salt, key), value, multi)
                    {
                        let mut q = p.clone();
                        match salt {
                            "name" => q.name = v,
                            "role" => q.role = v,
                            "desc" => q.description = v,
                            "goals" => q.goals = v,
                            "expect" => q.expectations = v,
                            _ => q.quote = v,
                        }
                        edits.push((Command::SetPersona(q), None));
                    }
                }
                let mut hue = p.hue;
                if hue_ui(ui, ("persona-hue", key), &mut hue) {
                    edits.push((Command::SetPersona(Persona { hue, ..p.clone() }), None));
                }
                if ui
                    .button("Delete persona")
                    .on_hover_text("Their curves stay, belonging to no one")
                    .clicked()
                {
                    edits.push((
                        Command::DeletePersona(p.id),
                        Some(super::dialogs::Toast::said(format!(
                            "Deleted persona \u{201c}{}\u{201d}",
                            p.name
                        ))),
                    ));
                }
            });
    }
    if ui.button("Add persona").clicked() {
        let n = personas.len() + 1;
        edits.push((
            Command::SetPersona(Persona::named(PersonaId(0), format!("Persona {n}"))),
            None,
        ));
    }
    edits
}

/// What the executive view shows: pain points from which severity, and which other lanes.
fn executive_ui(ui: &mut Ui, doc: &Document, shown: bool, asks: &mut Asks) {
    let view = &doc.executive;
    let lanes = &doc.lanes;
    egui::CollapsingHeader::new("Executive view")
        .id_salt("executive-view")
        .show(ui, |ui| {
            ui.weak("Pain points (from a severity) and their causes, moments of truth, opportunities, the curves and their gap with the cards their largest gaps and worst moments are tied to, plus the lanes ticked here.");
            ui.horizontal(|ui| {
                ui.label("Pain points from severity");
                for level in 1..=crate::model::MAX_LEVEL {
                    if ui
                        .selectable_label(view.min_severity == level, level.to_string())
                        .clicked()
                        && view.min_severity != level
                    {
                        asks.edit(Command::SetExecutive(crate::model::ExecutiveView {
                            min_severity: level,
                            ..view.clone()
                        }));
                    }
                }
            });
            ui.label("Also show");
            for l in lanes
                .iter()
                .filter(|l| !crate::model::always_shown(l.kind))
            {
                let mut on = view.lanes.contains(&l.id);
                if ui.checkbox(&mut on, l.name.as_str()).changed() {
                    let mut v = view.clone();
                    if on {
                        v.lanes.push(l.id);
                    } else {
                        v.lanes.retain(|x| *x != l.id);
                    }
                    asks.edit(Command::SetExecutive(v));
                }
            }
            let ctx = ui.ctx().clone();
            let a = super::actions::Action::ExecutiveView;
            let label = if shown {
                "Show the whole map"
            } else {
                "Show the executive view"
            };
            if ui
                .add(egui::Button::new(label).shortcut_text(a.shortcut_text(&ctx)))
                .clicked()
            {
                asks.run(a);
            }
        });
}

fn curves_ui(ui: &mut Ui, doc: &Document, active: Option<CurveId>, asks: &mut Asks) {
    ui.heading("Curves");
    let curves = &doc.emotion.curves;
    let personas: Vec<(PersonaId, String)> = doc
        .personas
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect();
    for c in curves {
        let key = c.id.0;
        let is_active = active == Some(c.id);
        let title = format!(
            "{}{} \u{b7} {}",
            if is_active { "\u{25cf} " } else { "" },
            c.name,
            crate::text::count(c.points.len(), "point")
        );
        egui::CollapsingHeader::new(title)
            .id_salt(("curve", key))
            .show(ui, |ui| {
                if !is_active && !c.hidden && ui.button("Edit this curve").clicked() {
                    asks.ask(Ask::ActiveCurve(c.id));
                }
                if let Some(name) = committed_text(ui, "Name", ("curve-name", key), &c.name, false)
                {
                    update(asks, Curve { name, ..c.clone() });
                }
                let mut kind = c.kind;
                let l = ui.label("Shows");
                egui::ComboBox::from_id_salt(("curve-kind", key))
                    .selected_text(kind.label())
                    .show_ui(ui, |ui| {
                        for k in CurveKind::ALL {
                            ui.selectable_value(&mut kind, k, k.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                if kind != c.kind {
                    update(asks, Curve { kind, ..c.clone() });
                }
                let mut persona = c.persona;
                let l = ui.label("Persona");
                let shown = persona
                    .and_then(|id| personas.iter().find(|(p, _)| *p == id))
                    .map_or("No one", |(_, n)| n.as_str());
                egui::ComboBox::from_id_salt(("curve-persona", key))
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut persona, None, "No one");
                        for (id, name) in &personas {
                            ui.selectable_value(&mut persona, Some(*id), name);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                if persona != c.persona {
                    update(
                        asks,
                        Curve {
                            persona,
                            ..c.clone()
                        },
                    );
                }
                let mut hue = c.hue;
                if hue_ui(ui, ("curve-hue", key), &mut hue) {
                    update(asks, Curve { hue, ..c.clone() });
                }
                if c.kind == CurveKind::Measured || c.units.is_some() {
                    units_ui(ui, doc, c, asks);
                }
                ui.horizontal(|ui| {
                    let label = if c.hidden { "Show" } else { "Hide" };
                    if ui.button(label).clicked() {
                        update(
                            asks,
                            Curve {
                                hidden: !c.hidden,
                                ..c.clone()
                            },
                        );
                    }
                    if ui.button("Delete curve").clicked() {
                        asks.ask(Ask::EditSaid(
                            Command::DeleteCurve(c.id),
                            super::dialogs::Toast::said(format!(
                                "Deleted curve \u{201c}{}\u{201d} with {}",
                                c.name,
                                crate::text::count(c.points.len(), "point")
                            )),
                        ));
                    }
                });
            });
    }
    ui.menu_button("Add curve", |ui| {
        for kind in CurveKind::ALL {
            if ui.button(kind.label()).clicked() {
                asks.ask(add_curve(doc, kind));
                ui.close();
            }
        }
    });
}

/// A measured curve's own units: the metric's name and its values at the bottom and top of
/// the scale, so that gaps are told in them ("CSAT 4.6 / 5 measured, feels −2").
fn units_ui(ui: &mut Ui, doc: &Document, c: &Curve, asks: &mut Asks) {
    let key = c.id.0;
    let units = c.units.clone();
    let name = units.as_ref().map_or("", |u| u.name.as_str());
    if let Some(name) = committed_text(
        ui,
        "Measured in (e.g. CSAT)",
        ("curve-units", key),
        name,
        false,
    ) {
        let name = name.trim().to_owned();
        let next = if name.is_empty() {
            None
        } else {
            let (low, high) = units.as_ref().map_or((1.0, 5.0), |u| (u.low, u.high));
            Some(crate::model::Units { name, low, high })
        };
        update(
            asks,
            Curve {
                units: next,
                ..c.clone()
            },
        );
    }
    let Some(u) = units else {
        return;
    };
    let scale = &doc.emotion.scale;
    let (bottom, top) = (scale.min, scale.max);
    ui.horizontal(|ui| {
        let step = |v: i32| crate::text::signed(f64::from(v), 0);
        let l = ui.label(format!("{} at {}:", u.name, step(bottom)));
        let mut low = u.low;
        let r = ui
            .add(egui::DragValue::new(&mut low).speed(0.1).max_decimals(2))
            .labelled_by(l.id);
        let l = ui.label(format!("at {}:", step(top)));
        let mut high = u.high;
        let r2 = ui
            .add(egui::DragValue::new(&mut high).speed(0.1).max_decimals(2))
            .labelled_by(l.id);
        // Two different, finite ends (the same number twice would say nothing).
        let usable = |lo: f64, hi: f64| {
            crate::model::Units {
                low: lo,
                high: hi,
                ..u.clone()
            }
            .usable()
        };
        // A value that would make the ends equal is not taken (the drag goes on).
        for (r, lo, hi) in [(&r, low, u.high), (&r2, u.low, high)] {
            let units = if usable(lo, hi) {
                Some(crate::model::Units {
                    low: lo,
                    high: hi,
                    ..u.clone()
                })
            } else {
                Some(u.clone())
            };
            asks.live(r, || Command::UpdateCurve(Curve { units, ..c.clone() }));
        }
    });
}

fn update(asks: &mut Asks, c: Curve) {
    asks.edit(Command::UpdateCurve(c));
}

/// Adds an empty curve of a kind (for the first persona) and makes it the active curve.
fn add_curve(doc: &Document, kind: CurveKind) -> Ask {
    let persona = doc.personas.first().map(|p| p.id);
    Ask::EditThen(
        Command::AddCurve {
            index: usize::MAX,
            curve: Curve {
                id: CurveId(0),
                name: kind.label().into(),
                kind,
                persona,
                hue: None,
                hidden: false,
                points: Vec::new(),
                units: None,
            },
        },
        Box::new(|canvas, ids| {
            if let Some(id) = ids.first() {
                canvas.active_curve = Some(CurveId(*id));
            }
        }),
    )
}
