//! Checking the library's links to other maps: a link whose map is gone (moved, renamed,
//! deleted) or whose card or stage is no longer in that map is listed with its map and card,
//! so that a team keeping maps for years finds what broke.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Entry, Library};
use crate::model::{Document, MapLink, MapTarget, lexical};

/// A card's link to another map, as the library keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    /// The card it is on, and the card's text.
    pub card: u64,
    pub text: String,
    pub link: MapLink,
}

impl LinkRow {
    /// Every link to another map of a map's cards.
    #[must_use]
    pub fn of(doc: &Document) -> Vec<Self> {
        doc.cards
            .iter()
            .flat_map(|c| {
                c.map_links.iter().map(|l| Self {
                    card: c.id.0,
                    text: c.text.clone(),
                    link: l.clone(),
                })
            })
            .collect()
    }
}

/// A link that does not reach what it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The map the link is in, and its card.
    pub from: PathBuf,
    pub card: u64,
    pub text: String,
    pub link: MapLink,
    /// Why it is broken.
    pub why: String,
}

impl Library {
    /// The links of the library's maps that do not reach their target: a map that is not
    /// there, or one of the library's maps that no longer has the card or stage. (A map
    /// outside the folder that is there is not read.)
    #[must_use]
    pub fn broken_links(&self) -> Vec<Broken> {
        let by_path: HashMap<PathBuf, &Entry> =
            self.entries.iter().map(|e| (lexical(&e.path), e)).collect();
        let mut out = Vec::new();
        for e in &self.entries {
            let dir = e.path.parent().unwrap_or(Path::new("."));
            for r in &e.links {
                let why = match r.link.file(dir) {
                    None => Some("it names no map".to_string()),
                    Some(file) => match by_path.get(&file) {
                        Some(t) => missing_target(t, r.link.to),
                        None if file.is_file() => None,
                        None => Some(format!("{} is not there", file.display())),
                    },
                };
                if let Some(why) = why {
                    out.push(Broken {
                        from: e.path.clone(),
                        card: r.card,
                        text: r.text.clone(),
                        link: r.link.clone(),
                        why,
                    });
                }
            }
        }
        out
    }
}

/// Why `to` is not in the map `t` (`None`: it is).
fn missing_target(t: &Entry, to: MapTarget) -> Option<String> {
    let title = if t.title.trim().is_empty() {
        t.path.display().to_string()
    } else {
        format!("\u{201c}{}\u{201d}", t.title.trim())
    };
    match to {
        MapTarget::Card(id) => (!t.index.iter().any(|c| c.id == id.0))
            .then(|| format!("the card is no longer in {title}")),
        MapTarget::Stage(id) => {
            (!t.stage_ids.contains(&id.0)).then(|| format!("the stage is no longer in {title}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CardId, LinkKind, StageId};

    #[test]
    fn links_to_gone_maps_cards_and_stages_are_listed_and_good_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        let target = crate::model::sample_map();
        let card = target.cards[0].id;
        let stage = target.stages[0].id;
        crate::io::save_atomic(&root.join("b/target.journeymap.json"), &target).unwrap();
        let mut from = crate::model::sample_map();
        let link = |map: &str, to| MapLink {
            map: map.into(),
            to,
            kind: LinkKind::RelatesTo,
            label: String::new(),
        };
        let good = "../b/target.journeymap.json";
        from.card_at_mut(0).map_links = vec![
            link(good, MapTarget::Card(card)),
            link(good, MapTarget::Stage(stage)),
            link(good, MapTarget::Card(CardId(999_999))),
            link(good, MapTarget::Stage(StageId(999_999))),
            link("../b/gone.journeymap.json", MapTarget::Card(card)),
        ];
        crate::io::save_atomic(&root.join("a/from.journeymap.json"), &from).unwrap();
        let lib = Library::open(root, None, &|_, _| {});
        let broken = lib.broken_links();
        let whys: Vec<&str> = broken.iter().map(|b| b.why.as_str()).collect();
        assert_eq!(broken.len(), 3, "{whys:?}");
        assert!(
            whys[0].starts_with("the card is no longer in \u{201c}"),
            "{whys:?}"
        );
        assert!(whys[1].starts_with("the stage is no longer in"), "{whys:?}");
        assert!(
            whys[2].ends_with("gone.journeymap.json is not there"),
            "{whys:?}"
        );
        assert!(broken.iter().all(|b| b.card == from.cards[0].id.0));
    }
}
