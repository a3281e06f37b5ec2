//! A [`Command`] is what a gesture means ("move these cards to position 2 of that cell",
//! "this is the card now"); [`lower`] turns it into the [`Op`]s that make it so, against the
//! map as it is: indices become order keys, a whole card becomes one op per changed field.
//! Only the ops are applied, recorded and shared.

use std::sync::Arc;

use super::op::{LaneField, MapField, Op, Place, StageField};
use super::{Command, EditError, diff};
use crate::model::{Card, CardId, Document, LaneId, StageId, order};

/// Keys for `n` new items at `index` of a list of keys (in order).
fn keys_at(keys: &[&str], index: usize, n: usize) -> Vec<String> {
    let i = index.min(keys.len());
    let lo = i.checked_sub(1).map(|j| keys[j]);
    let hi = keys.get(i).copied();
    order::spread(lo, hi, n)
}

/// The ops for a command, against `doc` as it is now. A command that changes nothing gives
/// no ops.
///
/// # Errors
/// [`EditError::Missing`] when it names something the map does not have.
pub fn lower(doc: &Document, cmd: &Command) -> Result<Vec<Op>, EditError> {
    let missing = |what: &str, id: u64| EditError::Missing(format!("{what} {id}"));
    Ok(match cmd {
        Command::SetTitle(t) => vec![Op::SetMap(MapField::Title(t.clone()))],
        Command::SetDescription(t) => vec![Op::SetMap(MapField::Description(t.clone()))],
        Command::SetExecutive(v) => vec![Op::SetMap(MapField::Executive(v.clone()))],
        Command::SetPersona(p) => match doc.persona(p.id) {
            None => vec![Op::InsertPersona {
                persona: Box::new(p.clone()),
                at: None,
            }],
            Some(old) => diff::persona_ops(old, p),
        },
        Command::DeletePersona(id) => vec![Op::RemovePersona(*id)],
        Command::AddStage { index, stage } => {
            let keys: Vec<&str> = doc.stages.iter().map(|s| s.pos.as_str()).collect();
            let mut stage = stage.clone();
            stage.pos = keys_at(&keys, *index, 1).remove(0);
            vec![Op::InsertStage(Box::new(stage))]
        }
        Command::RenameStage { id, name } => {
            vec![Op::SetStage(*id, StageField::Name(name.clone()))]
        }
        Command::ResizeStage { id, width } => vec![Op::SetStage(*id, StageField::Width(*width))],
        Command::MoveStage { id, to_index } => {
            if doc.stage(*id).is_none() {
                return Err(missing("stage", id.0));
            }
            let keys: Vec<&str> = doc
                .stages
                .iter()
                .filter(|s| s.id != *id)
                .map(|s| s.pos.as_str())
                .collect();
            let now = doc.stage_index(*id).unwrap_or(0);
            if now == (*to_index).min(keys.len()) {
                return Ok(Vec::new());
            }
            vec![Op::SetStage(
                *id,
                StageField::Pos(keys_at(&keys, *to_index, 1).remove(0)),
            )]
        }
        Command::DeleteStage(id) => vec![Op::RemoveStage(*id)],
        Command::AddLane { index, lane } => {
            let keys: Vec<&str> = doc.lanes.iter().map(|l| l.pos.as_str()).collect();
            let mut lane = lane.clone();
            lane.pos = keys_at(&keys, *index, 1).remove(0);
            vec![Op::InsertLane(Box::new(lane))]
        }
        Command::RenameLane { id, name } => vec![Op::SetLane(*id, LaneField::Name(name.clone()))],
        Command::MoveLane { id, to_index } => {
            if doc.lane(*id).is_none() {
                return Err(missing("lane", id.0));
            }
            let keys: Vec<&str> = doc
                .lanes
                .iter()
                .filter(|l| l.id != *id)
                .map(|l| l.pos.as_str())
                .collect();
            let now = doc.lane_index(*id).unwrap_or(0);
            if now == (*to_index).min(keys.len()) {
                return Ok(Vec::new());
            }
            vec![Op::SetLane(
                *id,
                LaneField::Pos(keys_at(&keys, *to_index, 1).remove(0)),
            )]
        }
        Command::SetLaneHidden { id, hidden } => vec![Op::SetLane(*id, LaneField::Hidden(*hidden))],
        Command::DeleteLane(id) => vec![Op::RemoveLane(*id)],
        Command::AddCards { cards, index } => add_cards(doc, cards, *index),
        Command::UpdateCard(card) => update_card(doc, card)?,
        Command::MoveCards {
            ids,
            stage,
            lane,
            index,
        } => move_cards(doc, ids, *stage, *lane, *index)?,
        Command::DeleteCards(ids) => vec![Op::RemoveCards(ids.clone())],
        Command::AddPoint { curve, point } => vec![Op::InsertPoint {
            curve: *curve,
            point: point.clone(),
            at: None,
        }],
        Command::MovePoint {
            id,
            stage,
            offset,
            value,
        } => vec![Op::SetPoint {
            id: *id,
            stage: *stage,
            offset: *offset,
            value: *value,
        }],
        Command::DeletePoints(ids) => vec![Op::RemovePoints(ids.clone())],
        Command::AddCurve { index, curve } => vec![Op::InsertCurve {
            curve: Box::new(curve.clone()),
            at: Some(*index),
        }],
        Command::UpdateCurve(c) => {
            let old = doc
                .emotion
                .curve(c.id)
                .ok_or_else(|| missing("curve", c.id.0))?;
            diff::curve_ops(old, c)
        }
        Command::DeleteCurve(id) => vec![Op::RemoveCurve(*id)],
        Command::AddLink(l) => vec![Op::InsertLinks {
            links: vec![l.clone()],
            at: Vec::new(),
        }],
        Command::UpdateLink(l) => {
            let old = doc.link(l.id).ok_or_else(|| missing("link", l.id.0))?;
            diff::link_ops(old, l)
        }
        Command::DeleteLinks(ids) => vec![Op::RemoveLinks(ids.clone())],
        Command::Ops(ops) => ops.clone(),
        // Applied one command at a time by the editor (a later one sees what an earlier one
        // did); lowering a batch at once is for batches of independent commands.
        Command::Batch(cmds) => {
            let mut ops = Vec::new();
            for c in cmds {
                ops.extend(lower(doc, c)?);
            }
            ops
        }
    })
}

