//! Living maps end to end: the three-way merge command (exit codes, files, bad input, old
//! formats), a real `git merge` with the merge driver the README shows, the editor settling
//! what a merge marked, and versions saved, compared and restored — with real clicks.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::model::{CardId, Document};

use crate::common;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/surprise-bill.journeymap.json"
);

fn sample() -> Document {
    journeymap::io::load(Path::new(SAMPLE)).unwrap().0
}

fn save(path: &Path, d: &Document) {
    journeymap::io::save_atomic(path, d).unwrap();
}

fn merge(args: &[&Path]) -> (Option<i32>, String, String) {
    let out = common::bin().arg("merge").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Base, ours (an owner and a note on card 0) and theirs (card 0's text, card 3's text).
fn versions(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let b = sample();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.card_at_mut(0).owner = "Growth".into();
    o.card_at_mut(0).note = "seen in the March interviews".into();
    t.card_at_mut(0).text = "Sees a bundle ad on the bus".into();
    t.card_at_mut(3).text = "Plan comparison page (new)".into();
    let paths = (
        dir.join("base.journeymap.json"),
        dir.join("ours.journeymap.json"),
        dir.join("theirs.journeymap.json"),
    );
    save(&paths.0, &b);
    save(&paths.1, &o);
    save(&paths.2, &t);
    paths
}

#[test]
fn merge_exits_0_when_clean_1_with_conflicts_2_on_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let (b, o, t) = versions(dir.path());
    let out = dir.path().join("out.journeymap.json");

    let (code, text, err) = merge(&[&b, &o, &t, Path::new("-o"), &out]);
    assert_eq!(code, Some(0), "{text}{err}");
    assert!(text.contains("no conflicts"), "{text}");
    let m = journeymap::io::load(&out).unwrap().0;
    let c = &m.cards[0];
    assert_eq!(
        (c.owner.as_str(), c.note.as_str(), c.text.as_str()),
        (
            "Growth",
            "seen in the March interviews",
            "Sees a bundle ad on the bus"
        )
    );
    assert_eq!(m.cards[3].text, "Plan comparison page (new)");
    assert!(m.conflicts.is_empty());

    // Card 0's text changed on both sides, two ways: marked, exit 1, ours in place.
    let mut o2 = journeymap::io::load(&o).unwrap().0;
    o2.card_at_mut(0).text = "Sees a bundle ad in the paper".into();
    save(&o, &o2);
    let (code, text, _) = merge(&[&b, &o, &t, Path::new("-o"), &out]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("1 conflict(s) marked"), "{text}");
    assert!(
        text.contains("text: ours \u{201c}Sees a bundle ad in the paper\u{201d}, theirs \u{201c}Sees a bundle ad on the bus\u{201d}"),
        "{text}"
    );
    let m = journeymap::io::load(&out).unwrap().0;
    assert_eq!(m.cards[0].text, "Sees a bundle ad in the paper");
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].theirs, "Sees a bundle ad on the bus");
    // The other fields still merged.
    assert_eq!(m.cards[0].owner, "Growth");

    // Without -o the map goes to standard output, the summary to standard error.
    let (code, json, err) = merge(&[&b, &o, &t]);
    assert_eq!(code, Some(1));
    assert!(err.contains("1 conflict(s)"), "{err}");
    let printed = journeymap::io::from_json_str(&json, "stdout").unwrap();
    assert_eq!(printed.conflicts, m.conflicts);

    // A file that is not a map: exit 2, one line naming it, the output left as it was.
    let before = std::fs::read(&out).unwrap();
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{ not a map").unwrap();
    let (code, _, err) = merge(&[&b, &o, &junk, Path::new("-o"), &out]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("junk.json"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let (code, _, err) = merge(&[&b, &o, &dir.path().join("missing.json")]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn maps_of_an_older_format_are_migrated_before_merging() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v1/surprise-bill.journeymap.json");
    let migrated = journeymap::io::load(&v1).unwrap().0;
    let mut t = migrated.clone();
    t.title = "Surprise bill, after the fix".into();
    let theirs = dir.path().join("theirs.journeymap.json");
    save(&theirs, &t);
    let out = dir.path().join("out.journeymap.json");
    // Base and ours in format 1, theirs in the current one.
    let (code, text, err) = merge(&[&v1, &v1, &theirs, Path::new("-o"), &out]);
    assert_eq!(code, Some(0), "{text}{err}");
    let m = journeymap::io::load(&out).unwrap().0;
    assert_eq!(m.title, "Surprise bill, after the fix");
    assert_eq!(m.cards.len(), migrated.cards.len());
}

fn git(repo: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(repo)
        .output()
        .expect("this test needs git (apt-get install -y git)")
}

fn git_ok(repo: &Path, args: &[&str]) {
    let out = git(repo, args);
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Two branches of one map merged by a real `git merge` through the driver, set up as the
/// README shows.
#[test]
fn git_merge_uses_the_driver_clean_and_with_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git_ok(repo, &["init", "-q", "-b", "main"]);
    std::fs::write(
        repo.join(".gitattributes"),
        "*.journeymap.json merge=journeymap\n",
    )
    .unwrap();
    let driver = format!("{} merge %O %A %B -o %A", env!("CARGO_BIN_EXE_journeymap"));
    git_ok(
        repo,
        &["config", "merge.journeymap.name", "Journeymap map merge"],
    );
    git_ok(repo, &["config", "merge.journeymap.driver", &driver]);
    let map = repo.join("bill.journeymap.json");
    let b = sample();
    save(&map, &b);
    git_ok(repo, &["add", "."]);
    git_ok(repo, &["commit", "-q", "-m", "base"]);

    // A branch changes one card's owner; main changes its text and another card.
    git_ok(repo, &["checkout", "-q", "-b", "owners"]);
    let mut d = b.clone();
    d.card_at_mut(0).owner = "Growth".into();
    save(&map, &d);
    git_ok(repo, &["commit", "-q", "-am", "owners"]);
    git_ok(repo, &["checkout", "-q", "main"]);
    let mut d = b.clone();
    d.card_at_mut(0).text = "Sees a bundle ad on the bus".into();
    d.card_at_mut(5).severity = Some(3);
    save(&map, &d);
    git_ok(repo, &["commit", "-q", "-am", "texts"]);
    // Line by line these two edits touch neighbouring lines; by fields they do not meet.
    git_ok(repo, &["merge", "-q", "--no-edit", "owners"]);
    let m = journeymap::io::load(&map).unwrap().0;
    assert_eq!(m.cards[0].owner, "Growth");
    assert_eq!(m.cards[0].text, "Sees a bundle ad on the bus");
    assert_eq!(m.cards[5].severity, Some(3));
    assert!(m.conflicts.is_empty());

    // Both change one card's text: git stops, the file is a map with the conflict marked.
    let id: CardId = m.cards[1].id;
    git_ok(repo, &["checkout", "-q", "-b", "wording"]);
    let mut d = m.clone();
    d.card_at_mut(1).text = "Compares three plans".into();
    save(&map, &d);
    git_ok(repo, &["commit", "-q", "-am", "wording"]);
    git_ok(repo, &["checkout", "-q", "main"]);
    let mut d = m.clone();
    d.card_at_mut(1).text = "Compares plans with a friend".into();
    save(&map, &d);
    git_ok(repo, &["commit", "-q", "-am", "other wording"]);
    let out = git(repo, &["merge", "--no-edit", "wording"]);
    assert!(!out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("CONFLICT"), "{said}");
    let m = journeymap::io::load(&map).unwrap().0;
    assert_eq!(m.card(id).unwrap().text, "Compares plans with a friend");
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].theirs, "Compares three plans");
}

/// A merged map opens with its conflicts listed; one click on "Use theirs" settles one, one
/// on "Remove it" another, and each is one step to undo.
#[test]
fn the_editor_lists_conflicts_and_settles_each_in_one_click() {
    let dir = tempfile::tempdir().unwrap();
    let b = sample();
    let (mut o, mut t) = (b.clone(), b.clone());
    let (edited, removed) = (b.cards[0].id, b.cards[2].id);
    o.card_at_mut(0).text = "ours".into();
    t.card_at_mut(0).text = "theirs".into();
    o.card_at_mut(2).note = "kept by us".into();
    t.cards.retain(|c| c.id != removed);
    t.links.retain(|l| l.from != removed && l.to != removed);
    t.card_index.invalidate();
    let m = journeymap::compare::merge(&b, &o, &t).doc;
    assert_eq!(m.conflicts.len(), 2);
    let path = dir.path().join("merged.journeymap.json");
    save(&path, &m);

    let mut h = common::harness(Some(path));
    h.run_steps(2);
    h.get_by_label_contains("Merge conflicts (2)");
    h.get_by_label("Use theirs").click();
    h.run_steps(2);
    let doc = h.state().doc();
    assert_eq!(doc.card(edited).unwrap().text, "theirs");
    assert_eq!(doc.conflicts.len(), 1);
    h.get_by_label("Remove it").click();
    h.run_steps(2);
    assert!(h.state().doc().card(removed).is_none());
    assert!(h.state().doc().conflicts.is_empty());
    // The window goes with the last conflict.
    assert!(h.query_by_label_contains("Merge conflicts").is_none());

    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.state().doc().card(removed).is_some());
    assert_eq!(h.state().doc().conflicts.len(), 1);
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().doc().card(edited).unwrap().text, "ours");
    assert_eq!(h.state().doc().conflicts.len(), 2);
}

