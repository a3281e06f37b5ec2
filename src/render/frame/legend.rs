//! The export legend: lane kinds (as the map names its lanes), the colouring in use, the
//! emotion scale and curves, links, card marks and channels, laid out in wrapping rows.

use super::{Block, LEGEND_FONT};
use crate::geom::{Pos, Rect};
use crate::layout::{FontMeasure, LINE_HEIGHT, Layout, TextMeasure as _};
use crate::model::{Channel, Document, LaneKind};
use crate::render::{ColourBy, Element, Item, Look, Part, Stroke};
use crate::text::short;
use crate::theme::{Color, Theme};

/// Lays out legend entries left to right, wrapping within a width.
struct Flow {
    block: Block,
    x: f32,
    y: f32,
    w: f32,
}

const ROW_H: f32 = LEGEND_FONT * LINE_HEIGHT + 10.0;
const SWATCH: f32 = 14.0;

impl Flow {
    /// Starts a section on a new row with a bold heading.
    fn section(&mut self, heading: &str, theme: &Theme) {
        if self.x > 0.0 {
            self.x = 0.0;
            self.y += ROW_H;
        }
        let w = self
            .block
            .text(heading, 0.0, self.y, LEGEND_FONT, true, theme.text);
        self.x = w.max(110.0) + 12.0;
    }

    /// Room for an entry `w` wide: wraps to a new row (indented under the heading) if needed.
    fn place(&mut self, w: f32) -> f32 {
        if self.x + w > self.w && self.x > 122.0 {
            self.x = 122.0;
            self.y += ROW_H;
        }
        let x = self.x;
        self.x += w + 22.0;
        x
    }

    /// An entry: a swatch drawn by `swatch` in a SWATCH square, then a label.
    fn entry(&mut self, label: &str, theme: &Theme, swatch: impl FnOnce(Rect) -> Vec<Item>) {
        let tw = FontMeasure::shared().width(label, LEGEND_FONT, false);
        let x = self.place(SWATCH + 8.0 + tw);
        let sy = self.y + (LEGEND_FONT * LINE_HEIGHT - SWATCH) / 2.0;
        let r = Rect::from_xywh(x, sy, SWATCH, SWATCH);
        for item in swatch(r) {
            self.block.item(r, item);
        }
        self.block.text(
            label,
            x + SWATCH + 8.0,
            self.y,
            LEGEND_FONT,
            false,
            theme.text,
        );
    }

    /// An entry whose swatch is drawn as a part (icons, badges).
    fn entry_part(&mut self, label: &str, theme: &Theme, swatch: impl FnOnce(&mut Part, Rect)) {
        self.entry(label, theme, |r| {
            let mut p = Part::new(Element::Legend);
            swatch(&mut p, r);
            p.items.into_iter().map(|(_, i)| i).collect()
        });
    }

    /// A plain text entry.
    fn words(&mut self, label: &str, theme: &Theme) {
        let tw = FontMeasure::shared().width(label, LEGEND_FONT, false);
        let x = self.place(tw);
        self.block
            .text(label, x, self.y, LEGEND_FONT, false, theme.text_muted);
    }

    /// A section of lines of words, the first `max` of them and "and N more" (none: no
    /// section).
    fn listed(&mut self, heading: &str, lines: &[String], max: usize, theme: &Theme) {
        if lines.is_empty() {
            return;
        }
        self.section(heading, theme);
        for s in lines.iter().take(max) {
            self.words(s, theme);
        }
        if lines.len() > max {
            self.words(&format!("and {} more", lines.len() - max), theme);
        }
    }
}

