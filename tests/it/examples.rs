//! The files in `examples/` and `docs/`: the sample map is the reference journey, every example
//! matches the generated JSON Schema and survives a round trip byte for byte.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::{Path, PathBuf};

use journeymap::io::{from_json_str, load, schema_json, to_json_string};
use journeymap::model::sample_map;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_maps() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no example maps");
    v
}

/// Compares a checked-in file with what the code produces; `UPDATE_EXAMPLES=1` rewrites it.
fn check_file(path: &Path, expected: &str) {
    if std::env::var_os("UPDATE_EXAMPLES").is_some() {
        std::fs::write(path, expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap();
    assert!(
        actual == expected,
        "{} is out of date: run UPDATE_EXAMPLES=1 cargo test --test it examples::",
        path.display()
    );
}

#[test]
fn sample_file_is_the_reference_journey() {
    check_file(
        &root().join("examples/surprise-bill.journeymap.json"),
        &to_json_string(&sample_map()),
    );
    let (doc, _) = load(&root().join("examples/surprise-bill.journeymap.json")).unwrap();
    assert_eq!(doc.stages.len(), 7);
    assert_eq!(doc.personas[0].name, "Dana");
    assert!(doc.cards.iter().filter(|c| c.moment_of_truth).count() >= 2);
}

#[test]
fn schema_file_is_up_to_date() {
    check_file(&root().join("docs/journeymap.schema.json"), &schema_json());
}

#[test]
fn every_example_matches_the_schema_and_round_trips() {
    let (schemas, schema) = compiled_schema();
    for path in example_maps() {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        if let Err(e) = schemas.validate(&value, schema) {
            panic!("{}: {e:#}", path.display());
        }
        let doc = from_json_str(&text, &path.display().to_string()).unwrap();
        assert_eq!(
            to_json_string(&doc),
            text,
            "{} does not round-trip byte for byte",
            path.display()
        );
    }
}

#[test]
fn schema_rejects_a_broken_map() {
    let (schemas, schema) = compiled_schema();
    let mut value = serde_json::to_value(
        serde_json::json!({"format": "journeymap", "version": 1, "map": sample_map()}),
    )
    .unwrap();
    assert!(schemas.validate(&value, schema).is_ok());
    value["map"]["stages"][0]["width"] = serde_json::json!("wide");
    assert!(schemas.validate(&value, schema).is_err());
}

/// The published schema, compiled by an independent validator (boon: drafts 4 to 2020-12).
fn compiled_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("journeymap.schema.json", schema)
        .unwrap();
    let index = compiler
        .compile("journeymap.schema.json", &mut schemas)
        .unwrap();
    (schemas, index)
}

/// The version-1 example files (kept as they were in `tests/fixtures/v1/`) open, and every
/// stage, lane, card, point and persona survives the upgrade; saving writes version 2.
#[test]
fn version_1_files_are_upgraded_with_everything_in_them() {
    for name in [
        "surprise-bill.journeymap.json",
        "missed-parcel.journeymap.json",
    ] {
        let path = root().join("tests/fixtures/v1").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let old: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(old["version"], 1);
        let (doc, _) = load(&path).unwrap();
        let m = &old["map"];
        assert_eq!(doc.title, m["title"].as_str().unwrap());
        let ids = |v: &serde_json::Value| -> Vec<u64> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_u64().unwrap())
                .collect()
        };
        assert_eq!(
            doc.stages.iter().map(|s| s.id.0).collect::<Vec<_>>(),
            ids(&m["stages"])
        );
        assert_eq!(
            doc.lanes.iter().map(|l| l.id.0).collect::<Vec<_>>(),
            ids(&m["lanes"])
        );
        assert_eq!(
            doc.personas.iter().map(|p| p.id.0).collect::<Vec<_>>(),
            ids(&m["personas"])
        );
        assert_eq!(
            doc.personas[0].name,
            m["personas"][0]["name"].as_str().unwrap()
        );
        same_cards(&doc, m);
        // The one curve is now the first persona's perceived curve, point for point.
        assert_eq!(doc.emotion.curves.len(), 1);
        let curve = &doc.emotion.curves[0];
        assert_eq!(curve.kind, journeymap::model::CurveKind::Perceived);
        assert_eq!(curve.persona, Some(doc.personas[0].id));
        let old_points = m["emotion"]["points"].as_array().unwrap();
        assert_eq!(curve.points.len(), old_points.len());
        for (p, old) in curve.points.iter().zip(old_points) {
            assert_eq!(p.id.0, old["id"].as_u64().unwrap());
            assert!((f64::from(p.value) - old["value"].as_f64().unwrap()).abs() < 1e-6);
        }
        saves_as_version_3(&doc, name);
    }
}

