//! The inspector's depth of a card (another channel's name, severity or priority, evidence
//! and its source, metrics, links) and of a selected link (its kind, its ends).

use egui::Ui;

use super::app::Selection;
use super::asks::{Ask, Asks};
use super::inspector::{Shown, committed_text};
use crate::edit::Command;
use crate::model::{
    Card, Channel, Document, Evidence, EvidenceKind, LaneKind, LinkId, LinkKind, Metric,
};

/// Names offered for a new metric.
const METRIC_NAMES: [&str; 5] = ["CSAT", "NPS", "Effort", "Contact volume", "Drop-off %"];

/// What the levels of severity and priority are called.
const SEVERITY: [&str; 3] = ["1 Minor", "2 Major", "3 Severe"];
const PRIORITY: [&str; 3] = ["1 Later", "2 Next", "3 Now"];

fn update(asks: &mut Asks, card: &Card, f: impl FnOnce(&mut Card)) {
    let mut c = card.clone();
    f(&mut c);
    if c != *card {
        asks.edit(Command::UpdateCard(c));
    }
}

/// What a row of level buttons says was clicked.
enum Level {
    Unchanged,
    Set(Option<u8>),
}

/// Level buttons ("–", then one per level).
fn level_ui(ui: &mut Ui, label: &str, names: [&str; 3], current: Option<u8>) -> Level {
    let mut chosen = Level::Unchanged;
    ui.label(label);
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(current.is_none(), "–").clicked() {
            chosen = Level::Set(None);
        }
        for (i, name) in names.iter().enumerate() {
            let level = i as u8 + 1;
            if ui.selectable_label(current == Some(level), *name).clicked() {
                chosen = Level::Set(Some(level));
            }
        }
    });
    chosen
}

/// The card's depth: shown below its text, channel, owner and note.
pub(crate) fn card_depth_ui(
    ui: &mut Ui,
    shown: &Shown,
    card: &Card,
    kind: Option<LaneKind>,
    asks: &mut Asks,
) {
    let key = card.id.0;
    if card.channel == Some(Channel::Other)
        && let Some(name) = committed_text(
            ui,
            "Channel name",
            ("channel-name", key),
            &card.channel_name,
            false,
        )
    {
        update(asks, card, |c| name.trim().clone_into(&mut c.channel_name));
    }
    if kind == Some(LaneKind::PainPoints) || card.severity.is_some() {
        ui.add_space(4.0);
        if let Level::Set(level) = level_ui(ui, "Severity", SEVERITY, card.severity) {
            update(asks, card, |c| c.severity = level);
        }
    }
    if kind == Some(LaneKind::Opportunities) || card.priority.is_some() {
        ui.add_space(4.0);
        if let Level::Set(level) = level_ui(ui, "Priority", PRIORITY, card.priority) {
            update(asks, card, |c| c.priority = level);
        }
    }
    ui.add_space(4.0);
    evidence_ui(ui, card, asks);
    ui.add_space(4.0);
    personas_ui(ui, shown.doc, card, asks);
    ui.add_space(4.0);
    metrics_ui(ui, card, asks);
    ui.add_space(4.0);
    links_ui(ui, shown.doc, card, asks);
    ui.add_space(4.0);
    super::map_links::card_map_links_ui(ui, card, &shown.map_links, asks);
}

/// Whose step or moment the card is (a Mermaid task's actors): a toggle per persona.
fn personas_ui(ui: &mut Ui, doc: &Document, card: &Card, asks: &mut Asks) {
    let personas: Vec<(crate::model::PersonaId, String)> = doc
        .personas
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect();
    if personas.len() < 2 && card.personas.is_empty() {
        return;
    }
    ui.label("Personas");
    ui.horizontal_wrapped(|ui| {
        for (id, name) in personas {
            let on = card.personas.contains(&id);
            let name = if name.trim().is_empty() {
                "(unnamed)".to_owned()
            } else {
                name
            };
            if ui.selectable_label(on, name).clicked() {
                update(asks, card, |c| {
                    if on {
                        c.personas.retain(|p| *p != id);
                    } else {
                        c.personas.push(id);
                    }
                });
            }
        }
    });
}