/// The legend: lane kinds, the emotion scale, moments of truth and channels in use.
pub(super) fn legend(doc: &Document, layout: &Layout, theme: &Theme, look: &Look, w: f32) -> Block {
    let mut f = Flow {
        block: Block::default(),
        x: 0.0,
        y: 0.0,
        w,
    };
    // One entry per kind of visible lane, named as the map names its lanes of that kind
    // (a touchpoints lane called "Channels" is "Channels" here too); the kind's own name
    // where the lanes have none.
    let mut names: Vec<(LaneKind, Vec<String>)> = Vec::new();
    for l in &layout.lanes {
        if !l.kind.holds_cards() {
            continue;
        }
        let i = names
            .iter()
            .position(|(k, _)| *k == l.kind)
            .unwrap_or_else(|| {
                names.push((l.kind, Vec::new()));
                names.len() - 1
            });
        let name = doc
            .lane(l.id)
            .map(|lane| {
                short(
                    &lane.name.split_whitespace().collect::<Vec<_>>().join(" "),
                    32,
                )
            })
            .unwrap_or_default();
        if !name.is_empty() && !names[i].1.contains(&name) {
            names[i].1.push(name);
        }
    }
    colour_section(&mut f, doc, layout, theme, look);
    stale_section(&mut f, doc, theme);
    if !names.is_empty() && look.by == ColourBy::Lane {
        f.section("Lanes", theme);
        for (k, names) in names {
            let label = if names.is_empty() {
                k.label().to_owned()
            } else {
                names.join(", ")
            };
            let fill = theme.card_fill(k);
            let accent = theme.kind_accent(k);
            let stroke = theme.card_stroke;
            f.entry(&label, theme, |r| {
                vec![
                    Item::Rect {
                        rect: r,
                        radius: 3.0,
                        fill,
                        stroke: Some(Stroke::solid(1.0, stroke)),
                    },
                    Item::Rect {
                        rect: Rect::from_xywh(r.min.x, r.min.y, 4.0, r.height()),
                        radius: 0.0,
                        fill: accent,
                        stroke: None,
                    },
                ]
            });
        }
    }
    if let Some(e) = &layout.emotion {
        let s = &doc.emotion.scale;
        f.section("Emotion", theme);
        for c in &e.curves {
            let name = doc.emotion.curve(c.id).map_or("", |c| c.name.trim());
            let kind = c.kind.label();
            // The compare view's other curves are named after the other version.
            let theirs = look
                .changes
                .as_ref()
                .is_some_and(|m| m.other_curves.contains(&c.id));
            let label = if theirs {
                short(name, 60)
            } else if name.is_empty() || name == kind {
                kind.to_owned()
            } else {
                format!("{} ({})", short(name, 40), kind.to_lowercase())
            };
            let color = crate::render::emotion::curve_color(c, theme);
            let stroke = match c.kind {
                crate::model::CurveKind::Measured => Stroke::dashed(2.5, color, 5.0, 3.0),
                crate::model::CurveKind::Future => Stroke::dashed(2.5, color, 2.0, 3.0),
                _ => Stroke::solid(3.0, color),
            };
            f.entry(&label, theme, |r| {
                let y = r.center().y;
                vec![Item::Path {
                    segs: crate::render::polyline(
                        &[Pos::new(r.min.x, y + 3.0), Pos::new(r.max.x, y - 3.0)],
                        false,
                    ),
                    fill: None,
                    stroke: Some(stroke),
                }]
            });
        }
        for (label, fill) in [
            ("Above neutral: feels good", theme.good),
            ("Below neutral: feels bad", theme.bad),
        ] {
            f.entry(label, theme, |r| {
                vec![Item::Rect {
                    rect: r,
                    radius: 0.0,
                    fill,
                    stroke: None,
                }]
            });
        }
        // Long labels are cut: the legend line stays within the page.
        let cut = |v: i32| {
            let label = s.label(v).unwrap_or("").trim();
            crate::layout::elide(FontMeasure::shared(), label, LEGEND_FONT, false, 240.0)
        };
        let (lo, hi) = (cut(s.min), cut(s.max));
        f.words(
            &format!("Scale {:+} {lo} to {:+} {hi}", s.min, s.max).replace("  ", " "),
            theme,
        );
        if !e.gaps.is_empty() {
            let gap = theme.gap;
            f.entry(
                "Gap: service as measured vs experience as perceived",
                theme,
                |r| {
                    // Hatched as on the curve.
                    let mut segs = Vec::new();
                    let mut x = r.min.x + 1.0;
                    while x < r.max.x {
                        segs.push(crate::render::primitives::Seg::Move(Pos::new(x, r.min.y)));
                        segs.push(crate::render::primitives::Seg::Line(Pos::new(x, r.max.y)));
                        x += 3.5;
                    }
                    vec![Item::Path {
                        segs,
                        fill: None,
                        stroke: Some(Stroke::solid(1.2, gap)),
                    }]
                },
            );
            let largest: Vec<String> = e
                .largest_gaps()
                .iter()
                .map(|g| {
                    let name = doc.stage(g.stage).map_or("", |s| s.name.as_str());
                    // In the measured curve's own units when it has them, as the curve says.
                    format!("{} ({})", short(name.trim(), 32), g.said("feels"))
                })
                .collect();
            if !largest.is_empty() {
                f.words(&format!("Largest gaps: {}", largest.join(", ")), theme);
            }
        }
    }
    links_section(&mut f, layout, theme);
    markers_section(&mut f, doc, layout, theme, look);
    other_maps_section(&mut f, doc, layout, theme);
    let used: Vec<Channel> = Channel::ALL
        .into_iter()
        .filter(|ch| doc.cards.iter().any(|c| c.channel == Some(*ch)))
        .collect();
    if !used.is_empty() {
        f.section("Channels", theme);
        let muted = theme.text_muted;
        for ch in used {
            f.entry_part(ch.label(), theme, |p, r| {
                crate::render::icons::channel_icon(p, ch, r, muted);
            });
        }
    }
    let mut block = f.block;
    if block.items.is_empty() {
        block.height = 0.0;
    }
    block
}

