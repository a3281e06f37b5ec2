//! The map for screen readers: an AccessKit node for every stage, lane, card, link and
//! emotion point (on screen, and while a reader reads the tree also off screen), each saying what it is and where it stands in the map ("Card: Long
//! queue … — Call support (stage 5 of 7), Pain points lane, 1 of 2 in the cell; severity 3;
//! is caused by: No callback …"), so that a screen reader can walk the map. Labels are made
//! only when asked for (when a screen reader or a test reads the tree), and a card's label is
//! kept until the map changes ([`Labels`]).

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

use egui::{Sense, Ui, WidgetInfo};

use crate::layout::Layout;
use crate::model::{CardId, Document, LinkKind};
use crate::render::Element;
use crate::ui::canvas::Canvas;
use crate::ui::paint::OVERVIEW_BELOW_PX;

/// How a link reads from its start and from its end.
fn verbs(kind: LinkKind) -> (&'static str, &'static str) {
    match kind {
        LinkKind::Causes => ("is caused by", "causes"),
        LinkKind::LeadsTo => ("leads to", "follows from"),
        LinkKind::RelatesTo => ("relates to", "relates to"),
    }
}

/// Each card's links, both ways, as sentences: "is caused by: TEXT", "causes: TEXT" …
fn link_sentences(doc: &Document) -> HashMap<CardId, Vec<String>> {
    let mut out: HashMap<CardId, Vec<String>> = HashMap::new();
    let text = |id| {
        doc.card(id)
            .map_or_else(String::new, |c| crate::text::one_line(&c.text, 80))
    };
    for l in &doc.links {
        let (forward, back) = verbs(l.kind);
        out.entry(l.from)
            .or_default()
            .push(format!("{forward}: {}", text(l.to)));
        out.entry(l.to)
            .or_default()
            .push(format!("{back}: {}", text(l.from)));
    }
    out
}

/// What a screen reader says for a card: its text, where it stands, its marks and links.
fn card_label(
    doc: &Document,
    id: CardId,
    links: &HashMap<CardId, Vec<String>>,
    via: &HashMap<CardId, String>,
) -> String {
    let Some(c) = doc.card(id) else {
        return String::new();
    };
    let stages = doc.stages.len();
    let stage = doc.stage(c.stage).map_or("", |s| s.name.as_str());
    let si = doc.stage_index(c.stage).map_or(0, |i| i + 1);
    let lane = doc.lane(c.lane).map_or("", |l| l.name.as_str());
    let cell = doc.cell_slice(c.stage, c.lane);
    let k = cell.iter().position(|x| x.id == id).map_or(0, |i| i + 1);
    let mut parts = vec![format!(
        "Card: {} \u{2014} {stage} (stage {si} of {stages}), {lane} lane, {k} of {} in the cell",
        c.text,
        cell.len()
    )];
    if let Some(ch) = c.channel {
        parts.push(format!("channel {}", ch.label()));
    }
    if !c.owner.trim().is_empty() {
        parts.push(format!("owner {}", c.owner.trim()));
    } else if let Some(o) = via.get(&c.id) {
        parts.push(format!("owner {o} (via its cause)"));
    }
    if let Some(s) = c.severity {
        parts.push(format!("severity {s}"));
    }
    if let Some(p) = c.priority {
        parts.push(format!("priority {p}"));
    }
    if c.moment_of_truth {
        parts.push("moment of truth".into());
    }
    if let Some(l) = links.get(&id) {
        parts.extend(l.iter().cloned());
    }
    parts.join("; ")
}

/// The cards' labels as last made: made when a reader first asks for them and again only
/// after the map changed ([`Labels::forget`], called with every change the editor reports).
/// On a large map they are most of the work of a frame while a screen reader reads it (a
/// label looks up the card's stage, cell, owner and links).
#[derive(Default)]
pub(crate) struct Labels(HashMap<CardId, String>);