fn evidence_ui(ui: &mut Ui, card: &Card, asks: &mut Asks) {
    ui.label("Evidence");
    let current = card.evidence.as_ref().map(|e| e.kind);
    ui.horizontal(|ui| {
        for (label, kind, tip) in [
            ("Not said", None, "Neither checked nor marked as assumed"),
            (
                "Researched",
                Some(EvidenceKind::Researched),
                "Seen in research: drawn with a solid outline",
            ),
            (
                "Assumed",
                Some(EvidenceKind::Assumed),
                "Believed, not yet checked: drawn with a dashed outline",
            ),
        ] {
            if ui
                .selectable_label(current == kind, label)
                .on_hover_text(tip)
                .clicked()
                && current != kind
            {
                let source = card
                    .evidence
                    .as_ref()
                    .map(|e| e.source.clone())
                    .unwrap_or_default();
                update(asks, card, |c| {
                    c.evidence = kind.map(|kind| Evidence { kind, source });
                });
            }
        }
    });
    if let Some(e) = &card.evidence
        && let Some(source) = committed_text(
            ui,
            "Source",
            ("evidence-source", card.id.0),
            &e.source,
            false,
        )
    {
        update(asks, card, |c| {
            if let Some(e) = &mut c.evidence {
                source.trim().clone_into(&mut e.source);
            }
        });
    }
}

fn metrics_ui(ui: &mut Ui, card: &Card, asks: &mut Asks) {
    ui.label("Metrics");
    let mut remove = None;
    egui::Grid::new(("metrics", card.id.0))
        .num_columns(3)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            for (i, m) in card.metrics.iter().enumerate() {
                ui.label(&m.name);
                let mut v = m.value;
                let r = ui.add(egui::DragValue::new(&mut v).speed(0.1).max_decimals(2));
                if r.drag_started() {
                    asks.ask(Ask::Begin);
                } else if r.dragged() {
                    asks.ask(Ask::Hold);
                }
                if r.changed() && v.is_finite() {
                    let mut c = card.clone();
                    c.metrics[i].value = v;
                    asks.ask(Ask::Apply(Command::UpdateCard(c)));
                }
                if r.drag_stopped() {
                    asks.ask(Ask::Commit);
                }
                if ui
                    .small_button("×")
                    .on_hover_text(format!("Remove {}", m.name))
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        update(asks, card, |c| {
            c.metrics.remove(i);
        });
    }
    for (i, m) in card.metrics.iter().enumerate() {
        metric_source_ui(ui, card, i, m, asks);
    }
    let id = ui.make_persistent_id(("new-metric", card.id.0));
    let mut name: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let mut add = None;
    ui.horizontal(|ui| {
        let l = ui.label("New metric");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut name)
                    .hint_text("CSAT, NPS …")
                    .desired_width(100.0),
            )
            .labelled_by(l.id);
        let enter = super::entered(ui, &r);
        ui.menu_button("▼", |ui| {
            for n in METRIC_NAMES {
                if ui.button(n).clicked() {
                    add = Some(n.to_owned());
                    ui.close();
                }
            }
        });
        if (ui.button("Add").clicked() || enter) && !name.trim().is_empty() {
            add = Some(name.trim().to_owned());
        }
    });
    if let Some(n) = add {
        name.clear();
        if card.metric(&n).is_none() {
            update(asks, card, |c| {
                c.metrics.push(Metric {
                    name: n,
                    value: 0.0,
                    ..Default::default()
                });
            });
        }
    }
    ui.data_mut(|d| d.insert_temp(id, name));
}

