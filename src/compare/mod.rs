//! What changed between two versions of a map: stages, lanes, cards (field by field, and
//! where they moved), emotion points, links and personas, matched by id — and, where ids
//! differ (two imports of one table), cards by their stage, lane and text, stages and lanes
//! by name. The map's title and description too. Readable text for people, JSON for tools.

mod merge;
mod resolve;
pub mod view;

pub use merge::{Merged, merge};
pub use resolve::{Choice, conflict_text, resolve, thing_label, value_text};

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::model::{Card, Document};

/// One thing added, removed or changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// `added`, `removed`, `changed` or `moved`.
    pub what: &'static str,
    /// `map`, `stage`, `lane`, `card`, `point`, `link` or `persona`.
    pub kind: &'static str,
    /// Its id (in the newer map; the older one's when removed).
    pub id: u64,
    /// How a person finds it: a card's stage · lane · text, a stage's name …
    pub label: String,
    /// The fields that differ: name, old value, new value (JSON).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<(String, Value, Value)>,
}

/// The difference between two maps.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MapDiff {
    /// Every change, in the map's order: the map, stages, lanes, personas, cards, points,
    /// links.
    pub changes: Vec<Change>,
}

impl MapDiff {
    /// Whether the two maps say the same.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// As text: a line a change, a line a changed field (`field: old → new`), and a summary.
    #[must_use]
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for c in &self.changes {
            let mark = match c.what {
                "added" => '+',
                "removed" => '-',
                _ => '~',
            };
            let _ = writeln!(out, "{mark} {} {} {}", c.kind, c.what, c.label);
            for (f, old, new) in &c.fields {
                let _ = writeln!(out, "    {f}: {} \u{2192} {}", shown(old), shown(new));
            }
        }
        let count = |w: &str| self.changes.iter().filter(|c| c.what == w).count();
        if self.is_empty() {
            out.push_str("No differences\n");
        } else {
            let _ = writeln!(
                out,
                "{} added, {} removed, {} changed, {} moved",
                count("added"),
                count("removed"),
                count("changed"),
                count("moved")
            );
        }
        out
    }
}

/// A value as the text shows it: strings without quotes, nothing as "(none)", long ones cut.
#[must_use]
pub fn shown(v: &Value) -> String {
    let s = match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) if s.is_empty() => "(empty)".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s = crate::text::printable(&s).replace('\n', " ");
    if s.chars().count() > 120 {
        format!("{}\u{2026}", s.chars().take(119).collect::<String>())
    } else {
        s
    }
}

/// The fields of two versions of a thing that differ (as their JSON), leaving out `skip`.
fn fields<T: Serialize>(a: &T, b: &T, skip: &[&str]) -> Vec<(String, Value, Value)> {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (
                a.get(k).cloned().unwrap_or(Value::Null),
                b.get(k).cloned().unwrap_or(Value::Null),
            );
            (x != y).then(|| (k.clone(), x, y))
        })
        .collect()
}

/// Matches things of two versions: by id, then what is left by a key (a name, a text).
fn pair<T>(
    a: &[T],
    b: &[T],
    id: impl Fn(&T) -> u64,
    (key_a, key_b): (impl Fn(&T) -> String, impl Fn(&T) -> String),
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let in_b: HashMap<u64, usize> = b.iter().enumerate().map(|(i, t)| (id(t), i)).collect();
    let mut pairs = Vec::new();
    let mut used_b = HashSet::new();
    let mut left_a = Vec::new();
    for (i, t) in a.iter().enumerate() {
        match in_b.get(&id(t)) {
            Some(&j) => {
                pairs.push((i, j));
                used_b.insert(j);
            }
            None => left_a.push(i),
        }
    }
    // What ids did not match, by key (each key used once, in order).
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, t) in b.iter().enumerate().rev() {
        if !used_b.contains(&j) {
            by_key.entry(key_b(t)).or_default().push(j);
        }
    }
    let mut removed = Vec::new();
    for i in left_a {
        match by_key.get_mut(&key_a(&a[i])).and_then(Vec::pop) {
            Some(j) => {
                pairs.push((i, j));
                used_b.insert(j);
            }
            None => removed.push(i),
        }
    }
    let added = (0..b.len()).filter(|j| !used_b.contains(j)).collect();
    (pairs, removed, added)
}

