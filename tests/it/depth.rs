//! Journey depth in the editor, driven with real input events: personas and curves, the
//! active curve, links (draw, retarget, delete, undo, Link to…), card marks, colour by owner,
//! the executive view and new maps from templates.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::geom::Pos;
use journeymap::model::{CurveKind, EvidenceKind, LaneKind, LinkKind};
use journeymap::render::{ColourBy, Element, Item};

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

type H = egui_kittest::Harness<'static, journeymap::ui::App>;

/// Clicks the widget with this exact label.
fn click_label(h: &mut H, label: &str) {
    let r = h.get_by_label(label).rect();
    click(h, r.center());
}

/// Where a card's link handle is on screen (the middle of its right edge).
fn handle_of(h: &H, id: journeymap::model::CardId) -> egui::Pos2 {
    let r = h.state().layout().card(id).unwrap().rect;
    screen(h, Pos::new(r.max.x, r.center().y))
}

/// The point of a link's route farthest from every other link and card, on screen.
fn on_link(h: &H, id: journeymap::model::LinkId) -> egui::Pos2 {
    let l = h.state().layout();
    let route = &l.link(id).unwrap().route;
    let mut best = (f32::MIN, route[0]);
    for w in route.windows(2) {
        for i in 1..20 {
            let t = i as f32 / 20.0;
            let p = Pos::new(
                w[0].x + (w[1].x - w[0].x) * t,
                w[0].y + (w[1].y - w[0].y) * t,
            );
            if l.cards.iter().any(|c| c.rect.expand(4.0).contains(p)) {
                continue;
            }
            let clear = l
                .links
                .iter()
                .filter(|o| o.id != id)
                .map(|o| journeymap::layout::distance_to(&o.route, p))
                .fold(f32::INFINITY, f32::min);
            if clear > best.0 {
                best = (clear, p);
            }
        }
    }
    screen(h, best.1)
}

#[test]
fn add_a_persona_and_a_curve_switch_curves_and_drag_a_point_of_each() {
    let mut h = ready();
    click_label(&mut h, "Add persona");
    assert_eq!(h.state().doc().personas.len(), 2);
    assert_eq!(h.state().doc().personas[1].name, "Persona 2");
    // Add a future-state curve: it becomes the one being edited.
    click_label(&mut h, "Add curve");
    click_label(&mut h, "Future state");
    let doc = h.state().doc().clone();
    assert_eq!(doc.emotion.curves.len(), 3);
    let future = doc.emotion.curves[2].id;
    assert_eq!(doc.emotion.curves[2].kind, CurveKind::Future);
    assert_eq!(h.state().active_curve(), Some(future));
    // Typing a value in an emotion cell sets a point of the active curve there.
    let stage = doc.stages[1].id;
    let emo = lane_of(&doc, LaneKind::Emotion);
    let at = cell_center(&h, stage, emo);
    click(&mut h, at);
    type_text(&mut h, "2");
    let f = h.state().doc().emotion.curve(future).unwrap().clone();
    assert_eq!(f.points.len(), 1);
    assert_eq!((f.points[0].stage, f.points[0].value), (stage, 2.0));
    // The legend chip of the measured curve makes it the active one.
    click_label(&mut h, "CSAT per contact");
    let measured = doc.emotion.first_of(CurveKind::Measured).unwrap().id;
    assert_eq!(h.state().active_curve(), Some(measured));
    // Drag a point of the perceived curve down and one of the measured curve up: each moves
    // on its own curve only, and clicking a point makes its curve the active one.
    let e = h.state().layout().emotion.clone().unwrap();
    let perceived = doc.emotion.first_of(CurveKind::Perceived).unwrap().id;
    for (curve, dv) in [(perceived, -1.0_f32), (measured, 1.0)] {
        let before = h.state().doc().clone();
        let p = e.curve(curve).unwrap().points[0].clone();
        let from = screen(&h, p.pos);
        let to = screen(&h, Pos::new(p.pos.x, e.y_of(p.value + dv)));
        drag(&mut h, from, to, 6);
        let after = h.state().doc();
        let moved = after.point(p.id).unwrap();
        assert!((moved.value - (p.value + dv)).abs() < 0.3, "{moved:?}");
        assert_eq!(h.state().active_curve(), Some(curve));
        for c in &after.emotion.curves {
            if c.id != curve {
                assert_eq!(Some(c), before.emotion.curve(c.id), "{} moved", c.name);
            }
        }
    }
}

