//! Links from a card to a card or stage in another map, with real clicks: made in the picker
//! (a map of the folder, then one of its cards or stages), one undo step; followed from the
//! card's mark (the other map opens with its card or stage selected) and back with Alt+←; a
//! missing map said so, nothing lost; Save As into another folder keeps them reaching the
//! same files; exports list them; `journeymap diff` names them.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::model::{CardId, Document, LinkKind, MapLink, MapTarget, StageId};

use crate::common;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

/// The card of the bill map the tests link from.
const FROM: &str = "FAQ has no entry for the fee";
/// A card and a stage of the support-call map.
const TO_CARD: (u64, &str) = (22, "The number is behind three FAQ pages");
const TO_STAGE: (u64, &str) = (6, "With the agent");
/// How the bill map names the support-call map.
const CALL: &str = "../support/call.journeymap.json";

fn load(p: &Path) -> Document {
    journeymap::io::load(p).unwrap().0
}

/// `bill/bill.journeymap.json` and `support/call.journeymap.json` under `root`.
fn two_maps(root: &Path) -> (PathBuf, PathBuf) {
    let bill = root.join("bill/bill.journeymap.json");
    let call = root.join("support/call.journeymap.json");
    std::fs::create_dir_all(bill.parent().unwrap()).unwrap();
    std::fs::create_dir_all(call.parent().unwrap()).unwrap();
    std::fs::copy(
        Path::new(EXAMPLES).join("surprise-bill.journeymap.json"),
        &bill,
    )
    .unwrap();
    std::fs::copy(
        Path::new(EXAMPLES).join("support-call.journeymap.json"),
        &call,
    )
    .unwrap();
    (bill, call)
}

/// A link to `map`'s `to`.
fn link(map: &str, to: MapTarget, kind: LinkKind, label: &str) -> MapLink {
    MapLink {
        map: map.into(),
        to,
        kind,
        label: label.into(),
    }
}

/// Gives the bill map's [`FROM`] card `links` (and the map `based_on`); returns the card.
fn link_bill(bill: &Path, links: Vec<MapLink>, based_on: &str) -> CardId {
    let mut doc = load(bill);
    let from = doc.cards.iter().find(|c| c.text == FROM).unwrap().id;
    let i = doc.card_position(from).unwrap();
    doc.card_at_mut(i).map_links = links;
    based_on.clone_into(&mut doc.based_on);
    journeymap::io::save_atomic(bill, &doc).unwrap();
    from
}

/// Runs `journeymap` with `args`: its exit code and standard output.
fn cli(args: &[&str]) -> (Option<i32>, String) {
    let out = common::bin().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn arg(p: &Path) -> String {
    p.display().to_string()
}

fn card_id(h: &egui_kittest::Harness<'_, journeymap::ui::App>, text: &str) -> CardId {
    h.state()
        .doc()
        .cards
        .iter()
        .find(|c| c.text == text)
        .unwrap()
        .id
}

fn wait_for(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>, label: &str) {
    for _ in 0..300 {
        h.run_steps(1);
        if h.query_by_label_contains(label).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains(label);
}

/// Clicks the mark of links to other maps on a card.
fn click_mark(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>, card: CardId) {
    let mark = h
        .state()
        .layout()
        .card(card)
        .unwrap()
        .map_link_mark()
        .unwrap();
    let at = common::screen(h, mark.center());
    common::click(h, at);
    for _ in 0..4 {
        h.run_steps(2);
    }
}

/// The picker lists the other maps of the map's folder tree; picking one shows its stages
/// and cards; a click links (one undo step, named relative to the map's folder); the mark
/// then opens the other map with the card selected, and Alt+← comes back.
#[test]
fn a_card_links_to_a_card_in_another_map_which_opens_from_its_mark() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let (bill, call) = two_maps(&root);
    let mut h = common::harness(Some(bill.clone()));
    let from = card_id(&h, FROM);
    let at = common::card_center(&h, from);
    common::click(&mut h, at);
    h.run_steps(2);

    // From the side panel: the picker reads the map's own folder (only the bill map: its
    // own map is left out), so it is pointed at the folder above.
    h.get_by_label("Link to another map\u{2026}").click();
    h.run_steps(2);
    wait_for(&mut h, "No other maps here");
    h.get_by_label("Up a folder").click();
    h.run_steps(2);
    wait_for(&mut h, "Calling support about a failed payment");
    assert!(
        h.query_by_label_contains("Sorting out a surprise")
            .is_none(),
        "the open map is not offered"
    );
    h.get_by_label("leads to").click();
    h.get_by_label_contains("Calling support about a failed payment")
        .click();
    h.run_steps(2);
    h.get_by_label_contains("Stage: With the agent");
    // Narrow to the card, then pick it.
    common::type_text(&mut h, "three faq");
    h.run_steps(2);
    assert!(h.query_by_label_contains("Stage: Phone menu").is_none());
    h.get_by_label_contains(TO_CARD.1).click();
    for _ in 0..3 {
        h.run_steps(2);
    }
    let card = h.state().doc().card(from).unwrap().clone();
    assert_eq!(
        card.map_links,
        vec![MapLink {
            map: "../support/call.journeymap.json".into(),
            to: MapTarget::Card(CardId(TO_CARD.0)),
            kind: LinkKind::LeadsTo,
            label: format!(
                "Calling support about a failed payment \u{203a} {}",
                TO_CARD.1
            ),
        }]
    );
    assert!(
        h.query_by_label_contains("Find a stage or card").is_none(),
        "the picker closes once linked"
    );
    // One undo step, and redo.
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().doc().card(from).unwrap().map_links.is_empty());
    common::key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc().card(from).unwrap().map_links.len(), 1);
    common::key(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert_eq!(load(&bill).card(from).unwrap().map_links, card.map_links);

    // The mark on the card opens the other map with the card selected.
    click_mark(&mut h, from);
    assert_eq!(h.state().file(), Some(call.as_path()));
    assert_eq!(
        h.state()
            .selection()
            .cards
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![CardId(TO_CARD.0)]
    );
    // Back (Alt+←) to the bill map, the card selected again.
    common::key(&mut h, Modifiers::ALT, Key::ArrowLeft);
    for _ in 0..3 {
        h.run_steps(2);
    }
    assert_eq!(h.state().file(), Some(bill.as_path()));
    assert!(h.state().selection().cards.contains(&from));
}

