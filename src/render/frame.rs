//! The export frame: the map's own display list (exactly what the canvas paints) with a title
//! block above it and a legend and footer below it. Every exporter writes this list.

use std::sync::Arc;

use super::{DisplayList, Element, Item, Part, Stroke, scene};
use crate::geom::{Pos, Rect};
use crate::layout::{FontMeasure, LINE_HEIGHT, Layout, TextMeasure as _, wrap};
use crate::model::{Channel, Document, LaneKind};
use crate::theme::{Color, Theme};

/// Margin around everything in an export.
pub const PAD: f32 = 40.0;
/// Title size.
pub const TITLE_FONT: f32 = 30.0;
/// Description and persona size.
pub const SUB_FONT: f32 = 15.0;
/// Legend size.
pub const LEGEND_FONT: f32 = 13.0;
/// Footer size (the smallest text of an export, as on the map itself).
pub const FOOTER_FONT: f32 = 12.0;
/// Narrowest text block of the title and legend, for maps with one small stage.
const MIN_TEXT_W: f32 = 640.0;

/// What the footer says: which file and when. Both are injected so that goldens are stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportMeta {
    /// The map's file name (or "Untitled map").
    pub file_name: String,
    /// The date, as `YYYY-MM-DD`.
    pub date: String,
}

/// An export's display list and where the map sits inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportScene {
    /// Everything, in paint order (the page's background first).
    pub list: DisplayList,
    /// The parts of the map itself: `list.parts[map_parts]` equals the canvas display list.
    pub map_parts: std::ops::Range<usize>,
}

/// A block of items laid out from y = 0 downwards, moved into place later.
#[derive(Default)]
struct Block {
    items: Vec<(Rect, Item)>,
    height: f32,
}

impl Block {
    fn text(&mut self, text: &str, x: f32, y: f32, size: f32, bold: bool, color: Color) -> f32 {
        let text: Arc<str> = text.into();
        let width = FontMeasure::shared().width(&text, size, bold);
        let bounds = Rect::from_xywh(x, y, width, size * LINE_HEIGHT);
        self.items.push((
            bounds,
            Item::Text {
                pos: Pos::new(x, y),
                text,
                size,
                bold,
                color,
                width,
            },
        ));
        self.height = self.height.max(y + size * LINE_HEIGHT);
        width
    }

    fn wrapped(&mut self, text: &str, y: f32, max_w: f32, size: f32, bold: bool, c: Color) -> f32 {
        let mut y = y;
        for line in wrap(FontMeasure::shared(), text.trim(), size, bold, max_w) {
            self.text(&line, 0.0, y, size, bold, c);
            y += size * LINE_HEIGHT;
        }
        y
    }

    fn item(&mut self, bounds: Rect, item: Item) {
        self.height = self.height.max(bounds.max.y);
        self.items.push((bounds, item));
    }

    fn moved(self, dy: f32) -> Vec<(Rect, Item)> {
        let d = Pos::new(0.0, dy);
        self.items
            .into_iter()
            .map(|(b, item)| (b.translate(d), item.translate(d)))
            .collect()
    }
}

/// The title block: title, description, personas.
fn title_block(doc: &Document, theme: &Theme, w: f32) -> Block {
    let mut b = Block::default();
    let title = if doc.title.trim().is_empty() {
        "Untitled journey"
    } else {
        doc.title.as_str()
    };
    let mut y = b.wrapped(title, 0.0, w, TITLE_FONT, true, theme.text);
    if !doc.description.trim().is_empty() {
        y = b.wrapped(
            &doc.description,
            y + 6.0,
            w,
            SUB_FONT,
            false,
            theme.text_muted,
        );
    }
    for p in &doc.personas {
        let name = format!("Persona: {}", p.name.trim());
        y = b.wrapped(&name, y + 10.0, w, SUB_FONT, true, theme.text);
        if !p.description.trim().is_empty() {
            y = b.wrapped(&p.description, y, w, SUB_FONT, false, theme.text_muted);
        }
    }
    b.height = y;
    b
}

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

    /// A plain text entry.
    fn words(&mut self, label: &str, theme: &Theme) {
        let tw = FontMeasure::shared().width(label, LEGEND_FONT, false);
        let x = self.place(tw);
        self.block
            .text(label, x, self.y, LEGEND_FONT, false, theme.text_muted);
    }
}