#[test]
fn draw_retarget_delete_and_undo_a_link() {
    let mut h = ready();
    let pain = card_by_text(&h, "Long queue with irritating music");
    let cause = card_by_text(&h, "No callback; agents cannot see the chat history");
    let other = card_by_text(&h, "No shared knowledge base across teams");
    let before = h.state().doc().links.len();
    // Select the pain point, then drag from the handle on its right edge to the cause.
    let at = card_center(&h, pain.id);
    click(&mut h, at);
    let (from, to) = (handle_of(&h, pain.id), card_center(&h, cause.id));
    drag(&mut h, from, to, 8);
    let doc = h.state().doc().clone();
    assert_eq!(doc.links.len(), before + 1);
    let link = doc.links.last().unwrap().clone();
    assert_eq!(
        (link.from, link.to, link.kind),
        (pain.id, cause.id, LinkKind::Causes)
    );
    assert_eq!(h.state().selection().link, Some(link.id));
    // It is drawn: a part of its own in the canvas's display list.
    assert!(
        h.state()
            .display_list()
            .parts
            .iter()
            .any(|p| p.element == Element::Link(link.id))
    );
    // Drag its arrow end to another card.
    let end = *h
        .state()
        .layout()
        .link(link.id)
        .unwrap()
        .route
        .last()
        .unwrap();
    let (from, to) = (screen(&h, end), card_center(&h, other.id));
    drag(&mut h, from, to, 8);
    let moved = h
        .state()
        .doc()
        .links
        .iter()
        .find(|l| l.id == link.id)
        .unwrap()
        .clone();
    assert_eq!((moved.from, moved.to), (pain.id, other.id));
    // Click elsewhere, then click the line: it is selected again; Delete removes it.
    let at = screen(&h, Pos::new(5.0, 5.0));
    click(&mut h, at);
    assert_eq!(h.state().selection().link, None);
    let at = on_link(&h, link.id);
    click(&mut h, at);
    assert_eq!(h.state().selection().link, Some(link.id));
    key(&mut h, Modifiers::NONE, Key::Delete);
    assert!(h.state().doc().links.iter().all(|l| l.id != link.id));
    key(&mut h, CTRL, Key::Z);
    assert!(h.state().doc().links.iter().any(|l| l.id == link.id));
    // Deleting the card deletes its links in the same step; one undo brings both back.
    let at = card_center(&h, pain.id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    let doc = h.state().doc();
    assert!(doc.card(pain.id).is_none());
    assert!(
        doc.links
            .iter()
            .all(|l| l.from != pain.id && l.to != pain.id)
    );
    key(&mut h, CTRL, Key::Z);
    let doc = h.state().doc();
    assert!(doc.card(pain.id).is_some());
    assert!(doc.links.iter().any(|l| l.id == link.id));
}

#[test]
fn link_to_then_click_the_target() {
    let mut h = ready();
    let from = card_by_text(&h, "Opens the first bill");
    let to = card_by_text(&h, "Searches the FAQ, then tries the chat bot");
    let at = card_center(&h, from.id);
    click(&mut h, at);
    key(&mut h, CTRL, Key::L);
    assert!(h.state().is_linking());
    let at = card_center(&h, to.id);
    click(&mut h, at);
    assert!(!h.state().is_linking());
    let l = h.state().doc().links.last().unwrap().clone();
    // An action leads to the next one.
    assert_eq!((l.from, l.to, l.kind), (from.id, to.id, LinkKind::LeadsTo));
    // From the context menu: right-click a pain point, Link to…, click its cause; and set
    // its severity there.
    let pain = card_by_text(&h, "Long queue with irritating music");
    let cause = card_by_text(&h, "No callback; agents cannot see the chat history");
    let at = card_center(&h, pain.id);
    right_click(&mut h, at);
    // The menu's entry (the side panel has one too, drawn before the menu).
    let r = h
        .get_all_by_label_contains("Link to…")
        .last()
        .unwrap()
        .rect();
    assert!(
        r.min.x < h.state().canvas_rect().max.x,
        "the entry is in the menu"
    );
    click(&mut h, r.center());
    assert!(h.state().is_linking());
    let at = card_center(&h, cause.id);
    click(&mut h, at);
    let l = h.state().doc().links.last().unwrap().clone();
    assert_eq!(
        (l.from, l.to, l.kind),
        (pain.id, cause.id, LinkKind::Causes)
    );
    let at = card_center(&h, pain.id);
    right_click(&mut h, at);
    let r = h.get_all_by_label("1 Minor").last().unwrap().rect();
    assert!(
        r.min.x < h.state().canvas_rect().max.x,
        "the entry is in the menu"
    );
    click(&mut h, r.center());
    assert_eq!(h.state().doc().card(pain.id).unwrap().severity, Some(1));
    // Escape cancels a pending Link to…
    let at = card_center(&h, from.id);
    click(&mut h, at);
    key(&mut h, CTRL, Key::L);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().is_linking());
}

