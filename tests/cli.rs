//! The command line, end to end: `info`, `schema`, and errors (exit 1, one line, no panic).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
}

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/surprise-bill.journeymap.json"
);

#[test]
fn info_prints_counts() {
    let out = bin().args(["info", SAMPLE]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Sorting out a surprise on my bill\n7 stages, 7 lanes (0 hidden), "),
        "{text}"
    );
}

#[test]
fn info_json_is_one_object() {
    let out = bin().args(["info", SAMPLE, "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = journeymap::io::load(std::path::Path::new(SAMPLE))
        .unwrap()
        .0;
    assert_eq!(v["title"], doc.title.as_str());
    assert_eq!(v["stages"], doc.stages.len());
    assert_eq!(v["lanes"], doc.lanes.len());
    assert_eq!(v["cards"], doc.cards.len());
    assert_eq!(v["emotion_points"], doc.emotion.points.len());
    assert_eq!(v["personas"], doc.personas.len());
}

#[test]
fn bad_files_exit_1_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("missing.json", None, "cannot read"),
        (
            "broken.json",
            Some("{\n  \"format\": \"journeymap\",\n  \"version\": 1,\n  \"map\": {\n"),
            ":5:",
        ),
        (
            "newer.json",
            Some("{\"format\": \"journeymap\", \"version\": 3, \"map\": {}}"),
            "newer",
        ),
        ("other.json", Some("[1, 2, 3]"), ":1:"),
    ];
    for (name, content, needle) in cases {
        let path = dir.path().join(name);
        if let Some(c) = content {
            std::fs::write(&path, c).unwrap();
        }
        let out = bin().arg("info").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains(&path.display().to_string()) && err.contains(needle),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn schema_prints_the_schema() {
    let out = bin().arg("schema").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["properties"]["map"].is_object());
}