/// Every card of the old file is in the map with its text, owner and mark, and the cards of
/// each cell stand in the order the old file had them (order is keys from version 3 on).
fn same_cards(doc: &journeymap::model::Document, m: &serde_json::Value) {
    let old_cards = m["cards"].as_array().unwrap();
    assert_eq!(doc.cards.len(), old_cards.len());
    let mut cells: std::collections::BTreeMap<(u64, u64), Vec<u64>> =
        std::collections::BTreeMap::new();
    for old in old_cards {
        let id = old["id"].as_u64().unwrap();
        let c = doc.card(journeymap::model::CardId(id)).unwrap();
        assert_eq!(c.text, old["text"].as_str().unwrap());
        assert_eq!(c.owner, old["owner"].as_str().unwrap_or(""));
        assert_eq!(
            c.moment_of_truth,
            old["moment_of_truth"].as_bool().unwrap_or(false)
        );
        assert_eq!(
            (c.stage.0, c.lane.0),
            (
                old["stage"].as_u64().unwrap(),
                old["lane"].as_u64().unwrap()
            )
        );
        cells.entry((c.stage.0, c.lane.0)).or_default().push(id);
    }
    for ((s, l), ids) in cells {
        let now: Vec<u64> = doc
            .cell_cards(journeymap::model::StageId(s), journeymap::model::LaneId(l))
            .map(|c| c.id.0)
            .collect();
        assert_eq!(now, ids, "the order of cell {s} × {l}");
    }
}

/// Saved, the map is version 3 with keys and without `next_id`, and reads back identical.
fn saves_as_version_3(doc: &journeymap::model::Document, name: &str) {
    let saved = to_json_string(doc);
    assert!(saved.contains("\"version\": 3"), "saved as version 3");
    assert!(!saved.contains("next_id"));
    assert!(saved.contains("\"pos\": "));
    assert_eq!(&from_json_str(&saved, name).unwrap(), doc);
}

/// The version-2 files (the examples as they were, kept in `tests/fixtures/v2/`) open with
/// every stage and lane in order, every card in its cell in order, every curve, point, link
/// and persona, and save as version 3.
#[test]
fn version_2_files_are_upgraded_with_everything_in_them() {
    let dir = root().join("tests/fixtures/v2");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let old: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(old["version"], 2);
        let (doc, _) = load(&path).unwrap();
        let m = &old["map"];
        let ids = |v: &serde_json::Value| -> Vec<u64> {
            v.as_array().map_or(Vec::new(), |a| {
                a.iter().map(|x| x["id"].as_u64().unwrap()).collect()
            })
        };
        assert_eq!(
            doc.stages.iter().map(|s| s.id.0).collect::<Vec<_>>(),
            ids(&m["stages"]),
            "{name}"
        );
        assert_eq!(
            doc.lanes.iter().map(|l| l.id.0).collect::<Vec<_>>(),
            ids(&m["lanes"]),
            "{name}"
        );
        assert_eq!(
            doc.personas.iter().map(|p| p.id.0).collect::<Vec<_>>(),
            ids(&m["personas"]),
            "{name}"
        );
        assert_eq!(
            doc.links.iter().map(|l| l.id.0).collect::<Vec<_>>(),
            ids(&m["links"]),
            "{name}"
        );
        assert_eq!(
            doc.emotion
                .curves
                .iter()
                .map(|c| c.id.0)
                .collect::<Vec<_>>(),
            ids(&m["emotion"]["curves"]),
            "{name}"
        );
        for (c, old) in doc
            .emotion
            .curves
            .iter()
            .zip(m["emotion"]["curves"].as_array().unwrap())
        {
            assert_eq!(
                c.points.iter().map(|p| p.id.0).collect::<Vec<_>>(),
                ids(&old["points"]),
                "{name}"
            );
        }
        same_cards(&doc, m);
        saves_as_version_3(&doc, &name);
        n += 1;
    }
    assert!(n >= 5, "the v2 fixtures are there");
}