#[test]
fn severity_evidence_and_a_metric_from_the_inspector() {
    let mut h = ready();
    let card = card_by_text(&h, "Repeats details to two agents");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    click_label(&mut h, "3 Severe");
    click_label(&mut h, "Assumed");
    let c = h.state().doc().card(card.id).unwrap().clone();
    assert_eq!(c.severity, Some(3));
    assert_eq!(
        c.evidence.as_ref().map(|e| e.kind),
        Some(EvidenceKind::Assumed)
    );
    // Assumed evidence draws the card's outline dashed.
    let dl = h.state().display_list();
    let part = dl
        .parts
        .iter()
        .find(|p| p.element == Element::Card(card.id))
        .unwrap();
    let Some((_, Item::Rect { stroke, .. })) = part.items.first() else {
        panic!("a card starts with its rectangle");
    };
    assert!(stroke.unwrap().dash.is_some());
    // A metric: name it, add it, give it a value.
    let field = h.get_by_label("New metric").rect();
    click(&mut h, field.center());
    type_text(&mut h, "Effort");
    click_label(&mut h, "Add");
    let c = h.state().doc().card(card.id).unwrap().clone();
    assert_eq!(c.metrics.len(), 1);
    assert_eq!(c.metrics[0].name, "Effort");
    // The source of the evidence.
    let field = h.get_by_label("Source").rect();
    click(&mut h, field.center());
    key(&mut h, CTRL, Key::A);
    type_text(&mut h, "Call recordings");
    key(&mut h, Modifiers::NONE, Key::Enter);
    let c = h.state().doc().card(card.id).unwrap().clone();
    assert_eq!(c.evidence.unwrap().source, "Call recordings");
}

/// The fill of a card's rectangle as the canvas draws it.
fn fill_of(h: &H, id: journeymap::model::CardId) -> journeymap::theme::Color {
    let dl = h.state().display_list();
    let part = dl
        .parts
        .iter()
        .find(|p| p.element == Element::Card(id))
        .unwrap();
    match part.items.first() {
        Some((_, Item::Rect { fill, .. })) => *fill,
        other => panic!("{other:?}"),
    }
}

#[test]
fn colour_by_owner_from_the_view_menu() {
    let mut h = ready();
    let a = card_by_text(&h, "Social media ad"); // Marketing
    let b = card_by_text(&h, "Plan comparison page"); // Marketing
    let c = card_by_text(&h, "Online contract"); // Sales
    // By lane kind, touchpoints share a colour whatever their owner.
    assert_eq!(fill_of(&h, a.id), fill_of(&h, c.id));
    open_submenu(&mut h, "View", "Colour by");
    click_label(&mut h, "Owner");
    assert_eq!(*h.state().colour_by(), ColourBy::Owner);
    assert_eq!(fill_of(&h, a.id), fill_of(&h, b.id));
    assert_ne!(fill_of(&h, a.id), fill_of(&h, c.id));
    // The canvas legend names the owners.
    assert!(h.query_by_label("Marketing").is_some());
    assert!(h.query_by_label("Sales").is_some());
}

