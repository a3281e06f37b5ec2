//! Copy, cut, paste, duplicate and delete of the selection.

use std::collections::BTreeSet;

use super::app::{App, Selection};
use crate::edit::Command;
use crate::model::{Card, CardId, LaneId, StageId};

impl App {
    /// The selected cards in document order.
    pub(crate) fn selected_cards(&self) -> Vec<Card> {
        self.doc()
            .cards
            .iter()
            .filter(|c| self.selection.cards.contains(&c.id))
            .cloned()
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
            self.apply(&Command::DeleteCards(cards.iter().map(|c| c.id).collect()));
        }
    }

    /// Where pasted or duplicated cards go: after the last selected card, or into the last
    /// cell clicked, or the first card lane of the first stage.
    pub(crate) fn paste_target(&self) -> Option<(StageId, LaneId, usize)> {
        let doc = self.doc();
        if let Some(last) = doc
            .cards
            .iter()
            .rev()
            .find(|c| self.selection.cards.contains(&c.id))
        {
            let idx = doc
                .cell_cards(last.stage, last.lane)
                .position(|c| c.id == last.id)
                .unwrap_or(0);
            return Some((last.stage, last.lane, idx + 1));
        }
        if let Some((s, l)) = self.last_cell
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
        let templates: Vec<Card> = match &self.clipboard {
            Some((t, cards)) if t == text => cards.clone(),
            _ => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Card::new(CardId(0), stage, lane, l))
                .collect(),
        };
        self.insert_copies(templates, stage, lane, index);
    }

    pub(crate) fn insert_copies(
        &mut self,
        templates: Vec<Card>,
        stage: StageId,
        lane: LaneId,
        index: usize,
    ) {
        if templates.is_empty() {
            return;
        }
        let mut next = self.doc().next_id;
        let cards: Vec<Card> = templates
            .into_iter()
            .map(|mut c| {
                c.id = CardId(next);
                next += 1;
                c.stage = stage;
                c.lane = lane;
                c
            })
            .collect();
        let ids: BTreeSet<CardId> = cards.iter().map(|c| c.id).collect();
        self.apply(&Command::AddCards { cards, index });
        self.selection = Selection {
            cards: ids,
            ..Selection::default()
        };
    }

    pub(crate) fn duplicate(&mut self) {
        let cards = self.selected_cards();
        let Some((stage, lane, index)) = self.paste_target() else {
            return;
        };
        self.insert_copies(cards, stage, lane, index);
    }

    /// Deletes whatever is selected (cards, a point, a stage or a lane) as one step.
    pub(crate) fn delete_selection(&mut self) {
        let mut cmds = Vec::new();
        if !self.selection.cards.is_empty() {
            cmds.push(Command::DeleteCards(
                self.selection.cards.iter().copied().collect(),
            ));
        }
        if let Some(p) = self.selection.point {
            cmds.push(Command::DeletePoints(vec![p]));
        }
        if let Some(s) = self.selection.stage {
            cmds.push(Command::DeleteStage(s));
        }
        if let Some(l) = self.selection.lane {
            cmds.push(Command::DeleteLane(l));
        }
        if !cmds.is_empty() {
            self.apply(&Command::Batch(cmds));
            self.selection = Selection::default();
        }
    }
}