/// `text` cut to at most `max` characters, with an ellipsis where it was cut.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// The legend: lane kinds, the emotion scale, moments of truth and channels in use.
fn legend(doc: &Document, layout: &Layout, theme: &Theme, w: f32) -> Block {
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
    if !names.is_empty() {
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
            let label = if name.is_empty() || name == kind {
                kind.to_owned()
            } else {
                format!("{} ({})", short(name, 40), kind.to_lowercase())
            };
            let color = super::emotion::curve_color(c, theme);
            let stroke = match c.kind {
                crate::model::CurveKind::Measured => Stroke::dashed(2.5, color, 5.0, 3.0),
                crate::model::CurveKind::Future => Stroke::dashed(2.5, color, 2.0, 3.0),
                _ => Stroke::solid(3.0, color),
            };
            f.entry(&label, theme, |r| {
                let y = r.center().y;
                vec![Item::Path {
                    segs: super::polyline(
                        &[Pos::new(r.min.x, y + 3.0), Pos::new(r.max.x, y - 3.0)],
                        false,
                    ),
                    fill: None,
                    stroke: Some(stroke),
                }]
            });
        }
        let (good, bad) = (theme.good, theme.bad);
        f.entry("Above neutral: feels good", theme, |r| {
            vec![Item::Rect {
                rect: r,
                radius: 0.0,
                fill: good,
                stroke: None,
            }]
        });
        f.entry("Below neutral: feels bad", theme, |r| {
            vec![Item::Rect {
                rect: r,
                radius: 0.0,
                fill: bad,
                stroke: None,
            }]
        });
        let lo = s.label(s.min).unwrap_or("").trim();
        let hi = s.label(s.max).unwrap_or("").trim();
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
                    vec![Item::Rect {
                        rect: r,
                        radius: 0.0,
                        fill: gap,
                        stroke: None,
                    }]
                },
            );
            let largest: Vec<String> = super::emotion::largest_gaps(e)
                .iter()
                .map(|g| {
                    let name = doc.stage(g.stage).map_or("", |s| s.name.as_str());
                    format!("{} {:+.1}", short(name.trim(), 32), g.size).replace('-', "\u{2212}")
                })
                .collect();
            if !largest.is_empty() {
                f.words(&format!("Largest gaps: {}", largest.join(", ")), theme);
            }
        }
    }
    if doc.cards.iter().any(|c| c.moment_of_truth) {
        f.section("Markers", theme);
        let moment = theme.moment;
        f.entry("Moment of truth", theme, |r| {
            vec![Item::Path {
                segs: super::polyline(&super::star(r.center(), SWATCH / 2.0), true),
                fill: Some(moment),
                stroke: None,
            }]
        });
    }
    let used: Vec<Channel> = Channel::ALL
        .into_iter()
        .filter(|ch| doc.cards.iter().any(|c| c.channel == Some(*ch)))
        .collect();
    if !used.is_empty() {
        f.section("Channels", theme);
        for ch in used {
            f.words(ch.label(), theme);
        }
    }
    let mut block = f.block;
    if block.items.is_empty() {
        block.height = 0.0;
    }
    block
}

/// The footer: file name and date at the left, the product at the right, over a rule.
fn footer(theme: &Theme, meta: &ExportMeta, w: f32) -> Block {
    let mut b = Block::default();
    b.item(
        Rect::from_xywh(0.0, 0.0, w, 1.0),
        Item::Path {
            segs: super::polyline(&[Pos::new(0.0, 0.5), Pos::new(w, 0.5)], false),
            fill: None,
            stroke: Some(Stroke::solid(1.0, theme.grid)),
        },
    );
    let left = format!("{}  ·  {}", meta.file_name, meta.date);
    b.text(&left, 0.0, 10.0, FOOTER_FONT, false, theme.text_muted);
    let right = "Made with Journeymap";
    let rw = FontMeasure::shared().width(right, FOOTER_FONT, false);
    b.text(right, w - rw, 10.0, FOOTER_FONT, false, theme.text_muted);
    b
}

/// The display list of an export: the whole map whatever the viewport, with title, personas,
/// legend and footer, on the theme's background.
#[must_use]
pub fn export_scene(
    doc: &Document,
    layout: &Layout,
    theme: &Theme,
    meta: &ExportMeta,
) -> ExportScene {
    let map = scene(doc, layout, theme);
    let mb = map.bounds;
    let w = mb.width().max(MIN_TEXT_W);
    let shift = |items: Vec<(Rect, Item)>, dx: f32| -> Vec<(Rect, Item)> {
        let d = Pos::new(dx, 0.0);
        items
            .into_iter()
            .map(|(b, i)| (b.translate(d), i.translate(d)))
            .collect()
    };
    let title = title_block(doc, theme, w);
    let title_h = title.height;
    let title_items = shift(title.moved(mb.min.y - 28.0 - title_h), mb.min.x);
    let legend = legend(doc, layout, theme, w);
    let legend_h = legend.height;
    let legend_items = shift(legend.moved(mb.max.y + 28.0), mb.min.x);
    let foot_y = mb.max.y + 28.0 + if legend_h > 0.0 { legend_h + 24.0 } else { 0.0 };
    let footer_items = shift(footer(theme, meta, w).moved(foot_y), mb.min.x);

    let mut all = mb;
    for (b, _) in title_items.iter().chain(&legend_items).chain(&footer_items) {
        all = all.union(b);
    }
    let all = Rect::from_corners(
        Pos::new(all.min.x - PAD, all.min.y - PAD),
        Pos::new(all.max.x.max(mb.min.x + w) + PAD, all.max.y + PAD),
    );
    let mut list = DisplayList::default();
    let mut page = Part::new(Element::Page);
    page.push(
        all,
        Item::Rect {
            rect: all,
            radius: 0.0,
            fill: theme.background,
            stroke: None,
        },
    );
    list.push_part(page);
    list.push_part(part_of(Element::Title, title_items));
    let start = list.parts.len();
    for p in map.parts {
        list.push_part(p);
    }
    let map_parts = start..list.parts.len();
    list.push_part(part_of(Element::Legend, legend_items));
    list.push_part(part_of(Element::Footer, footer_items));
    ExportScene { list, map_parts }
}