#[test]
fn the_executive_view_shows_what_an_executive_needs() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    key(&mut h, CTRL_SHIFT, Key::X);
    assert!(h.state().is_executive());
    let l = h.state().layout();
    let actions = lane_of(&doc, LaneKind::Actions);
    assert!(l.lane(actions).is_none(), "the actions lane is not shown");
    let minor = card_by_text(&h, "A clause on early fees is hard to understand");
    let severe = card_by_text(&h, "Bill differs from the advertised price");
    assert!(l.card(minor.id).is_none());
    assert!(l.card(severe.id).is_some());
    for c in doc.cards.iter().filter(|c| c.moment_of_truth) {
        assert!(
            l.card(c.id).is_some(),
            "moment of truth {} is shown",
            c.text
        );
    }
    assert!(l.emotion.as_ref().is_some_and(|e| !e.gaps.is_empty()));
    // Editing works in it: the change goes to the whole map.
    let at = card_center(&h, severe.id);
    click(&mut h, at);
    click_label(&mut h, "2 Major");
    assert_eq!(h.state().doc().card(severe.id).unwrap().severity, Some(2));
    key(&mut h, CTRL_SHIFT, Key::X);
    assert!(!h.state().is_executive());
    assert!(h.state().layout().lane(actions).is_some());
}

#[test]
fn a_filter_says_how_many_cards_it_hides_and_a_new_map_starts_with_a_clean_view() {
    let mut h = ready();
    let all = h.state().doc().cards.len();
    key(&mut h, CTRL_SHIFT, Key::X);
    assert!(h.state().is_executive());
    let shown = h.state().layout().cards.len();
    assert!(shown < all, "{shown} of {all}");
    // The canvas says so, with the way back.
    h.get_by_label(&format!("Executive view: {shown} of {all} cards shown"));
    click_label(&mut h, "Show all");
    assert!(!h.state().is_executive());
    assert!(h.query_by_label_contains("cards shown").is_none());
    // Executive view and colour by owner, then File → New: the new map is not filtered or
    // coloured by the last one's view, and the status says what it is.
    key(&mut h, CTRL_SHIFT, Key::X);
    open_submenu(&mut h, "View", "Colour by");
    click_label(&mut h, "Owner");
    assert_eq!(*h.state().colour_by(), ColourBy::Owner);
    key(&mut h, CTRL, Key::N);
    h.run_steps(3);
    if h.query_by_label("Don't save").is_some() {
        click_label(&mut h, "Don't save");
    }
    assert!(!h.state().is_executive());
    assert_eq!(*h.state().colour_by(), ColourBy::Lane);
    assert!(h.query_by_label_contains("New map").is_some());
    assert!(h.query_by_label_contains("Opened").is_none());
}

#[test]
fn new_from_the_service_blueprint_template() {
    let mut h = ready();
    click_label(&mut h, "File");
    let r = h.get_by_label("New from template").rect();
    h.hover_at(r.center());
    h.run_steps(3);
    click_label(&mut h, "Service blueprint");
    let doc = h.state().doc();
    assert_eq!(doc.title, "Getting a broken boiler repaired");
    assert!(
        h.state().file().is_none(),
        "a template opens as a new, unsaved map"
    );
    assert!(
        doc.lanes
            .iter()
            .any(|l| l.kind == LaneKind::SupportProcesses)
    );
    // The blueprint's lines are drawn and labelled.
    let texts: Vec<String> = h
        .state()
        .display_list()
        .items()
        .filter_map(|(_, i)| match i {
            Item::Text { text, .. } => Some(text.to_string()),
            _ => None,
        })
        .collect();
    for line in [
        "Line of interaction",
        "Line of visibility",
        "Line of internal interaction",
    ] {
        assert!(texts.iter().any(|t| t == line), "{line} in {texts:?}");
    }
}

/// A map with thousands of metric names (a hostile or machine-made file) keeps the Colour by
/// menu quick: it scrolls and lays out only the names in sight, and picking one works.
#[test]
fn colour_by_with_thousands_of_metrics_lists_only_what_is_in_sight() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("metrics.json");
    let mut doc = journeymap::model::sample_map();
    for i in 0..doc.cards.len() {
        let card = doc.card_at_mut(i);
        card.metrics = (0..200)
            .map(|k| journeymap::model::Metric {
                name: format!("M{i:03}-{k:03}"),
                value: f64::from(k),
                ..Default::default()
            })
            .collect();
    }
    let total = doc.cards.len() * 200;
    assert!(total >= 5_000);
    journeymap::io::save_atomic(&path, &doc).unwrap();
    let mut h = common::harness(Some(path));
    h.run_steps(2);
    open_submenu(&mut h, "View", "Colour by");
    let listed = h.query_all_by_label_contains("Metric: M").count();
    assert!(
        listed > 3 && listed < 100,
        "{listed} of {total} metric names laid out"
    );
    click_label(&mut h, "Metric: M000-000");
    assert_eq!(*h.state().colour_by(), ColourBy::Metric("M000-000".into()));
}

