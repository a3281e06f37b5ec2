//! Applying ops to the map's fields, stages, lanes, personas, curves and links.

use std::collections::HashSet;

use super::super::op::{Applied, CurveField, LaneField, MapField, Op, PersonaField, StageField};
use super::super::{EditError, stage_width};
use super::cards::remove_cards_where;
use super::{Mint, finite, key, key_after_last, long, missing, not_allowed};
use crate::model::{
    CardId, Curve, Document, LaneId, LaneKind, Link, LinkId, MAX_LEVEL, StageId, limits, order,
};

pub(super) fn set_map(doc: &mut Document, f: MapField, out: &mut Applied) -> Result<(), EditError> {
    let old = match f {
        MapField::Title(t) => {
            long("the title", &t)?;
            MapField::Title(std::mem::replace(&mut doc.title, t))
        }
        MapField::Description(t) => {
            long("the description", &t)?;
            MapField::Description(std::mem::replace(&mut doc.description, t))
        }
        MapField::Executive(v) => {
            if let Some(l) = v.lanes.iter().find(|l| doc.lane(**l).is_none()) {
                return missing("lane", l.0);
            }
            let v = crate::model::ExecutiveView {
                min_severity: v.min_severity.clamp(1, MAX_LEVEL),
                lanes: v.lanes,
            };
            MapField::Executive(std::mem::replace(&mut doc.executive, v))
        }
        MapField::Conflicts(v) => {
            if v.len() > limits::MAX_CARDS {
                return not_allowed("more merge conflicts than a map may hold");
            }
            MapField::Conflicts(std::mem::replace(&mut doc.conflicts, v))
        }
        MapField::BasedOn(t) => {
            long("the map it is based on", &t)?;
            MapField::BasedOn(std::mem::replace(&mut doc.based_on, t))
        }
    };
    out.inverse.push(Op::SetMap(old));
    out.touched.meta = true;
    out.touched.points = true;
    Ok(())
}

pub(super) fn set_persona(
    doc: &mut Document,
    id: crate::model::PersonaId,
    f: PersonaField,
    out: &mut Applied,
) -> Result<(), EditError> {
    let Some(p) = doc.personas.iter_mut().find(|p| p.id == id) else {
        return missing("persona", id.0);
    };
    let text = |slot: &mut String, t: String| -> Result<String, EditError> {
        long("a persona's text", &t)?;
        Ok(std::mem::replace(slot, t))
    };
    let old = match f {
        PersonaField::Name(t) => PersonaField::Name(text(&mut p.name, t)?),
        PersonaField::Description(t) => PersonaField::Description(text(&mut p.description, t)?),
        PersonaField::Role(t) => PersonaField::Role(text(&mut p.role, t)?),
        PersonaField::Goals(t) => PersonaField::Goals(text(&mut p.goals, t)?),
        PersonaField::Expectations(t) => PersonaField::Expectations(text(&mut p.expectations, t)?),
        PersonaField::Quote(t) => PersonaField::Quote(text(&mut p.quote, t)?),
        PersonaField::Hue(h) => PersonaField::Hue(std::mem::replace(&mut p.hue, h)),
    };
    out.inverse.push(Op::SetPersona(id, old));
    out.touched.meta = true;
    out.touched.points = true;
    Ok(())
}

pub(super) fn structure(out: &mut Applied) {
    out.touched.structure = true;
    out.touched.points = true;
    out.touched.links = true;
}

pub(super) fn insert_stage(
    doc: &mut Document,
    mut stage: crate::model::Stage,
    mint: &mut Mint,
    out: &mut Applied,
) -> Result<(), EditError> {
    finite("a stage's width", &[stage.width])?;
    long("a stage's name", &stage.name)?;
    key("a stage's place", &stage.pos)?;
    if doc.stages.len() >= limits::MAX_STAGES {
        return not_allowed(format!("a map has at most {} stages", limits::MAX_STAGES));
    }
    if stage.id.0 == 0 {
        stage.id.0 = mint.fresh(|id| doc.stage(StageId(id)).is_some());
        out.new_ids.push(stage.id.0);
    } else if doc.stage(stage.id).is_some() {
        return not_allowed(format!("stage {} exists already", stage.id.0));
    }
    if stage.pos.is_empty() {
        stage.pos = key_after_last(doc.stages.iter().map(|s| s.pos.as_str()));
    }
    stage.width = stage_width(stage.width);
    out.inverse.push(Op::RemoveStage(stage.id));
    out.done = vec![Op::InsertStage(Box::new(stage.clone()))];
    order::insert_in_order(&mut doc.stages, stage);
    structure(out);
    Ok(())
}

pub(super) fn remove_stage(
    doc: &mut Document,
    id: StageId,
    out: &mut Applied,
) -> Result<(), EditError> {
    let Some(i) = doc.stage_index(id) else {
        return missing("stage", id.0);
    };
    let stage = doc.stages.remove(i);
    out.inverse.push(Op::InsertStage(Box::new(stage)));
    remove_cards_where(doc, |c| c.stage == id, out);
    super::remove_points_where(doc, |p| p.stage == id, out);
    structure(out);
    Ok(())
}

