//! Copy, cut, paste, duplicate and delete of the selection. Deletes and big pastes say what
//! they did in a toast with an Undo button (no confirmation dialogs in the capture path).

use std::collections::BTreeSet;

use super::app::{App, Selection};
use super::dialogs::{Toast, ToastAction};
use crate::edit::Command;
use crate::model::{Card, CardId, LaneId, StageId};
use crate::text::count;

/// Pasting more lines than this says so in a toast (with Undo and "Make it one card").
const MANY_LINES: usize = 3;

impl App {
    /// The selected cards in document order.
    pub(crate) fn selected_cards(&self) -> Vec<Card> {
        let sel = &self.canvas.selection.cards;
        if sel.is_empty() {
            return Vec::new();
        }
        self.doc()
            .cards
            .iter()
            .filter(|c| sel.contains(&c.id))
            .map(|c| Card::clone(c))
            .collect()
    }

    pub(crate) fn copy(&mut self, ctx: &egui::Context, cut: bool) {
        let cards = self.selected_cards();
        if cards.is_empty() {
            return;
        }
        let text = cards
            .iter()
            .map(|c| c.text.replace('\n', " "))
            .collect::<Vec<_>>()
            .join("\n");
        ctx.copy_text(text.clone());
        self.clipboard = Some((text, cards.clone()));
        if cut {
            let n = cards.len();
            self.queue_with_toast(
                Command::DeleteCards(cards.iter().map(|c| c.id).collect()),
                Toast::said(format!("Cut {}", count(n, "card"))),
            );
        }
    }

    /// Where pasted or duplicated cards go: after the last selected card, or at the end of the
    /// selected cell, or the first card lane of the first stage.
    pub(crate) fn paste_target(&self) -> Option<(StageId, LaneId, usize)> {
        let doc = self.doc();
        let sel = &self.canvas.selection;
        if let Some(last) = doc.cards.iter().rev().find(|c| sel.cards.contains(&c.id)) {
            let idx = doc
                .cell_cards(last.stage, last.lane)
                .position(|c| c.id == last.id)
                .unwrap_or(0);
            return Some((last.stage, last.lane, idx + 1));
        }
        if let Some((s, l)) = sel.cell
            && doc.stage(s).is_some()
            && doc.lane(l).is_some_and(|l| l.kind.holds_cards())
        {
            return Some((s, l, usize::MAX));
        }
        let s = doc.stages.first()?.id;
        let l = doc
            .lanes
            .iter()
            .find(|l| l.kind.holds_cards() && !l.hidden)?
            .id;
        Some((s, l, usize::MAX))
    }

