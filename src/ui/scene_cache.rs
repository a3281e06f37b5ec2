//! [`SceneCache`]: the canvas's layout and display list, brought up to date once a frame with
//! only the work the last changes need, and the overview drawings built from them on demand.

use std::sync::Arc;

use super::paint::Overview;
use crate::edit::Touched;
use crate::layout::{FontMeasure, Incremental, Layout, Live, Relaid};
use crate::model::Document;
use crate::render::LiveScene;
use crate::theme::{Theme, ThemeKind};
use crate::view::View;

/// Layout and display list of the current document and view.
#[derive(Default)]
pub(crate) struct SceneCache {
    pub engine: Incremental,
    pub scene: LiveScene,
    pub theme: Option<ThemeKind>,
    /// The overview drawing (text as bars), built when first needed after a change.
    pub overview: Option<Arc<Overview>>,
    /// The same without text, for views zoomed out further still.
    pub far: Option<Arc<Overview>>,
    /// How cards are coloured, resolved against the document.
    pub look: crate::render::Look,
    /// What a screen reader is told about each card, kept until the map changes.
    pub labels: super::canvas::Labels,
}

impl SceneCache {
    pub fn layout(&self) -> &Layout {
        self.engine.layout()
    }

    /// Updates layout and scene for `touched` changes, the view and the live editing state.
    pub fn update(&mut self, doc: &Document, view: &View, live: &Live, touched: &Touched) {
        let mut relaid = self
            .engine
            .update(doc, view, live, touched, FontMeasure::shared());
        if !touched.is_empty() {
            self.labels.forget();
        }
        let theme = view.theme;
        if self.theme != Some(theme) {
            relaid = Relaid::Full;
            self.theme = Some(theme);
        }
        // Owner colours and a metric's range depend on every card: resolved again after a
        // change, and every card redrawn when they moved.
        if self.look.by != view.colour_by
            || self.look.changes != view.compare
            || self.look.chart != view.chart
            // (a look is brief where the view leaves the descriptions out)
            || self.look.brief == view.descriptions
            || (view.colour_by != crate::render::ColourBy::Lane && !touched.is_empty())
        {
            let look = crate::render::Look::new(doc, view);
            if look != self.look {
                self.look = look;
                relaid = Relaid::Full;
            }
        }
        if relaid != Relaid::Nothing {
            let theme = Theme::get(theme);
            self.scene
                .update(doc, self.engine.layout(), &theme, &self.look, &relaid);
            self.overview = None;
            self.far = None;
        }
    }
}