pub(super) fn set_stage(
    doc: &mut Document,
    id: StageId,
    f: StageField,
    out: &mut Applied,
) -> Result<(), EditError> {
    let Some(i) = doc.stage_index(id) else {
        return missing("stage", id.0);
    };
    let s = &mut doc.stages[i];
    let old = match f {
        StageField::Name(n) => {
            long("a stage's name", &n)?;
            StageField::Name(std::mem::replace(&mut s.name, n))
        }
        StageField::Width(w) => {
            finite("a stage's width", &[w])?;
            StageField::Width(std::mem::replace(&mut s.width, stage_width(w)))
        }
        StageField::Pos(p) => {
            if !order::is_valid(&p) {
                return not_allowed(format!("{p:?} is not an order key"));
            }
            let old = StageField::Pos(std::mem::replace(&mut s.pos, p));
            let s = doc.stages.remove(i);
            order::insert_in_order(&mut doc.stages, s);
            doc.sort_cards();
            old
        }
    };
    out.inverse.push(Op::SetStage(id, old));
    structure(out);
    Ok(())
}

pub(super) fn insert_lane(
    doc: &mut Document,
    mut lane: crate::model::Lane,
    mint: &mut Mint,
    out: &mut Applied,
) -> Result<(), EditError> {
    long("a lane's name", &lane.name)?;
    key("a lane's place", &lane.pos)?;
    if doc.lanes.len() >= limits::MAX_LANES {
        return not_allowed(format!("a map has at most {} lanes", limits::MAX_LANES));
    }
    if lane.kind == LaneKind::Emotion && doc.emotion_lane().is_some() {
        return not_allowed("the map already has an emotion lane");
    }
    if lane.id.0 == 0 {
        lane.id.0 = mint.fresh(|id| doc.lane(LaneId(id)).is_some());
        out.new_ids.push(lane.id.0);
    } else if doc.lane(lane.id).is_some() {
        return not_allowed(format!("lane {} exists already", lane.id.0));
    }
    if lane.pos.is_empty() {
        lane.pos = key_after_last(doc.lanes.iter().map(|l| l.pos.as_str()));
    }
    out.inverse.push(Op::RemoveLane(lane.id));
    out.done = vec![Op::InsertLane(Box::new(lane.clone()))];
    order::insert_in_order(&mut doc.lanes, lane);
    structure(out);
    Ok(())
}

pub(super) fn remove_lane(
    doc: &mut Document,
    id: LaneId,
    out: &mut Applied,
) -> Result<(), EditError> {
    let Some(i) = doc.lane_index(id) else {
        return missing("lane", id.0);
    };
    let lane = doc.lanes.remove(i);
    out.inverse.push(Op::InsertLane(Box::new(lane)));
    remove_cards_where(doc, |c| c.lane == id, out);
    if doc.executive.lanes.contains(&id) {
        out.inverse
            .push(Op::SetMap(MapField::Executive(doc.executive.clone())));
        doc.executive.lanes.retain(|l| *l != id);
    }
    structure(out);
    Ok(())
}

pub(super) fn set_lane(
    doc: &mut Document,
    id: LaneId,
    f: LaneField,
    out: &mut Applied,
) -> Result<(), EditError> {
    let Some(i) = doc.lane_index(id) else {
        return missing("lane", id.0);
    };
    let l = &mut doc.lanes[i];
    let old = match f {
        LaneField::Name(n) => {
            long("a lane's name", &n)?;
            LaneField::Name(std::mem::replace(&mut l.name, n))
        }
        LaneField::Hidden(h) => LaneField::Hidden(std::mem::replace(&mut l.hidden, h)),
        LaneField::Pos(p) => {
            if !order::is_valid(&p) {
                return not_allowed(format!("{p:?} is not an order key"));
            }
            let old = LaneField::Pos(std::mem::replace(&mut l.pos, p));
            let l = doc.lanes.remove(i);
            order::insert_in_order(&mut doc.lanes, l);
            doc.sort_cards();
            old
        }
    };
    out.inverse.push(Op::SetLane(id, old));
    structure(out);
    Ok(())
}

