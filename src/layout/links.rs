//! Links between cards, routed through the gaps of the grid so they never cross a card: out of
//! the card's side into the corridor along its stage's edge, along the corridor between two
//! lanes to the target's stage, down (or up) its stage's edge and into the target's side.
//! Cards sit [`CELL_PAD`] inside their cells, so those corridors are always empty.

use super::{CELL_PAD, CardBox, Layout};
use crate::geom::Pos;
use crate::model::{CardId, Document, LinkId, LinkKind};

/// A placed link.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkBox {
    /// Which link.
    pub id: LinkId,
    /// Its start.
    pub from: CardId,
    /// Its end.
    pub to: CardId,
    /// What it means.
    pub kind: LinkKind,
    /// The route: a polyline of horizontal and vertical runs from `from`'s side to `to`'s.
    pub route: Vec<Pos>,
}

/// How far apart links sharing a corridor run.
const LANE_SPACING: f32 = 3.0;

/// Routes every link whose cards are both laid out.
pub(crate) fn route_links(doc: &Document, layout: &Layout) -> Vec<LinkBox> {
    doc.links
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let a = layout.card(l.from)?;
            let b = layout.card(l.to)?;
            Some(LinkBox {
                id: l.id,
                from: l.from,
                to: l.to,
                kind: l.kind,
                route: route(layout, a, b, i),
            })
        })
        .collect()
}

/// The corridor offset of the `i`-th link: links spread out within the corridor's width.
fn spread(i: usize) -> f32 {
    let slot = (i % 5) as f32 - 2.0;
    slot * LANE_SPACING
}

fn route(layout: &Layout, a: &CardBox, b: &CardBox, i: usize) -> Vec<Pos> {
    let (Some(sa), Some(sb)) = (layout.stage(a.stage), layout.stage(b.stage)) else {
        return Vec::new();
    };
    let (Some(la), Some(lb)) = (layout.lane(a.lane), layout.lane(b.lane)) else {
        return Vec::new();
    };
    let d = spread(i).clamp(2.0 - CELL_PAD, CELL_PAD - 2.0);
    let (ca, cb) = (a.rect.center(), b.rect.center());
    let (ya, yb) = (ca.y + d, cb.y + d);
    if sa.id == sb.id {
        // Out of the right sides and along the corridor at the stage's right edge.
        let x = sa.column.max.x + d;
        return vec![
            Pos::new(a.rect.max.x, ya),
            Pos::new(x, ya),
            Pos::new(x, yb),
            Pos::new(b.rect.max.x, yb),
        ];
    }
    let rightwards = sb.column.min.x > sa.column.min.x;
    let (xa, exit_x, xb, entry_x) = if rightwards {
        (
            a.rect.max.x,
            sa.column.max.x + d,
            b.rect.min.x,
            sb.column.min.x + d,
        )
    } else {
        (
            a.rect.min.x,
            sa.column.min.x + d,
            b.rect.max.x,
            sb.column.max.x + d,
        )
    };
    if (exit_x - entry_x).abs() < 0.5 {
        // Neighbouring stages: the one corridor between them.
        return vec![
            Pos::new(xa, ya),
            Pos::new(exit_x, ya),
            Pos::new(exit_x, yb),
            Pos::new(xb, yb),
        ];
    }
    // The corridor between two lanes: the edge of the source's lane facing the target (below
    // it when they share a lane).
    let lane_y = if lb.row.min.y < la.row.min.y {
        la.row.min.y
    } else {
        la.row.max.y
    } + d;
    vec![
        Pos::new(xa, ya),
        Pos::new(exit_x, ya),
        Pos::new(exit_x, lane_y),
        Pos::new(entry_x, lane_y),
        Pos::new(entry_x, yb),
        Pos::new(xb, yb),
    ]
}

/// The distance from `p` to a polyline.
#[must_use]
pub fn distance_to(route: &[Pos], p: Pos) -> f32 {
    route
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (qx, qy) = (a.x + t * dx, a.y + t * dy);
            (p.x - qx).hypot(p.y - qy)
        })
        .fold(f32::INFINITY, f32::min)
}
