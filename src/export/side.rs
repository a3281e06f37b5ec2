//! Current vs future state side by side on one page: the executive view of the map a future
//! state is based on, left, and of the future state, right, each titled so, on one
//! background — the page an executive session compares them on.

use super::scene_with;
use crate::geom::Pos;
use crate::model::Document;
use crate::render::{ExportMeta, ExportScene, Part};
use crate::theme::Theme;
use crate::view::{ColourBy, View};

/// The room between the two maps.
const GAP: f32 = 64.0;

/// The two executive views side by side.
#[must_use]
pub fn side_by_side(
    current: &Document,
    future: &Document,
    view: &View,
    meta: &ExportMeta,
) -> ExportScene {
    let one = View {
        executive: true,
        compare: None,
        colour_by: match view.colour_by {
            ColourBy::Changes => ColourBy::Lane,
            ref c => c.clone(),
        },
        ..view.clone()
    };
    let scene = |d: &Document, label: &str, meta: &ExportMeta| {
        let mut d = d.clone();
        d.title = format!("{label}: {}", d.title);
        scene_with(&d, &one, meta)
    };
    // The left page's footer names the base map's file.
    let base_meta = ExportMeta {
        file_name: std::path::Path::new(future.based_on.trim())
            .file_name()
            .map_or_else(
                || meta.file_name.clone(),
                |f| f.to_string_lossy().into_owned(),
            ),
        ..meta.clone()
    };
    let a = scene(current, "Current state", &base_meta);
    let b = scene(future, "Future state", meta);
    let dx = a.list.bounds.max.x + GAP - b.list.bounds.min.x;
    let dy = a.list.bounds.min.y - b.list.bounds.min.y;
    let union = a
        .list
        .bounds
        .union(&b.list.bounds.translate(Pos::new(dx, dy)));
    let theme = Theme::get(view.theme);
    let mut list = crate::render::DisplayList::default();
    list.push_part(Part::page(union, theme.background));
    let first = list.parts.len();
    let map_parts = (a.map_parts.start + first)..(a.map_parts.end + first);
    for p in a.list.parts {
        list.push_part(p);
    }
    for mut p in b.list.parts {
        p.translate(Pos::new(dx, dy));
        list.push_part(p);
    }
    ExportScene { list, map_parts }
}
