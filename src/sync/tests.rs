//! Co-editing tests: peers converging over random histories and network partitions, undo
//! of one's own edits only. Compiled only under `#[cfg(test)]` (`mod tests` in `sync/mod.rs`).

use std::collections::BTreeSet;

use super::peer::{pull_remote, push_local};
use super::*;
use crate::edit::random::RandomOps;
use crate::edit::{Editor, Origin};
use crate::model::sample_map;

/// A participant: an editor and its replica.
struct P {
    ed: Editor,
    r: Replica,
}

impl P {
    fn join(hub: &Replica, peer: u64) -> Self {
        let r = Replica::from_bytes(&hub.snapshot().unwrap(), peer).unwrap();
        let mut ed = Editor::with_seed(r.document(), peer);
        ed.record_done(true);
        Self { ed, r }
    }

    fn edit(&mut self, op: Op) {
        let _ = self.ed.apply_ops(Origin::Local, vec![op]);
        push_local(&mut self.ed, &mut self.r).unwrap();
    }

    /// Takes what `from` has that this one lacks.
    fn sync_from(&mut self, from: &Replica) {
        let bytes = from.updates_since(&self.r.version()).unwrap();
        self.r.import(&bytes).unwrap();
        pull_remote(&mut self.ed, &mut self.r).unwrap();
    }

    fn json(&self) -> String {
        serde_json::to_string(self.ed.doc()).unwrap()
    }
}

/// Peer `to` takes what peer `from` has that it lacks.
fn deliver(ps: &mut [P], from: usize, to: usize) {
    let bytes = ps[from].r.updates_since(&ps[to].r.version()).unwrap();
    let p = &mut ps[to];
    p.r.import(&bytes).unwrap();
    pull_remote(&mut p.ed, &mut p.r).unwrap();
}

fn hub_of(doc: &Document) -> Replica {
    Replica::from_document(doc, 1).unwrap()
}

#[test]
fn a_map_survives_the_shared_document() {
    let mut doc = sample_map();
    doc.normalize();
    let hub = hub_of(&doc);
    assert_eq!(hub.document(), doc);
    let joined = Replica::from_bytes(&hub.snapshot().unwrap(), 2).unwrap();
    assert_eq!(joined.document(), doc);
    // Writing the same map again records nothing.
    let mut hub = hub;
    let v = hub.version();
    hub.write_all(&doc).unwrap();
    assert_eq!(hub.version(), v);
}

#[test]
fn an_edit_reaches_the_other_replica_as_ops() {
    let hub = hub_of(&sample_map());
    let mut a = P::join(&hub, 10);
    let mut b = P::join(&hub, 11);
    let card = a.ed.doc().cards[3].clone();
    a.edit(Op::SetCard(
        card.id,
        crate::edit::CardField::Text("Typed by A".into()),
    ));
    b.sync_from(&a.r);
    assert_eq!(b.ed.doc().card(card.id).unwrap().text, "Typed by A");
    // B's undo has nothing of A's.
    assert!(!b.ed.can_undo());
    assert_eq!(a.json(), b.json());
}

#[test]
fn concurrent_edits_to_two_fields_of_one_card_both_win() {
    let hub = hub_of(&sample_map());
    let mut a = P::join(&hub, 10);
    let mut b = P::join(&hub, 11);
    let id = a.ed.doc().cards[0].id;
    a.edit(Op::SetCard(
        id,
        crate::edit::CardField::Text("A's words".into()),
    ));
    b.edit(Op::SetCard(
        id,
        crate::edit::CardField::Owner("B's team".into()),
    ));
    a.sync_from(&b.r);
    b.sync_from(&a.r);
    for p in [&a, &b] {
        let c = p.ed.doc().card(id).unwrap();
        assert_eq!(
            (c.text.as_str(), c.owner.as_str()),
            ("A's words", "B's team")
        );
    }
    // A's undo reverts A's text and keeps B's owner.
    a.ed.undo();
    push_local(&mut a.ed, &mut a.r).unwrap();
    b.sync_from(&a.r);
    let c = b.ed.doc().card(id).unwrap();
    assert_eq!(c.text, sample_map().cards[0].text);
    assert_eq!(c.owner, "B's team");
    assert_eq!(a.json(), b.json());
}