/// What changed from `a` (older) to `b` (newer).
#[must_use]
pub fn maps(a: &Document, b: &Document) -> MapDiff {
    let mut out = Vec::new();
    let map_fields: Vec<_> = [
        ("title", &a.title, &b.title),
        ("description", &a.description, &b.description),
    ]
    .into_iter()
    .filter(|(_, x, y)| x != y)
    .map(|(f, x, y)| {
        (
            f.to_string(),
            Value::from(x.as_str()),
            Value::from(y.as_str()),
        )
    })
    .collect();
    if !map_fields.is_empty() {
        out.push(Change {
            what: "changed",
            kind: "map",
            id: 0,
            label: b.title.clone(),
            fields: map_fields,
        });
    }

    // Stages, lanes, personas: by id, then by name. A stage (lane) of `a` maps to its match in
    // `b`, for the cards.
    let stage_of = named(
        &mut out,
        "stage",
        &a.stages,
        &b.stages,
        |s| (s.id.0, &s.name),
        &["id", "pos", "width"],
    );
    let lane_of = named(
        &mut out,
        "lane",
        &a.lanes,
        &b.lanes,
        |l| (l.id.0, &l.name),
        &["id", "pos"],
    );
    named(
        &mut out,
        "persona",
        &a.personas,
        &b.personas,
        |p| (p.id.0, &p.name),
        &["id"],
    );

    cards(&mut out, a, b, &stage_of, &lane_of);
    points(&mut out, a, b, &stage_of);
    links(&mut out, a, b);
    MapDiff { changes: out }
}

/// Changes of a kind matched by id, then by name: removed, added, changed fields. Returns
/// which id of `a` matched which of `b`.
fn named<T: Serialize>(
    out: &mut Vec<Change>,
    kind: &'static str,
    a: &[T],
    b: &[T],
    id_name: impl Fn(&T) -> (u64, &String),
    skip: &[&str],
) -> HashMap<u64, u64> {
    let id = |t: &T| id_name(t).0;
    let label = |t: &T| id_name(t).1.clone();
    let (pairs, removed, added) = pair(a, b, id, (label, label));
    for &i in &removed {
        out.push(change("removed", kind, id(&a[i]), label(&a[i])));
    }
    for &j in &added {
        out.push(change("added", kind, id(&b[j]), label(&b[j])));
    }
    for &(i, j) in &pairs {
        let f = fields(&a[i], &b[j], skip);
        if !f.is_empty() {
            out.push(Change {
                fields: f,
                ..change("changed", kind, id(&b[j]), label(&b[j]))
            });
        }
    }
    pairs.iter().map(|&(i, j)| (id(&a[i]), id(&b[j]))).collect()
}

fn change(what: &'static str, kind: &'static str, id: u64, label: String) -> Change {
    Change {
        what,
        kind,
        id,
        label,
        fields: Vec::new(),
    }
}

/// Where a card is, as a person reads it: stage · lane · text.
fn card_label(d: &Document, c: &Card) -> String {
    let stage = d.stage(c.stage).map_or("?", |s| s.name.as_str());
    let lane = d.lane(c.lane).map_or("?", |l| l.name.as_str());
    format!("{stage} \u{b7} {lane}: {}", c.text)
}

fn cards(
    out: &mut Vec<Change>,
    a: &Document,
    b: &Document,
    stage_of: &HashMap<u64, u64>,
    lane_of: &HashMap<u64, u64>,
) {
    // Where ids differ, a card is the same card if it says the same in the matching cell
    // (a card of `a` is keyed in `b`'s stage and lane ids).
    let key_a = |c: &&Card| {
        let s = stage_of.get(&c.stage.0).copied().unwrap_or(0);
        let l = lane_of.get(&c.lane.0).copied().unwrap_or(0);
        format!("{s}/{l}/{}", c.text)
    };
    let key_b = |c: &&Card| format!("{}/{}/{}", c.stage.0, c.lane.0, c.text);
    let ac: Vec<&Card> = a.cards.iter().map(|c| &**c).collect();
    let bc: Vec<&Card> = b.cards.iter().map(|c| &**c).collect();
    let (pairs, removed, added) = pair(&ac, &bc, |c| c.id.0, (key_a, key_b));
    for &i in &removed {
        out.push(change("removed", "card", ac[i].id.0, card_label(a, ac[i])));
    }
    for &j in &added {
        out.push(change("added", "card", bc[j].id.0, card_label(b, bc[j])));
    }
    for (i, j) in pairs {
        let (x, y) = (ac[i], bc[j]);
        let moved = stage_of.get(&x.stage.0) != Some(&y.stage.0)
            || lane_of.get(&x.lane.0) != Some(&y.lane.0);
        let mut f = fields(
            x,
            y,
            &[
                "id",
                "stage",
                "lane",
                "pos",
                "metrics",
                "personas",
                "map_links",
            ],
        );
        f.extend(metrics(x, y));
        f.extend(map_links(x, y));
        if moved {
            f.insert(
                0,
                (
                    "place".into(),
                    Value::from(card_label(a, x).split(": ").next().unwrap_or("")),
                    Value::from(card_label(b, y).split(": ").next().unwrap_or("")),
                ),
            );
        }
        if !f.is_empty() {
            out.push(Change {
                fields: f,
                ..change(
                    if moved { "moved" } else { "changed" },
                    "card",
                    y.id.0,
                    card_label(b, y),
                )
            });
        }
    }
}

