//! The command line, end to end: `info`, `schema`, and errors (exit 1, one line, no panic).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/surprise-bill.journeymap.json"
);

#[test]
fn info_prints_counts() {
    let out = common::bin().args(["info", SAMPLE]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Sorting out a surprise on my bill\n7 stages, 7 lanes (0 hidden), "),
        "{text}"
    );
    // Counts of one are singular.
    assert!(text.contains(", 1 persona\n"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("2 curves, 7 links, 2 moments of truth, 6 owners, 3 metrics"),
        "{text}"
    );
}

#[test]
fn info_json_is_one_object() {
    let out = common::bin()
        .args(["info", SAMPLE, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = journeymap::io::load(std::path::Path::new(SAMPLE))
        .unwrap()
        .0;
    assert_eq!(v["title"], doc.title.as_str());
    assert_eq!(v["stages"], doc.stages.len());
    assert_eq!(v["lanes"], doc.lanes.len());
    assert_eq!(v["cards"], doc.cards.len());
    assert_eq!(v["emotion_points"], doc.emotion.points().count());
    assert_eq!(v["personas"], doc.personas.len());
    // The depth of the journey, counted from the file by hand.
    let owners: std::collections::BTreeSet<&str> = doc
        .cards
        .iter()
        .map(|c| c.owner.trim())
        .filter(|o| !o.is_empty())
        .collect();
    let metrics: std::collections::BTreeSet<&str> = doc
        .cards
        .iter()
        .flat_map(|c| c.metrics.iter().map(|m| m.name.as_str()))
        .collect();
    assert_eq!(v["curves"], doc.emotion.curves.len());
    assert_eq!(v["links"], doc.links.len());
    assert_eq!(
        v["moments_of_truth"],
        doc.cards.iter().filter(|c| c.moment_of_truth).count()
    );
    assert_eq!(v["owners"], owners.len());
    assert_eq!(v["metrics"], metrics.len());
    assert_eq!(
        (
            v["curves"].as_u64(),
            v["links"].as_u64(),
            v["owners"].as_u64()
        ),
        (Some(2), Some(7), Some(6))
    );
}

#[test]
fn bad_files_exit_1_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("missing.json", None, "cannot read"),
        (
            "broken.json",
            Some("{\n  \"format\": \"journeymap\",\n  \"version\": 1,\n  \"map\": {\n"),
            ":4:11:", // the end of the line where the object was left open
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
        let out = common::bin().arg("info").arg(&path).output().unwrap();
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
    let out = common::bin().arg("schema").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["properties"]["map"].is_object());
}

/// Runs `journeymap export ARGS…` and returns (exit code, stdout, stderr).
fn export(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = common::bin().arg("export").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn export_writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    for (name, magic, extra) in [
        ("map.png", &b"\x89PNG\r\n"[..], vec!["--scale", "0.5"]),
        ("map.svg", &b"<?xml"[..], vec!["--theme", "dark"]),
        ("map.pdf", &b"%PDF-"[..], vec!["--page", "a3"]),
        ("wide.png", &b"\x89PNG\r\n"[..], vec!["--width", "800"]),
    ] {
        let out = dir.path().join(name);
        let mut args = vec![os(SAMPLE), out.as_os_str()];
        args.extend(extra.iter().map(|s| os(s)));
        let (code, stdout, stderr) = export(&args);
        assert_eq!(code, Some(0), "{name}: {stderr}");
        assert!(stdout.starts_with(&out.display().to_string()), "{stdout}");
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{name}");
        if name == "wide.png" {
            assert_eq!(crate::common::rgb::png_size(&bytes).0, 800);
            // 800 px is too narrow for 12-unit text: the user is told.
            assert!(stderr.contains("warning"), "{stderr}");
        }
    }
    // Only the four outputs: no temporary files.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
}

#[test]
fn export_errors_exit_1_with_one_line_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("keep.png");
    std::fs::write(&existing, b"old picture").unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"format\": \"journeymap\",\n").unwrap();
    let p = |n: &str| dir.path().join(n);
    let cases: Vec<(Vec<std::ffi::OsString>, &str, Option<std::path::PathBuf>)> = vec![
        (
            vec![SAMPLE.into(), p("map.gif").into()],
            "unknown export format",
            Some(p("map.gif")),
        ),
        (
            vec![p("missing.json").into(), p("a.png").into()],
            "cannot read",
            Some(p("a.png")),
        ),
        (
            vec![broken.clone().into(), p("b.png").into()],
            "broken.json:2:26:",
            Some(p("b.png")),
        ),
        (
            vec![SAMPLE.into(), p("no-such-folder/c.svg").into()],
            "no-such-folder",
            Some(p("no-such-folder/c.svg")),
        ),
        (
            vec![
                SAMPLE.into(),
                existing.clone().into(),
                "--scale".into(),
                "60".into(),
            ],
            "SVG or PDF",
            None,
        ),
        (
            vec![SAMPLE.into(), p("d.png").into(), "--scale=0".into()],
            "scale",
            Some(p("d.png")),
        ),
    ];
    for (args, needle, absent) in cases {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsString::as_os_str).collect();
        let (code, _, stderr) = export(&args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        if let Some(a) = absent {
            assert!(!a.exists(), "{}", a.display());
        }
    }
    // The existing file was not touched by the refused export, and nothing else was left.
    assert_eq!(std::fs::read(&existing).unwrap(), b"old picture");
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["broken.json", "keep.png"]);
}