/// File → Save version…, a card deleted, Compare lists it, Restore brings it back as one
/// undo step; the version is a map file beside the map.
#[test]
fn versions_are_saved_compared_and_restored_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bill.journeymap.json");
    save(&path, &sample());
    let mut h = common::harness(Some(path.clone()));
    common::open_menu(&mut h, "File");
    let r = h.get_by_label_contains("Save version").rect();
    common::click(&mut h, r.center());
    h.run_steps(2);
    common::type_text(&mut h, "Before the workshop");
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    let (list, _) = journeymap::io::versions::list(&path).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Before the workshop");
    assert_eq!(
        journeymap::io::versions::load(&list[0])
            .unwrap()
            .cards
            .len(),
        sample().cards.len()
    );

    // A card goes; Compare says so (and follows later edits).
    let gone = h.state().doc().cards[0].clone();
    let at = common::card_center(&h, gone.id);
    common::click(&mut h, at);
    common::key(&mut h, Modifiers::NONE, Key::Delete);
    assert!(h.state().doc().card(gone.id).is_none());
    h.get_by_label("Compare").click();
    h.run_steps(2);
    h.get_by_label_contains("Since then: 0 added, 1 removed");
    h.get_by_label_contains(&format!(
        "card removed: Discover \u{b7} Actions: {}",
        gone.text
    ));

    h.get_by_label("Restore").click();
    h.run_steps(2);
    assert_eq!(h.state().doc().card(gone.id).unwrap().text, gone.text);
    assert_eq!(h.state().doc().cards.len(), sample().cards.len());
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.state().doc().card(gone.id).is_none(), "one undo step");
}