fn part_of(element: Element, items: Vec<(Rect, Item)>) -> Part {
    let mut p = Part::new(element);
    for (b, i) in items {
        p.push(b, i);
    }
    p
}

/// Today's date (UTC) as `YYYY-MM-DD`, or the date of `SOURCE_DATE_EPOCH` when it is set, so
/// that reproducible builds and golden images get a fixed date.
#[must_use]
pub fn export_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    date_of(secs)
}

/// A Unix time's UTC date as `YYYY-MM-DD` (the civil-from-days algorithm of H. Hinnant).
#[must_use]
pub fn date_of(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(1_795_478_400), "2026-11-24");
        assert_eq!(date_of(-86_400), "1969-12-31");
    }

    #[test]
    fn export_holds_the_canvas_list_and_a_frame() {
        let doc = crate::model::sample_map();
        let mut cache = crate::layout::TextCache::default();
        let layout = crate::layout::layout(&doc, FontMeasure::shared(), &mut cache);
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        let canvas = scene(&doc, &layout, &theme);
        let meta = ExportMeta {
            file_name: "bill.journeymap.json".into(),
            date: "2026-11-24".into(),
        };
        let ex = export_scene(&doc, &layout, &theme, &meta);
        assert_eq!(ex.list.parts[ex.map_parts.clone()], canvas.parts[..]);
        let texts: Vec<&str> = ex
            .list
            .items()
            .filter_map(|(_, i)| match i {
                Item::Text { text, size, .. } => {
                    assert!(*size >= 12.0, "{text} is {size}");
                    Some(&**text)
                }
                _ => None,
            })
            .collect();
        assert!(texts.contains(&"bill.journeymap.json  ·  2026-11-24"));
        assert!(texts.iter().any(|t| t.starts_with("Persona: ")));
        assert!(texts.contains(&"Pain points"));
        // Everything lies inside the export's bounds, which the background covers.
        let bg = ex.list.parts[0].bounds;
        assert_eq!(ex.list.parts[0].element, Element::Page);
        for (b, _) in ex.list.items() {
            assert!(
                bg.contains(b.min) && bg.contains(b.max),
                "{b:?} outside {bg:?}"
            );
        }
    }

    /// Texts of the export outside the map itself (title block, legend, footer).
    fn frame_texts(doc: &Document) -> Vec<String> {
        let mut cache = crate::layout::TextCache::default();
        let layout = crate::layout::layout(doc, FontMeasure::shared(), &mut cache);
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        let meta = ExportMeta {
            file_name: "f.json".into(),
            date: "2026-11-25".into(),
        };
        let ex = export_scene(doc, &layout, &theme, &meta);
        ex.list
            .parts
            .iter()
            .enumerate()
            .filter(|(i, _)| !ex.map_parts.contains(i))
            .flat_map(|(_, p)| p.items.iter())
            .filter_map(|(_, item)| match item {
                Item::Text { text, .. } => Some(text.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn legend_names_kinds_as_the_map_names_its_lanes() {
        let mut doc = crate::model::sample_map();
        let n = doc.lanes.len();
        doc.lanes[n - 1].kind = LaneKind::Custom;
        doc.lanes[n - 1].name = "Evidence".into();
        let texts = frame_texts(&doc);
        assert!(texts.iter().any(|t| t == "Evidence"), "{texts:?}");
        assert!(!texts.iter().any(|t| t == "Custom"), "{texts:?}");
        // Other kinds go by their lanes' names too.
        assert!(texts.iter().any(|t| t == "Touchpoints"), "{texts:?}");
        doc.lanes[1].name = "Where we meet them".into();
        let texts = frame_texts(&doc);
        assert!(texts.iter().any(|t| t == "Where we meet them"), "{texts:?}");
        assert!(!texts.iter().any(|t| t == "Touchpoints"), "{texts:?}");
        // Two custom lanes share one entry; a long name is shortened.
        doc.lanes[n - 2].kind = LaneKind::Custom;
        doc.lanes[n - 2].name = "Quotes from the interviews we ran in\nthe autumn".into();
        let texts = frame_texts(&doc);
        assert!(
            texts
                .iter()
                .any(|t| t == "Quotes from the interviews we r…, Evidence"),
            "{texts:?}"
        );
    }
}
