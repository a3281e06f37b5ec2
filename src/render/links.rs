//! Links as display-list parts: a route with rounded corners, an arrowhead at its end, a dot
//! where it starts, the kind's colour.

use super::{Element, Item, Part, Seg, Stroke, polyline};
use crate::geom::{Pos, Rect};
use crate::model::LinkKind;
use crate::theme::Theme;

/// A link's part: a line with rounded corners along its route, an arrowhead at its end
/// (none for "relates to", which is dashed) and a dot where it starts.
#[must_use]
pub fn link_part(l: &crate::layout::LinkBox, theme: &Theme) -> Part {
    let mut p = Part::new(Element::Link(l.id));
    let Some((&end, _)) = l.route.split_last() else {
        return p;
    };
    if l.route.len() < 2 {
        return p;
    }
    let color = link_color(l.kind, theme);
    let stroke = match l.kind {
        LinkKind::RelatesTo => Stroke::dashed(2.0, color, 2.0, 4.0),
        _ => Stroke::solid(2.0, color),
    };
    let arrow = l.kind != LinkKind::RelatesTo;
    let mut pts = l.route.clone();
    let head = 10.0;
    if arrow {
        // Stop the line where the arrowhead starts.
        let n = pts.len();
        let prev = pts[n - 2];
        let (dx, dy) = (end.x - prev.x, end.y - prev.y);
        let len = dx.hypot(dy);
        if len > head {
            pts[n - 1] = Pos::new(end.x - dx / len * head, end.y - dy / len * head);
        }
    }
    p.path(rounded(&pts, 8.0), None, Some(stroke));
    let start = pts[0];
    p.push(
        Rect::from_xywh(start.x - 3.0, start.y - 3.0, 6.0, 6.0),
        Item::Circle {
            center: start,
            radius: 3.0,
            fill: color,
            stroke: None,
        },
    );
    if arrow {
        let prev = l.route[l.route.len() - 2];
        let (dx, dy) = (end.x - prev.x, end.y - prev.y);
        let len = dx.hypot(dy).max(1e-3);
        let (ux, uy) = (dx / len, dy / len);
        let base = Pos::new(end.x - ux * head, end.y - uy * head);
        let (nx, ny) = (-uy * head * 0.5, ux * head * 0.5);
        let tri = [
            end,
            Pos::new(base.x + nx, base.y + ny),
            Pos::new(base.x - nx, base.y - ny),
        ];
        p.path(polyline(&tri, true), Some(color), None);
    }
    p
}

/// The colour of a kind of link.
#[must_use]
pub fn link_color(kind: LinkKind, theme: &Theme) -> crate::theme::Color {
    match kind {
        LinkKind::Causes => theme.hue(crate::model::Hue::Red).accent,
        LinkKind::LeadsTo => theme.curve,
        LinkKind::RelatesTo => theme.text_muted,
    }
}

/// A polyline with its corners rounded (radius at most half of each neighbouring run).
#[must_use]
pub fn rounded(pts: &[Pos], radius: f32) -> Vec<Seg> {
    let mut segs = Vec::with_capacity(pts.len() * 2);
    let Some(&first) = pts.first() else {
        return segs;
    };
    segs.push(Seg::Move(first));
    for i in 1..pts.len() {
        let p = pts[i];
        let Some(&next) = pts.get(i + 1) else {
            segs.push(Seg::Line(p));
            break;
        };
        let prev = pts[i - 1];
        let (l1, l2) = (
            (p.x - prev.x).hypot(p.y - prev.y),
            (next.x - p.x).hypot(next.y - p.y),
        );
        let r = radius.min(l1 / 2.0).min(l2 / 2.0);
        if r < 0.5 {
            segs.push(Seg::Line(p));
            continue;
        }
        let a = Pos::new(p.x + (prev.x - p.x) / l1 * r, p.y + (prev.y - p.y) / l1 * r);
        let b = Pos::new(p.x + (next.x - p.x) / l2 * r, p.y + (next.y - p.y) / l2 * r);
        segs.push(Seg::Line(a));
        // A quarter-circle-like corner: control points 55 % of the way to the corner.
        let k = 0.552;
        segs.push(Seg::Cubic(
            Pos::new(a.x + (p.x - a.x) * k, a.y + (p.y - a.y) * k),
            Pos::new(b.x + (p.x - b.x) * k, b.y + (p.y - b.y) * k),
            b,
        ));
    }
    segs
}