/// Two versions of the sample: a pain point resolved, one added, a touchpoint's CSAT up.
fn before_and_after(dir: &Path) -> (PathBuf, PathBuf, CardId, CardId) {
    let before = sample();
    let mut after = before.clone();
    let pain = |d: &Document| {
        d.cards
            .iter()
            .position(|c| d.lane(c.lane).unwrap().kind == journeymap::model::LaneKind::PainPoints)
            .unwrap()
    };
    let resolved = after.cards[pain(&after)].id;
    after.cards.retain(|c| c.id != resolved);
    after
        .links
        .retain(|l| l.from != resolved && l.to != resolved);
    let mut added = (*after.cards[pain(&after)]).clone();
    added.id = CardId(9_000_001);
    added.text = "Refund shows only on the second bill".into();
    after.cards.push(std::sync::Arc::new(added));
    let i = after
        .cards
        .iter()
        .position(|c| c.metric("CSAT").is_some())
        .unwrap();
    after.card_at_mut(i).metrics[0].value = 4.9;
    after.normalize();
    let (b, a) = (
        dir.join("before.journeymap.json"),
        dir.join("after.journeymap.json"),
    );
    save(&b, &before);
    save(&a, &after);
    (b, a, resolved, CardId(9_000_001))
}

/// `journeymap export --compare`: the ghost of the resolved pain point, the new one, the
/// legend and the summary, in an SVG read back.
#[test]
fn export_compare_draws_changes_with_a_legend_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (b, a, resolved, _) = before_and_after(dir.path());
    // Its first words (a card's text wraps onto lines of its own).
    let resolved_text = sample().card(resolved).unwrap().text.clone();
    let resolved_text: String = resolved_text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let svg = dir.path().join("cmp.svg");
    let out = common::bin()
        .args(["export"])
        .arg(&a)
        .arg(&svg)
        .arg("--compare")
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&svg).unwrap();
    for want in [
        "Since before",
        "Removed (ghost)",
        "1 pain point resolved, 1 new",
        "Refund shows only",
        &resolved_text,
        "(before)",
    ] {
        let esc = want.replace('&', "&amp;");
        assert!(text.contains(&esc), "{want} missing");
    }
    // Without --compare: no ghost, no summary.
    let plain = dir.path().join("plain.svg");
    let out = common::bin()
        .arg("export")
        .arg(&a)
        .arg(&plain)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(!text.contains(&resolved_text) && !text.contains("Since before"));
}

