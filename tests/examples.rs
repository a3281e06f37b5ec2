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
        "{} is out of date: run UPDATE_EXAMPLES=1 cargo test --test examples",
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
    let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for path in example_maps() {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
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
    let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut value = serde_json::to_value(
        serde_json::json!({"format": "journeymap", "version": 1, "map": sample_map()}),
    )
    .unwrap();
    value["map"]["stages"][0]["width"] = serde_json::json!("wide");
    assert!(!validator.is_valid(&value));
}