/// Where a metric is read from (a CSV file's column, over the rows a filter keeps), when it
/// was last read, and whether that is too long ago; Data → Refresh metrics reads it again.
fn metric_source_ui(ui: &mut Ui, card: &Card, i: usize, m: &Metric, asks: &mut Asks) {
    use crate::model::{Aggregate, MetricSource};
    let today = crate::text::day_of(&crate::render::export_date()).unwrap_or(0);
    let stale = m.stale(today);
    let title = match (&m.source, stale) {
        (None, _) => format!("{}: typed in", m.name),
        (Some(_), Some(_)) => format!("{}: from data \u{2014} stale", m.name),
        (Some(_), None) => format!("{}: from data", m.name),
    };
    let mut text = egui::RichText::new(title).small();
    if stale.is_some() {
        text = text.color(ui.visuals().warn_fg_color);
    }
    egui::CollapsingHeader::new(text)
        .id_salt(("metric-source", card.id.0, i))
        .show(ui, |ui| {
            let src = m.source.clone().unwrap_or_else(|| MetricSource {
                column: m.name.clone(),
                max_age_days: 90,
                ..MetricSource::default()
            });
            let set = |asks: &mut Asks, s: Option<MetricSource>| {
                update(asks, card, |c| c.metrics[i].source = s);
            };
            let salt = (card.id.0, i);
            if let Some(v) = committed_text(
                ui,
                "CSV file (beside the map)",
                (salt, "file"),
                &src.file,
                false,
            ) {
                let file = v.trim().to_string();
                set(
                    asks,
                    Some(MetricSource {
                        file,
                        ..src.clone()
                    }),
                );
            }
            if let Some(v) = committed_text(ui, "Column", (salt, "column"), &src.column, false) {
                let column = v.trim().to_string();
                set(
                    asks,
                    Some(MetricSource {
                        column,
                        ..src.clone()
                    }),
                );
            }
            let label = "Only rows where (Column=value)";
            if let Some(v) = committed_text(ui, label, (salt, "filter"), &src.filter, false) {
                let filter = v.trim().to_string();
                set(
                    asks,
                    Some(MetricSource {
                        filter,
                        ..src.clone()
                    }),
                );
            }
            ui.horizontal(|ui| {
                let mut how = src.how;
                egui::ComboBox::from_id_salt(("metric-how", salt))
                    .selected_text(how.label())
                    .show_ui(ui, |ui| {
                        for a in Aggregate::ALL {
                            ui.selectable_value(&mut how, a, a.label());
                        }
                    });
                let mut days = src.max_age_days;
                ui.label("stale after");
                let r = ui.add(
                    egui::DragValue::new(&mut days)
                        .range(0..=3650)
                        .suffix(" days"),
                );
                let changed = how != src.how || (r.changed() && days != src.max_age_days);
                if m.source.is_some() && changed {
                    let s = MetricSource {
                        how,
                        max_age_days: days,
                        ..src.clone()
                    };
                    set(asks, Some(s));
                }
            });
            if m.source.is_some() {
                let read = match (&m.refreshed, stale) {
                    (None, _) => "Never read yet: Data \u{2192} Refresh metrics".to_string(),
                    (Some(d), Some(Some(age))) => format!("Read {d}, {age} days ago: stale"),
                    (Some(d), _) => format!("Read {d}"),
                };
                if stale.is_some() {
                    ui.colored_label(ui.visuals().warn_fg_color, read);
                } else {
                    ui.label(egui::RichText::new(read).weak());
                }
                if ui.small_button("Type it in instead").clicked() {
                    set(asks, None);
                }
            }
        });
}

fn card_label(doc: &Document, id: crate::model::CardId) -> String {
    let text = doc.card(id).map_or("", |c| c.text.as_str());
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 40 {
        format!("{}…", one.chars().take(39).collect::<String>())
    } else {
        one
    }
}

fn links_ui(ui: &mut Ui, doc: &Document, card: &Card, asks: &mut Asks) {
    let links = doc
        .links
        .iter()
        .filter(|l| l.from == card.id || l.to == card.id);
    ui.label("Links");
    for l in links {
        let (verb, other) = if l.from == card.id {
            (l.kind.label().to_owned(), l.to)
        } else {
            let verb = match l.kind {
                LinkKind::Causes => "causes",
                LinkKind::LeadsTo => "follows from",
                LinkKind::RelatesTo => "relates to",
            };
            (verb.to_owned(), l.from)
        };
        let text = format!("{verb}: {}", card_label(doc, other));
        if ui.link(text).on_hover_text("Select this link").clicked() {
            asks.select(Selection {
                link: Some(l.id),
                ..Selection::default()
            });
        }
    }
    let ctx = ui.ctx().clone();
    let a = super::actions::Action::LinkTo;
    if ui
        .add(egui::Button::new("Link to…").shortcut_text(a.shortcut_text(&ctx)))
        .on_hover_text("Then click the card this one links to; or drag the handle on the card's right edge to it")
        .clicked()
    {
        asks.run(a);
    }
}

/// The selected link: what it means, its ends, swap, delete.
pub(crate) fn link_ui(ui: &mut Ui, doc: &Document, id: LinkId, asks: &mut Asks) {
    let Some(link) = doc.links.iter().find(|l| l.id == id) else {
        return;
    };
    ui.heading("Link");
    ui.add_space(4.0);
    let from = card_label(doc, link.from);
    let to = card_label(doc, link.to);
    if ui.link(format!("From: {from}")).clicked() {
        asks.select(Selection::only_card(link.from));
    }
    ui.label("Kind");
    for kind in LinkKind::ALL {
        if ui.radio(link.kind == kind, kind.label()).clicked() && link.kind != kind {
            asks.edit(Command::UpdateLink(crate::model::Link {
                kind,
                ..link.clone()
            }));
        }
    }
    if ui.link(format!("To: {to}")).clicked() {
        asks.select(Selection::only_card(link.to));
    }
    ui.add_space(4.0);
    ui.weak("Drag either end of the link to another card to move it.");
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui.button("Swap ends").clicked() {
            asks.edit(Command::UpdateLink(crate::model::Link {
                from: link.to,
                to: link.from,
                ..link.clone()
            }));
        }
        if ui.button("Delete link").clicked() {
            asks.ask(Ask::DeleteSelection);
        }
    });
}