/// A card's tooltip (its note) shows on hover, but not through a dialog over the canvas.
#[test]
fn a_card_s_tooltip_does_not_draw_over_a_dialog() {
    let mut h = ready();
    let card = h
        .state()
        .doc()
        .cards
        .iter()
        .find(|c| !c.note.trim().is_empty())
        .map(|c| (c.id, c.note.trim().to_owned()))
        .unwrap();
    let at = card_center(&h, card.0);
    let tooltip = |h: &H| {
        h.output()
            .shapes
            .iter()
            .any(|s| matches!(&s.shape, egui::Shape::Text(t) if t.galley.text().contains(&card.1)))
    };
    h.hover_at(at);
    h.run_steps(3);
    assert!(tooltip(&h), "hovering the card shows its note");
    key(&mut h, Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    assert!(
        h.query_by_label("Export").is_some(),
        "the export dialog is open"
    );
    h.hover_at(at + egui::vec2(1.0, 1.0));
    h.run_steps(3);
    assert!(!tooltip(&h), "the note drew over the export dialog");
}

/// The view a map is shown in is saved with it: reopened, it shows the executive view
/// coloured by owner again; a map saved in the plain view keeps a plain file.
#[test]
fn the_view_is_saved_with_the_map_and_comes_back_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.json");
    journeymap::io::save_atomic(&path, &journeymap::model::sample_map()).unwrap();
    let plain = std::fs::read_to_string(&path).unwrap();
    assert!(!plain.contains("\"view\""), "a plain view is not written");
    let mut h = common::harness(Some(path.clone()));
    h.run_steps(2);
    key(&mut h, CTRL_SHIFT, Key::X);
    open_submenu(&mut h, "View", "Colour by");
    click_label(&mut h, "Owner");
    key(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    let saved = journeymap::io::load(&path).unwrap().0;
    assert!(saved.view.executive);
    assert_eq!(saved.view.colour_by, "owner");
    // The owners' colour order is saved too (an owner keeps its colour next time).
    assert_eq!(saved.owner_order, journeymap::model::owners(&saved));
    assert!(saved.owner_order.len() >= 3, "{:?}", saved.owner_order);
    let mut again = common::harness(Some(path));
    again.run_steps(2);
    assert!(again.state().is_executive());
    assert_eq!(*again.state().colour_by(), ColourBy::Owner);
}

/// A screen reader can walk the map: stages, lanes, cards and emotion points are nodes of the
/// accessibility tree that say what they are and where they stand; a card's links are named.
#[test]
fn the_accessibility_tree_says_where_each_thing_stands() {
    use egui_kittest::kittest::NodeT as _;
    let h = ready();
    let doc = h.state().doc().clone();
    // A pain point with a cause: its node names the stage, lane, place, severity and cause.
    let link = doc
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Causes)
        .unwrap();
    let pain = doc.card(link.from).unwrap();
    let cause = doc.card(link.to).unwrap();
    let stage = doc.stage(pain.stage).unwrap();
    let si = doc.stage_index(pain.stage).unwrap() + 1;
    let lane = doc.lane(pain.lane).unwrap();
    let label = |text: &str| -> String {
        let wanted = format!("Card: {text}");
        h.get_by_label_contains(&wanted)
            .accesskit_node()
            .label()
            .unwrap_or_default()
    };
    let said = label(&pain.text);
    for part in [
        format!("{} (stage {si} of {})", stage.name, doc.stages.len()),
        format!("{} lane", lane.name),
        "in the cell".to_owned(),
        format!("is caused by: {}", cause.text),
    ] {
        assert!(said.contains(&part), "{said:?} lacks {part:?}");
    }
    if let Some(s) = pain.severity {
        assert!(said.contains(&format!("severity {s}")), "{said}");
    }
    // The cause says what it causes.
    let said = label(&cause.text);
    assert!(said.contains(&format!("causes: {}", pain.text)), "{said}");
    // The link is a node of its own too, saying what it joins.
    h.get_by_label(&format!(
        "Link: \u{201c}{}\u{201d} is caused by \u{201c}{}\u{201d}",
        pain.text, cause.text
    ));
    // Lanes and emotion points.
    h.get_by_label_contains(&format!("Lane: {} (", lane.name));
    let point = doc.emotion.curves[0].points[0].clone();
    let at = doc.stage(point.stage).unwrap();
    // (Static text carries its words as the node's value.)
    let curve = &doc.emotion.curves[0].name;
    let points = h
        .query_all_by_label_contains(&format!("Emotion point: {}, ", at.name))
        .map(|n| {
            let n = n.accesskit_node();
            n.label().or_else(|| n.value()).unwrap_or_default()
        })
        .filter(|t| t.ends_with(&format!("({curve})")))
        .count();
    assert_eq!(points, 1, "the point of {curve} at {}", at.name);
}