/// What card colours mean when they do not mean the lane kind: owners, evidence or a metric's
/// heat scale.
fn colour_section(f: &mut Flow, doc: &Document, layout: &Layout, theme: &Theme, look: &Look) {
    let cards = crate::analysis::shown_cards(doc, layout);
    let shown = || cards.iter().copied();
    let swatch = |fill: Color, stripe: Option<Color>| {
        let stroke = theme.card_stroke;
        move |r: Rect| {
            let mut v = vec![Item::Rect {
                rect: r,
                radius: 3.0,
                fill,
                stroke: Some(Stroke::solid(1.0, stroke)),
            }];
            if let Some(s) = stripe {
                v.push(Item::Rect {
                    rect: Rect::from_xywh(r.min.x, r.min.y, 4.0, r.height()),
                    radius: 0.0,
                    fill: s,
                    stroke: None,
                });
            }
            v
        }
    };
    match &look.by {
        ColourBy::Lane => {}
        ColourBy::Owner => {
            f.section("Owners", theme);
            // The owners of the cards shown, in their map-wide colours.
            for o in look
                .owners
                .iter()
                .filter(|o| shown().any(|c| c.owner.trim() == o.as_str()))
            {
                if let Some(h) = look.owner_hue(o) {
                    let c = theme.hue(h);
                    f.entry(&short(o, 40), theme, swatch(c.fill, Some(c.accent)));
                }
            }
            if shown().any(|c| c.owner.trim().is_empty()) {
                f.entry("No owner", theme, swatch(theme.label_fill, None));
            }
        }
        ColourBy::Evidence => {
            use crate::model::EvidenceKind;
            f.section("Evidence", theme);
            for (label, kind) in [
                ("Researched", Some(EvidenceKind::Researched)),
                ("Assumed", Some(EvidenceKind::Assumed)),
                ("Not said", None),
            ] {
                let fill = theme.hue(crate::render::evidence_hue(kind)).fill;
                f.entry(label, theme, swatch(fill, None));
            }
        }
        ColourBy::Metric(name) => {
            f.section(&short(name, 24), theme);
            let steps = look.heat_steps(theme);
            if steps.is_empty() {
                f.words("No card has this metric", theme);
            }
            for (label, fill) in steps {
                f.entry(&label, theme, swatch(fill, None));
            }
            if shown().any(|c| c.metric(name).is_none()) {
                f.entry("Not measured", theme, swatch(theme.label_fill, None));
            }
        }
        ColourBy::Changes => {
            let Some(m) = &look.changes else {
                return;
            };
            f.section(&short(&format!("Since {}", m.other), 40), theme);
            for (label, mark) in crate::render::CHANGE_KINDS {
                let c = theme.hue(crate::render::change_hue(&mark));
                f.entry(label, theme, swatch(c.fill, Some(c.accent)));
            }
            f.entry("The same", theme, swatch(theme.label_fill, None));
            for line in &m.summary {
                f.words(line, theme);
            }
        }
    }
}

/// Metrics read from data longer ago than their sources allow (or never read): the page says
/// so, since a number on a card looks as current as any other.
fn stale_section(f: &mut Flow, doc: &Document, theme: &Theme) {
    let today = crate::text::day_of(&super::export_date()).unwrap_or(0);
    let stale: Vec<String> = doc
        .cards
        .iter()
        .flat_map(|c| {
            c.metrics.iter().filter_map(move |m| {
                let age = m.stale(today)?;
                let when = match (&m.refreshed, age) {
                    (Some(d), Some(a)) => format!("read {d}, {a} days ago"),
                    _ => "never read from its data".to_string(),
                };
                Some(format!(
                    "{} on \u{201c}{}\u{201d}: {when}",
                    m.name,
                    short(&c.text, 40)
                ))
            })
        })
        .collect();
    f.listed("Stale metrics", &stale, 5, theme);
}

