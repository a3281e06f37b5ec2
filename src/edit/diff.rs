//! Field-level differences between two versions of one thing, as the [`Op`]s that turn the
//! old into the new: one op per field that differs. Lowering a whole-card command, bringing a
//! replica in line with a merged co-editing state and (later) comparing two maps all use
//! these, so a difference always becomes the same ops.

use super::op::{
    CardField, CurveField, LaneField, LinkField, MapField, Op, PersonaField, Place, StageField,
};
use crate::model::{Card, Curve, Document, EmotionPoint, Lane, Link, Persona, Stage};

/// The map's own fields (title, description, executive view, merge conflicts).
#[must_use]
pub fn map_ops(old: &Document, new: &Document) -> Vec<Op> {
    let mut ops = Vec::new();
    if old.title != new.title {
        ops.push(Op::SetMap(MapField::Title(new.title.clone())));
    }
    if old.description != new.description {
        ops.push(Op::SetMap(MapField::Description(new.description.clone())));
    }
    if old.executive != new.executive {
        ops.push(Op::SetMap(MapField::Executive(new.executive.clone())));
    }
    if old.based_on != new.based_on {
        ops.push(Op::SetMap(MapField::BasedOn(new.based_on.clone())));
    }
    if old.conflicts != new.conflicts {
        ops.push(Op::SetMap(MapField::Conflicts(new.conflicts.clone())));
    }
    ops
}

/// A card's fields other than its place.
#[must_use]
pub fn card_ops(old: &Card, new: &Card) -> Vec<Op> {
    let id = old.id;
    let mut ops = Vec::new();
    macro_rules! field {
        ($f:ident, $v:ident) => {
            if old.$f != new.$f {
                ops.push(Op::SetCard(id, CardField::$v(new.$f.clone())));
            }
        };
    }
    field!(text, Text);
    field!(channel, Channel);
    field!(channel_name, ChannelName);
    field!(owner, Owner);
    field!(note, Note);
    field!(moment_of_truth, MomentOfTruth);
    field!(severity, Severity);
    field!(priority, Priority);
    field!(evidence, Evidence);
    field!(metrics, Metrics);
    field!(personas, Personas);
    field!(map_links, MapLinks);
    ops
}

/// A card's place (cell and key), if it differs.
#[must_use]
pub fn card_place(old: &Card, new: &Card) -> Option<Place> {
    ((old.stage, old.lane, &old.pos) != (new.stage, new.lane, &new.pos)).then(|| Place {
        stage: new.stage,
        lane: new.lane,
        pos: new.pos.clone(),
    })
}

/// A stage's fields.
#[must_use]
pub fn stage_ops(old: &Stage, new: &Stage) -> Vec<Op> {
    let mut ops = Vec::new();
    if old.name != new.name {
        ops.push(Op::SetStage(old.id, StageField::Name(new.name.clone())));
    }
    if old.width.to_bits() != new.width.to_bits() {
        ops.push(Op::SetStage(old.id, StageField::Width(new.width)));
    }
    if old.pos != new.pos {
        ops.push(Op::SetStage(old.id, StageField::Pos(new.pos.clone())));
    }
    ops
}

/// A lane's fields (its kind is fixed when it is made).
#[must_use]
pub fn lane_ops(old: &Lane, new: &Lane) -> Vec<Op> {
    let mut ops = Vec::new();
    if old.name != new.name {
        ops.push(Op::SetLane(old.id, LaneField::Name(new.name.clone())));
    }
    if old.hidden != new.hidden {
        ops.push(Op::SetLane(old.id, LaneField::Hidden(new.hidden)));
    }
    if old.pos != new.pos {
        ops.push(Op::SetLane(old.id, LaneField::Pos(new.pos.clone())));
    }
    ops
}

/// A persona's fields.
#[must_use]
pub fn persona_ops(old: &Persona, new: &Persona) -> Vec<Op> {
    let id = old.id;
    let mut ops = Vec::new();
    let mut text = |a: &String, b: &String, f: fn(String) -> PersonaField| {
        if a != b {
            ops.push(Op::SetPersona(id, f(b.clone())));
        }
    };
    text(&old.name, &new.name, PersonaField::Name);
    text(
        &old.description,
        &new.description,
        PersonaField::Description,
    );
    text(&old.role, &new.role, PersonaField::Role);
    text(&old.goals, &new.goals, PersonaField::Goals);
    text(
        &old.expectations,
        &new.expectations,
        PersonaField::Expectations,
    );
    text(&old.quote, &new.quote, PersonaField::Quote);
    if old.hue != new.hue {
        ops.push(Op::SetPersona(id, PersonaField::Hue(new.hue)));
    }
    ops
}

/// A curve's fields (not its points).
#[must_use]
pub fn curve_ops(old: &Curve, new: &Curve) -> Vec<Op> {
    let id = old.id;
    let mut ops = Vec::new();
    if old.name != new.name {
        ops.push(Op::SetCurve(id, CurveField::Name(new.name.clone())));
    }
    if old.kind != new.kind {
        ops.push(Op::SetCurve(id, CurveField::Kind(new.kind)));
    }
    if old.persona != new.persona {
        ops.push(Op::SetCurve(id, CurveField::Persona(new.persona)));
    }
    if old.hue != new.hue {
        ops.push(Op::SetCurve(id, CurveField::Hue(new.hue)));
    }
    if old.hidden != new.hidden {
        ops.push(Op::SetCurve(id, CurveField::Hidden(new.hidden)));
    }
    if old.units != new.units {
        ops.push(Op::SetCurve(
            id,
            CurveField::Units(new.units.clone().map(Box::new)),
        ));
    }
    ops
}

/// An emotion point's place and value.
#[must_use]
pub fn point_op(old: &EmotionPoint, new: &EmotionPoint) -> Option<Op> {
    (old.stage != new.stage
        || old.offset.to_bits() != new.offset.to_bits()
        || old.value.to_bits() != new.value.to_bits())
    .then_some(Op::SetPoint {
        id: old.id,
        stage: new.stage,
        offset: new.offset,
        value: new.value,
    })
}

/// A link's ends and kind.
#[must_use]
pub fn link_ops(old: &Link, new: &Link) -> Vec<Op> {
    let mut ops = Vec::new();
    if (old.from, old.to) != (new.from, new.to) {
        ops.push(Op::SetLink(old.id, LinkField::Ends(new.from, new.to)));
    }
    if old.kind != new.kind {
        ops.push(Op::SetLink(old.id, LinkField::Kind(new.kind)));
    }
    ops
}