    /// Pastes: the cards this app copied (with all their properties) if the text is theirs,
    /// otherwise one card per non-empty line of text.
    pub(crate) fn paste(&mut self, text: &str) {
        let Some((stage, lane, index)) = self.paste_target() else {
            return;
        };
        let ours = matches!(&self.clipboard, Some((t, _)) if t == text);
        let templates: Vec<Card> = match &self.clipboard {
            Some((_, cards)) if ours => cards.clone(),
            _ => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Card::new(CardId(0), stage, lane, l))
                .collect(),
        };
        let n = templates.len();
        let toast = (!ours && n > MANY_LINES).then(|| {
            let mut t = Toast::said(format!(
                "Pasted {} as {}",
                count(n, "line"),
                count(n, "card")
            ));
            t.action = Some(ToastAction::OneCard {
                text: text.trim().to_string(),
                stage,
                lane,
                index,
            });
            t
        });
        self.insert_copies(templates, stage, lane, index, toast);
    }

    pub(crate) fn insert_copies(
        &mut self,
        templates: Vec<Card>,
        stage: StageId,
        lane: LaneId,
        index: usize,
        toast: Option<Toast>,
    ) {
        if templates.is_empty() {
            return;
        }
        let cards: Vec<Card> = templates
            .into_iter()
            .map(|mut c| {
                c.id = CardId(0);
                c.pos = String::new();
                c.stage = stage;
                c.lane = lane;
                c
            })
            .collect();
        let cmd = Command::AddCards { cards, index };
        // The copies are selected and brought into sight once they exist.
        let then = |canvas: &mut super::canvas::Canvas, ids: &[u64]| {
            let ids: BTreeSet<CardId> = ids.iter().map(|id| CardId(*id)).collect();
            if let Some(first) = ids.first() {
                canvas.reveal = Some(super::canvas::Reveal::Card(*first));
            }
            canvas.selection = Selection {
                cards: ids,
                ..Selection::default()
            };
        };
        self.session.queue_then(cmd, toast, Box::new(then));
    }

    pub(crate) fn duplicate(&mut self) {
        let cards = self.selected_cards();
        let Some((stage, lane, index)) = self.paste_target() else {
            return;
        };
        self.insert_copies(cards, stage, lane, index, None);
    }

    /// Deletes whatever is selected (cards, a point, a stage, a lane, the points of a selected
    /// emotion cell) as one step, and says so in a toast with Undo.
    pub(crate) fn delete_selection(&mut self) {
        let sel = self.canvas.selection.clone();
        let doc = self.doc();
        let mut cmds = Vec::new();
        let mut said = Vec::new();
        if !sel.cards.is_empty() {
            cmds.push(Command::DeleteCards(sel.cards.iter().copied().collect()));
            said.push(count(sel.cards.len(), "card"));
            let links = doc
                .links
                .iter()
                .filter(|l| sel.cards.contains(&l.from) || sel.cards.contains(&l.to))
                .count();
            if links > 0 {
                said.push(count(links, "link"));
            }
        }
        if let Some(l) = sel.link.filter(|l| doc.links.iter().any(|x| x.id == *l)) {
            cmds.push(Command::DeleteLinks(vec![l]));
            said.push("a link".into());
        }
        let mut points: Vec<_> = sel.point.into_iter().collect();
        if let Some((s, l)) = sel.cell
            && doc.lane(l).is_some_and(|l| !l.kind.holds_cards())
        {
            // The points of the curve being edited in that stage.
            let active = self.active_curve();
            points.extend(
                doc.emotion
                    .points()
                    .filter(|(c, p)| Some(c.id) == active && p.stage == s)
                    .map(|(_, p)| p.id),
            );
        }
        if !points.is_empty() {
            said.push(count(points.len(), "emotion point"));
            cmds.push(Command::DeletePoints(points));
        }
        if let Some(s) = sel.stage {
            said.push(self.stage_summary(s));
            cmds.push(Command::DeleteStage(s));
        }
        if let Some(l) = sel.lane {
            said.push(self.lane_summary(l));
            cmds.push(Command::DeleteLane(l));
        }
        if cmds.is_empty() {
            return;
        }
        self.queue_with_toast(
            Command::Batch(cmds),
            Toast::said(format!("Deleted {}", crate::text::and_list(&said))),
        );
        self.canvas.selection = match sel.cell {
            // The cell stays selected, to go on typing there.
            Some(c) if sel.cards.is_empty() => Selection::only_cell(c.0, c.1),
            _ => Selection::default(),
        };
    }

    /// Deletes a stage with its cards and points, saying what went with it.
    pub(crate) fn delete_stage(&mut self, id: StageId) {
        let said = self.stage_summary(id);
        self.queue_with_toast(
            Command::DeleteStage(id),
            Toast::said(format!("Deleted {said}")),
        );
        self.canvas.selection = Selection::default();
    }

    /// Deletes a lane with its cards, saying what went with it.
    pub(crate) fn delete_lane(&mut self, id: LaneId) {
        let said = self.lane_summary(id);
        self.queue_with_toast(
            Command::DeleteLane(id),
            Toast::said(format!("Deleted {said}")),
        );
        self.canvas.selection = Selection::default();
    }

    /// "stage “First bill” with 5 cards and 1 emotion point".
    fn stage_summary(&self, id: StageId) -> String {
        let doc = self.doc();
        let name = doc.stage(id).map_or("", |s| s.name.as_str());
        let cards = doc.cards.iter().filter(|c| c.stage == id).count();
        let points = doc.emotion.points().filter(|(_, p)| p.stage == id).count();
        let mut with = Vec::new();
        if cards > 0 {
            with.push(count(cards, "card"));
        }
        if points > 0 {
            with.push(count(points, "emotion point"));
        }
        let in_stage = |c: CardId| doc.card(c).is_some_and(|c| c.stage == id);
        let links = doc
            .links
            .iter()
            .filter(|l| in_stage(l.from) || in_stage(l.to))
            .count();
        if links > 0 {
            with.push(count(links, "link"));
        }
        if with.is_empty() {
            format!("stage \u{201c}{name}\u{201d}")
        } else {
            format!(
                "stage \u{201c}{name}\u{201d} with {}",
                crate::text::and_list(&with)
            )
        }
    }

    /// "lane “Pain points” with 6 cards".
    fn lane_summary(&self, id: LaneId) -> String {
        let doc = self.doc();
        let name = doc.lane(id).map_or("", |l| l.name.as_str());
        let cards = doc.cards.iter().filter(|c| c.lane == id).count();
        if cards > 0 {
            format!("lane \u{201c}{name}\u{201d} with {}", count(cards, "card"))
        } else {
            format!("lane \u{201c}{name}\u{201d}")
        }
    }
}

impl App {
    /// "Link to…": the selected card waits for a click on the card to link to.
    pub(crate) fn start_linking(&mut self) {
        let Some(from) = self.canvas.selection.cards.first().copied() else {
            return;
        };
        if self.canvas.selection.cards.len() != 1 {
            return;
        }
        self.canvas.linking = Some(from);
        self.dialogs.status =
            Some("Click the card to link to (its cause, what it leads to); Escape cancels".into());
    }

    /// Links two cards as one step and selects the link: a pain point "is caused by" what it
    /// is linked to; other cards "lead to" it. Returns the link's id.
    pub(crate) fn add_link(&mut self, from: CardId, to: CardId) -> bool {
        use crate::model::{LaneKind, Link, LinkKind};
        if from == to || self.doc().card(to).is_none() || self.doc().card(from).is_none() {
            return false;
        }
        if let Some(l) = self
            .doc()
            .links
            .iter()
            .find(|l| l.from == from && l.to == to)
        {
            let id = l.id;
            self.canvas.selection = Selection {
                link: Some(id),
                ..Selection::default()
            };
            self.dialogs.status = Some("These cards are linked already".into());
            return true;
        }
        let kind = match self
            .doc()
            .card(from)
            .and_then(|c| self.doc().lane(c.lane))
            .map(|l| l.kind)
        {
            Some(LaneKind::PainPoints) => LinkKind::Causes,
            _ => LinkKind::LeadsTo,
        };
        let id = crate::model::LinkId(0);
        self.queue_then(
            Command::AddLink(Link { id, from, to, kind }),
            |canvas, ids| {
                if let Some(id) = ids.first() {
                    canvas.selection = Selection {
                        link: Some(crate::model::LinkId(*id)),
                        ..Selection::default()
                    };
                }
            },
        );
        self.dialogs.status = Some(format!(
            "Linked: {} (change the kind in the side panel)",
            kind.label()
        ));
        true
    }
}
