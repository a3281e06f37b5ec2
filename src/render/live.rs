//! [`LiveScene`]: the canvas's display list, kept up to date part by part as the layout
//! changes (a card edit rebuilds one card's part, not ten thousand).

use std::collections::HashMap;

use super::{DisplayList, Look, Part, card_part, chrome, link_part};
use crate::geom::Pos;
use crate::layout::{Layout, Relaid};
use crate::model::{CardId, Document, LaneId, LaneKind};
use crate::theme::Theme;

/// The canvas's parts: everything but the cards, then one part per card (in no particular
/// order: cards never overlap).
#[derive(Default)]
pub struct LiveScene {
    /// Background, headers, labels, the emotion curve.
    pub chrome: Vec<Part>,
    /// One part per card.
    pub cards: Vec<Part>,
    /// One part per link (drawn over the cards).
    pub links: Vec<Part>,
    /// The lane of each card part (to move it when its lane moves).
    lanes: Vec<LaneId>,
    /// Where each card's part is.
    index: HashMap<CardId, usize>,
}

impl LiveScene {
    /// Brings the parts up to date with `layout`, as `relaid` says it changed.
    pub fn update(
        &mut self,
        doc: &Document,
        layout: &Layout,
        theme: &Theme,
        look: &Look,
        relaid: &Relaid,
    ) {
        match relaid {
            Relaid::Nothing => {}
            Relaid::Full => self.rebuild(doc, layout, theme, look),
            Relaid::Partial {
                cards,
                removed,
                shifted,
            } => {
                self.chrome = chrome(doc, layout, theme);
                for id in removed.iter().chain(cards) {
                    self.remove(*id);
                }
                if !shifted.is_empty() {
                    let by_lane: HashMap<LaneId, f32> = shifted.iter().copied().collect();
                    for (part, lane) in self.cards.iter_mut().zip(&self.lanes) {
                        if let Some(dy) = by_lane.get(lane) {
                            part.translate(Pos::new(0.0, *dy));
                        }
                    }
                }
                let kinds: HashMap<LaneId, LaneKind> =
                    doc.lanes.iter().map(|l| (l.id, l.kind)).collect();
                let wanted: std::collections::HashSet<CardId> = cards.iter().copied().collect();
                let found: HashMap<CardId, &crate::model::Card> = if wanted.is_empty() {
                    HashMap::new()
                } else {
                    doc.cards
                        .iter()
                        .filter(|c| wanted.contains(&c.id))
                        .map(|c| (c.id, &**c))
                        .collect()
                };
                for id in cards {
                    if let Some(b) = layout.card(*id) {
                        let kind = kinds.get(&b.lane).copied().unwrap_or(LaneKind::Custom);
                        let card = found.get(id).copied();
                        self.insert(b.lane, card_part(card, b, kind, theme, look));
                    }
                }
                self.links = layout.links.iter().map(|l| link_part(l, theme)).collect();
            }
        }
    }

    /// Builds every part again.
    pub fn rebuild(&mut self, doc: &Document, layout: &Layout, theme: &Theme, look: &Look) {
        let dl = super::scene_with(doc, layout, theme, look);
        self.chrome.clear();
        self.cards.clear();
        self.links.clear();
        self.lanes.clear();
        self.index.clear();
        for part in dl.parts {
            match part.element {
                super::Element::Card(id) => {
                    let lane = layout.card(id).map_or(LaneId(0), |c| c.lane);
                    self.insert(lane, part);
                }
                super::Element::Link(_) => self.links.push(part),
                _ => self.chrome.push(part),
            }
        }
    }

    fn insert(&mut self, lane: LaneId, part: Part) {
        if let super::Element::Card(id) = part.element {
            self.index.insert(id, self.cards.len());
        }
        self.cards.push(part);
        self.lanes.push(lane);
    }

    fn remove(&mut self, id: CardId) {
        let Some(i) = self.index.remove(&id) else {
            return;
        };
        self.cards.swap_remove(i);
        self.lanes.swap_remove(i);
        if let Some(super::Element::Card(moved)) = self.cards.get(i).map(|p| p.element) {
            self.index.insert(moved, i);
        }
    }

    /// Every part in paint order.
    pub fn parts(&self) -> impl Iterator<Item = &Part> {
        self.chrome.iter().chain(&self.cards).chain(&self.links)
    }

    /// The part of a card.
    #[must_use]
    pub fn card(&self, id: CardId) -> Option<&Part> {
        self.index.get(&id).map(|i| &self.cards[*i])
    }

    /// A copy as one display list (cards in the layout's order), for comparing with exports.
    #[must_use]
    pub fn to_list(&self, layout: &Layout) -> DisplayList {
        let mut dl = DisplayList::default();
        for p in &self.chrome {
            dl.push_part(p.clone());
        }
        for c in &layout.cards {
            if let Some(p) = self.card(c.id) {
                dl.push_part(p.clone());
            }
        }
        for p in &self.links {
            dl.push_part(p.clone());
        }
        dl
    }
}
