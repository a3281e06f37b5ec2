//! A 16:9 slide for one stage of the journey, for a deck: where the stage is in the journey,
//! how the customer feels there (with the service as measured and the gap, and whether it is a
//! worst moment), and its cards lane by lane in columns, large enough to read from the back of
//! a room. One slide unit is one point of the PDF page.

use super::{DisplayList, Element, ExportScene, Item, Look, Part, Stroke};
use crate::geom::{Pos, Rect};
use crate::layout::{FontMeasure, LINE_HEIGHT, wrap};
use crate::model::{Card, Document, Lane};
use crate::theme::{Color, Theme};

/// A slide's width (points).
pub const SLIDE_W: f32 = 960.0;
/// A slide's height (points).
pub const SLIDE_H: f32 = 540.0;
/// Room around the slide's content.
const MARGIN: f32 = 36.0;
/// Card text size when everything fits; it goes down to [`MIN_CARD_FONT`] before cards are
/// cut short.
const CARD_FONT: f32 = 22.0;
/// Smallest card text on a slide.
const MIN_CARD_FONT: f32 = 13.0;
/// The owner and channel line over a card's text.
const META_FONT: f32 = 11.0;
/// Space between columns and between cards.
const GAP: f32 = 12.0;
/// Padding inside a card.
const PAD: f32 = 8.0;

/// Text items gathered for one part.
struct Draw {
    part: Part,
}

impl Draw {
    fn new(element: Element) -> Self {
        Self {
            part: Part::new(element),
        }
    }

    /// One line of text at `pos` (top-left); returns its width.
    fn text(&mut self, s: &str, pos: Pos, size: f32, bold: bool, color: Color) -> f32 {
        let (b, item, w) = Item::measured_text(s, pos, size, bold, color);
        self.part.push(b, item);
        w
    }

    fn rect(&mut self, r: Rect, radius: f32, fill: Color, stroke: Option<Stroke>) {
        self.part.push(
            r,
            Item::Rect {
                rect: r,
                radius,
                fill,
                stroke,
            },
        );
    }
}

