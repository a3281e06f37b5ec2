//! Roles, the private brainstorm and removing someone, with real laptops on a real hub.

use std::sync::Arc;
use std::time::Duration;

use journeymap::edit::{CardField, Command, Op, Origin, StageField};
use journeymap::hub::Hub;
use journeymap::hub::live::{Ended, Live};
use journeymap::model::{Card, CardId, sample_map};
use journeymap::sync::session::Role;

use super::{join, json, loopback, raw, until};

/// The facilitator's own client first, then `n` laptops.
fn room(hub: &Hub, n: usize) -> Vec<(Live, journeymap::edit::Editor)> {
    let (host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut peers = vec![(host, Live::editor(doc))];
    peers.extend((0..n).map(|_| join(hub)));
    peers
}

/// Adds a card with this text in the first cell; its id.
fn add(e: &mut journeymap::edit::Editor, text: &str) -> CardId {
    let d = e.doc();
    let lane = d.lanes.iter().find(|l| l.kind.holds_cards()).unwrap().id;
    let card = Card::new(CardId(0), d.stages[0].id, lane, text);
    let ids = e
        .apply_ops(Origin::Local, vec![Op::InsertCards(vec![Arc::new(card)])])
        .unwrap();
    CardId(ids[0])
}

fn has(e: &journeymap::edit::Editor, text: &str) -> bool {
    e.doc().cards.iter().any(|c| c.text == text)
}

#[test]
fn a_private_brainstorm_shows_each_card_to_its_author_until_revealed() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut p = room(&hub, 2);
    p[0].0.set_brainstorm(true).unwrap();
    until(&mut p, "everyone hears the brainstorm is open", |p| {
        p.iter().all(|(l, _)| l.brainstorm().is_some())
    });
    add(&mut p[1].1, "Ana's idea");
    add(&mut p[2].1, "Ben's idea");
    until(&mut p, "the hub has both cards", |_| {
        let d = hub.document();
        ["Ana's idea", "Ben's idea"]
            .iter()
            .all(|t| d.cards.iter().any(|c| c.text == *t))
    });
    until(&mut p, "the facilitator counts two hidden cards", |p| {
        p[0].0.brainstorm() == Some((2, 2))
    });
    // Each author sees their own card only; the facilitator sees neither.
    assert!(has(&p[1].1, "Ana's idea") && !has(&p[1].1, "Ben's idea"));
    assert!(has(&p[2].1, "Ben's idea") && !has(&p[2].1, "Ana's idea"));
    assert!(!has(&p[0].1, "Ana's idea") && !has(&p[0].1, "Ben's idea"));
    // An author keeps editing their hidden card.
    let ana = p[1]
        .1
        .doc()
        .cards
        .iter()
        .find(|c| c.text == "Ana's idea")
        .unwrap()
        .id;
    p[1].1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(
                ana,
                CardField::Text("Ana's better idea".into()),
            )],
        )
        .unwrap();
    until(&mut p, "the hub has Ana's edit", |_| {
        hub.document()
            .card(ana)
            .is_some_and(|c| c.text == "Ana's better idea")
    });
    assert!(!has(&p[2].1, "Ana's better idea"));

    // Revealed: everything at once, on every screen, the same map everywhere.
    p[0].0.set_brainstorm(false).unwrap();
    until(&mut p, "every laptop shows both cards", |p| {
        p.iter()
            .all(|(_, e)| has(e, "Ana's better idea") && has(e, "Ben's idea"))
    });
    assert_eq!(json(&p[0].1), json(&p[1].1));
    assert_eq!(json(&p[1].1), json(&p[2].1));
    // Revealing is nobody's card edit: the facilitator's undo has nothing of the others.
    assert!(!p[0].1.can_undo());
}