pub(super) fn insert_curve(
    doc: &mut Document,
    mut curve: Curve,
    at: Option<usize>,
    mint: &mut Mint,
    out: &mut Applied,
) -> Result<(), EditError> {
    if doc.emotion.curves.len() >= limits::MAX_CURVES {
        return not_allowed(format!("a map has at most {} curves", limits::MAX_CURVES));
    }
    long("a curve's name", &curve.name)?;
    if let Some(p) = curve.persona
        && doc.persona(p).is_none()
    {
        return missing("persona", p.0);
    }
    for p in &curve.points {
        if doc.stage(p.stage).is_none() {
            return missing("stage", p.stage.0);
        }
        finite("a point's place", &[p.offset, p.value])?;
        if p.id.0 != 0 && doc.point(p.id).is_some() {
            return not_allowed(format!("emotion point {} exists already", p.id.0));
        }
    }
    if curve.id.0 == 0 {
        curve.id.0 = mint.fresh(|id| doc.emotion.curve(crate::model::CurveId(id)).is_some());
        out.new_ids.push(curve.id.0);
    } else if doc.emotion.curve(curve.id).is_some() {
        return not_allowed(format!("curve {} exists already", curve.id.0));
    }
    let scale = doc.emotion.scale.clone();
    for p in &mut curve.points {
        if p.id.0 == 0 {
            p.id.0 = mint.fresh(|id| doc.point(crate::model::PointId(id)).is_some());
            out.new_ids.push(p.id.0);
        }
        p.value = scale.clamp(p.value);
        p.offset = p.offset.clamp(0.0, 1.0);
    }
    out.inverse.push(Op::RemoveCurve(curve.id));
    out.done = vec![Op::InsertCurve {
        curve: Box::new(curve.clone()),
        at,
    }];
    let i = at.unwrap_or(usize::MAX).min(doc.emotion.curves.len());
    doc.emotion.curves.insert(i, curve);
    out.touched.points = true;
    Ok(())
}

pub(super) fn set_curve(
    doc: &mut Document,
    id: crate::model::CurveId,
    f: CurveField,
    out: &mut Applied,
) -> Result<(), EditError> {
    if let CurveField::Persona(Some(p)) = &f
        && doc.persona(*p).is_none()
    {
        return missing("persona", p.0);
    }
    let Some(c) = doc.emotion.curves.iter_mut().find(|c| c.id == id) else {
        return missing("curve", id.0);
    };
    let old = match f {
        CurveField::Name(n) => {
            long("a curve's name", &n)?;
            CurveField::Name(std::mem::replace(&mut c.name, n))
        }
        CurveField::Kind(k) => CurveField::Kind(std::mem::replace(&mut c.kind, k)),
        CurveField::Persona(p) => CurveField::Persona(std::mem::replace(&mut c.persona, p)),
        CurveField::Hue(h) => CurveField::Hue(std::mem::replace(&mut c.hue, h)),
        CurveField::Hidden(h) => CurveField::Hidden(std::mem::replace(&mut c.hidden, h)),
        CurveField::Units(u) => {
            if let Some(u) = &u {
                long("a curve's units", &u.name)?;
                if !u.usable() {
                    return not_allowed(
                        "a curve's units need a name and two different numbers for the ends",
                    );
                }
            }
            CurveField::Units(std::mem::replace(&mut c.units, u.map(|u| *u)).map(Box::new))
        }
    };
    out.inverse.push(Op::SetCurve(id, old));
    out.touched.points = true;
    Ok(())
}

pub(super) fn check_link(doc: &Document, link: &Link) -> Result<(), EditError> {
    for end in [link.from, link.to] {
        if doc.card(end).is_none() {
            return missing("card", end.0);
        }
    }
    if link.from == link.to {
        return not_allowed("a card cannot link to itself");
    }
    Ok(())
}

pub(super) fn insert_links(
    doc: &mut Document,
    mut links: Vec<Link>,
    at: &[usize],
    mint: &mut Mint,
    out: &mut Applied,
) -> Result<(), EditError> {
    if doc.links.len() + links.len() > limits::MAX_LINKS {
        return not_allowed(format!("a map has at most {} links", limits::MAX_LINKS));
    }
    let cards: HashSet<CardId> = doc.cards.iter().map(|c| c.id).collect();
    let mut taken: HashSet<LinkId> = doc.links.iter().map(|l| l.id).collect();
    for l in &links {
        for end in [l.from, l.to] {
            if !cards.contains(&end) {
                return missing("card", end.0);
            }
        }
        if l.from == l.to {
            return not_allowed("a card cannot link to itself");
        }
        if l.id.0 != 0 && !taken.insert(l.id) {
            return not_allowed(format!("link {} exists already", l.id.0));
        }
    }
    for l in &mut links {
        if l.id.0 == 0 {
            l.id.0 = mint.fresh(|id| taken.contains(&LinkId(id)));
            taken.insert(l.id);
            out.new_ids.push(l.id.0);
        }
    }
    out.inverse
        .push(Op::RemoveLinks(links.iter().map(|l| l.id).collect()));
    out.done = vec![Op::InsertLinks {
        links: links.clone(),
        at: at.to_vec(),
    }];
    if at.len() == links.len() && at.windows(2).all(|w| w[0] < w[1]) {
        for (l, i) in links.into_iter().zip(at) {
            let i = (*i).min(doc.links.len());
            doc.links.insert(i, l);
        }
    } else {
        doc.links.extend(links);
    }
    out.touched.links = true;
    Ok(())
}
