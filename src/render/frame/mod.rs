//! The export frame: the map's own display list (exactly what the canvas paints) with a title
//! block above it and a legend and footer below it. Every exporter writes this list.

mod legend;

use super::{DisplayList, Element, Item, Look, Part, Stroke, scene_with};
use crate::geom::{Pos, Rect};
use crate::layout::{FontMeasure, LINE_HEIGHT, Layout, TextMeasure as _, wrap};
use crate::model::Document;
use crate::text::{one_line, short};
use crate::theme::{Color, Theme};
use legend::legend;

/// Margin around everything in an export.
pub const PAD: f32 = 40.0;
/// Width (at 100 % text) from which the notes go beside the legend instead of under it.
const SIDE_BY_SIDE_W: f32 = 1_100.0;
/// Title size.
pub const TITLE_FONT: f32 = 30.0;
/// Description and persona size.
pub const SUB_FONT: f32 = 15.0;
/// Legend size.
pub const LEGEND_FONT: f32 = 13.0;
/// Footer size (the smallest text of an export, as on the map itself).
pub const FOOTER_FONT: f32 = 12.0;
/// Most personas an export shows in full (the rest are counted).
pub const PERSONAS_SHOWN: usize = 9;
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
        let (bounds, item, width) = Item::measured_text(text, Pos::new(x, y), size, bold, color);
        self.items.push((bounds, item));
        self.height = self.height.max(bounds.max.y);
        width
    }

    fn wrapped(&mut self, text: &str, y: f32, max_w: f32, size: f32, bold: bool, c: Color) -> f32 {
        self.wrapped_at(text, 0.0, y, max_w, size, bold, c)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "a line of text has that many attributes"
    )]
    fn wrapped_at(
        &mut self,
        text: &str,
        x: f32,
        y: f32,
        max_w: f32,
        size: f32,
        bold: bool,
        c: Color,
    ) -> f32 {
        let mut y = y;
        for line in wrap(FontMeasure::shared(), text.trim(), size, bold, max_w) {
            self.text(&line, x, y, size, bold, c);
            y += size * LINE_HEIGHT;
        }
        y
    }

    fn item(&mut self, bounds: Rect, item: Item) {
        self.height = self.height.max(bounds.max.y);
        self.items.push((bounds, item));
    }

    /// The block scaled by `k` (laid out at 100 %, shown at the export's text size).
    fn scaled(self, k: f32) -> Block {
        if (k - 1.0).abs() < f32::EPSILON {
            return self;
        }
        let m = |p: Pos| Pos::new(p.x * k, p.y * k);
        Block {
            items: self
                .items
                .into_iter()
                .map(|(b, item)| (Rect::from_corners(m(b.min), m(b.max)), item.scale(k)))
                .collect(),
            height: self.height * k,
        }
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
fn title_block(doc: &Document, theme: &Theme, brief: bool, w: f32) -> Block {
    let mut b = Block::default();
    let title = if doc.title.trim().is_empty() {
        "Untitled journey"
    } else {
        doc.title.as_str()
    };
    let mut y = b.wrapped(title, 0.0, w, TITLE_FONT, true, theme.text);
    if !brief && !doc.description.trim().is_empty() {
        y = b.wrapped(
            &doc.description,
            y + 6.0,
            w,
            SUB_FONT,
            false,
            theme.text_muted,
        );
    }
    // Personas side by side in columns (one per persona, up to three a row; at most
    // PERSONAS_SHOWN, then how many more).
    if !doc.personas.is_empty() {
        let shown = &doc.personas[..doc.personas.len().min(PERSONAS_SHOWN)];
        let per_row = shown.len().min(3);
        let gap = 24.0;
        let col_w = (w - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let mut row_top = y + 14.0;
        for chunk in shown.chunks(per_row) {
            let mut bottom = row_top;
            for (i, p) in chunk.iter().enumerate() {
                let x = i as f32 * (col_w + gap);
                bottom = bottom.max(persona_block(&mut b, p, x, row_top, col_w, brief, theme));
            }
            row_top = bottom + 12.0;
        }
        y = row_top - 12.0;
        let more = doc.personas.len() - shown.len();
        if more > 0 {
            let noun = if more == 1 { "persona" } else { "personas" };
            let line = format!("and {more} more {noun}");
            y = b.wrapped(&line, y + 4.0, w, SUB_FONT, false, theme.text_muted);
        }
    }
    b.height = y;
    b
}

/// One persona's block: a colour bar, name and role, who they are, goals, expectations and
/// their quote; returns its bottom.
fn persona_block(
    b: &mut Block,
    p: &crate::model::Persona,
    x: f32,
    top: f32,
    w: f32,
    brief: bool,
    theme: &Theme,
) -> f32 {
    let accent = theme.hue(p.hue.unwrap_or(crate::model::Hue::Slate)).accent;
    let inner = w - 14.0;
    let tx = x + 14.0;
    let mut y = top;
    let name = if p.role.trim().is_empty() {
        format!("Persona: {}", p.name.trim())
    } else {
        format!("Persona: {} \u{2014} {}", p.name.trim(), p.role.trim())
    };
    y = b.wrapped_at(&name, tx, y, inner, SUB_FONT, true, theme.text);
    let fields = [
        ("", p.description.trim()),
        ("Goals: ", p.goals.trim()),
        ("Expects: ", p.expectations.trim()),
    ];
    for (label, text) in fields {
        if !brief && !text.is_empty() {
            y = b.wrapped_at(
                &format!("{label}{text}"),
                tx,
                y,
                inner,
                SUB_FONT,
                false,
                theme.text_muted,
            );
        }
    }
    if !p.quote.trim().is_empty() {
        let q = format!("\u{201c}{}\u{201d}", p.quote.trim());
        y = b.wrapped_at(&q, tx, y + 2.0, inner, SUB_FONT, true, accent);
    }
    b.item(
        Rect::from_xywh(x, top, 5.0, y - top),
        Item::Rect {
            rect: Rect::from_xywh(x, top, 5.0, y - top),
            radius: 2.0,
            fill: accent,
            stroke: None,
        },
    );
    y
}

/// The numbered notes of the cards, as the badges on the cards number them.
fn notes_block(doc: &Document, layout: &Layout, theme: &Theme, look: &Look, w: f32) -> Block {
    let mut b = Block::default();
    let Some(numbers) = &look.notes else {
        return b;
    };
    let mut notes: Vec<(usize, &crate::model::Card)> = crate::analysis::shown_cards(doc, layout)
        .into_iter()
        .filter_map(|c| numbers.get(&c.id).map(|n| (*n, c)))
        .collect();
    if notes.is_empty() {
        return b;
    }
    notes.sort_by_key(|(n, _)| *n);
    b.text("Notes", 0.0, 0.0, LEGEND_FONT, true, theme.text);
    let mut y = LEGEND_FONT * LINE_HEIGHT + 6.0;
    let indent = 34.0;
    for (n, c) in notes {
        let num = format!("{n}.");
        b.text(&num, 0.0, y, LEGEND_FONT, true, theme.text_muted);
        let card = short(
            c.text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
            60,
        );
        let text = format!(
            "{card}: {}",
            c.note.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        y = b.wrapped_at(&text, indent, y, w - indent, LEGEND_FONT, false, theme.text);
        y += 4.0;
    }
    b.height = y;
    b
}

/// The summary an executive reads first: the worst moments with their pain points, the
/// largest gaps, the moments of truth and the top opportunities with their owners, in up to
/// four columns.
fn summary_block(doc: &Document, layout: &Layout, theme: &Theme, w: f32) -> Block {
    let mut b = Block::default();
    let s = crate::analysis::summary(doc, layout);
    if s.is_empty() {
        return b;
    }
    let stage = |id| {
        doc.stage(id)
            .map_or(String::new(), |s| one_line(&s.name, 40))
    };
    let card = |id| {
        doc.card(id)
            .map_or(String::new(), |c| one_line(&c.text, 90))
    };
    let mut columns: Vec<(&str, Vec<String>)> = Vec::new();
    if !s.worst.is_empty() {
        let lines = s
            .worst
            .iter()
            .map(|w| {
                let pains: Vec<String> = w.pains.iter().take(2).map(|p| card(*p)).collect();
                let mut line =
                    format!("{} ({:+.1})", stage(w.stage), w.value).replace('-', "\u{2212}");
                if !pains.is_empty() {
                    line = format!("{line}: {}", pains.join("; "));
                }
                line
            })
            .collect();
        columns.push(("Worst moments", lines));
    }
    if !s.gaps.is_empty() {
        let lines = s
            .gaps
            .iter()
            .map(|g| {
                let steps = format!(
                    "measured {:.1} {} perceived",
                    g.size.abs(),
                    if g.size >= 0.0 { "above" } else { "below" }
                );
                match &g.in_units {
                    Some(u) => format!("{}: {u} ({:.1} steps apart)", stage(g.stage), g.size.abs()),
                    None => format!("{}: {steps}", stage(g.stage)),
                }
            })
            .collect();
        columns.push(("Largest gaps", lines));
    }
    if !s.moments.is_empty() {
        let lines = s
            .moments
            .iter()
            .take(crate::analysis::SUMMARY_ITEMS + 1)
            .filter_map(|id| doc.card(*id))
            .map(|c| format!("{}: {}", stage(c.stage), one_line(&c.text, 90)))
            .collect();
        columns.push(("Moments of truth", lines));
    }
    if !s.opportunities.is_empty() {
        let lines = s
            .opportunities
            .iter()
            .filter_map(|id| doc.card(*id))
            .map(|c| {
                let owner = if c.owner.trim().is_empty() {
                    "no owner yet".to_owned()
                } else {
                    c.owner.trim().to_owned()
                };
                format!("{} \u{2014} {owner}", one_line(&c.text, 90))
            })
            .collect();
        columns.push(("Top opportunities", lines));
    }
    if !s.unowned.is_empty() {
        let n = s.unowned.len();
        let mut lines = vec![format!(
            "{} {} no owner, and no owned cause",
            crate::text::count(n, "severe pain point"),
            if n == 1 { "has" } else { "have" }
        )];
        lines.extend(
            s.unowned
                .iter()
                .take(crate::analysis::SUMMARY_ITEMS)
                .filter_map(|id| doc.card(*id))
                .map(|c| format!("{}: {}", stage(c.stage), one_line(&c.text, 90))),
        );
        columns.push(("Who owns it?", lines));
    }
    let n = columns.len();
    let gap = 28.0;
    let col_w = (w - gap * (n as f32 - 1.0)) / n as f32;
    let size = SUB_FONT - 1.0;
    let mut bottom = 0.0_f32;
    let top = 14.0;
    for (i, (heading, lines)) in columns.iter().enumerate() {
        let x = i as f32 * (col_w + gap) + 12.0;
        let inner = col_w - 12.0;
        let red = theme.hue(crate::model::Hue::Red).accent;
        let color = if i == 0 && !s.worst.is_empty() {
            red
        } else {
            theme.text
        };
        let mut y = b.wrapped_at(heading, x, top, inner, size, true, color);
        for line in lines {
            let bullet_w = b.text("\u{2022}", x, y + 2.0, size, false, theme.text_muted);
            y = b.wrapped_at(
                line,
                x + bullet_w + 6.0,
                y + 2.0,
                inner - bullet_w - 6.0,
                size,
                false,
                theme.text,
            );
        }
        bottom = bottom.max(y);
    }
    let h = bottom + 12.0;
    let bg = Rect::from_xywh(0.0, 0.0, w, h);
    b.items.insert(0, Item::panel(bg, theme));
    b.height = h;
    b
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
    look: &Look,
    meta: &ExportMeta,
) -> ExportScene {
    let map = scene_with(doc, layout, theme, look);
    let mb = map.bounds;
    // The frame's text grows with the map's.
    let k = layout.view.text_scale;
    let w = mb.width().max(MIN_TEXT_W);
    let shift = |items: Vec<(Rect, Item)>, dx: f32| -> Vec<(Rect, Item)> {
        let d = Pos::new(dx, 0.0);
        items
            .into_iter()
            .map(|(b, i)| (b.translate(d), i.translate(d)))
            .collect()
    };
    let summary = summary_block(doc, layout, theme, w / k).scaled(k);
    let summary_h = summary.height;
    let summary_items = shift(summary.moved(mb.min.y - 28.0 * k - summary_h), mb.min.x);
    let above = if summary_h > 0.0 {
        summary_h + 20.0 * k
    } else {
        0.0
    };
    let title = title_block(doc, theme, look.brief, w / k).scaled(k);
    let title_h = title.height;
    let title_items = shift(title.moved(mb.min.y - 28.0 * k - above - title_h), mb.min.x);
    // The legend, and the notes beside it on the right when the page is wide enough (they
    // would leave the right of the page empty under each other).
    let top = mb.max.y + 28.0 * k;
    let notes = notes_block(doc, layout, theme, look, w / k);
    let side_by_side = notes.height > 0.0 && w / k >= SIDE_BY_SIDE_W;
    let (legend, notes, notes_x) = if side_by_side {
        let lw = (w / k * 0.58).floor();
        let nw = w / k - lw - 40.0;
        (
            legend(doc, layout, theme, look, lw).scaled(k),
            notes_block(doc, layout, theme, look, nw).scaled(k),
            (lw + 40.0) * k,
        )
    } else {
        (
            legend(doc, layout, theme, look, w / k).scaled(k),
            notes.scaled(k),
            0.0,
        )
    };
    let (legend_h, notes_h) = (legend.height, notes.height);
    let legend_items = shift(legend.moved(top), mb.min.x);
    let mut below = top
        + if legend_h > 0.0 {
            legend_h + 24.0 * k
        } else {
            0.0
        };
    let notes_items = if side_by_side {
        below = top + legend_h.max(notes_h) + 24.0 * k;
        shift(notes.moved(top), mb.min.x + notes_x)
    } else {
        let items = shift(notes.moved(below), mb.min.x);
        if notes_h > 0.0 {
            below += notes_h + 20.0 * k;
        }
        items
    };
    let (chart, chart_h) = if look.chart {
        let (items, h) =
            super::chart::chart(&super::chart::points_of(doc), theme, (w / k).min(900.0));
        let b = Block { items, height: h }.scaled(k);
        (b.items, b.height)
    } else {
        (Vec::new(), 0.0)
    };
    let chart_items = shift(
        chart
            .into_iter()
            .map(|(b, i)| {
                let d = Pos::new(0.0, below);
                (b.translate(d), i.translate(d))
            })
            .collect(),
        mb.min.x,
    );
    if chart_h > 0.0 {
        below += chart_h + 20.0 * k;
    }
    let footer_items = shift(footer(theme, meta, w / k).scaled(k).moved(below), mb.min.x);

    let mut all = mb;
    for (b, _) in title_items
        .iter()
        .chain(&summary_items)
        .chain(&legend_items)
        .chain(&notes_items)
        .chain(&chart_items)
        .chain(&footer_items)
    {
        all = all.union(b);
    }
    let all = Rect::from_corners(
        Pos::new(all.min.x - PAD, all.min.y - PAD),
        Pos::new(all.max.x.max(mb.min.x + w) + PAD, all.max.y + PAD),
    );
    let mut list = DisplayList::default();
    list.push_part(Part::page(all, theme.background));
    list.push_part(part_of(Element::Title, title_items));
    list.push_part(part_of(Element::Summary, summary_items));
    let start = list.parts.len();
    for p in map.parts {
        list.push_part(p);
    }
    let map_parts = start..list.parts.len();
    list.push_part(part_of(Element::Legend, legend_items));
    list.push_part(part_of(Element::Notes, notes_items));
    list.push_part(part_of(Element::Chart, chart_items));
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

pub use crate::text::date_of;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LaneKind;

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
        let canvas = crate::render::scene(&doc, &layout, &theme);
        let meta = ExportMeta {
            file_name: "bill.journeymap.json".into(),
            date: "2026-11-24".into(),
        };
        let ex = export_scene(&doc, &layout, &theme, &Look::default(), &meta);
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
        let ex = export_scene(doc, &layout, &theme, &Look::default(), &meta);
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
