//! The dot-voting part of the workshop window: the facilitator opens a round (dots per
//! person, lanes), everyone puts dots on the selected card or takes them back and sees the
//! ranking; the facilitator closes it, saving the counts on the cards.

use super::VoteAction;
use crate::hub::vote::{Round, Tally};
use crate::model::Document;

/// What the voting part needs of the app.
pub(super) struct VotingUi<'a> {
    pub doc: &'a Document,
    pub hosting: bool,
    /// Who we are in a vote.
    pub voter: String,
    /// The one card selected, if one is.
    pub selected: Option<u64>,
}

impl VotingUi<'_> {
    /// Draws it; returns what was asked for.
    pub fn show(
        &self,
        ui: &mut egui::Ui,
        vote: Option<&(Round, Tally)>,
        dots: &mut u32,
        skip: &mut std::collections::BTreeSet<u64>,
    ) -> Option<VoteAction> {
        let doc = self.doc;
        match vote {
            None if self.hosting => {
                ui.horizontal(|ui| {
                    ui.label("Dot voting:");
                    ui.add(egui::DragValue::new(dots).range(1..=20).suffix(" dots"));
                    ui.label("each, on cards of:");
                });
                ui.horizontal_wrapped(|ui| {
                    for l in doc.lanes.iter().filter(|l| l.kind.holds_cards()) {
                        let mut on = !skip.contains(&l.id.0);
                        if ui.checkbox(&mut on, &l.name).changed() {
                            if on {
                                skip.remove(&l.id.0);
                            } else {
                                skip.insert(l.id.0);
                            }
                        }
                    }
                });
                let any = doc
                    .lanes
                    .iter()
                    .any(|l| l.kind.holds_cards() && !skip.contains(&l.id.0));
                ui.add_enabled(any, egui::Button::new("Start round"))
                    .clicked()
                    .then_some(VoteAction::Open)
            }
            None => {
                ui.label("No dot voting round is open.");
                None
            }
            Some((round, tally)) => self.round_ui(ui, round, tally),
        }
    }

    fn round_ui(&self, ui: &mut egui::Ui, round: &Round, tally: &Tally) -> Option<VoteAction> {
        let doc = self.doc;
        let mut asked = None;
        let left = round.dots.saturating_sub(tally.used(&self.voter));
        let on = if round.lanes.is_empty() {
            "every card".to_string()
        } else {
            doc.lanes
                .iter()
                .filter(|l| round.lanes.contains(&l.id.0))
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        ui.label(format!(
            "Dot voting on {on}: you have {left} of {} dots left.",
            round.dots
        ));
        ui.horizontal(|ui| {
            let add = ui.add_enabled(
                self.selected.is_some() && left > 0,
                egui::Button::new("+ Dot on the selected card"),
            );
            if add.clicked() {
                asked = self.selected.map(|c| VoteAction::Cast(c, true));
            }
            let mine = self
                .selected
                .is_some_and(|c| tally.mine(&self.voter, c) > 0);
            let back = ui.add_enabled(mine, egui::Button::new("− Take one back"));
            if back.clicked() {
                asked = self.selected.map(|c| VoteAction::Cast(c, false));
            }
        });
        let card_text = |id: u64| {
            doc.card(crate::model::CardId(id))
                .map_or_else(|| "(removed)".to_string(), |c| c.text.clone())
        };
        for (i, (card, n)) in tally.ranked().iter().take(10).enumerate() {
            ui.label(format!(
                "{}. {n} dot{} · {}",
                i + 1,
                if *n == 1 { "" } else { "s" },
                card_text(*card)
            ));
        }
        if self.hosting
            && ui
                .button("End round and save the counts on the cards")
                .clicked()
        {
            asked = Some(VoteAction::Close);
        }
        asked
    }
}