/// File → Compare with…, a typed path: the canvas shows the ghost of the removed card and
/// the summary; the map itself is untouched; Stop comparing ends it.
#[test]
fn compare_with_a_file_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let (b, a, resolved, added) = before_and_after(dir.path());
    let mut h = common::harness(Some(a));
    common::open_menu(&mut h, "File");
    let r = h.get_by_label_contains("Compare with").rect();
    common::click(&mut h, r.center());
    h.run_steps(2);
    common::type_text(&mut h, &b.display().to_string());
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    let summary = h.state().compare_summary().unwrap().to_vec();
    assert_eq!(summary[0], "1 pain point resolved, 1 new");
    assert!(
        h.state().layout().card(resolved).is_some(),
        "the ghost is drawn"
    );
    assert!(
        h.state().doc().card(resolved).is_none(),
        "but not in the map"
    );
    assert!(h.state().layout().card(added).is_some());
    h.get_by_label_contains("Changes since before");
    // A change in the list selects its card.
    h.get_by_label_contains("card added: ").click();
    h.run_steps(2);
    h.get_by_label("Stop comparing").click();
    h.run_steps(3);
    assert!(h.state().compare_summary().is_none());
    assert!(h.state().layout().card(resolved).is_none());
}

/// File → Open folder…: the maps of a folder (and its folders) as tiles, what was skipped;
/// a search across them; a hit opens its map with the card selected.
#[test]
fn a_library_lists_a_folder_searches_it_and_opens_a_hit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("team")).unwrap();
    save(&root.join("bill.journeymap.json"), &sample());
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    std::fs::copy(
        ex.join("support-call.journeymap.json"),
        root.join("team/support-call.journeymap.json"),
    )
    .unwrap();
    std::fs::write(root.join("team/notes.json"), "{ not a map").unwrap();

    let mut h = common::harness(None);
    common::open_menu(&mut h, "File");
    let r = h.get_by_label_contains("Open folder").rect();
    common::click(&mut h, r.center());
    h.run_steps(2);
    common::type_text(&mut h, &root.display().to_string());
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    for _ in 0..200 {
        h.run_steps(1);
        if h.query_by_label_contains("2 maps in").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("2 maps in");
    h.get_by_label_contains("1 skipped");
    h.get_by_label("Sorting out a surprise on my bill");
    h.get_by_label("Calling support about a failed payment");

    // Search (the field has the focus once the folder is read): a word and a filter.
    common::type_text(&mut h, "fee severity:>=2");
    h.run_steps(2);
    h.get_by_label_contains("2 cards in 1 of 2 maps");
    let hit = sample()
        .cards
        .iter()
        .find(|c| c.text == "FAQ has no entry for the fee")
        .unwrap()
        .id;
    h.get_by_label("Look for help \u{b7} Pain points: FAQ has no entry for the fee (IT)")
        .click();
    for _ in 0..5 {
        h.run_steps(2);
    }
    assert_eq!(
        h.state().file(),
        Some(root.join("bill.journeymap.json").as_path())
    );
    assert!(
        h.state().selection().cards.contains(&hit),
        "the hit is selected"
    );
}

/// A map whose "Agent call" CSAT is read from a survey beside it.
fn sourced(dir: &Path) -> (PathBuf, CardId) {
    std::fs::write(
        dir.join("survey.csv"),
        "touchpoint,csat\nAgent call,4\nAgent call,5\nChat,1\n",
    )
    .unwrap();
    let mut d = sample();
    let i = d.cards.iter().position(|c| c.text == "Agent call").unwrap();
    let id = d.cards[i].id;
    d.card_at_mut(i).metrics = vec![journeymap::model::Metric {
        name: "CSAT".into(),
        value: 1.0,
        source: Some(journeymap::model::MetricSource {
            file: "survey.csv".into(),
            column: "CSAT".into(),
            filter: "Touchpoint=Agent call".into(),
            how: journeymap::model::Aggregate::Mean,
            max_age_days: 30,
        }),
        ..Default::default()
    }];
    let path = dir.join("bill.journeymap.json");
    save(&path, &d);
    (path, id)
}

