//! How cards are coloured: by lane kind (the default), by owner (the silos a journey
//! crosses), by evidence, or by a metric on a heat scale. [`Look`] carries the choice,
//! resolved against a document, to every painter of cards and to the legend.

use std::collections::HashMap;

use crate::model::{Card, CardId, Document, EvidenceKind, Hue, LaneKind};
use crate::theme::{Color, Theme};
pub use crate::view::ColourBy;
use crate::view::View;

/// The hues owners get, in order of their first card.
pub const OWNER_HUES: [Hue; 10] = [
    Hue::Blue,
    Hue::Orange,
    Hue::Teal,
    Hue::Pink,
    Hue::Violet,
    Hue::Amber,
    Hue::Green,
    Hue::Indigo,
    Hue::Red,
    Hue::Stone,
];

/// A colouring resolved against one document: the owners in palette order, a metric's range.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Look {
    /// The choice.
    pub by: ColourBy,
    /// Owners in order of their first card (palette order).
    pub owners: Vec<String>,
    /// Owners cards without one take from a cause they are linked to (owner colouring).
    pub inherited: HashMap<CardId, String>,
    /// The metric's lowest and highest value over the map.
    pub range: Option<(f64, f64)>,
    /// Numbers for cards' notes, for exports (a page cannot show a tooltip); `None` on the
    /// canvas.
    pub notes: Option<HashMap<CardId, usize>>,
    /// Whether an export shows the importance–performance chart (from the cards'
    /// `importance` and `score` metrics).
    pub chart: bool,
    /// Whether an export leaves out detail to keep its text readable on a small page: the
    /// map's description and the personas' descriptions, goals and expectations (name, role
    /// and quote stay).
    pub brief: bool,
    /// The compare view's marks (with [`ColourBy::Changes`]).
    pub changes: Option<std::sync::Arc<crate::compare::view::Marks>>,
}

impl Look {
    /// Resolves a view's colouring against a document (the notes unnumbered: see
    /// [`Look::numbered`]).
    #[must_use]
    pub fn new(doc: &Document, view: &View) -> Self {
        let by = &view.colour_by;
        let mut look = Self {
            by: by.clone(),
            chart: view.chart,
            brief: !view.descriptions,
            changes: view.compare.clone(),
            ..Self::default()
        };
        match by {
            ColourBy::Owner => {
                look.owners = owners(doc);
                look.inherited = crate::model::inherited_owners(doc);
            }
            ColourBy::Metric(name) => {
                look.range = doc
                    .cards
                    .iter()
                    .filter_map(|c| c.metric(name))
                    .fold(None, |r, v| match r {
                        None => Some((v, v)),
                        Some((lo, hi)) => Some((v.min(lo), v.max(hi))),
                    });
            }
            ColourBy::Lane | ColourBy::Evidence | ColourBy::Changes => {}
        }
        look
    }

