//! The lines of a service blueprint drawn across the map.

use super::{Element, LINE_HEIGHT, Part, Stroke};
use crate::geom::Pos;
use crate::layout::Layout;
use crate::theme::Theme;

/// The lines of a service blueprint, where the lanes' roles change going down: interaction
/// (customer | frontstage), visibility (frontstage | backstage) and internal interaction
/// (backstage | support), dashed across the map at the top of the lower lane and labelled in
/// the lane-label column above it.
pub fn blueprint_lines(parts: &mut [Part], layout: &Layout, theme: &Theme) {
    use crate::model::Blueprint;
    let names = |from: Blueprint, to: Blueprint| -> Vec<&'static str> {
        [
            (
                Blueprint::Customer,
                Blueprint::Frontstage,
                "Line of interaction",
            ),
            (
                Blueprint::Frontstage,
                Blueprint::Backstage,
                "Line of visibility",
            ),
            (
                Blueprint::Backstage,
                Blueprint::Support,
                "Line of internal interaction",
            ),
        ]
        .into_iter()
        .filter(|(a, b, _)| from <= *a && *b <= to)
        .map(|(_, _, n)| n)
        .collect()
    };
    let mut last: Option<Blueprint> = None;
    let label_w = layout.style().label_w();
    let stroke = Stroke::dashed(2.0, theme.text_muted, 9.0, 5.0);
    let size = crate::layout::SCALE_FONT * layout.style().text_scale;
    for lane in &layout.lanes {
        let Some(role) = lane.kind.info().blueprint else {
            continue;
        };
        if let Some(prev) = last
            && role > prev
        {
            let label = names(prev, role).join(" \u{b7} ");
            let y = lane.row.min.y;
            if let Some(body) = parts.iter_mut().find(|p| p.element == Element::Body) {
                body.line(
                    &[Pos::new(label_w, y), Pos::new(layout.bounds.max.x, y)],
                    stroke,
                );
            }
            if let Some(p) = parts
                .iter_mut()
                .find(|p| p.element == Element::LaneLabel(lane.id))
            {
                use crate::layout::TextMeasure as _;
                let text: std::sync::Arc<str> = label.into();
                let width = crate::layout::FontMeasure::shared().width(&text, size, true);
                let h = size * LINE_HEIGHT;
                let x = (label_w - 8.0 - width).max(8.0);
                p.line(&[Pos::new(0.0, y), Pos::new(label_w, y)], stroke);
                p.text(
                    &crate::layout::TextLine {
                        text,
                        pos: Pos::new(x, y - h - 2.0),
                        size,
                        bold: true,
                        width,
                    },
                    theme.text_muted,
                );
            }
        }
        last = Some(last.map_or(role, |p| p.max(role)));
    }
}