/// A screen reader walks the whole map, not only the window: zoomed in on the first stage,
/// the cards of the last stage are nodes too (placed where they are, off to the right), and
/// zoomed far out (the overview) every card is still there to be read.
#[test]
fn cards_off_screen_and_in_the_overview_are_in_the_accessibility_tree() {
    use egui_kittest::kittest::NodeT as _;
    let mut h = ready();
    let doc = h.state().doc().clone();
    let last = doc.stages.last().unwrap().id;
    let far = doc.cards.iter().find(|c| c.stage == last).unwrap().clone();
    h.state_mut().set_viewport(journeymap::ui::Viewport {
        offset: egui::vec2(0.0, 0.0),
        zoom: 2.0,
    });
    h.run_steps(3);
    let layout = h.state().layout();
    let world = layout.card(far.id).unwrap().rect;
    assert!(
        world.min.x * 2.0 > 1600.0,
        "the card is off screen to the right"
    );
    let wanted = format!("Card: {}", far.text);
    let bounds = h
        .get_by_label_contains(&wanted)
        .accesskit_node()
        .bounding_box()
        .unwrap();
    assert!(bounds.x0 > 1600.0, "placed where it is: {bounds:?}");
    h.get_by_label_contains(&format!("Stage: {}", doc.stage(last).unwrap().name));
    // The overview: every card is a node.
    h.state_mut().set_viewport(journeymap::ui::Viewport {
        offset: egui::vec2(0.0, 0.0),
        zoom: 0.05,
    });
    h.run_steps(3);
    for c in &doc.cards {
        let first_line = c.text.lines().next().unwrap();
        assert!(
            h.query_all_by_label_contains(&format!("Card: {first_line}"))
                .next()
                .is_some(),
            "{first_line}"
        );
    }
}

/// Stages that share the lowest feeling are each ringed as a worst moment, as the summary
/// lists them (one was ringed while the summary named three at −2).
#[test]
fn every_stage_at_the_lowest_feeling_is_ringed() {
    let meta = journeymap::render::ExportMeta {
        file_name: "worst.json".into(),
        date: "2026-12-04".into(),
    };
    let rings = |doc: &journeymap::model::Document| {
        let scene = journeymap::export::scene_of(doc, journeymap::theme::ThemeKind::Light, &meta);
        scene
            .list
            .parts
            .iter()
            .flat_map(|p| &p.items)
            .filter(|(_, it)| matches!(it, Item::Text { text, .. } if &**text == "Worst moment"))
            .count()
    };
    let mut doc = journeymap::model::sample_map();
    assert_eq!(rings(&doc), 1, "the sample has one lowest point");
    // Two more stages down to the same lowest value: three rings.
    let perceived = doc
        .emotion
        .curves
        .iter()
        .position(|c| c.kind == CurveKind::Perceived)
        .unwrap();
    let curve = &mut doc.emotion.curves[perceived];
    let lowest = curve
        .points
        .iter()
        .map(|p| p.value)
        .fold(f32::MAX, f32::min);
    let mut moved = 0;
    for p in &mut curve.points {
        if p.value > lowest && moved < 2 {
            p.value = lowest;
            moved += 1;
        }
    }
    assert_eq!(rings(&doc), 3);
}