/// A link to a stage selects the stage; a link whose map is gone says so and leaves the
/// open map as it was; two links on one card offer a choice.
#[test]
fn stage_links_select_the_stage_and_missing_maps_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let (bill, call) = two_maps(&root);
    let to_stage = MapTarget::Stage(StageId(TO_STAGE.0));
    let first = link(CALL, to_stage, LinkKind::RelatesTo, "");
    let from = link_bill(&bill, vec![first.clone()], "");
    let mut h = common::harness(Some(bill.clone()));
    click_mark(&mut h, from);
    assert_eq!(h.state().file(), Some(call.as_path()));
    assert_eq!(
        h.state().selection().stage,
        Some(StageId(TO_STAGE.0)),
        "the stage is selected"
    );

    // The other map moved away: the link says so, the map stays open and unchanged.
    std::fs::rename(&call, root.join("support/moved.json")).unwrap();
    common::key(&mut h, Modifiers::ALT, Key::ArrowLeft);
    for _ in 0..3 {
        h.run_steps(2);
    }
    assert_eq!(h.state().file(), Some(bill.as_path()));
    let before = h.state().doc().clone();
    click_mark(&mut h, from);
    assert_eq!(h.state().file(), Some(bill.as_path()));
    assert_eq!(h.state().doc(), &before);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("call.journeymap.json is not there"),
        "{status}"
    );
    // In the side panel it is marked missing.
    h.get_by_label_contains("(missing)");

    // Two links: the mark offers both.
    let moved = MapTarget::Card(CardId(TO_CARD.0));
    let second = link(
        "../support/moved.json",
        moved,
        LinkKind::Causes,
        "Support \u{203a} FAQ pages",
    );
    link_bill(&bill, vec![first, second], "");
    let mut h = common::harness(Some(bill.clone()));
    click_mark(&mut h, from);
    assert_eq!(h.state().file(), Some(bill.as_path()), "nothing opened yet");
    h.get_by_label("Open: is caused by Support \u{203a} FAQ pages")
        .click();
    for _ in 0..4 {
        h.run_steps(2);
    }
    assert_eq!(
        h.state().file(),
        Some(root.join("support/moved.json").as_path())
    );
    assert!(h.state().selection().cards.contains(&CardId(TO_CARD.0)));
}

/// Save As into another folder renames the links (and the base map) so that they reach the
/// same files.
#[test]
fn save_as_into_another_folder_keeps_links_reaching_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let (bill, call) = two_maps(&root);
    let to_card = MapTarget::Card(CardId(TO_CARD.0));
    let from = link_bill(
        &bill,
        vec![link(CALL, to_card, LinkKind::LeadsTo, "")],
        CALL,
    );
    let mut h = common::harness(Some(bill));
    let archive = root.join("archive/2026");
    std::fs::create_dir_all(&archive).unwrap();
    let copy = archive.join("bill.journeymap.json");
    h.state_mut().save_as_path(&copy);
    h.run_steps(2);
    let saved = load(&copy);
    let link = &saved.card(from).unwrap().map_links[0];
    assert_eq!(link.map, "../../support/call.journeymap.json");
    assert_eq!(link.file(&archive).as_deref(), Some(call.as_path()));
    assert_eq!(saved.based_on, "../../support/call.journeymap.json");
}

