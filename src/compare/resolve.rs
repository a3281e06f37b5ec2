//! Settling a conflict a merge left: the ops that keep one side's value (or remove the thing,
//! when the side kept removed it) and take the conflict off the list — one edit, one undo
//! step, the same ops a live session shares.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::edit::diff;
use crate::edit::op::{MapField, Op};
use crate::model::{
    CardId, Conflict, CurveId, Document, LaneId, LinkId, PersonaId, PointId, StageId,
};

/// Which side a person keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Ours: the value the map holds (for a removal, what our side did).
    Ours,
    /// Theirs.
    Theirs,
}

impl Conflict {
    /// Whether keeping `choice`'s side removes the thing.
    #[must_use]
    pub fn removes(&self, choice: Choice) -> bool {
        self.is_removal()
            && match choice {
                Choice::Ours => self.ours == Value::Bool(true),
                Choice::Theirs => self.theirs == Value::Bool(true),
            }
    }
}

/// The ops that settle conflict number `i` of `doc` for `choice`: the thing's field set to
/// that side's value, or the thing removed (a removal conflict settled for the side that
/// removed it); then the conflict list without it (and without conflicts on what the
/// removal takes away).
///
/// # Errors
/// A conflict that is not there any more, on a thing the map lacks, or a value the thing
/// cannot take (a file edited by hand): a sentence saying which.
pub fn resolve(doc: &Document, i: usize, choice: Choice) -> Result<Vec<Op>, String> {
    let c = doc
        .conflicts
        .get(i)
        .ok_or_else(|| "that conflict is settled already".to_string())?;
    if !doc.has_thing(&c.kind, c.id) {
        return Err(format!(
            "the {} the conflict is on is not in the map",
            c.kind
        ));
    }
    let mut ops = if c.is_removal() {
        if c.removes(choice) {
            vec![removal(c)]
        } else {
            Vec::new()
        }
    } else if choice == Choice::Theirs {
        set(doc, c)?
    } else {
        Vec::new()
    };
    // What the ops leave: conflicts on what they removed go too.
    let mut after = doc.clone();
    let mut mint = crate::edit::Mint::new(0);
    for op in ops.clone() {
        crate::edit::apply(&mut after, op, &mut mint)
            .map_err(|e| format!("the {} cannot take that value: {e}", c.kind))?;
    }
    let left: Vec<Conflict> = doc
        .conflicts
        .iter()
        .enumerate()
        .filter(|(j, k)| *j != i && after.has_thing(&k.kind, k.id))
        .map(|(_, k)| k.clone())
        .collect();
    ops.push(Op::SetMap(MapField::Conflicts(left)));
    Ok(ops)
}

fn removal(c: &Conflict) -> Op {
    match c.kind.as_str() {
        "persona" => Op::RemovePersona(PersonaId(c.id)),
        "stage" => Op::RemoveStage(StageId(c.id)),
        "lane" => Op::RemoveLane(LaneId(c.id)),
        "curve" => Op::RemoveCurve(CurveId(c.id)),
        "point" => Op::RemovePoints(vec![PointId(c.id)]),
        "link" => Op::RemoveLinks(vec![LinkId(c.id)]),
        _ => Op::RemoveCards(vec![CardId(c.id)]),
    }
}

/// The ops that set the conflict's field to their side's value.
fn set(doc: &Document, c: &Conflict) -> Result<Vec<Op>, String> {
    let v = &c.theirs;
    let bad = |e: String| format!("their {} of the {} cannot be used: {e}", c.field, c.kind);
    Ok(match c.kind.as_str() {
        "map" => {
            let mut d = crate::sync::empty();
            d.title.clone_from(&doc.title);
            d.description.clone_from(&doc.description);
            d.executive = doc.executive.clone();
            d.based_on.clone_from(&doc.based_on);
            let mut new = d.clone();
            match c.field.as_str() {
                "title" => new.title = from(v).map_err(bad)?,
                "description" => new.description = from(v).map_err(bad)?,
                "executive" => new.executive = from(v).map_err(bad)?,
                "based_on" => new.based_on = from(v).map_err(bad)?,
                f => return Err(format!("the map's {f} is not something a merge marks")),
            }
            diff::map_ops(&d, &new)
        }
        "card" => {
            let old = doc.card(CardId(c.id)).ok_or_else(|| bad("gone".into()))?;
            let new = with(old, &c.field, v).map_err(bad)?;
            let mut ops = diff::card_ops(old, &new);
            if let Some(p) = diff::card_place(old, &new) {
                ops.push(Op::PlaceCards(vec![(old.id, p)]));
            }
            ops
        }
        "stage" => {
            let old = doc.stage(StageId(c.id)).ok_or_else(|| bad("gone".into()))?;
            diff::stage_ops(old, &with(old, &c.field, v).map_err(bad)?)
        }
        "lane" => {
            let old = doc.lane(LaneId(c.id)).ok_or_else(|| bad("gone".into()))?;
            diff::lane_ops(old, &with(old, &c.field, v).map_err(bad)?)
        }
        "persona" => {
            let old = doc
                .persona(PersonaId(c.id))
                .ok_or_else(|| bad("gone".into()))?;
            diff::persona_ops(old, &with(old, &c.field, v).map_err(bad)?)
        }
        "curve" => {
            let old = doc
                .emotion
                .curve(CurveId(c.id))
                .ok_or_else(|| bad("gone".into()))?;
            diff::curve_ops(old, &with(old, &c.field, v).map_err(bad)?)
        }
        "point" => {
            let (_, old) = doc
                .emotion
                .points()
                .find(|(_, p)| p.id.0 == c.id)
                .ok_or_else(|| bad("gone".into()))?;
            diff::point_op(old, &with(old, &c.field, v).map_err(bad)?)
                .into_iter()
                .collect()
        }
        "link" => {
            let old = doc.link(LinkId(c.id)).ok_or_else(|| bad("gone".into()))?;
            diff::link_ops(old, &with(old, &c.field, v).map_err(bad)?)
        }
        k => {
            return Err(format!(
                "a conflict on a {k} is not something a merge marks"
            ));
        }
    })
}

