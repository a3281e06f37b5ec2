//! How a map is laid out in the shared Loro document.
//!
//! One root map per kind of thing (`stages`, `lanes`, `cards`, `personas`, `curves`,
//! `points`, `links`), keyed by id in decimal; each record is a mergeable child map of its
//! fields, so two people editing different fields of one card both win, and a record is
//! never replaced wholesale. A removed record is kept with `del: true`: an edit someone made
//! to it concurrently survives, and undoing the removal brings that edit back too.
//!
//! Field values are the map file's own JSON for that field (so the shared state reads like
//! the file), with three joins: a card's stage, lane and key are **one** value `place`
//! (`[stage, lane, key]`), so two concurrent moves put the card in a cell one of them chose;
//! a link's ends are one value `ends`; an emotion point's stage, offset and value are one
//! value `at`. Personas, curves, points and links, which the file keeps as lists, carry an
//! order key `key` here. The map's title, description, executive view and emotion scale
//! live in the root map `meta`.

use loro::{LoroMap, LoroValue, ValueOrContainer};
use serde_json::{Map, Value};

/// A record's fields as JSON (no id).
pub type Fields = Map<String, Value>;

/// A kind of record, one root map each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Stages.
    Stage,
    /// Lanes.
    Lane,
    /// Cards.
    Card,
    /// Personas.
    Persona,
    /// Curves (without their points).
    Curve,
    /// Emotion points of every curve.
    Point,
    /// Links.
    Link,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 7] = [
        Kind::Stage,
        Kind::Lane,
        Kind::Card,
        Kind::Persona,
        Kind::Curve,
        Kind::Point,
        Kind::Link,
    ];

    /// The name of its root map.
    #[must_use]
    pub fn root(self) -> &'static str {
        match self {
            Kind::Stage => "stages",
            Kind::Lane => "lanes",
            Kind::Card => "cards",
            Kind::Persona => "personas",
            Kind::Curve => "curves",
            Kind::Point => "points",
            Kind::Link => "links",
        }
    }

    /// The kind whose root map has this name.
    #[must_use]
    pub fn of_root(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.root() == name)
    }

    /// Its bit in a set of kinds.
    #[must_use]
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The root map of the map's own fields.
pub const META: &str = "meta";
/// The field that marks a removed record.
pub const DELETED: &str = "del";
/// The order key of records the file keeps as a list.
pub const KEY: &str = "key";

/// JSON to a Loro value.
#[must_use]
pub fn to_loro(v: &Value) -> LoroValue {
    match v {
        Value::Null => LoroValue::Null,
        Value::Bool(b) => LoroValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => LoroValue::I64(i),
            None => LoroValue::Double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => LoroValue::from(s.as_str()),
        Value::Array(a) => LoroValue::from(a.iter().map(to_loro).collect::<Vec<_>>()),
        Value::Object(o) => LoroValue::from(
            o.iter()
                .map(|(k, v)| (k.clone(), to_loro(v)))
                .collect::<std::collections::HashMap<_, _>>(),
        ),
    }
}

/// A Loro value to JSON (containers and bytes, which this schema never writes as values,
/// become null).
#[must_use]
pub fn to_json(v: &LoroValue) -> Value {
    match v {
        LoroValue::Null | LoroValue::Binary(_) | LoroValue::Container(_) => Value::Null,
        LoroValue::Bool(b) => Value::Bool(*b),
        LoroValue::Double(d) => serde_json::Number::from_f64(*d).map_or(Value::Null, Value::Number),
        LoroValue::I64(i) => Value::from(*i),
        LoroValue::String(s) => Value::String(s.to_string()),
        LoroValue::List(l) => Value::Array(l.iter().map(to_json).collect()),
        LoroValue::Map(m) => {
            // Sorted keys: the same value gives the same JSON on every replica.
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), to_json(&m[k])))
                    .collect(),
            )
        }
    }
}