/// A card's links to other maps: each one only one side has (`map link: (none) → leads to
/// Onboarding › Welcome call (../onboarding.json)`).
fn map_links(a: &Card, b: &Card) -> Vec<(String, Value, Value)> {
    let say = |l: &crate::model::MapLink| Value::from(format!("{} ({})", l.describe(), l.map));
    let gone = a.map_links.iter().filter(|l| !b.map_links.contains(l));
    let new = b.map_links.iter().filter(|l| !a.map_links.contains(l));
    gone.map(|l| ("map link".to_string(), say(l), Value::Null))
        .chain(new.map(|l| ("map link".to_string(), Value::Null, say(l))))
        .collect()
}

/// A card's metrics compared by name (`metric:CSAT: 2.1 → 3.4`).
fn metrics(a: &Card, b: &Card) -> Vec<(String, Value, Value)> {
    let m = |c: &Card| -> BTreeMap<String, f64> {
        c.metrics
            .iter()
            .map(|m| (m.name.clone(), m.value))
            .collect()
    };
    let (x, y) = (m(a), m(b));
    let mut names: Vec<&String> = x.keys().chain(y.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| x.get(*n) != y.get(*n))
        .map(|n| {
            let v = |o: Option<&f64>| o.map_or(Value::Null, |v| Value::from(*v));
            (format!("metric:{n}"), v(x.get(n)), v(y.get(n)))
        })
        .collect()
}

/// Emotion points by curve (matched by name) and stage: added, removed, value changed.
fn points(out: &mut Vec<Change>, a: &Document, b: &Document, stage_of: &HashMap<u64, u64>) {
    let by = |d: &Document, translate: bool| -> BTreeMap<(String, u64), (u64, f32)> {
        let mut m = BTreeMap::new();
        for c in &d.emotion.curves {
            for p in &c.points {
                let s = if translate {
                    stage_of.get(&p.stage.0).copied().unwrap_or(0)
                } else {
                    p.stage.0
                };
                m.entry((c.name.clone(), s)).or_insert((p.id.0, p.value));
            }
        }
        m
    };
    let (x, y) = (by(a, true), by(b, false));
    let label = |(curve, stage): &(String, u64)| {
        let s = b
            .stage(crate::model::StageId(*stage))
            .map_or("?", |s| s.name.as_str());
        format!("{curve} at {s}")
    };
    for (k, (id, v)) in &x {
        match y.get(k) {
            None => out.push(change("removed", "point", *id, label(k))),
            Some((nid, w)) if (v - w).abs() > 1e-6 => out.push(Change {
                fields: vec![("value".into(), Value::from(*v), Value::from(*w))],
                ..change("changed", "point", *nid, label(k))
            }),
            Some(_) => {}
        }
    }
    for (k, (id, _)) in &y {
        if !x.contains_key(k) {
            out.push(change("added", "point", *id, label(k)));
        }
    }
}