impl Labels {
    /// Forgets every label (the map changed).
    pub(crate) fn forget(&mut self) {
        self.0.clear();
    }
}

/// Most cards off screen given nodes of their own (the nearest to the view first): a screen
/// reader walks the map beyond the window without a frame costing more than a few
/// milliseconds on a huge map.
const OFF_SCREEN_CARDS: usize = 2_000;

/// Registers the nodes of the map this frame: what is on screen, and — while a screen reader
/// (or a test) reads the tree — what is off screen or too small to read too, at its place
/// outside the window, so that a reader can walk the whole map.
/// `labels` keeps the cards' labels between frames.
pub(crate) fn nodes(ui: &Ui, doc: &Document, l: &Layout, canvas: &Canvas, labels: &mut Labels) {
    let reading = ui
        .ctx()
        .accesskit_node_builder(ui.scope_id(), |_| ())
        .is_some();
    // In the overview (text too small to read) nothing is read out unless a reader asks, and
    // then cards count as off screen (the nearest 2,000 to the view's centre).
    let overview = l.style().card_font() * canvas.view.zoom < OVERVIEW_BELOW_PX;
    if !reading && overview {
        return;
    }
    let clip = canvas.rect;
    let node = |r: egui::Rect, key: (&str, u64), info: &dyn Fn() -> WidgetInfo| {
        let on_screen = r.intersects(clip);
        if (on_screen && r.width() >= 4.0) || (reading && r.width() > 0.0) {
            let id = ui.scope_id().with(key);
            let at = if on_screen { r.intersect(clip) } else { r };
            ui.interact(at, id, Sense::hover()).widget_info(info);
        }
    };
    let n = doc.stages.len();
    for (i, s) in l.stages.iter().enumerate() {
        let r = canvas.screen_rect_frozen(&s.header, Element::StageHeader(s.id));
        let name = doc.stage(s.id).map_or("", |s| s.name.as_str());
        node(r, ("stage", s.id.0), &|| {
            let mut info = WidgetInfo::labeled(egui::Role::Label, true, format!("Stage: {name}"));
            info.value = Some((i + 1) as f64);
            info.hint_text = Some(format!("stage {} of {n}", i + 1));
            info
        });
    }
    let lanes = l.lanes.len();
    for (i, lane) in l.lanes.iter().enumerate() {
        let r = canvas.screen_rect_frozen(&lane.label, Element::LaneLabel(lane.id));
        let name = doc.lane(lane.id).map_or("", |l| l.name.as_str());
        let kind = lane.kind.label();
        node(r, ("lane", lane.id.0), &|| {
            WidgetInfo::labeled(
                egui::Role::Label,
                true,
                format!("Lane: {name} ({kind}), lane {} of {lanes}", i + 1),
            )
        });
    }
    let o = clip.min;
    let v = &canvas.view;
    let world_clip = crate::geom::Rect {
        min: v.world_from_screen(o, clip.min),
        max: v.world_from_screen(o, clip.max),
    };
    // Built once a frame, and only when a label is read.
    let links: OnceCell<HashMap<CardId, Vec<String>>> = OnceCell::new();
    let via: OnceCell<HashMap<CardId, String>> = OnceCell::new();
    let labels = RefCell::new(&mut labels.0);
    let centre = world_clip.center();
    let mut off: Vec<&crate::layout::CardBox> = if reading {
        l.cards
            .iter()
            .filter(|c| overview || !c.rect.intersects(&world_clip))
            .collect()
    } else {
        Vec::new()
    };
    if off.len() > OFF_SCREEN_CARDS {
        let d = |c: &crate::layout::CardBox| {
            let p = c.rect.center();
            (p.x - centre.x).hypot(p.y - centre.y)
        };
        off.select_nth_unstable_by(OFF_SCREEN_CARDS, |a, b| d(a).total_cmp(&d(b)));
        off.truncate(OFF_SCREEN_CARDS);
        // In the map's reading order: stage by stage, top to bottom.
        off.sort_by(|a, b| {
            a.rect
                .min
                .x
                .total_cmp(&b.rect.min.x)
                .then(a.rect.min.y.total_cmp(&b.rect.min.y))
        });
    }
    let on = l
        .cards
        .iter()
        .filter(|c| !overview && c.rect.intersects(&world_clip));
    for c in on.chain(off) {
        let selected = canvas.selection.cards.contains(&c.id);
        node(v.screen_rect(o, &c.rect), ("card", c.id.0), &|| {
            let label = labels
                .borrow_mut()
                .entry(c.id)
                .or_insert_with(|| {
                    card_label(
                        doc,
                        c.id,
                        links.get_or_init(|| link_sentences(doc)),
                        via.get_or_init(|| crate::model::inherited_owners(doc)),
                    )
                })
                .clone();
            let mut info = WidgetInfo::labeled(egui::Role::Button, true, label);
            info.selected = Some(selected);
            info
        });
    }
    // Each link on screen as a node of its own, at the middle of its route, saying what it
    // joins ("Link: “Bill differs …” is caused by “Billing system …”").
    for lb in &l.links {
        let Some(mid) = route_middle(&lb.route) else {
            continue;
        };
        let at = v.screen_from_world(o, mid);
        let r = egui::Rect::from_center_size(at, egui::vec2(14.0, 14.0));
        node(r, ("link", lb.id.0), &|| {
            let text = |id| {
                doc.card(id)
                    .map_or_else(String::new, |c| crate::text::one_line(&c.text, 80))
            };
            let verb = verbs(lb.kind).0;
            let selected = canvas.selection.link == Some(lb.id);
            let mut info = WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!(
                    "Link: \u{201c}{}\u{201d} {verb} \u{201c}{}\u{201d}",
                    text(lb.from),
                    text(lb.to)
                ),
            );
            info.selected = Some(selected);
            info
        });
    }
    if let Some(e) = &l.emotion {
        let scale = &doc.emotion.scale;
        for curve in &e.curves {
            let name = doc
                .emotion
                .curves
                .iter()
                .find(|c| c.id == curve.id)
                .map_or("", |c| c.name.as_str());
            for p in &curve.points {
                let at = v.screen_from_world(o, p.pos);
                let r = egui::Rect::from_center_size(at, egui::vec2(16.0, 16.0));
                let stage = doc.stage(p.stage).map_or("", |s| s.name.as_str());
                node(r, ("point", p.id.0), &|| {
                    let said = scale.label(p.value.round() as i32).unwrap_or("");
                    let value = format!("{:+.1}", p.value).replace('-', "\u{2212}");
                    // A point given for a card (a task's score) names it.
                    let task = doc
                        .point(p.id)
                        .and_then(|pt| pt.card)
                        .and_then(|id| doc.card(id))
                        .map(|c| format!(", given for \u{201c}{}\u{201d}", c.text))
                        .unwrap_or_default();
                    WidgetInfo::labeled(
                        egui::Role::Label,
                        true,
                        format!("Emotion point: {stage}, {value} {said} ({name}){task}"),
                    )
                });
            }
        }
    }
}

/// The point halfway along a route (by length).
fn route_middle(route: &[crate::geom::Pos]) -> Option<crate::geom::Pos> {
    let dist = |a: crate::geom::Pos, b: crate::geom::Pos| (b.x - a.x).hypot(b.y - a.y);
    let len: f32 = route.windows(2).map(|w| dist(w[0], w[1])).sum();
    let mut left = len / 2.0;
    for w in route.windows(2) {
        let d = dist(w[0], w[1]);
        if d >= left && d > 0.0 {
            let t = left / d;
            return Some(crate::geom::Pos::new(
                w[0].x + t * (w[1].x - w[0].x),
                w[0].y + t * (w[1].y - w[0].y),
            ));
        }
        left -= d;
    }
    route.first().copied()
}
