//! Each kind of thing as a record of the shared document and back (see [`super::schema`]).

use serde_json::Value;

use super::schema::{Fields, KEY, from_fields, join, unjoin};
use crate::model::{Card, Curve, CurveId, Document, EmotionPoint, Lane, Link, Persona, Stage};

/// A stage's fields.
#[must_use]
pub fn stage(s: &Stage) -> Fields {
    super::schema::fields_of(s, &["id"])
}

/// A lane's fields.
#[must_use]
pub fn lane(l: &Lane) -> Fields {
    super::schema::fields_of(l, &["id"])
}

/// A card's fields, its place as one value.
#[must_use]
pub fn card(c: &Card) -> Fields {
    let mut f = super::schema::fields_of(c, &["id"]);
    join(&mut f, "place", &["stage", "lane", "pos"]);
    f
}

/// A persona's fields with its order key.
#[must_use]
pub fn persona(p: &Persona, key: &str) -> Fields {
    keyed(super::schema::fields_of(p, &["id"]), key)
}

/// A curve's fields (not its points) with its order key.
#[must_use]
pub fn curve(c: &Curve, key: &str) -> Fields {
    keyed(super::schema::fields_of(c, &["id", "points"]), key)
}

/// An emotion point's fields: its curve, its place and value as one value, its order key.
#[must_use]
pub fn point(curve: CurveId, p: &EmotionPoint, key: &str) -> Fields {
    let mut f = super::schema::fields_of(p, &["id"]);
    join(&mut f, "at", &["stage", "offset", "value"]);
    f.insert("curve".into(), Value::from(curve.0));
    keyed(f, key)
}

/// A link's fields, its ends as one value, with its order key.
#[must_use]
pub fn link(l: &Link, key: &str) -> Fields {
    let mut f = super::schema::fields_of(l, &["id"]);
    join(&mut f, "ends", &["from", "to"]);
    keyed(f, key)
}

/// The map's own fields.
#[must_use]
pub fn meta(d: &Document) -> Fields {
    let mut f = Fields::new();
    f.insert("title".into(), Value::from(d.title.as_str()));
    f.insert("description".into(), Value::from(d.description.as_str()));
    if let Ok(v) = serde_json::to_value(&d.executive) {
        f.insert("executive".into(), v);
    }
    if let Ok(v) = serde_json::to_value(&d.emotion.scale) {
        f.insert("scale".into(), v);
    }
    if let Ok(v) = serde_json::to_value(&d.conflicts) {
        f.insert("conflicts".into(), v);
    }
    f.insert("based_on".into(), Value::from(d.based_on.as_str()));
    f
}

fn keyed(mut f: Fields, key: &str) -> Fields {
    f.insert(KEY.into(), Value::from(key));
    f
}

/// The order key of a record (empty if it has none).
#[must_use]
pub fn key_of(f: &Fields) -> &str {
    f.get(KEY).and_then(Value::as_str).unwrap_or("")
}

/// A stage from its record.
#[must_use]
pub fn to_stage(id: u64, f: Fields) -> Option<Stage> {
    from_fields(f, id)
}

/// A lane from its record.
#[must_use]
pub fn to_lane(id: u64, f: Fields) -> Option<Lane> {
    from_fields(f, id)
}

/// A card from its record.
#[must_use]
pub fn to_card(id: u64, mut f: Fields) -> Option<Card> {
    unjoin(&mut f, "place", &["stage", "lane", "pos"])?;
    from_fields(f, id)
}

/// A persona from its record.
#[must_use]
pub fn to_persona(id: u64, f: Fields) -> Option<Persona> {
    from_fields(f, id)
}

/// A curve (with no points) from its record.
#[must_use]
pub fn to_curve(id: u64, mut f: Fields) -> Option<Curve> {
    f.insert("points".into(), Value::Array(Vec::new()));
    from_fields(f, id)
}

/// An emotion point and its curve from its record.
#[must_use]
pub fn to_point(id: u64, mut f: Fields) -> Option<(CurveId, EmotionPoint)> {
    let curve = CurveId(f.remove("curve")?.as_u64()?);
    unjoin(&mut f, "at", &["stage", "offset", "value"])?;
    Some((curve, from_fields(f, id)?))
}

/// A link from its record.
#[must_use]
pub fn to_link(id: u64, mut f: Fields) -> Option<Link> {
    unjoin(&mut f, "ends", &["from", "to"])?;
    from_fields(f, id)
}

/// Sets the map's own fields from its record (what is missing or unreadable stays).
pub fn to_meta(d: &mut Document, f: &Fields) {
    if let Some(t) = f.get("title").and_then(Value::as_str) {
        d.title = t.to_string();
    }
    if let Some(t) = f.get("description").and_then(Value::as_str) {
        d.description = t.to_string();
    }
    if let Some(v) = f
        .get("executive")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
    {
        d.executive = v;
    }
    if let Some(v) = f
        .get("scale")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
    {
        d.emotion.scale = v;
    }
    if let Some(t) = f.get("based_on").and_then(Value::as_str) {
        d.based_on = t.to_string();
    }
    if let Some(v) = f
        .get("conflicts")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
    {
        d.conflicts = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_survives_its_record() {
        let doc = crate::model::sample_map();
        for c in &doc.cards {
            assert_eq!(to_card(c.id.0, card(c)).as_ref(), Some(&**c));
        }
        for s in &doc.stages {
            assert_eq!(to_stage(s.id.0, stage(s)).as_ref(), Some(s));
        }
        for l in &doc.lanes {
            assert_eq!(to_lane(l.id.0, lane(l)).as_ref(), Some(l));
        }
        for p in &doc.personas {
            assert_eq!(to_persona(p.id.0, persona(p, "V")).as_ref(), Some(p));
        }
        for l in &doc.links {
            assert_eq!(to_link(l.id.0, link(l, "V")).as_ref(), Some(l));
        }
        for c in &doc.emotion.curves {
            let mut bare = c.clone();
            bare.points.clear();
            assert_eq!(to_curve(c.id.0, curve(c, "V")).as_ref(), Some(&bare));
            for p in &c.points {
                assert_eq!(
                    to_point(p.id.0, point(c.id, p, "V")),
                    Some((c.id, p.clone()))
                );
            }
        }
        let mut d = super::super::empty();
        to_meta(&mut d, &meta(&doc));
        assert_eq!(
            (&d.title, &d.description, &d.executive, &d.emotion.scale),
            (
                &doc.title,
                &doc.description,
                &doc.executive,
                &doc.emotion.scale
            )
        );
    }
}