/// Links by their ends (card texts where ids differ) and kind.
fn links(out: &mut Vec<Change>, a: &Document, b: &Document) {
    let text = |d: &Document, id: crate::model::CardId| {
        d.card(id)
            .map_or_else(|| id.0.to_string(), |c| c.text.clone())
    };
    let key = |d: &Document, l: &crate::model::Link| {
        format!("{}\u{2192}{}", text(d, l.from), text(d, l.to))
    };
    let (pairs, removed, added) = pair(
        &a.links,
        &b.links,
        |l| l.id.0,
        (
            |l: &crate::model::Link| key(a, l),
            |l: &crate::model::Link| key(b, l),
        ),
    );
    for i in removed {
        out.push(change(
            "removed",
            "link",
            a.links[i].id.0,
            key(a, &a.links[i]),
        ));
    }
    for j in added {
        out.push(change(
            "added",
            "link",
            b.links[j].id.0,
            key(b, &b.links[j]),
        ));
    }
    for (i, j) in pairs {
        let f = fields(&a.links[i], &b.links[j], &["id", "from", "to", "pos"]);
        if !f.is_empty() {
            out.push(Change {
                fields: f,
                ..change("changed", "link", b.links[j].id.0, key(b, &b.links[j]))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::model::{CardId, sample_map, synthetic_map};

    #[test]
    fn a_map_and_itself_differ_in_nothing() {
        for d in [sample_map(), synthetic_map(12, 600, 3)] {
            let diff = maps(&d, &d);
            assert!(diff.is_empty(), "{:?}", diff.changes.first());
            assert_eq!(diff.to_text(), "No differences\n");
        }
    }

    #[test]
    fn each_edit_shows_once_field_by_field() {
        let a = sample_map();
        let mut b = a.clone();
        b.title = "v2".into();
        let edited = b.cards[0].id;
        b.card_at_mut(0).owner = "Growth".into();
        let removed = b.cards[1].id;
        b.cards.remove(1);
        let mut moved = (*b.cards[2]).clone();
        let other_stage = b.stages.iter().find(|s| s.id != moved.stage).unwrap().id;
        moved.stage = other_stage;
        let moved_id = moved.id;
        b.cards[2] = std::sync::Arc::new(moved);
        b.stages[0].name = "Renamed".into();
        b.normalize();
        let d = maps(&a, &b);
        let find = |kind: &str, id: u64| {
            d.changes
                .iter()
                .filter(|c| c.kind == kind && c.id == id)
                .count()
        };
        assert_eq!(find("map", 0), 1);
        assert_eq!(find("card", edited.0), 1);
        assert_eq!(find("card", removed.0), 1);
        assert_eq!(find("card", moved_id.0), 1);
        let e = d.changes.iter().find(|c| c.id == edited.0).unwrap();
        assert_eq!(e.what, "changed");
        assert_eq!(
            e.fields,
            // The sample's first card has no owner: none, then Growth.
            vec![("owner".into(), Value::Null, Value::from("Growth"))]
        );
        let m = d.changes.iter().find(|c| c.id == moved_id.0).unwrap();
        assert_eq!(m.what, "moved");
        assert_eq!(
            d.changes.iter().find(|c| c.id == removed.0).unwrap().what,
            "removed"
        );
        assert!(
            d.changes
                .iter()
                .any(|c| c.kind == "stage" && c.fields.iter().any(|f| f.0 == "name"))
        );
        // Nothing else: every other card is the same.
        assert_eq!(
            d.changes.iter().filter(|c| c.kind == "card").count(),
            3,
            "{:#?}",
            d.changes
        );
    }

    #[test]
    fn cards_whose_ids_differ_are_matched_by_cell_and_text() {
        let a = sample_map();
        let mut b = a.clone();
        let old: Vec<CardId> = b.cards.iter().map(|c| c.id).collect();
        for i in 0..b.cards.len() {
            b.card_at_mut(i).id.0 += 1_000_000;
        }
        for l in &mut b.links {
            l.from.0 += 1_000_000;
            l.to.0 += 1_000_000;
        }
        assert!(old.iter().all(|id| b.card(*id).is_none()));
        let d = maps(&a, &b);
        assert!(d.is_empty(), "{:#?}", d.changes);
        // A metric changed on one of them still shows, by name.
        let mut c = (*b.cards[0]).clone();
        c.metrics = vec![crate::model::Metric {
            name: "CSAT".into(),
            value: 3.4,
            ..Default::default()
        }];
        b.cards[0] = std::sync::Arc::new(c);
        let d = maps(&a, &b);
        assert_eq!(d.changes.len(), 1, "{:#?}", d.changes);
        assert!(d.to_text().contains("metric:CSAT"), "{}", d.to_text());
    }
}