/// Where two JSON values first differ, for a readable failure.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> String {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) if p == q => {}
                    (Some(p), Some(q)) => return first_difference(p, q, &format!("{at}.{k}")),
                    (p, q) => return format!("{at}.{k}: {p:?} vs {q:?}"),
                }
            }
            String::new()
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return format!(
                        "{} (whole item: {p} vs {q})",
                        first_difference(p, q, &format!("{at}[{i}]"))
                    );
                }
            }
            format!("{at}: {} items vs {}", x.len(), y.len())
        }
        _ => format!("{at}: {a} vs {b}"),
    }
}

/// A seeded run: `n` peers make random edits (and undos) while the network splits into
/// random partitions and heals; in the end everyone has the same map, valid, each card once.
fn converge(seed: u64, peers: usize, steps: usize) {
    let mut rng = seed.max(1);
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let hub = hub_of(&sample_map());
    let mut ps: Vec<P> = (0..peers).map(|i| P::join(&hub, 100 + i as u64)).collect();
    let mut gens: Vec<RandomOps> = (0..peers)
        .map(|i| RandomOps::new(seed ^ ((i as u64 + 1) * 0x9E37)))
        .collect();
    // Which side of the current partition each peer is on.
    let mut side: Vec<u64> = vec![0; peers];
    for _ in 0..steps {
        let r = next();
        let i = (r % peers as u64) as usize;
        match (r >> 8) % 10 {
            0 => {
                for s in &mut side {
                    *s = next() % 2;
                }
            }
            1 => {
                let p = &mut ps[i];
                p.ed.undo();
                push_local(&mut p.ed, &mut p.r).unwrap();
            }
            2..=5 => {
                let op = gens[i].op(ps[i].ed.doc());
                ps[i].edit(op);
            }
            _ => {
                let j = ((r >> 16) % peers as u64) as usize;
                if i != j && side[i] == side[j] {
                    deliver(&mut ps, j, i);
                }
            }
        }
    }
    // Heal: everyone hears from everyone.
    for _ in 0..2 {
        for i in 0..peers {
            for j in 0..peers {
                if i != j {
                    deliver(&mut ps, j, i);
                }
            }
        }
    }
    let want = ps[0].r.document();
    let want_json = serde_json::to_string(&want).unwrap();
    for (k, p) in ps.iter().enumerate() {
        assert!(
            p.json() == want_json,
            "seed {seed}: peer {k}'s map is not the shared one: {}",
            first_difference(
                &serde_json::from_str(&p.json()).unwrap(),
                &serde_json::from_str(&want_json).unwrap(),
                ""
            )
        );
        p.ed.doc().validate().unwrap();
        let ids: Vec<_> = p.ed.doc().cards.iter().map(|c| c.id).collect();
        let set: BTreeSet<_> = ids.iter().collect();
        assert_eq!(set.len(), ids.len(), "seed {seed}: a card is there twice");
    }
}

#[test]
fn two_peers_converge_over_random_histories() {
    for seed in 1..=40 {
        converge(seed, 2, 60);
    }
}

/// Five peers through partitions over `JOURNEYMAP_CONVERGENCE_RUNS` histories (60 unless
/// told; seeds from `JOURNEYMAP_CONVERGENCE_FROM`), in two halves that run side by side.
fn five_peers_converge(second_half: bool) {
    let runs: u64 = std::env::var("JOURNEYMAP_CONVERGENCE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let from: u64 = std::env::var("JOURNEYMAP_CONVERGENCE_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mid = from + runs / 2;
    let seeds = if second_half {
        mid..from + runs
    } else {
        from..mid
    };
    for seed in seeds {
        converge(seed * 7919, 5, 80);
    }
}

#[test]
fn five_peers_converge_through_partitions_first_half() {
    five_peers_converge(false);
}

#[test]
fn five_peers_converge_through_partitions_second_half() {
    five_peers_converge(true);
}
