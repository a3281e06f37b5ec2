//! Links from a card to a card or stage in another map: a journey that goes on in another
//! map, a cause that lives in another team's journey. The other map is named by its file,
//! relative to this map's folder (as `based_on` is), so a folder of maps can be moved or
//! kept in git as a whole.

use std::path::{Component, Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CardId, LinkKind, StageId};

/// Most links to other maps one card holds.
pub const MAX_MAP_LINKS: usize = 200;

/// What a link to another map points at there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MapTarget {
    /// A stage of the other map.
    Stage(StageId),
    /// A card of the other map.
    Card(CardId),
}

/// A link from a card to a card or stage in another map.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct MapLink {
    /// The other map's file, relative to this map's folder (`/` between folders); absolute
    /// when this map had no file yet when the link was made.
    pub map: String,
    /// What it points at there.
    pub to: MapTarget,
    /// What it means (this card "leads to" that one, "is caused by" it, "relates to" it).
    #[serde(default = "relates_to")]
    pub kind: LinkKind,
    /// The other map's title and the target's name when the link was made ("Onboarding ›
    /// Welcome call"), shown without reading the other map and when it cannot be read.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

fn relates_to() -> LinkKind {
    LinkKind::RelatesTo
}

impl MapLink {
    /// The other map's file, for a map in `dir` (`None`: the link names no file).
    #[must_use]
    pub fn file(&self, dir: &Path) -> Option<PathBuf> {
        let name = self.map.trim();
        (!name.is_empty()).then(|| lexical(&dir.join(name)))
    }

    /// What the link says in a list: its kind and label (or file).
    #[must_use]
    pub fn describe(&self) -> String {
        let what = if self.label.trim().is_empty() {
            self.map.as_str()
        } else {
            self.label.as_str()
        };
        format!("{} {what}", self.kind.label())
    }
}

/// `path` with `.` and `..` taken out where the path itself says where they lead (no file
/// system access: a link names a file that may not be there).
#[must_use]
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// How a map in folder `dir` names `target`: relative to `dir` with `/` between folders
/// when both are absolute or both relative, else `target` as it is.
#[must_use]
pub fn relative_name(dir: &Path, target: &Path) -> String {
    let (dir, target) = (lexical(dir), lexical(target));
    if dir.has_root() != target.has_root() {
        return target.display().to_string();
    }
    let d: Vec<_> = dir.components().collect();
    let t: Vec<_> = target.components().collect();
    let common = d.iter().zip(&t).take_while(|(a, b)| a == b).count();
    // A prefix (a Windows drive) that differs cannot be reached relatively.
    if d.first() != t.first() && matches!(d.first(), Some(Component::Prefix(_))) {
        return target.display().to_string();
    }
    let ups = d.len() - common;
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), ups).collect();
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The links of a map in `old_dir` renamed for the map's new folder `new_dir` (Save as into
/// another folder), so that they still reach the same files.
pub fn rebase(links: &mut [MapLink], old_dir: &Path, new_dir: &Path) {
    for l in links {
        if let Some(file) = l.file(old_dir) {
            l.map = relative_name(new_dir, &file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_to_the_maps_folder_and_resolve_back() {
        let dir = Path::new("/maps/retail/checkout");
        let cases = [
            ("/maps/retail/checkout/returns.json", "returns.json"),
            (
                "/maps/retail/onboarding/welcome.json",
                "../onboarding/welcome.json",
            ),
            ("/maps/b2b/x/y.json", "../../b2b/x/y.json"),
            ("/maps/retail/checkout/sub/z.json", "sub/z.json"),
        ];
        for (target, name) in cases {
            assert_eq!(relative_name(dir, Path::new(target)), name);
            let link = MapLink {
                map: name.into(),
                to: MapTarget::Stage(StageId(1)),
                kind: LinkKind::LeadsTo,
                label: String::new(),
            };
            assert_eq!(link.file(dir).as_deref(), Some(Path::new(target)));
        }
        // Relative folders work the same; mixed ones keep the target as it is.
        assert_eq!(
            relative_name(Path::new("a/b"), Path::new("a/c/m.json")),
            "../c/m.json"
        );
        assert_eq!(
            relative_name(Path::new("a"), Path::new("/x/m.json")),
            "/x/m.json"
        );
        assert_eq!(lexical(Path::new("../a/./b/../c")), PathBuf::from("../a/c"));
        assert_eq!(lexical(Path::new("/../a")), PathBuf::from("/a"));
    }

    #[test]
    fn a_map_saved_into_another_folder_keeps_its_links_to_the_same_files() {
        let mut links = vec![MapLink {
            map: "../onboarding/welcome.json".into(),
            to: MapTarget::Card(CardId(7)),
            kind: LinkKind::RelatesTo,
            label: "Welcome › Call".into(),
        }];
        rebase(
            &mut links,
            Path::new("/maps/retail/checkout"),
            Path::new("/archive/2026"),
        );
        assert_eq!(links[0].map, "../../maps/retail/onboarding/welcome.json");
        assert_eq!(
            links[0].file(Path::new("/archive/2026")).as_deref(),
            Some(Path::new("/maps/retail/onboarding/welcome.json"))
        );
    }

    #[test]
    fn a_link_reads_back_as_written() {
        let json = r#"{"map":"../on/welcome.json","to":{"card":12},"kind":"leads_to","label":"Welcome › Call"}"#;
        let l: MapLink = serde_json::from_str(json).unwrap();
        assert_eq!(l.to, MapTarget::Card(CardId(12)));
        assert_eq!(l.kind, LinkKind::LeadsTo);
        assert_eq!(serde_json::to_string(&l).unwrap(), json);
        let plain: MapLink = serde_json::from_str(r#"{"map":"x.json","to":{"stage":3}}"#).unwrap();
        assert_eq!(plain.kind, LinkKind::RelatesTo);
        assert_eq!(plain.to, MapTarget::Stage(StageId(3)));
    }
}