    /// The same, with the notes numbered in reading order (stage by stage, top to bottom)
    /// when the view numbers them: a page cannot show a tooltip, so it lists them under the
    /// map.
    #[must_use]
    pub fn numbered(doc: &Document, view: &View, layout: &crate::layout::Layout) -> Self {
        let look = Self::new(doc, view);
        if !view.notes {
            return look;
        }
        let by_id: HashMap<_, _> = doc.cards.iter().map(|c| (c.id, &**c)).collect();
        let mut order: Vec<&crate::layout::CardBox> = layout.cards.iter().collect();
        order.sort_by(|a, b| {
            (a.rect.min.x, a.rect.min.y)
                .partial_cmp(&(b.rect.min.x, b.rect.min.y))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        look.with_numbered_notes(order.into_iter().filter_map(|b| by_id.get(&b.id).copied()))
    }

    /// What happened to a card in the compare view (`None`: not comparing, or the same).
    #[must_use]
    pub fn change_of(&self, id: CardId) -> Option<&crate::compare::view::Mark> {
        match self.by {
            ColourBy::Changes => self.changes.as_ref()?.of(id),
            _ => None,
        }
    }

    /// The same, with the notes of `cards` (in the given order) numbered 1, 2, …
    #[must_use]
    pub fn with_numbered_notes<'a>(mut self, cards: impl Iterator<Item = &'a Card>) -> Self {
        let numbers = cards
            .filter(|c| !c.note.trim().is_empty())
            .zip(1..)
            .map(|(c, n)| (c.id, n))
            .collect();
        self.notes = Some(numbers);
        self
    }

    /// A card's fill, and the accent of the stripe down its left side (owner colouring).
    #[must_use]
    pub fn card_colours(&self, card: Option<&Card>, kind: LaneKind, theme: &Theme) -> CardColours {
        let plain = CardColours {
            fill: theme.card_fill(kind),
            stripe: None,
        };
        let Some(card) = card else {
            return plain;
        };
        match &self.by {
            ColourBy::Lane => plain,
            ColourBy::Owner => match self.owner_hue(self.owner_of(card)) {
                Some(h) => {
                    let c = theme.hue(h);
                    CardColours {
                        fill: c.fill,
                        stripe: Some(c.accent),
                    }
                }
                None => CardColours {
                    fill: theme.label_fill,
                    stripe: None,
                },
            },
            ColourBy::Evidence => CardColours {
                fill: theme
                    .hue(evidence_hue(card.evidence.as_ref().map(|e| e.kind)))
                    .fill,
                stripe: None,
            },
            ColourBy::Metric(name) => CardColours {
                fill: card
                    .metric(name)
                    .map_or(theme.label_fill, |v| self.heat(v, theme)),
                stripe: None,
            },
            ColourBy::Changes => match self.change_of(card.id).map(change_hue) {
                Some(h) => CardColours {
                    fill: theme.hue(h).fill,
                    stripe: Some(theme.hue(h).accent),
                },
                None => CardColours {
                    fill: theme.label_fill,
                    stripe: None,
                },
            },
        }
    }

    /// A card's owner: its own, else the one it takes from its cause (empty: none).
    #[must_use]
    pub fn owner_of<'a>(&'a self, card: &'a Card) -> &'a str {
        if card.owner.trim().is_empty() {
            self.inherited.get(&card.id).map_or("", String::as_str)
        } else {
            &card.owner
        }
    }

    /// The hue of an owner (`None` for no owner).
    #[must_use]
    pub fn owner_hue(&self, owner: &str) -> Option<Hue> {
        let owner = owner.trim();
        if owner.is_empty() {
            return None;
        }
        let i = self.owners.iter().position(|o| o == owner)?;
        Some(OWNER_HUES[i % OWNER_HUES.len()])
    }

    /// A metric value's colour on the heat scale.
    #[must_use]
    pub fn heat(&self, v: f64, theme: &Theme) -> Color {
        let t = match self.range {
            Some((lo, hi)) if hi > lo => ((v - lo) / (hi - lo)).clamp(0.0, 1.0) as f32,
            _ => 0.5,
        };
        heat_at(t, theme)
    }

    /// The heat scale as a legend shows it: five values from the lowest to the highest (one
    /// when all cards have the same value), each labelled and coloured; empty when no card
    /// has the metric. The canvas legend and the export legend both draw these.
    #[must_use]
    pub fn heat_steps(&self, theme: &Theme) -> Vec<(String, Color)> {
        let Some((lo, hi)) = self.range else {
            return Vec::new();
        };
        let steps: u8 = if hi > lo { 5 } else { 1 };
        (0..steps)
            .map(|i| {
                let t = if steps == 1 {
                    0.5
                } else {
                    f64::from(i) / f64::from(steps - 1)
                };
                let v = lo + (hi - lo) * t;
                (scale_number(v), self.heat(v, theme))
            })
            .collect()
    }
}

/// A number on a legend's scale: whole when it is, else with up to two decimals.
fn scale_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A card's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardColours {
    /// Its background.
    pub fill: Color,
    /// A stripe down its left edge.
    pub stripe: Option<Color>,
}