/// A measured curve's own units are set in the inspector (issue 18, item 11): the gap on the
/// curve is then told in them.
#[test]
fn a_measured_curve_s_units_are_set_in_the_inspector() {
    let mut h = ready();
    // The sample's CSAT curve is in CSAT 1 to 5; the gap says so.
    let labels = |h: &H| -> Vec<String> {
        h.state()
            .display_list()
            .parts
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|(_, i)| match i {
                Item::Text { text, .. } => Some(text.to_string()),
                _ => None,
            })
            .collect()
    };
    assert!(
        labels(&h)
            .iter()
            .any(|t| t == "CSAT 4.5 / 5 measured, feels \u{2212}2")
    );
    // Its section in the inspector's Curves ("CSAT per contact · 7 points").
    let header = h.get_by_label_contains("CSAT per contact \u{b7}").rect();
    click(&mut h, header.center());
    h.run_steps(2);
    // (Below the fold of the side panel: focused as a keyboard user would reach it.)
    h.get_by_label("Measured in (e.g. CSAT)").focus();
    h.run_steps(1);
    key(&mut h, CTRL, Key::A);
    type_text(&mut h, "Satisfaction");
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    let units = |h: &H| {
        h.state()
            .doc()
            .emotion
            .curves
            .iter()
            .find(|c| c.kind == CurveKind::Measured)
            .unwrap()
            .units
            .clone()
    };
    assert_eq!(units(&h).unwrap().name, "Satisfaction");
    assert!(
        labels(&h)
            .iter()
            .any(|t| t == "Satisfaction 4.5 / 5 measured, feels \u{2212}2"),
        "{:?}",
        labels(&h)
    );
    // An empty name takes the units off: the gap is in scale steps again.
    h.get_by_label("Measured in (e.g. CSAT)").focus();
    h.run_steps(1);
    key(&mut h, CTRL, Key::A);
    key(&mut h, Modifiers::NONE, Key::Backspace);
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    assert_eq!(units(&h), None);
    assert!(
        labels(&h).iter().any(|t| t == "gap +3.5"),
        "{:?}",
        labels(&h)
    );
}

/// The executive view of the example on A3 and on A4: no text under 9 pt and card text at
/// 11 pt or more (read off the PDF's own text matrices), detail left out and the map on pages
/// of its own rather than the text shrunk, and said so. The whole map cannot reach that on A4:
/// the export says so and names the page to choose.
#[test]
fn executive_view_on_a3_and_a4_keeps_text_readable() {
    use journeymap::export::{Format, Options, Page};
    let (doc, _) = journeymap::io::load(std::path::Path::new(
        "examples/surprise-bill.journeymap.json",
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exec.pdf");
    let meta = journeymap::render::ExportMeta {
        file_name: "surprise-bill.journeymap.json".into(),
        date: "2026-12-04".into(),
    };
    let shown = journeymap::model::executive_view(&doc);
    for page in [Page::A3, Page::A4] {
        let opts = Options {
            format: Format::Pdf,
            page,
            view: journeymap::view::View {
                executive: true,
                ..Default::default()
            },
            ..Options::default()
        };
        let report = journeymap::export::export(&doc, &meta, &opts, &out, &|_| {}).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let pages = common::pdf::pdf_text_sizes(&bytes);
        assert!(pages.len() >= 2, "{page:?}: {} pages", pages.len());
        let all: Vec<f32> = pages.iter().flatten().copied().collect();
        assert!(all.len() > 100, "{} runs of text", all.len());
        let smallest = all.iter().copied().fold(f32::INFINITY, f32::min);
        assert!(smallest >= 8.95, "{page:?}: smallest text {smallest:.2} pt");
        // Card text is the commonest size on the map's pages.
        for map_page in &pages[1..] {
            let mut counts = std::collections::BTreeMap::new();
            for s in map_page {
                *counts.entry((s * 10.0).round() as i32).or_insert(0) += 1;
            }
            let (card, _) = counts.iter().max_by_key(|(_, n)| **n).unwrap();
            let card = *card as f32 / 10.0;
            assert!(card >= 10.95, "{page:?}: card text {card} pt");
        }
        // Every card's text is there, on some page.
        let text: String = common::pdf::pdf_text(&bytes)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for c in &shown.cards {
            let first: String = c.text.split_whitespace().take(2).collect();
            assert!(text.contains(&first), "{page:?}: {first:?} missing");
        }
        let said = report.warnings.join("\n");
        assert!(said.contains("left out: the notes list"), "{said}");
        assert!(
            said.contains("pages: the title, summary and legend"),
            "{said}"
        );
        assert!(
            !said.contains("stays under") && !said.contains("cannot reach"),
            "{said}"
        );
    }
    // The whole map (seven lanes) cannot reach the sizes on A4: said, with what to choose.
    let opts = Options {
        format: Format::Pdf,
        page: Page::A4,
        ..Options::default()
    };
    let report = journeymap::export::export(&doc, &meta, &opts, &out, &|_| {}).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("9 pt") && w.contains("choose A3")),
        "{:?}",
        report.warnings
    );
}