/// The slide of stage `index` of `doc`.
#[must_use]
pub fn stage_slide(doc: &Document, look: &Look, theme: &Theme, index: usize) -> ExportScene {
    let page = Rect::from_xywh(0.0, 0.0, SLIDE_W, SLIDE_H);
    let mut list = DisplayList::default();
    list.push_part(Part::page(page, theme.background));
    let Some(stage) = doc.stages.get(index) else {
        return ExportScene {
            list,
            map_parts: 0..0,
        };
    };
    let n = doc.stages.len();
    let w = SLIDE_W - 2.0 * MARGIN;
    // Where it is, and its name.
    let mut head = Draw::new(Element::Title);
    let place = format!("STAGE {} OF {n}", index + 1);
    head.text(
        &place,
        Pos::new(MARGIN, MARGIN),
        12.0,
        true,
        theme.text_muted,
    );
    let mut y = MARGIN + 12.0 * LINE_HEIGHT + 2.0;
    for line in wrap(FontMeasure::shared(), stage.name.trim(), 30.0, true, w)
        .into_iter()
        .take(2)
    {
        head.text(&line, Pos::new(MARGIN, y), 30.0, true, theme.text);
        y += 30.0 * LINE_HEIGHT;
    }
    list.push_part(head.part);
    // How it feels there.
    let mut feel = Draw::new(Element::Summary);
    let said = feeling(doc, index);
    if !said.is_empty() {
        let mut x = MARGIN;
        for (text, strong) in said {
            let colour = if strong {
                theme.hue(crate::model::Hue::Red).accent
            } else {
                theme.text
            };
            x += feel.text(&text, Pos::new(x, y + 4.0), 16.0, strong, colour) + 18.0;
        }
        y += 16.0 * LINE_HEIGHT + 10.0;
    }
    list.push_part(feel.part);
    // The cards, a column per lane that has some here.
    let columns: Vec<(&Lane, Vec<&Card>)> = doc
        .lanes
        .iter()
        .filter(|l| !l.hidden && l.kind.holds_cards())
        .map(|l| {
            let cards: Vec<&Card> = doc
                .cards
                .iter()
                .filter(|c| c.stage == stage.id && c.lane == l.id)
                .map(|c| &**c)
                .collect();
            (l, cards)
        })
        .filter(|(_, cards)| !cards.is_empty())
        .collect();
    let top = y + 10.0;
    let bottom = SLIDE_H - MARGIN - 20.0;
    if columns.is_empty() {
        let mut none = Draw::new(Element::Summary);
        none.text(
            "No cards in this stage.",
            Pos::new(MARGIN, top),
            18.0,
            false,
            theme.text_muted,
        );
        list.push_part(none.part);
    } else {
        let k = columns.len() as f32;
        let col_w = (w - GAP * (k - 1.0)) / k;
        let font = card_font(&columns, look, col_w, bottom - top);
        for (i, (lane, cards)) in columns.iter().enumerate() {
            let x = MARGIN + i as f32 * (col_w + GAP);
            column(
                &mut list,
                lane,
                cards,
                look,
                theme,
                (x, top, col_w, bottom),
                font,
            );
        }
    }
    // Whose deck, which slide.
    let mut foot = Draw::new(Element::Footer);
    let y = SLIDE_H - MARGIN;
    let number = format!("{} / {n}", index + 1);
    let nw = foot.text(&number, Pos::new(MARGIN, y), 10.0, true, theme.text_muted);
    let title = crate::layout::elide(
        FontMeasure::shared(),
        doc.title.trim(),
        10.0,
        false,
        w - nw - 20.0,
    );
    foot.text(
        &title,
        Pos::new(MARGIN + nw + 16.0, y),
        10.0,
        false,
        theme.text_muted,
    );
    list.push_part(foot.part);
    list.bounds = page;
    ExportScene {
        list,
        map_parts: 0..0,
    }
}

/// What the curves say about a stage, in pieces to set in a row (`true`: to stress): how
/// the customer feels, the service as measured and the gap, and whether it is a worst moment.
fn feeling(doc: &Document, index: usize) -> Vec<(String, bool)> {
    let Some(stage) = doc.stages.get(index) else {
        return Vec::new();
    };
    let scale = &doc.emotion.scale;
    let label = |v: f32| {
        let step = scale.label(v.round() as i32).unwrap_or("");
        format!("{} {step}", crate::text::signed(f64::from(v), 1))
            .trim()
            .to_owned()
    };
    let mut out = Vec::new();
    let gap = crate::model::stage_gaps(doc)
        .into_iter()
        .find(|g| g.stage == stage.id);
    let lowest = crate::model::experience_curve(doc).and_then(|c| {
        c.points
            .iter()
            .filter(|p| p.stage == stage.id)
            .map(|p| p.value)
            .min_by(f32::total_cmp)
    });
    match (gap, lowest) {
        (Some(g), _) => {
            out.push((format!("Feels {}", label(g.perceived)), false));
            let measured = doc
                .emotion
                .curves
                .iter()
                .find(|c| !c.hidden && c.kind == crate::model::CurveKind::Measured)
                .and_then(|c| c.units.as_ref())
                .filter(|u| u.usable())
                .map_or_else(
                    || format!("measured {}", crate::text::signed(f64::from(g.measured), 1)),
                    |u| format!("{} measured", u.say(g.measured, scale)),
                );
            out.push((measured, false));
            if g.size().abs() >= crate::model::GAP_LABEL_MIN {
                out.push((
                    format!("gap {} steps", crate::text::signed(f64::from(g.size()), 1)),
                    false,
                ));
            }
        }
        (None, Some(v)) => out.push((format!("Feels {}", label(v)), false)),
        (None, None) => {}
    }
    let worst = crate::model::worst_points(doc);
    let lowest = worst.first().map(|p| p.value);
    if let Some(p) = worst
        .iter()
        .find(|p| p.stage == stage.id && p.value < scale.neutral())
    {
        let said = if Some(p.value) <= lowest {
            "Worst moment of the journey".to_owned()
        } else {
            format!("One of the {} worst moments", worst.len())
        };
        out.push((said, true));
    }
    out
}

