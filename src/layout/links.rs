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

/// How far apart links sharing a corridor run, at most (they close up when many share one).
const TRACK: f32 = 8.0;
/// How far from a corridor's sides (the cards' edges) a link keeps.
const TRACK_MARGIN: f32 = 2.0;

/// Routes every link whose cards are both laid out, then gives each link sharing a corridor
/// a track of its own (see [`separate`]).
pub(crate) fn route_links(doc: &Document, layout: &Layout) -> Vec<LinkBox> {
    let mut links: Vec<LinkBox> = doc
        .links
        .iter()
        .filter_map(|l| {
            let a = layout.card(l.from)?;
            let b = layout.card(l.to)?;
            Some(LinkBox {
                id: l.id,
                from: l.from,
                to: l.to,
                kind: l.kind,
                route: route(layout, a, b),
            })
        })
        .collect();
    separate(&mut links, layout);
    links
}

/// Which run a segment of a route is on: a vertical corridor (at a stage's edge), a
/// horizontal one (at a lane's edge), or a card's side it leaves or enters by.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Run {
    Upright(i64),
    Across(i64),
    Side(CardId, bool),
}

/// Links that share a corridor (or leave or enter a card by the same side) are spread over
/// its width, each on a track of its own, so parallel links can be told apart and followed;
/// tracks are given in the order the links' other ends come (top to bottom, left to right), so
/// they do not cross one another in the corridor.
fn separate(links: &mut [LinkBox], layout: &Layout) {
    use std::collections::BTreeMap;
    let key = |v: f32| (v * 8.0).round() as i64;
    // Every segment's run, and where along the run its link goes on to (for the order).
    let mut runs: BTreeMap<Run, Vec<(f32, usize, usize)>> = BTreeMap::new();
    for (li, l) in links.iter().enumerate() {
        let n = l.route.len();
        for si in 0..n.saturating_sub(1) {
            let (p, q) = (l.route[si], l.route[si + 1]);
            let run = if si == 0 {
                Run::Side(l.from, (q.x - p.x) > 0.0)
            } else if si + 2 == n {
                Run::Side(l.to, (p.x - q.x) > 0.0)
            } else if (p.x - q.x).abs() < 1e-3 {
                Run::Upright(key(p.x))
            } else {
                Run::Across(key(p.y))
            };
            // Order by the sides the link comes from and goes on to: a link with both ends
            // on the left of an upright run takes its left track (then by where it comes
            // from), so links do not cross in the corridor or run over one another's ends.
            let before = if si == 0 { p } else { l.route[si - 1] };
            let after = l.route.get(si + 2).copied().unwrap_or(q);
            let along = if matches!(run, Run::Upright(_)) {
                let side = (before.x - p.x).signum() + (after.x - q.x).signum();
                side * 1e6 + (before.y - p.y).signum() * 1e5 + before.y
            } else {
                let side = (before.y - p.y).signum() + (after.y - q.y).signum();
                side * 1e6 + (before.x - p.x).signum() * 1e5 + before.x
            };
            runs.entry(run).or_default().push((along, li, si));
        }
    }
    for (run, mut users) in runs {
        users.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        users.dedup_by_key(|u| u.1);
        let m = users.len();
        let corridor = matches!(run, Run::Upright(_) | Run::Across(_));
        if m < 2 && !corridor {
            continue;
        }
        let width = match run {
            Run::Upright(_) | Run::Across(_) => 2.0 * (CELL_PAD - TRACK_MARGIN),
            Run::Side(card, _) => layout
                .card(card)
                .map_or(0.0, |c| (c.rect.height() - 4.0 * TRACK_MARGIN).max(0.0)),
        };
        let step = (width / m as f32).min(TRACK);
        // A corridor's middle is where the grid and the blueprint's lines run: no link runs
        // on it (with an odd number of tracks they all move half a track down or right).
        let shift = if corridor && m % 2 == 1 {
            step / 2.0
        } else {
            0.0
        };
        for (j, (_, li, si)) in users.into_iter().enumerate() {
            let o = (j as f32 - (m - 1) as f32 / 2.0) * step + shift;
            let r = &mut links[li].route;
            if matches!(run, Run::Upright(_)) {
                r[si].x += o;
                r[si + 1].x += o;
            } else {
                r[si].y += o;
                r[si + 1].y += o;
            }
        }
    }
}

fn route(layout: &Layout, a: &CardBox, b: &CardBox) -> Vec<Pos> {
    let (Some(sa), Some(sb)) = (layout.stage(a.stage), layout.stage(b.stage)) else {
        return Vec::new();
    };
    let (Some(la), Some(lb)) = (layout.lane(a.lane), layout.lane(b.lane)) else {
        return Vec::new();
    };
    let (ca, cb) = (a.rect.center(), b.rect.center());
    let (ya, yb) = (ca.y, cb.y);
    if sa.id == sb.id {
        // Out of the right sides and along the corridor at the stage's right edge.
        let x = sa.column.max.x;
        return vec![
            Pos::new(a.rect.max.x, ya),
            Pos::new(x, ya),
            Pos::new(x, yb),
            Pos::new(b.rect.max.x, yb),
        ];
    }
    let rightwards = sb.column.min.x > sa.column.min.x;
    let (xa, exit_x, xb, entry_x) = if rightwards {
        (a.rect.max.x, sa.column.max.x, b.rect.min.x, sb.column.min.x)
    } else {
        (a.rect.min.x, sa.column.min.x, b.rect.max.x, sb.column.max.x)
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
    };
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
    use kurbo::ParamCurveNearest as _;
    let pt = |q: Pos| kurbo::Point::new(f64::from(q.x), f64::from(q.y));
    route
        .windows(2)
        .map(|w| {
            kurbo::Line::new(pt(w[0]), pt(w[1]))
                .nearest(pt(p), 0.0)
                .distance_sq
        })
        .fold(f64::INFINITY, f64::min)
        .sqrt() as f32
}