#[test]
fn a_contributor_laptop_adds_cards_and_changes_only_its_own() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut p = room(&hub, 2);
    let ben = p[2].0.voter();
    p[0].0.set_role(&ben, Role::Contributor).unwrap();
    until(&mut p, "Ben's laptop knows it contributes", |p| {
        p[2].0.role() == Role::Contributor
    });
    assert_eq!(p[1].0.role(), Role::Editor);
    assert_eq!(p[0].0.role(), Role::Facilitator);

    // Ben's app refuses a stage rename before it is made…
    let stage = p[2].1.doc().stages[0].id;
    let old_name = p[2].1.doc().stages[0].name.clone();
    let rename = Command::RenameStage {
        id: stage,
        name: "Ben's stage".into(),
    };
    assert!(p[2].0.refuses(p[2].1.doc(), &rename).is_some());
    assert!(p[1].0.refuses(p[1].1.doc(), &rename).is_none());
    // …and a laptop that makes it anyway has it undone by the hub, for everyone.
    p[2].1
        .apply_ops(
            Origin::Local,
            vec![Op::SetStage(stage, StageField::Name("Ben's stage".into()))],
        )
        .unwrap();
    until(&mut p, "Ben is told and his copy is put back", |p| {
        p[2].0
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("contributor"))
            && p[2].1.doc().stages[0].name == old_name
    });
    assert_eq!(hub.document().stages[0].name, old_name);
    assert_eq!(p[1].1.doc().stages[0].name, old_name);

    // His own card: added, edited, moved, deleted — all taken.
    let mine = add(&mut p[2].1, "Ben's card");
    let mut owned = (*p[2].1.doc().card(mine).unwrap()).clone();
    owned.owner = "Ben".into();
    let cmd = Command::UpdateCard(owned);
    // The hub notes him as its author (the app also counts cards it added as its own).
    until(&mut p, "Ben's laptop knows the card is his", |p| {
        p[2].0.refuses(p[2].1.doc(), &cmd).is_none()
    });
    p[2].1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(mine, CardField::Owner("Ben".into()))],
        )
        .unwrap();
    until(&mut p, "Ana sees Ben's card with his owner", |p| {
        p[1].1.doc().card(mine).is_some_and(|c| c.owner == "Ben")
    });
    // Ana's card: not his.
    let anas = add(&mut p[1].1, "Ana's card");
    until(&mut p, "Ben sees Ana's card", |p| {
        p[2].1.doc().card(anas).is_some()
    });
    let cmd = Command::DeleteCards(vec![anas]);
    assert!(p[2].0.refuses(p[2].1.doc(), &cmd).is_some());
    p[2].0.refused = None;
    p[2].1
        .apply_ops(Origin::Local, vec![Op::RemoveCards(vec![anas])])
        .unwrap();
    until(&mut p, "Ben's removal of Ana's card is undone", |p| {
        p[2].0.refused.is_some() && p[2].1.doc().card(anas).is_some()
    });
    until(&mut p, "all copies agree", |p| {
        json(&p[0].1) == json(&p[1].1) && json(&p[1].1) == json(&p[2].1)
    });
    assert!(hub.document().card(anas).is_some());
    p[2].1
        .apply_ops(Origin::Local, vec![Op::RemoveCards(vec![mine])])
        .unwrap();
    until(&mut p, "Ben deletes his own card", |p| {
        p[1].1.doc().card(mine).is_none()
    });

    // Made an editor again, he may rename the stage.
    p[0].0.set_role(&ben, Role::Editor).unwrap();
    until(&mut p, "Ben edits again", |p| p[2].0.role() == Role::Editor);
    p[2].1
        .apply_ops(
            Origin::Local,
            vec![Op::SetStage(stage, StageField::Name("Ben's stage".into()))],
        )
        .unwrap();
    until(&mut p, "Ana sees the rename", |p| {
        p[1].1.doc().stages[0].name == "Ben's stage"
    });
}

#[test]
fn only_the_facilitator_changes_the_timer_roles_and_rounds() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut p = room(&hub, 2);
    // A laptop that starts a timer, opens a brainstorm or makes itself someone's boss…
    p[1].0.set_timer(Some(4_000_000_000_000)).unwrap();
    until(&mut p, "the timer is refused and undone", |p| {
        p[1].0
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("only the facilitator"))
            && p[1].0.timer().is_none()
    });
    assert!(p[2].0.timer().is_none() && p[0].0.timer().is_none());
    p[1].0.refused = None;
    let other = p[2].0.voter();
    p[1].0.set_role(&other, Role::Contributor).unwrap();
    until(&mut p, "the role is refused and undone", |p| {
        p[1].0.refused.is_some() && p[2].0.role() == Role::Editor
    });
    p[1].0.refused = None;
    p[1].0.set_brainstorm(true).unwrap();
    until(&mut p, "the brainstorm is refused and undone", |p| {
        p[1].0.refused.is_some() && p.iter().all(|(l, _)| l.brainstorm().is_none())
    });
    // The facilitator's timer is taken.
    p[0].0.set_timer(Some(4_000_000_000_000)).unwrap();
    until(&mut p, "every laptop shows the facilitator's timer", |p| {
        p.iter().all(|(l, _)| l.timer() == Some(4_000_000_000_000))
    });
}

#[test]
fn the_facilitator_removes_a_laptop_for_the_rest_of_the_session() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut p = room(&hub, 2);
    for (i, (l, _)) in p.iter_mut().enumerate() {
        l.set_presence(&format!("P{i}"), Vec::new(), None);
    }
    until(&mut p, "the facilitator sees both laptops", |p| {
        p[0].0.others().count() == 2
    });
    let ben = p[2].0.voter();
    let listed: Vec<String> = p[0].0.others().map(|o| o.id.clone()).collect();
    assert!(listed.contains(&ben), "{listed:?} lists {ben}");
    add(&mut p[2].1, "before removal");
    until(&mut p, "Ana has his card", |p| {
        has(&p[1].1, "before removal")
    });
    p[0].0.remove(&ben);
    until(&mut p, "Ben's laptop hears it was removed", |p| {
        p[2].0.ended == Some(Ended::Removed)
    });
    until(&mut p, "the others stop showing Ben", |p| {
        p[0].0.others().all(|o| o.id != ben) && p[1].0.others().all(|o| o.id != ben)
    });
    // What he wrote before stays; he keeps his copy.
    assert!(has(&p[2].1, "before removal") && has(&p[1].1, "before removal"));
    // He cannot come back under the same name.
    let number = ben.trim_start_matches("laptop-");
    let again = raw(&format!(
        "ws://{}/ws?token={}&client={number}",
        hub.addr(),
        hub.token()
    ))
    .unwrap_err();
    assert!(again.contains("403"), "{again}");
    // Only the facilitator removes people.
    let host_id = p[0].0.voter();
    p[1].0.remove(&host_id);
    until(&mut p, "Ana is told she may not", |p| {
        p[1].0
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("only the facilitator"))
    });
    assert!(p[0].0.ended.is_none());
}