/// A card's owner and channel line (empty: none).
fn meta_of(card: &Card, look: &Look) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(ch) = card.channel_label() {
        parts.push(ch.to_uppercase());
    }
    let owner = look.owner_of(card).trim();
    if !owner.is_empty() {
        parts.push(owner.to_owned());
    }
    if let Some(s) = card.severity {
        parts.push(format!("severity {s}/{}", crate::model::MAX_LEVEL));
    }
    if let Some(p) = card.priority {
        parts.push(format!("priority {p}/{}", crate::model::MAX_LEVEL));
    }
    if card.moment_of_truth {
        parts.push("\u{2605} moment of truth".to_owned());
    }
    parts.join(" · ")
}

/// The height of a card at text size `font` in a column `w` wide (all its lines).
fn card_h(card: &Card, look: &Look, w: f32, font: f32) -> f32 {
    let lines = wrap(
        FontMeasure::shared(),
        card.text.trim(),
        font,
        false,
        w - 2.0 * PAD,
    )
    .len();
    let meta = if meta_of(card, look).is_empty() {
        0.0
    } else {
        META_FONT * LINE_HEIGHT + 2.0
    };
    2.0 * PAD + meta + lines.max(1) as f32 * font * LINE_HEIGHT
}

/// The largest card text size (from [`CARD_FONT`] down to [`MIN_CARD_FONT`]) at which every
/// column fits in `height` under its lane's name.
fn card_font(columns: &[(&Lane, Vec<&Card>)], look: &Look, w: f32, height: f32) -> f32 {
    let mut font = CARD_FONT;
    while font > MIN_CARD_FONT {
        let fits = columns.iter().all(|(_, cards)| {
            let h: f32 = cards.iter().map(|c| card_h(c, look, w, font) + GAP).sum();
            h + 14.0 * LINE_HEIGHT + 8.0 <= height
        });
        if fits {
            return font;
        }
        font -= 1.0;
    }
    MIN_CARD_FONT
}