fn from<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

/// `t` with `field` set to `v` (a group's value — a card's place, a link's ends — sets its
/// fields; null takes the field out).
fn with<T: Serialize + DeserializeOwned>(t: &T, field: &str, v: &Value) -> Result<T, String> {
    let Ok(Value::Object(mut m)) = serde_json::to_value(t) else {
        return Err("it cannot be read".into());
    };
    match (field, v) {
        ("place" | "ends", Value::Object(g)) => m.extend(g.clone()),
        (_, Value::Null) => {
            m.remove(field);
        }
        _ => {
            m.insert(field.to_string(), v.clone());
        }
    }
    from(&Value::Object(Map::from_iter(m)))
}

/// What a conflict is on, as a person finds it: a card's stage · lane: text, a stage's
/// name …
#[must_use]
pub fn thing_label(doc: &Document, c: &Conflict) -> String {
    let quoted = |s: &str| format!("\u{201c}{s}\u{201d}");
    match c.kind.as_str() {
        "map" => "the map".to_string(),
        "card" => doc
            .card(CardId(c.id))
            .map_or_else(|| format!("card {}", c.id), |k| super::card_label(doc, k)),
        "stage" => doc.stage(StageId(c.id)).map_or_else(
            || format!("stage {}", c.id),
            |s| format!("stage {}", quoted(&s.name)),
        ),
        "lane" => doc.lane(LaneId(c.id)).map_or_else(
            || format!("lane {}", c.id),
            |l| format!("lane {}", quoted(&l.name)),
        ),
        "persona" => doc.persona(PersonaId(c.id)).map_or_else(
            || format!("persona {}", c.id),
            |p| format!("persona {}", quoted(&p.name)),
        ),
        "curve" => doc.emotion.curve(CurveId(c.id)).map_or_else(
            || format!("curve {}", c.id),
            |k| format!("curve {}", quoted(&k.name)),
        ),
        "point" => doc
            .emotion
            .points()
            .find(|(_, p)| p.id.0 == c.id)
            .map_or_else(
                || format!("point {}", c.id),
                |(k, p)| {
                    let stage = doc.stage(p.stage).map_or("?", |s| s.name.as_str());
                    format!("point of {} at {}", quoted(&k.name), quoted(stage))
                },
            ),
        "link" => doc.link(LinkId(c.id)).map_or_else(
            || format!("link {}", c.id),
            |l| {
                let text = |id| doc.card(id).map_or("?", |k| k.text.as_str());
                format!(
                    "link {} \u{2192} {}",
                    quoted(text(l.from)),
                    quoted(text(l.to))
                )
            },
        ),
        k => format!("{k} {}", c.id),
    }
}

/// What the two sides did, in a line: `text: ours “…”, theirs “…”`, or which side removed
/// it.
#[must_use]
pub fn conflict_text(doc: &Document, c: &Conflict) -> String {
    if c.is_removal() {
        if c.removes(Choice::Ours) {
            "removed on our side, changed or used on theirs".to_string()
        } else {
            "removed on their side, changed or used on ours".to_string()
        }
    } else {
        format!(
            "{}: ours {}, theirs {}",
            c.field,
            value_text(doc, c, &c.ours),
            value_text(doc, c, &c.theirs)
        )
    }
}

/// One side's value as a person reads it: a place by its stage and lane names, a link's
/// ends by their cards' texts, anything else as the diff shows it.
#[must_use]
pub fn value_text(doc: &Document, c: &Conflict, v: &Value) -> String {
    let id = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    let stage = || {
        doc.stage(StageId(id("stage")))
            .map_or("?", |s| s.name.as_str())
    };
    match c.field.as_str() {
        "place" if c.kind == "card" => {
            let lane = doc
                .lane(LaneId(id("lane")))
                .map_or("?", |l| l.name.as_str());
            format!("{} \u{b7} {lane}", stage())
        }
        "place" => stage().to_string(),
        "ends" => {
            let text = |k| {
                doc.card(CardId(id(k))).map_or_else(
                    || "?".to_string(),
                    |c| {
                        format!(
                            "\u{201c}{}\u{201d}",
                            super::shown(&Value::from(c.text.as_str()))
                        )
                    },
                )
            };
            format!("{} \u{2192} {}", text("from"), text("to"))
        }
        _ if v.is_string() => format!("\u{201c}{}\u{201d}", super::shown(v)),
        _ => super::shown(v),
    }
}