/// A record's fields as they are in the shared document (nulls left out).
#[must_use]
pub fn read(map: &LoroMap) -> Fields {
    let mut out = Fields::new();
    map.for_each(|k, v| {
        if let ValueOrContainer::Value(v) = v {
            let v = to_json(&v);
            if !v.is_null() {
                out.insert(k.to_string(), v);
            }
        }
    });
    out
}

/// Whether a record read from the shared document is a removed one.
#[must_use]
pub fn is_deleted(fields: &Fields) -> bool {
    fields.get(DELETED).and_then(Value::as_bool) == Some(true)
}

/// Writes the fields that differ from `want` (and clears the removal mark), leaving equal
/// fields untouched so they record no change. Returns whether anything was written.
///
/// # Errors
/// Loro's, for a detached or mistyped container.
pub fn write(map: &LoroMap, have: &Fields, want: &Fields) -> loro::LoroResult<bool> {
    let mut wrote = false;
    for (k, v) in want {
        if have.get(k) != Some(v) {
            map.insert(k, to_loro(v))?;
            wrote = true;
        }
    }
    for k in have.keys() {
        if !want.contains_key(k) {
            map.delete(k)?;
            wrote = true;
        }
    }
    Ok(wrote)
}

/// Marks a record removed (its fields stay, for a concurrent edit and an undo).
///
/// # Errors
/// Loro's, for a detached container.
pub fn mark_deleted(map: &LoroMap, have: &Fields) -> loro::LoroResult<bool> {
    if is_deleted(have) {
        return Ok(false);
    }
    map.insert(DELETED, true)?;
    Ok(true)
}

/// A value's fields as JSON without the named ones.
pub(super) fn fields_of<T: serde::Serialize>(t: &T, drop: &[&str]) -> Fields {
    match serde_json::to_value(t) {
        Ok(Value::Object(mut o)) => {
            for d in drop {
                o.remove(*d);
            }
            o
        }
        _ => Fields::new(),
    }
}

/// A value from its fields and id (and any joined fields put back by the caller).
pub(super) fn from_fields<T: serde::de::DeserializeOwned>(mut f: Fields, id: u64) -> Option<T> {
    f.remove(DELETED);
    f.remove(KEY);
    f.insert("id".into(), Value::from(id));
    serde_json::from_value(Value::Object(f)).ok()
}

/// Splits a joined field (`[a, b, c]`) back into named fields.
pub(super) fn unjoin(f: &mut Fields, joined: &str, names: &[&str]) -> Option<()> {
    let Value::Array(parts) = f.remove(joined)? else {
        return None;
    };
    if parts.len() != names.len() {
        return None;
    }
    for (n, v) in names.iter().zip(parts) {
        f.insert((*n).to_string(), v);
    }
    Some(())
}

/// Joins named fields into one (`[a, b, c]`).
pub(super) fn join(f: &mut Fields, joined: &str, names: &[&str]) {
    let parts: Vec<Value> = names
        .iter()
        .map(|n| f.remove(*n).unwrap_or(Value::Null))
        .collect();
    f.insert(joined.to_string(), Value::Array(parts));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_survives_loro() {
        let v = serde_json::json!({
            "a": 1, "b": -2, "c": 180.0, "d": 0.25, "e": "x", "f": [1, "y", true],
            "g": {"h": null, "i": 2.5}
        });
        assert_eq!(to_json(&to_loro(&v)), v);
        // An integral float stays a float (a width of 180.0 must compare equal after a trip).
        let w = serde_json::to_value(180.0_f32).unwrap();
        assert_eq!(to_json(&to_loro(&w)), w);
    }

    #[test]
    fn kinds_have_distinct_roots_and_bits() {
        for a in Kind::ALL {
            assert_eq!(Kind::of_root(a.root()), Some(a));
            for b in Kind::ALL {
                assert_eq!(a == b, a.bit() == b.bit());
            }
        }
    }
}