/// One lane's column: its name on its colour, then its cards; cards that do not fit are cut
/// short ("…") and the column ends with how many more there are.
fn column(
    list: &mut DisplayList,
    lane: &Lane,
    cards: &[&Card],
    look: &Look,
    theme: &Theme,
    (x, top, w, bottom): (f32, f32, f32, f32),
    font: f32,
) {
    let mut head = Draw::new(Element::LaneLabel(lane.id));
    head.rect(
        Rect::from_xywh(x, top + 2.0, 4.0, 14.0 * LINE_HEIGHT - 4.0),
        2.0,
        theme.kind_accent(lane.kind),
        None,
    );
    let name = crate::layout::elide(
        FontMeasure::shared(),
        lane.name.trim(),
        14.0,
        true,
        w - 10.0,
    );
    head.text(&name, Pos::new(x + 10.0, top), 14.0, true, theme.text);
    list.push_part(head.part);
    let mut y = top + 14.0 * LINE_HEIGHT + 8.0;
    let more_h = 12.0 * LINE_HEIGHT;
    for (i, card) in cards.iter().enumerate() {
        let left = cards.len() - i;
        let room = bottom - y - if left > 1 { more_h + GAP } else { 0.0 };
        let meta = meta_of(card, look);
        let meta_h = if meta.is_empty() {
            0.0
        } else {
            META_FONT * LINE_HEIGHT + 2.0
        };
        let lh = font * LINE_HEIGHT;
        let mut lines = wrap(
            FontMeasure::shared(),
            card.text.trim(),
            font,
            false,
            w - 2.0 * PAD,
        );
        let fit = ((room - 2.0 * PAD - meta_h) / lh).floor().max(0.0) as usize;
        if fit == 0 {
            let mut more = Draw::new(Element::Summary);
            more.text(
                &format!("+ {left} more"),
                Pos::new(x, y),
                12.0,
                true,
                theme.text_muted,
            );
            list.push_part(more.part);
            return;
        }
        if lines.len() > fit {
            lines.truncate(fit);
            if let Some(last) = lines.last_mut() {
                let cut = format!("{}\u{2026}", last.trim_end());
                *last =
                    crate::layout::elide(FontMeasure::shared(), &cut, font, false, w - 2.0 * PAD);
            }
        }
        let h = 2.0 * PAD + meta_h + lines.len().max(1) as f32 * lh;
        let colours = look.card_colours(Some(card), lane.kind, theme);
        let mut d = Draw::new(Element::Card(card.id));
        let r = Rect::from_xywh(x, y, w, h);
        d.rect(
            r,
            6.0,
            colours.fill,
            Some(Stroke::solid(1.0, theme.card_stroke)),
        );
        if let Some(stripe) = colours.stripe {
            d.rect(Rect::from_xywh(x, y, 5.0, h), 2.0, stripe, None);
        }
        let mut ty = y + PAD;
        if !meta.is_empty() {
            let m =
                crate::layout::elide(FontMeasure::shared(), &meta, META_FONT, true, w - 2.0 * PAD);
            d.text(&m, Pos::new(x + PAD, ty), META_FONT, true, theme.text_muted);
            ty += META_FONT * LINE_HEIGHT + 2.0;
        }
        for line in &lines {
            d.text(line, Pos::new(x + PAD, ty), font, false, theme.text);
            ty += lh;
        }
        list.push_part(d.part);
        y += h + GAP;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(scene: &ExportScene) -> Vec<(Rect, String, f32)> {
        scene
            .list
            .items()
            .filter_map(|(b, i)| match i {
                Item::Text { text, size, .. } => Some((*b, text.to_string(), *size)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_full_stage_stays_on_its_slide_and_says_how_many_more() {
        let mut doc = crate::model::sample_map();
        let (stage, lane) = (doc.stages[2].id, doc.cards[0].lane);
        for i in 0..40 {
            let id = crate::model::CardId(900_000 + i);
            let text = format!("Extra card number {i} with a few words to wrap over lines");
            doc.cards
                .push(std::sync::Arc::new(Card::new(id, stage, lane, text)));
        }
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        let look = Look::new(&doc, &crate::view::View::default());
        let slide = stage_slide(&doc, &look, &theme, 2);
        let t = texts(&slide);
        for (b, s, size) in &t {
            assert!(
                b.max.y <= SLIDE_H - MARGIN + 14.0,
                "{s:?} below the slide: {b:?}"
            );
            assert!(
                b.max.x <= SLIDE_W - MARGIN + 0.5,
                "{s:?} past the edge: {b:?}"
            );
            assert!(*size >= 10.0, "{s:?} at {size}");
        }
        let more = t
            .iter()
            .find(|(_, s, _)| s.starts_with("+ "))
            .map(|x| x.1.clone());
        let more = more.expect("a \"+ N more\" line");
        let n: usize = more[2..].split(' ').next().unwrap().parse().unwrap();
        let shown = slide
            .list
            .parts
            .iter()
            .filter(|p| matches!(p.element, Element::Card(id) if doc.card(id).is_some_and(|c| c.lane == lane && c.stage == stage)))
            .count();
        let all = doc
            .cards
            .iter()
            .filter(|c| c.lane == lane && c.stage == stage)
            .count();
        assert_eq!(shown + n, all, "{more}");
        // Card text went down to the smallest size before cards were cut.
        assert!(
            t.iter()
                .any(|(_, s, size)| s.starts_with("Extra") && (*size - MIN_CARD_FONT).abs() < 0.01)
        );
    }
}
