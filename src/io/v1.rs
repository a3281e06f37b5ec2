//! Format version 1, as it was written (one emotion curve under `emotion.points`, no links),
//! and its upgrade to the current model: the points become the perceived curve of the first
//! persona; everything else carries over as it was.

use std::sync::Arc;

use serde::Deserialize;

use crate::model::{
    Card, Curve, CurveId, CurveKind, Document, Emotion, EmotionPoint, EmotionScale, Lane, Persona,
    Stage,
};

/// The emotion lane of version 1: one scale, one curve's points.
#[derive(Default, Deserialize)]
pub(crate) struct EmotionV1 {
    #[serde(default)]
    scale: EmotionScale,
    #[serde(default)]
    points: Vec<EmotionPoint>,
}

/// A version-1 map.
#[derive(Deserialize)]
pub(crate) struct DocumentV1 {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    personas: Vec<Persona>,
    stages: Vec<Stage>,
    lanes: Vec<Lane>,
    #[serde(default)]
    cards: Vec<Arc<Card>>,
    #[serde(default)]
    emotion: EmotionV1,
    next_id: u64,
}

impl DocumentV1 {
    /// The same map in the current model.
    pub(crate) fn upgrade(self) -> Document {
        let mut doc = Document {
            title: self.title,
            description: self.description,
            personas: self.personas,
            stages: self.stages,
            lanes: self.lanes,
            cards: self.cards,
            emotion: Emotion {
                scale: self.emotion.scale,
                curves: Vec::new(),
            },
            links: Vec::new(),
            executive: crate::model::ExecutiveView::default(),
            view: crate::model::MapView::default(),
            card_index: crate::model::CardIndex::default(),
            owner_order: Vec::new(),
            conflicts: Vec::new(),
            based_on: String::new(),
        };
        // The one curve of version 1 was the customer's: their perceived experience.
        let persona = doc
            .personas
            .first()
            .map(|p| (p.id, p.name.trim().to_owned()));
        let name = match &persona {
            Some((_, n)) if !n.is_empty() => format!("{n}'s experience"),
            _ => "Customer's experience".to_owned(),
        };
        // Version 1 kept a counter above every id: the new curve takes it.
        let id = CurveId(self.next_id.max(doc.unused_id()));
        doc.emotion.curves.push(Curve {
            id,
            name,
            kind: CurveKind::Perceived,
            persona: persona.map(|(id, _)| id),
            hue: None,
            hidden: false,
            points: self.emotion.points,
            units: None,
        });
        doc
    }
}
