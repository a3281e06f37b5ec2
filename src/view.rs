//! [`View`]: what a view of a map shows and how. The editor canvas, the presentation and
//! every export (PNG, SVG, PDF, slides, side by side) are made from one value of it: layout
//! takes its text size and editor affordances, the painters its colouring, theme and
//! detail. The canvas builds it from the user's choices each frame; an export starts from
//! the canvas's view ([`View::exported`]) and a page that is too small adjusts its text size
//! and detail, never another value.

use std::sync::Arc;

use crate::compare::view::Marks;
use crate::model::CurveId;
use crate::theme::ThemeKind;

/// Most lines a card shows on the canvas before it ends in "…" (all of them while it is
/// selected or edited, in the inspector, its tooltip and in exports).
pub const CLAMP_LINES: usize = 8;

/// What card colours say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ColourBy {
    /// The kind of the card's lane (the default).
    #[default]
    Lane,
    /// The card's owner (department): one colour per owner.
    Owner,
    /// Researched, assumed or unknown.
    Evidence,
    /// A named metric on a heat scale, lowest to highest.
    Metric(String),
    /// What changed since another version (the compare view: added, changed, removed; the
    /// marks come in [`View::compare`]).
    Changes,
}

impl ColourBy {
    /// Reads `lane`, `owner`, `evidence` or `metric:NAME`.
    ///
    /// # Errors
    /// A message naming what is accepted.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "lane" => Ok(Self::Lane),
            "owner" => Ok(Self::Owner),
            "evidence" => Ok(Self::Evidence),
            m => match m.strip_prefix("metric:").map(str::trim) {
                Some(name) if !name.is_empty() => Ok(Self::Metric(name.to_owned())),
                _ => Err(format!(
                    "unknown colouring '{s}': use lane, owner, evidence or metric:NAME"
                )),
            },
        }
    }

    /// As [`ColourBy::parse`] reads it (`lane`, `owner`, `evidence`, `metric:NAME`).
    #[must_use]
    pub fn as_arg(&self) -> String {
        match self {
            // Changes are not a colouring a map is saved or exported in without its
            // comparison.
            Self::Lane | Self::Changes => "lane".into(),
            Self::Owner => "owner".into(),
            Self::Evidence => "evidence".into(),
            Self::Metric(m) => format!("metric:{m}"),
        }
    }

    /// The name menus and the status bar use.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Lane => "Lane kind".into(),
            Self::Owner => "Owner".into(),
            Self::Evidence => "Evidence".into(),
            Self::Metric(m) => format!("Metric: {m}"),
            Self::Changes => "Changes".into(),
        }
    }
}

/// What a view shows and how. Its lasting part (theme, text size, colouring, executive view,
/// chart) is what the export settings remember; the rest is the moment's.
#[derive(Clone, Debug, PartialEq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches of one view, each named where it is set"
)]
pub struct View {
    /// Colours.
    pub theme: ThemeKind,
    /// Text size as a factor of the design size (1.0 = 100 %; layout keeps it within 0.5
    /// to 4).
    pub text_scale: f32,
    /// What card colours say.
    pub colour_by: ColourBy,
    /// The executive view (pain points, moments of truth, opportunities, curves and gap)
    /// instead of the whole map.
    pub executive: bool,
    /// The importance–performance chart under the map (exports; from the cards'
    /// `importance` and `score` metrics, nothing when fewer than two cards have both).
    pub chart: bool,
    /// Most lines of a card's text to show (`None`: all, as exports do).
    pub clamp_lines: Option<usize>,
    /// Whether each cell keeps room at its end for adding a card (the editor).
    pub add_slots: bool,
    /// The curve being edited: the others are drawn dimmed (`None`: all alike, as exported).
    pub active_curve: Option<CurveId>,
    /// The cards' notes numbered on them and listed under the map (a page cannot show a
    /// tooltip; the canvas shows them on hover).
    pub notes: bool,
    /// The map's description and the personas' descriptions, goals and expectations (a
    /// small page leaves them out; name, role and quote stay).
    pub descriptions: bool,
    /// The compare view's marks (with [`ColourBy::Changes`]).
    pub compare: Option<Arc<Marks>>,
}

impl Default for View {
    fn default() -> Self {
        Self::export(ThemeKind::default(), 1.0)
    }
}

impl View {
    /// An export: every line of every card, notes numbered, no editor affordances.
    #[must_use]
    pub fn export(theme: ThemeKind, text_scale: f32) -> Self {
        Self {
            theme,
            text_scale,
            colour_by: ColourBy::default(),
            executive: false,
            chart: false,
            clamp_lines: None,
            add_slots: false,
            active_curve: None,
            notes: true,
            descriptions: true,
            compare: None,
        }
    }

    /// The editor canvas: long cards clamped, an add slot at the end of every cell.
    #[must_use]
    pub fn editor(theme: ThemeKind, text_scale: f32) -> Self {
        Self {
            clamp_lines: Some(CLAMP_LINES),
            add_slots: true,
            notes: false,
            ..Self::export(theme, text_scale)
        }
    }

    /// Presentation: long cards clamped, nothing to edit.
    #[must_use]
    pub fn presentation(theme: ThemeKind, text_scale: f32) -> Self {
        Self {
            add_slots: false,
            ..Self::editor(theme, text_scale)
        }
    }

    /// This view as an export draws it with the export's remembered settings: the same
    /// map (executive view or not), colouring and comparison; the export's theme, text size
    /// and chart; every line of every card and the notes numbered.
    #[must_use]
    pub fn exported(&self, settings: &View) -> Self {
        Self {
            colour_by: self.colour_by.clone(),
            executive: self.executive,
            compare: self.compare.clone(),
            ..Self::export(settings.theme, settings.text_scale)
        }
        .with_chart(settings.chart)
    }

    /// The same, with the chart shown or not.
    #[must_use]
    pub fn with_chart(mut self, chart: bool) -> Self {
        self.chart = chart;
        self
    }

    /// Whether two views lay out the same (they may still draw differently).
    #[must_use]
    pub fn same_layout(&self, other: &View) -> bool {
        self.text_scale.to_bits() == other.text_scale.to_bits()
            && self.clamp_lines == other.clamp_lines
            && self.add_slots == other.add_slots
    }
}