/// The kinds of links the map draws.
fn links_section(f: &mut Flow, layout: &Layout, theme: &Theme) {
    use crate::model::LinkKind;
    let kinds: Vec<LinkKind> = LinkKind::ALL
        .into_iter()
        .filter(|k| layout.links.iter().any(|l| l.kind == *k))
        .collect();
    if kinds.is_empty() {
        return;
    }
    f.section("Links", theme);
    for kind in kinds {
        let label = match kind {
            LinkKind::Causes => "Is caused by (arrow to the root cause)",
            LinkKind::LeadsTo => "Leads to",
            LinkKind::RelatesTo => "Relates to",
        };
        f.entry_part(label, theme, |p, r| {
            let y = r.center().y;
            let lb = crate::layout::LinkBox {
                id: crate::model::LinkId(0),
                from: crate::model::CardId(0),
                to: crate::model::CardId(0),
                kind,
                route: vec![Pos::new(r.min.x - 8.0, y), Pos::new(r.max.x + 2.0, y)],
            };
            let part = crate::render::link_part(&lb, theme);
            for (b, i) in part.items {
                p.push(b, i);
            }
        });
    }
}

/// Moments of truth, severity, priority, evidence outlines and notes, where the map has them.
fn markers_section(f: &mut Flow, doc: &Document, layout: &Layout, theme: &Theme, look: &Look) {
    use crate::model::EvidenceKind;
    let shown = crate::analysis::shown_cards(doc, layout);
    let any = |pred: &dyn Fn(&crate::model::Card) -> bool| shown.iter().any(|c| pred(c));
    let moment = any(&|c| c.moment_of_truth);
    let severity = any(&|c| c.severity.is_some());
    let priority = any(&|c| c.priority.is_some());
    let researched = any(&|c| {
        c.evidence
            .as_ref()
            .is_some_and(|e| e.kind == EvidenceKind::Researched)
    });
    let assumed = any(&|c| {
        c.evidence
            .as_ref()
            .is_some_and(|e| e.kind == EvidenceKind::Assumed)
    });
    let notes = any(&|c| !c.note.trim().is_empty());
    let away = any(&|c| !c.map_links.is_empty());
    if !(moment || severity || priority || researched || assumed || notes || away) {
        return;
    }
    f.section("Markers", theme);
    if moment {
        let m = theme.moment;
        f.entry_part("Moment of truth", theme, |p, r| {
            crate::render::icons::star(p, r, m, None);
        });
    }
    if severity {
        let red = theme.hue(crate::model::Hue::Red).accent;
        let grid = theme.grid;
        f.entry_part("Severity 1\u{2013}3", theme, |p, r| {
            crate::render::icons::severity_bars(p, r, 2, red, grid);
        });
    }
    if priority {
        let green = theme.hue(crate::model::Hue::Green).accent;
        let grid = theme.grid;
        f.entry_part("Priority 1\u{2013}3", theme, |p, r| {
            crate::render::icons::priority_chevrons(p, r, 2, green, grid);
        });
    }
    let outline = |dash: bool| {
        let muted = theme.text_muted;
        move |r: Rect| {
            vec![Item::Rect {
                rect: r,
                radius: 3.0,
                fill: Color([0, 0, 0, 0]),
                stroke: Some(if dash {
                    Stroke::dashed(1.5, muted, 4.0, 2.5)
                } else {
                    Stroke::solid(1.5, muted)
                }),
            }]
        }
    };
    if researched {
        f.entry("Researched (solid outline)", theme, outline(false));
    }
    if assumed {
        f.entry("Assumed (dashed outline)", theme, outline(true));
    }
    if notes {
        let label = if look.notes.is_some() {
            "Note (numbered as in Notes)"
        } else {
            "Note"
        };
        f.entry_part(label, theme, |p, r| match look.notes {
            Some(_) => crate::render::note_number(p, r, 1, theme),
            None => crate::render::icons::note_marker(p, r, theme.text_muted),
        });
    }
    if away {
        f.entry_part("Links to another map (see Other maps)", theme, |p, r| {
            crate::render::icons::map_link_marker(p, r, theme.text_muted);
        });
    }
}

/// Where the shown cards' links to other maps lead ("\u{201c}Pays the bill\u{201d} leads to
/// Onboarding \u{203a} Welcome call"), the first eight.
fn other_maps_section(f: &mut Flow, doc: &Document, layout: &Layout, theme: &Theme) {
    let shown = crate::analysis::shown_cards(doc, layout);
    let lines: Vec<String> = shown
        .iter()
        .flat_map(|c| {
            c.map_links
                .iter()
                .map(move |l| format!("\u{201c}{}\u{201d} {}", short(&c.text, 40), l.describe()))
        })
        .collect();
    f.listed("Other maps", &lines, 8, theme);
}