/// Exports list where the cards' links lead; `journeymap diff` names an added link.
#[test]
fn exports_and_diff_name_links_to_other_maps() {
    let dir = tempfile::tempdir().unwrap();
    let (bill, _) = two_maps(dir.path());
    let new = dir.path().join("bill/linked.journeymap.json");
    std::fs::copy(&bill, &new).unwrap();
    let to_card = MapTarget::Card(CardId(TO_CARD.0));
    let label = "Support call \u{203a} FAQ pages";
    link_bill(
        &new,
        vec![link(CALL, to_card, LinkKind::LeadsTo, label)],
        "",
    );

    let svg = |map: &Path, name: &str| {
        let out = dir.path().join(name);
        assert_eq!(cli(&["export", &arg(map), &arg(&out)]).0, Some(0));
        std::fs::read_to_string(&out).unwrap()
    };
    let text = svg(&new, "linked.svg");
    assert!(text.contains("Other maps"), "the legend has the section");
    assert!(text.contains("leads to Support call \u{203a} FAQ pages"));
    assert!(!svg(&bill, "plain.svg").contains("Other maps"));

    let (code, said) = cli(&["diff", &arg(&bill), &arg(&new)]);
    assert_eq!(code, Some(1));
    assert!(
        said.contains("map link: (none) \u{2192} leads to Support call \u{203a} FAQ pages (../support/call.journeymap.json)"),
        "{said}"
    );
}

/// `journeymap library` lists the links that no longer reach their map, card or stage.
#[test]
fn the_library_lists_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let (bill, _) = two_maps(dir.path());
    let leads = |map: &str, to| link(map, to, LinkKind::LeadsTo, "Support");
    let renamed = "../support/renamed.journeymap.json";
    link_bill(
        &bill,
        vec![
            leads(CALL, MapTarget::Card(CardId(TO_CARD.0))),
            leads(CALL, MapTarget::Card(CardId(4242))),
            leads(renamed, MapTarget::Stage(StageId(TO_STAGE.0))),
        ],
        "",
    );
    let (code, said) = cli(&["library", &arg(dir.path())]);
    assert_eq!(code, Some(0));
    assert!(said.contains("2 links broken:"), "{said}");
    assert!(
        said.contains(&format!(
            "bill/bill.journeymap.json: \u{201c}{FROM}\u{201d} leads to Support: the card is no longer in \u{201c}Calling support about a failed payment\u{201d}"
        )),
        "{said}"
    );
    assert!(
        said.contains("renamed.journeymap.json is not there"),
        "{said}"
    );
}

/// A map not saved yet reads no folder by surprise: the picker asks for one; the link names
/// the other map's whole path until the map is saved, then one relative to its folder.
#[test]
fn an_unsaved_map_links_through_a_typed_folder_and_names_the_file_once_saved() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let (_, call) = two_maps(&root);
    let mut h = common::harness(None);
    assert!(h.state().file().is_none());
    let from = card_id(&h, FROM);
    let at = common::card_center(&h, from);
    common::click(&mut h, at);
    h.run_steps(2);
    h.get_by_label("Link to another map\u{2026}").click();
    h.run_steps(2);
    h.get_by_label_contains("Type a folder of maps below");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Folder:")
        .click();
    h.run_steps(2);
    common::type_text(&mut h, &root.join("support").display().to_string());
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    wait_for(&mut h, "Calling support about a failed payment");
    h.get_by_label_contains("Calling support about a failed payment")
        .click();
    h.run_steps(2);
    // Narrowed to what fits the window (the chosen map's stages and cards scroll).
    common::type_text(&mut h, "with the agent");
    h.run_steps(2);
    h.get_by_label_contains("Stage: With the agent").click();
    for _ in 0..3 {
        h.run_steps(2);
    }
    let links = h.state().doc().card(from).unwrap().map_links.clone();
    assert_eq!(links.len(), 1, "{:?}", h.state().status());
    let link = links[0].clone();
    assert_eq!(link.map, call.display().to_string(), "the whole path");
    assert_eq!(link.to, MapTarget::Stage(StageId(TO_STAGE.0)));
    std::fs::create_dir_all(root.join("bill")).unwrap();
    let saved = root.join("bill/new.journeymap.json");
    h.state_mut().save_as_path(&saved);
    h.run_steps(2);
    assert_eq!(
        load(&saved).card(from).unwrap().map_links[0].map,
        "../support/call.journeymap.json"
    );
}

/// A map without a file here (a workshop joined over the network, a map not saved yet)
/// does not follow a relative link from whatever folder the app was started in: it says
/// why and stays as it is.
#[test]
fn a_map_without_a_file_says_why_it_cannot_follow_a_relative_link() {
    let mut h = common::harness(None);
    let from = card_id(&h, FROM);
    let mut card = h.state().doc().card(from).unwrap().clone();
    card.map_links = vec![link(
        "tests/it/main.rs",
        MapTarget::Card(CardId(1)),
        LinkKind::RelatesTo,
        "",
    )];
    h.state_mut()
        .queue_command(journeymap::edit::Command::UpdateCard(card));
    h.run_steps(3);
    let before = h.state().doc().clone();
    click_mark(&mut h, from);
    assert!(h.state().file().is_none(), "nothing was opened");
    assert_eq!(h.state().doc(), &before);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("this map has no file on this computer"),
        "{status}"
    );
}