/// `--page slides`: a 16:9 deck, the whole map first, then a slide per stage with its cards
/// lane by lane at a size a room can read (checked on the PDF's own text matrices and text).
#[test]
fn slides_are_the_map_then_a_slide_per_stage() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.pdf");
    let input = "examples/surprise-bill.journeymap.json";
    let run = common::bin()
        .args(["export", input])
        .arg(&out)
        .args(["--page", "slides"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let (doc, _) = journeymap::io::load(std::path::Path::new(input)).unwrap();
    let n = doc.stages.len();
    let texts = common::pdf::pdf_page_texts(&bytes);
    assert_eq!(texts.len(), 1 + n, "the map, then a slide per stage");
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    for id in pdf.get_pages().values() {
        let page = pdf.get_object(*id).unwrap().as_dict().unwrap();
        let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let (w, h) = (mb[2].as_float().unwrap(), mb[3].as_float().unwrap());
        assert!((w / h - 16.0 / 9.0).abs() < 0.01, "{w} × {h}");
    }
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    // The first slide is the whole map: every stage's name.
    for s in &doc.stages {
        assert!(squash(&texts[0]).contains(&squash(&s.name)), "{}", s.name);
    }
    let sizes = common::pdf::pdf_text_sizes(&bytes);
    for (i, s) in doc.stages.iter().enumerate() {
        let text = squash(&texts[i + 1]);
        assert!(
            text.contains(&squash(&format!("STAGE {} OF {n}", i + 1))),
            "{text}"
        );
        assert!(text.contains(&squash(&s.name)));
        // Its cards and only its cards.
        for c in &doc.cards {
            let first: String = c.text.split_whitespace().take(3).collect();
            if c.stage == s.id {
                assert!(
                    text.contains(&first),
                    "{:?} missing on {}'s slide",
                    c.text,
                    s.name
                );
            } else if first.len() > 12
                && doc
                    .cards
                    .iter()
                    .all(|o| o.stage != s.id || !squash(&o.text).contains(&first))
            {
                assert!(!text.contains(&first), "{:?} on {}'s slide", c.text, s.name);
            }
        }
        let smallest = sizes[i + 1].iter().copied().fold(f32::INFINITY, f32::min);
        let largest_run = sizes[i + 1].iter().copied().fold(0.0, f32::max);
        assert!(smallest >= 9.95, "{}: smallest text {smallest} pt", s.name);
        assert!(
            largest_run >= 28.0,
            "{}: the stage's name {largest_run} pt",
            s.name
        );
        // Card text is the commonest size, and large.
        let mut counts = std::collections::BTreeMap::new();
        for v in &sizes[i + 1] {
            *counts.entry((v * 10.0).round() as i32).or_insert(0) += 1;
        }
        let (card, _) = counts.iter().max_by_key(|(_, k)| **k).unwrap();
        assert!(
            *card as f32 / 10.0 >= 13.0,
            "{}: card text {} pt",
            s.name,
            *card as f32 / 10.0
        );
    }
    // The worst moment is named on its stage's slide.
    let call = doc
        .stages
        .iter()
        .position(|s| s.name == "Call support")
        .unwrap();
    let text = squash(&texts[call + 1]);
    assert!(text.contains("Worstmomentofthejourney"), "{text}");
    assert!(text.contains("CSAT4.5/5measured"), "{text}");
}