/// The kinds of change a legend lists, in order, with their names.
pub const CHANGE_KINDS: [(&str, crate::compare::view::Mark); 3] = [
    ("Added", crate::compare::view::Mark::Added),
    ("Changed", crate::compare::view::Mark::Changed(Vec::new())),
    ("Removed (ghost)", crate::compare::view::Mark::Removed),
];

/// The hue of a change in the compare view.
#[must_use]
pub fn change_hue(m: &crate::compare::view::Mark) -> Hue {
    use crate::compare::view::Mark;
    match m {
        Mark::Added => Hue::Green,
        Mark::Changed(_) => Hue::Amber,
        Mark::Removed => Hue::Red,
    }
}

/// The hue of an evidence kind (`None`: not said).
#[must_use]
pub fn evidence_hue(kind: Option<EvidenceKind>) -> Hue {
    match kind {
        Some(EvidenceKind::Researched) => Hue::Green,
        Some(EvidenceKind::Assumed) => Hue::Amber,
        None => Hue::Grey,
    }
}

/// The owners of a map's cards, in order of their first card, trimmed and without repeats.
#[must_use]
pub fn owners(doc: &Document) -> Vec<String> {
    crate::model::owners(doc)
}

/// The names of the metrics on a map's cards, sorted, without repeats.
#[must_use]
pub fn metric_names(doc: &Document) -> Vec<String> {
    doc.cards
        .iter()
        .flat_map(|c| c.metrics.iter().map(|m| m.name.trim()))
        .filter(|n| !n.is_empty())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The choices of colouring for a map: lane kind, owner, evidence, then each metric.
#[must_use]
pub fn colour_choices(doc: &Document) -> Vec<ColourBy> {
    let mut v = vec![ColourBy::Lane, ColourBy::Owner, ColourBy::Evidence];
    v.extend(metric_names(doc).into_iter().map(ColourBy::Metric));
    v
}

/// The heat scale at `t` (0: lowest, 1: highest): light to strong in the light theme, dark to
/// strong in the dark one; text stays readable on every step.
#[must_use]
pub fn heat_at(t: f32, theme: &Theme) -> Color {
    let dark = theme.background.0[0] < 128;
    let stops: [[f32; 3]; 3] = if dark {
        [
            [0x2A as f32, 0x33 as f32, 0x3D as f32],
            [0x6B as f32, 0x4E as f32, 0x1C as f32],
            [0x8A as f32, 0x2E as f32, 0x2A as f32],
        ]
    } else {
        [
            [0xFF as f32, 0xF6 as f32, 0xD8 as f32],
            [0xFB as f32, 0xC0 as f32, 0x7A as f32],
            [0xEE as f32, 0x7D as f32, 0x62 as f32],
        ]
    };
    let t = t.clamp(0.0, 1.0) * 2.0;
    let (a, b, u) = if t <= 1.0 {
        (stops[0], stops[1], t)
    } else {
        (stops[1], stops[2], t - 1.0)
    };
    let mix = |i: usize| (a[i] + (b[i] - a[i]) * u).round().clamp(0.0, 255.0) as u8;
    Color([mix(0), mix(1), mix(2), 255])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The export view, cards coloured by owner.
    fn by_owner() -> View {
        View {
            colour_by: ColourBy::Owner,
            ..View::default()
        }
    }

    #[test]
    fn colourings_parse_and_bad_ones_say_what_is_accepted() {
        assert_eq!(ColourBy::parse("owner"), Ok(ColourBy::Owner));
        assert_eq!(
            ColourBy::parse("metric:CSAT"),
            Ok(ColourBy::Metric("CSAT".into()))
        );
        let e = ColourBy::parse("metric:").unwrap_err();
        assert!(e.contains("metric:NAME"), "{e}");
        assert!(ColourBy::parse("colour").is_err());
    }

    #[test]
    fn owners_get_distinct_colours_in_order_of_their_first_card() {
        let doc = crate::model::sample_map();
        let look = Look::new(&doc, &by_owner());
        assert!(look.owners.len() >= 2, "{:?}", look.owners);
        let hues: Vec<_> = look.owners.iter().map(|o| look.owner_hue(o)).collect();
        let distinct: std::collections::HashSet<_> = hues.iter().collect();
        assert_eq!(distinct.len(), hues.len().min(OWNER_HUES.len()));
        assert_eq!(look.owner_hue("  "), None);
    }

    #[test]
    fn an_owner_has_one_colour_in_every_view() {
        let doc = crate::model::sample_map();
        let ex = crate::model::executive_view(&doc);
        let full = Look::new(&doc, &by_owner());
        let exec = Look::new(&ex, &by_owner());
        let in_exec = owners_of_cards(&ex);
        assert!(in_exec.len() >= 2, "{in_exec:?}");
        // The executive view leaves out some owners' first cards: their colours stay.
        assert_ne!(in_exec, owners_of_cards(&doc)[..in_exec.len()]);
        for o in &in_exec {
            assert_eq!(full.owner_hue(o), exec.owner_hue(o), "{o}");
        }
    }

    /// A pain point without an owner takes the owner of the cause it is linked to (issue 18,
    /// item 10): coloured as that owner's, said as such on the card, and no longer counted
    /// among the severe pain points nobody owns; its own owner always wins.
    #[test]
    fn a_pain_point_takes_the_owner_of_its_cause() {
        use crate::model::{LaneKind, LinkKind};
        let doc = crate::model::sample_map();
        let kind = |c: &Card| doc.lane(c.lane).map(|l| l.kind);
        // A caused-by link from an unowned pain point to an owned cause.
        let (pain, cause) = doc
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Causes)
            .filter_map(|l| Some((doc.card(l.from)?, doc.card(l.to)?)))
            .find(|(p, c)| {
                kind(p) == Some(LaneKind::PainPoints)
                    && p.owner.trim().is_empty()
                    && !c.owner.trim().is_empty()
            })
            .expect("the sample has an unowned pain point caused by an owned card");
        let look = Look::new(&doc, &by_owner());
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        assert_eq!(look.owner_of(pain), cause.owner);
        let owned = look.card_colours(Some(cause), LaneKind::Backstage, &theme);
        let inherited = look.card_colours(Some(pain), LaneKind::PainPoints, &theme);
        assert_eq!(inherited.fill, owned.fill);
        assert_eq!(inherited.stripe, owned.stripe);
        // Said on the card.
        let mut cache = crate::layout::TextCache::default();
        let l = crate::layout::layout(&doc, crate::layout::FontMeasure::shared(), &mut cache);
        let meta = l
            .card(pain.id)
            .and_then(|c| c.meta.as_ref())
            .map(|m| m.text.to_string());
        assert_eq!(meta, Some(format!("{} (via cause)", cause.owner)));
        // Its own owner wins.
        let mut own = doc.clone();
        let i = own.card_position(pain.id).unwrap();
        own.card_at_mut(i).owner = "Legal".into();
        let look = Look::new(&own, &by_owner());
        assert_eq!(look.owner_of(own.card(pain.id).unwrap()), "Legal");
    }

    /// Owners in order of their first card, from the cards alone.
    fn owners_of_cards(doc: &Document) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &doc.cards {
            let o = c.owner.trim().to_string();
            if !o.is_empty() && !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }

    #[test]
    fn heat_runs_from_the_lowest_to_the_highest_value() {
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        let lo = heat_at(0.0, &theme);
        let hi = heat_at(1.0, &theme);
        // Higher values are darker (less light) on the light theme.
        let lum = |c: Color| u32::from(c.0[0]) + u32::from(c.0[1]) + u32::from(c.0[2]);
        assert!(lum(hi) < lum(heat_at(0.5, &theme)));
        assert!(lum(heat_at(0.5, &theme)) < lum(lo));
    }
}