/// `journeymap refresh` reads the survey, stamps the day and saves; an export 100 days on
/// flags the metric as stale, one the same day does not.
#[test]
fn refresh_reads_metrics_from_data_and_exports_flag_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (map, id) = sourced(dir.path());
    let day = "1795478400"; // 2026-11-24
    let out = common::bin()
        .args(["refresh"])
        .arg(&map)
        .env("SOURCE_DATE_EPOCH", day)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains("CSAT on \u{201c}Agent call\u{201d}: 1 \u{2192} 4.5 (2 rows)"),
        "{said}"
    );
    let m = journeymap::io::load(&map).unwrap().0;
    let csat = &m.card(id).unwrap().metrics[0];
    assert!((csat.value - 4.5).abs() < 1e-9);
    assert_eq!(csat.refreshed.as_deref(), Some("2026-11-24"));

    let svg = |when: &str| {
        let p = dir.path().join(format!("m{when}.svg"));
        let out = common::bin()
            .arg("export")
            .arg(&map)
            .arg(&p)
            .env("SOURCE_DATE_EPOCH", when)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        std::fs::read_to_string(p).unwrap()
    };
    assert!(!svg(day).contains("Stale metrics"));
    let later = svg("1804118400"); // 100 days on
    assert!(later.contains("Stale metrics"));
    assert!(
        later.contains("read 2026-11-24, 100 days ago"),
        "the age is given"
    );
}

/// Data → Refresh metrics from data: the value read, as one undo step.
#[test]
fn the_editor_refreshes_metrics_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let (map, id) = sourced(dir.path());
    let mut h = common::harness(Some(map));
    common::open_menu(&mut h, "Data");
    let r = h.get_by_label("Refresh metrics from data").rect();
    common::click(&mut h, r.center());
    h.run_steps(3);
    let v = |h: &egui_kittest::Harness<'_, journeymap::ui::App>| {
        h.state().doc().card(id).unwrap().metrics[0].value
    };
    assert!((v(&h) - 4.5).abs() < 1e-9);
    assert!(
        h.state().doc().card(id).unwrap().metrics[0]
            .refreshed
            .is_some()
    );
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!((v(&h) - 1.0).abs() < 1e-9);
}

/// A future-state map names the current state it improves on: View → Show changes from
/// base draws the comparison, `export --since-base` prints it, and a map naming none says so.
#[test]
fn a_future_state_shows_its_changes_from_the_current_state() {
    let dir = tempfile::tempdir().unwrap();
    let (current, future, resolved, _) = before_and_after(dir.path());
    let mut f = journeymap::io::load(&future).unwrap().0;
    f.based_on = current.file_name().unwrap().to_string_lossy().into_owned();
    save(&future, &f);
    assert_eq!(
        journeymap::io::load(&future).unwrap().0.based_on,
        "before.journeymap.json",
        "kept in the file"
    );

    let mut h = common::harness(Some(future.clone()));
    // The side panel's button (View has the same).
    let r = h.get_by_label("Show changes from base").rect();
    common::click(&mut h, r.center());
    h.run_steps(3);
    assert_eq!(
        h.state().compare_summary().unwrap()[0],
        "1 pain point resolved, 1 new"
    );
    assert!(
        h.state().layout().card(resolved).is_some(),
        "the ghost is drawn"
    );

    let svg = dir.path().join("future.svg");
    let out = common::bin()
        .arg("export")
        .arg(&future)
        .arg(&svg)
        .arg("--since-base")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains("Since before")
    );

    // Side by side on one page: both titled, each its own executive view (the moments of
    // truth, on both sides).
    let out = common::bin()
        .arg("export")
        .arg(&future)
        .arg(&svg)
        .arg("--side-by-side")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("Current state: ") < at("Future state: "));
    assert_eq!(
        text.matches(">Agent call<").count(),
        2,
        "a moment of truth a side"
    );
    assert!(
        !text.contains("Sees an ad"),
        "executive views, not whole maps"
    );
    let out = common::bin()
        .arg("export")
        .arg(&current)
        .arg(&svg)
        .arg("--since-base")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names no map it is based on"));
}

/// File → Export… → Show: Current vs future writes both executive views on one page.
#[test]
fn the_export_dialog_puts_current_and_future_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let (current, future, _, _) = before_and_after(dir.path());
    let mut f = journeymap::io::load(&future).unwrap().0;
    f.based_on = current.file_name().unwrap().to_string_lossy().into_owned();
    save(&future, &f);
    let target = dir.path().join("both.svg");
    let mut h = common::harness(Some(future));
    common::key(&mut h, Modifiers::COMMAND, Key::E);
    h.get_by_label("SVG (vector)").click();
    h.run_steps(2);
    h.get_by_label("Current vs future").click();
    h.run_steps(2);
    common::export_as(&mut h, &target);
    common::wait_for_export(&mut h);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("Current state: ") && text.contains("Future state: "));
}