/// New cards at `index` of their cell: runs of cards in one cell get keys spread between
/// the cell's neighbours there.
fn add_cards(doc: &Document, cards: &[Card], index: usize) -> Vec<Op> {
    let mut out: Vec<Arc<Card>> = Vec::with_capacity(cards.len());
    let mut i = 0;
    while i < cards.len() {
        let cell = (cards[i].stage, cards[i].lane);
        let run = cards[i..]
            .iter()
            .take_while(|c| (c.stage, c.lane) == cell)
            .count();
        let keys: Vec<&str> = doc
            .cell_cards(cell.0, cell.1)
            .map(|c| c.pos.as_str())
            .collect();
        for (c, k) in cards[i..i + run].iter().zip(keys_at(&keys, index, run)) {
            let mut c = c.clone();
            c.pos = k;
            out.push(Arc::new(c));
        }
        i += run;
    }
    vec![Op::InsertCards(out)]
}

/// One op per field that differs (and a move if the cell differs).
fn update_card(doc: &Document, card: &Card) -> Result<Vec<Op>, EditError> {
    let old = doc
        .card(card.id)
        .ok_or_else(|| EditError::Missing(format!("card {}", card.id.0)))?;
    let id = card.id;
    let mut ops = diff::card_ops(old, card);
    if (old.stage, old.lane) != (card.stage, card.lane) {
        ops.push(Op::PlaceCards(vec![(
            id,
            Place {
                stage: card.stage,
                lane: card.lane,
                pos: String::new(),
            },
        )]));
    }
    Ok(ops)
}

/// Cards, in the order they are shown, to `index` among the target cell's other cards.
fn move_cards(
    doc: &Document,
    ids: &[CardId],
    stage: StageId,
    lane: LaneId,
    index: usize,
) -> Result<Vec<Op>, EditError> {
    // Found through the card index; in list order, which is reading order.
    let found = doc.card_index.find_many(doc, ids);
    if let Some(k) = found.iter().position(Option::is_none) {
        return Err(EditError::Missing(format!("card {}", ids[k].0)));
    }
    let mut at: Vec<usize> = found.into_iter().flatten().collect();
    at.sort_unstable();
    at.dedup();
    let moving: Vec<&Card> = at.iter().map(|i| &*doc.cards[*i]).collect();
    let set: std::collections::HashSet<CardId> = moving.iter().map(|c| c.id).collect();
    // The target cell's cards, by binary search.
    let cell = doc.cell_slice(stage, lane);
    let keys: Vec<&str> = cell
        .iter()
        .filter(|c| !set.contains(&c.id))
        .map(|c| c.pos.as_str())
        .collect();
    // Already there, in that order: nothing to do.
    let i = index.min(keys.len());
    if moving.iter().all(|c| (c.stage, c.lane) == (stage, lane))
        && cell
            .get(i..i + moving.len())
            .is_some_and(|w| w.iter().map(|c| c.id).eq(moving.iter().map(|c| c.id)))
    {
        return Ok(Vec::new());
    }
    let new_keys = keys_at(&keys, index, moving.len());
    Ok(vec![Op::PlaceCards(
        moving
            .iter()
            .zip(new_keys)
            .map(|(c, pos)| (c.id, Place { stage, lane, pos }))
            .collect(),
    )])
}