#[test]
fn export_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    std::fs::write(&out, "old").unwrap();
    let (code, _, stderr) = export(&[os(SAMPLE), out.as_os_str()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("<svg"));
}

#[test]
fn export_scale_and_width_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.png");
    let (code, _, stderr) = export(&[
        os(SAMPLE),
        out.as_os_str(),
        os("--scale"),
        os("2"),
        os("--width"),
        os("100"),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn export_footer_names_the_file_and_the_source_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let status = common::bin()
        .args(["export", SAMPLE])
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains(">surprise-bill.journeymap.json  ·  2026-11-24</text>"),
        "footer missing"
    );
}

#[test]
fn export_text_size_rewraps_and_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["export", SAMPLE, out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = common::bin().args(&args).output().unwrap();
        (o, out)
    };
    let (o, plain) = run("plain.svg", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (o, big) = run("big.svg", &["--text-size", "150"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let size_of = |p: &std::path::Path| {
        let svg = std::fs::read_to_string(p).unwrap();
        let xml = roxmltree::Document::parse(&svg).unwrap();
        let root = xml.root_element();
        let h: f32 = root.attribute("height").unwrap().parse().unwrap();
        let sizes: Vec<f32> = xml
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text() == Some("Social media ad"))
            .filter_map(|n| n.attribute("font-size").and_then(|s| s.parse().ok()))
            .collect();
        (h, sizes)
    };
    let (h1, s1) = size_of(&plain);
    let (h2, s2) = size_of(&big);
    assert!(h2 > h1 * 1.1, "{h1} → {h2}");
    assert_eq!(s1, vec![15.0]);
    assert_eq!(s2, vec![22.5]);
    // Outside 100–200 % is a usage error, and nothing is written.
    let (o, none) = run("none.svg", &["--text-size", "250"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!none.exists());
}

/// `--view executive` and `--colour-by` reach the export: the executive SVG leaves out the
/// actions lane and minor pain points; owner colours name the owners in the legend; a bad
/// colouring is a usage error (exit 2) naming what is accepted.
#[test]
fn export_view_and_colouring() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.svg");
    let exec = dir.path().join("exec.svg");
    let (code, _, err) = export(&[os(SAMPLE), full.as_os_str()]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = export(&[
        os(SAMPLE),
        exec.as_os_str(),
        os("--view"),
        os("executive"),
        os("--colour-by"),
        os("owner"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let full = std::fs::read_to_string(&full).unwrap();
    let exec = std::fs::read_to_string(&exec).unwrap();
    for text in [
        "Compares plans on the",
        ">Actions<",
        "A clause on early fees",
    ] {
        assert!(full.contains(text), "{text} is in the whole map");
        assert!(!exec.contains(text), "{text} is not in the executive view");
    }
    for text in [
        "Bill differs from the",
        "Worst moments",
        ">Owners<",
        ">Marketing<",
    ] {
        assert!(exec.contains(text), "{text} in the executive view");
    }
    let metric = dir.path().join("csat.png");
    let (code, _, err) = export(&[
        os(SAMPLE),
        metric.as_os_str(),
        os("--colour-by"),
        os("metric:CSAT"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = export(&[
        os(SAMPLE),
        dir.path().join("x.png").as_os_str(),
        os("--colour-by"),
        os("department"),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("metric:NAME"), "{err}");
}

/// Hardening of the command line: an export onto its own input, a pipe instead of a map, a
/// title that would drive the terminal, sizes that make no image, a long legal file name.
#[test]
fn hostile_paths_titles_and_sizes_are_refused_or_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A map saved under an image's name, exported onto itself: refused, the map intact.
    let map_svg = dir.path().join("m.svg");
    std::fs::copy(SAMPLE, &map_svg).unwrap();
    let before = std::fs::read(&map_svg).unwrap();
    let (code, _, err) = export(&[map_svg.as_os_str(), map_svg.as_os_str()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("the map being exported"), "{err}");
    assert_eq!(std::fs::read(&map_svg).unwrap(), before);
    // A pipe is refused at once instead of waiting for a writer forever.
    let fifo = dir.path().join("pipe.json");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let mut child = common::bin()
            .args(["info"])
            .arg(&fifo)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(start.elapsed().as_secs() < 10, "info hangs on a pipe");
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(1));
    }
    // A title with an escape sequence and a bidirectional override is shown escaped.
    let mut doc = journeymap::io::load(std::path::Path::new(SAMPLE))
        .unwrap()
        .0;
    doc.title = "\u{1b}[31mRED\u{202e}txt.exe".into();
    let hostile = dir.path().join("hostile.json");
    journeymap::io::save_atomic(&hostile, &doc).unwrap();
    let out = common::bin().arg("info").arg(&hostile).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}[31mRED\\u{202e}txt.exe"), "{text}");
    let out = common::bin()
        .args(["info", "--json"])
        .arg(&hostile)
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(
        !json.contains('\u{1b}') && !json.contains('\u{202e}'),
        "{json:?}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["title"],
        doc.title.as_str(),
        "the JSON still says the title"
    );
    // Sizes that make no image are refused for every format, with nothing written.
    for (ext, args) in [
        ("svg", ["--scale", "NaN"]),
        ("svg", ["--scale", "0"]),
        ("svg", ["--scale", "3e38"]),
        ("svg", ["--scale", "1e-30"]),
        ("pdf", ["--scale", "NaN"]),
        ("svg", ["--width", "0"]),
        ("pdf", ["--width", "0"]),
    ] {
        let out = dir.path().join(format!("bad.{ext}"));
        let (code, _, err) = export(&[os(SAMPLE), out.as_os_str(), os(args[0]), os(args[1])]);
        assert_eq!(code, Some(1), "{ext} {args:?}: {err}");
        assert!(!out.exists());
    }
    // A legal 244-character name works (the temporary file's name is short).
    let long = dir.path().join(format!("{}.svg", "n".repeat(240)));
    let (code, _, err) = export(&[os(SAMPLE), long.as_os_str()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(long.exists());
}

/// Ctrl+C, SIGTERM and SIGHUP in the middle of an export leave no temporary file; after a
/// SIGKILL the next export next to it sweeps the stale one away.
#[cfg(target_os = "linux")]
#[test]
fn interrupted_exports_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("big.json");
    journeymap::io::save_atomic(&map, &journeymap::model::synthetic_map(50, 4_000, 1)).unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("big.png");
    let files = || std::fs::read_dir(&out_dir).unwrap().count();
    for signal in ["INT", "TERM", "HUP", "KILL"] {
        let mut child = common::bin()
            .arg("export")
            .arg(&map)
            .arg(&out)
            .args(["--scale", "2"])
            .spawn()
            .unwrap();
        // Until the temporary file is there.
        let start = std::time::Instant::now();
        while files() == 0 && start.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(files(), 1, "{signal}: the export is writing");
        std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "{signal}");
        if signal == "KILL" {
            // Nothing could clean up: one stale temporary, no image.
            assert_eq!(files(), 1);
            assert!(!out.exists());
        } else {
            assert_eq!(files(), 0, "{signal} left a temporary file");
        }
    }
    // The next export to that file sweeps the stale temporary away.
    let (code, _, err) = export(&[os(SAMPLE), out.as_os_str(), os("--scale"), os("0.5")]);
    assert_eq!(code, Some(0), "{err}");
    let names: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("big.png")]);
}

/// A map that parses but does not hold together is opened repaired, and `info` says on
/// standard error what was repaired (file, what); the counts are those of the repaired map.
#[test]
fn a_damaged_map_is_repaired_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let cards = v["map"]["cards"].as_array().unwrap().len();
    // A link to a card that is not there, a card in a stage that is not there, and the
    // first stage's key made invalid.
    v["map"]["links"][0]["to"] = serde_json::json!(99_999);
    v["map"]["cards"][0]["stage"] = serde_json::json!(88_888);
    v["map"]["stages"][0]["pos"] = serde_json::json!("not a key");
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    let out = common::bin()
        .args(["info", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("{}: repaired: ", path.display())),
        "{err}"
    );
    assert!(err.contains("1 link(s)"), "{err}");
    assert!(err.contains("1 card(s)"), "{err}");
    assert!(err.contains("stages"), "{err}");
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["cards"], cards - 1);
}

#[test]
fn a_huge_scale_and_an_unknown_format_get_a_sentence_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.png");
    let (code, _, err) = export(&[os("--scale"), os("1e7"), os(SAMPLE), out.as_os_str()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("over the limit"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists());
    let odd = dir.path().join("x.docx");
    let (code, _, err) = export(&[os(SAMPLE), odd.as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(err.contains(".mmd or .csv"), "{err}");
}

#[test]
fn diff_says_what_changed_with_diff_s_exit_codes_and_works_for_git() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.journeymap.json");
    let b = dir.path().join("b.journeymap.json");
    let doc = journeymap::io::load(std::path::Path::new(SAMPLE))
        .unwrap()
        .0;
    journeymap::io::save_atomic(&a, &doc).unwrap();
    let mut newer = doc.clone();
    newer.card_at_mut(0).owner = "Growth".into();
    journeymap::io::save_atomic(&b, &newer).unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        let out = common::bin().arg("diff").args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, text, _) = run(&[a.as_os_str(), a.as_os_str()]);
    assert_eq!((code, text.trim()), (Some(0), "No differences"));
    let (code, text, _) = run(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("~ card changed"), "{text}");
    assert!(text.contains("owner: (none) \u{2192} Growth"), "{text}");
    let (code, json, _) = run(&[a.as_os_str(), b.as_os_str(), os("--format"), os("json")]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["changes"][0]["kind"], "card");
    assert_eq!(v["changes"][0]["fields"][0][2], "Growth");
    let (code, _, err) = run(&[a.as_os_str(), dir.path().join("none.json").as_os_str()]);
    assert_eq!(code, Some(2), "{err}");

    // A real git, with the driver the README shows.
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("this test needs git (apt-get install -y git)");
    }
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    std::fs::write(
        repo.join(".gitattributes"),
        "*.journeymap.json diff=journeymap\n",
    )
    .unwrap();
    let map = repo.join("bill.journeymap.json");
    journeymap::io::save_atomic(&map, &doc).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "v1"]);
    journeymap::io::save_atomic(&map, &newer).unwrap();
    let driver = format!("{} diff", env!("CARGO_BIN_EXE_journeymap"));
    let shown = git(&["-c", &format!("diff.journeymap.command={driver}"), "diff"]);
    assert!(
        shown.contains("journeymap diff bill.journeymap.json"),
        "{shown}"
    );
    assert!(shown.contains("owner: (none) \u{2192} Growth"), "{shown}");
}

/// A map saved in the executive view, coloured by owner, exports so from the command line
/// unless told otherwise, as the editor opens it.
#[test]
fn export_takes_the_view_the_map_was_saved_in() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string("examples/surprise-bill.journeymap.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&src).unwrap();
    v["map"]["view"] = serde_json::json!({"executive": true, "colour_by": "owner"});
    let map = dir.path().join("exec.journeymap.json");
    std::fs::write(&map, serde_json::to_string(&v).unwrap()).unwrap();
    let svg_of = |extra: &[&str]| {
        let out = dir.path().join("out.svg");
        let mut args = vec![map.as_os_str(), out.as_os_str()];
        args.extend(extra.iter().map(|a| os(a)));
        let (code, _, err) = export(&args);
        assert_eq!(code, Some(0), "{err}");
        std::fs::read_to_string(&out).unwrap()
    };
    // An action card is only in the whole map; "Owners" heads the legend when coloured by owner.
    let saved = svg_of(&[]);
    assert!(
        !saved.contains("Sees an ad for a broadband"),
        "the executive view"
    );
    assert!(saved.contains(">Owners<"), "coloured by owner");
    let full = svg_of(&["--view", "full", "--colour-by", "lane"]);
    assert!(full.contains("Sees an ad for a broadband"));
    assert!(!full.contains(">Owners<"));
}
