//! [`Document::validate`]: what the type system cannot check — references, unique ids,
//! ranges and finite numbers — so a map that loads never breaks the editor.

use super::{
    Document, LaneKind, MAX_ID, MAX_LEVEL, MAX_SCALE_STEPS, MAX_STAGE_WIDTH, MIN_STAGE_WIDTH,
};

/// What cards refer to, looked up by id.
struct Places {
    stages: super::order::IdSet<super::StageId>,
    lanes: super::order::IdMap<super::LaneId, LaneKind>,
    personas: super::order::IdSet<super::PersonaId>,
}

impl Document {
    /// Checks the references and ids that the type system cannot: every card, point and link
    /// refers to what exists, ids are unique and 1 to 2^53, order keys valid and in order
    /// (stages, lanes, the cards of each cell), at most one emotion lane, levels and numbers
    /// in range. [`Document::normalize`] repairs all of it but the size limits.
    ///
    /// # Errors
    /// A sentence naming the first problem found.
    pub fn validate(&self) -> Result<(), String> {
        self.check_limits()?;
        let mut seen = super::order::IdSet::default();
        let mut check_id = |kind: &str, id: u64| -> Result<(), String> {
            if !(1..=MAX_ID).contains(&id) {
                return Err(format!("{kind} id {id} is not 1 to {MAX_ID}"));
            }
            if !seen.insert(id) {
                return Err(format!("id {id} is used twice (a {kind})"));
            }
            Ok(())
        };
        for p in &self.personas {
            check_id("persona", p.id.0)?;
        }
        for s in &self.stages {
            check_id("stage", s.id.0)?;
            if !s.width.is_finite() || !(MIN_STAGE_WIDTH..=MAX_STAGE_WIDTH).contains(&s.width) {
                return Err(format!(
                    "stage {} has width {}; a stage is {MIN_STAGE_WIDTH} to {MAX_STAGE_WIDTH} wide",
                    s.id.0, s.width
                ));
            }
        }
        for l in &self.lanes {
            check_id("lane", l.id.0)?;
        }
        if self
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Emotion)
            .count()
            > 1
        {
            return Err("a map has at most one emotion lane".into());
        }
        let places = Places {
            stages: self.stages.iter().map(|s| s.id).collect(),
            lanes: self.lanes.iter().map(|l| (l.id, l.kind)).collect(),
            personas: self.personas.iter().map(|p| p.id).collect(),
        };
        for c in &self.cards {
            check_id("card", c.id.0)?;
            Self::check_card(c, &places)?;
        }
        let scale = &self.emotion.scale;
        if scale.min >= scale.max {
            return Err(format!(
                "emotion scale min {} is not below max {}",
                scale.min, scale.max
            ));
        }
        if scale.min.unsigned_abs() > 1000 || scale.max.unsigned_abs() > 1000 {
            return Err(format!(
                "emotion scale {}..{} goes beyond \u{b1}1000",
                scale.min, scale.max
            ));
        }
        if i64::from(scale.max) - i64::from(scale.min) + 1 > MAX_SCALE_STEPS {
            return Err(format!(
                "emotion scale {}..{} has more than {MAX_SCALE_STEPS} steps",
                scale.min, scale.max
            ));
        }
        for curve in &self.emotion.curves {
            check_id("curve", curve.id.0)?;
            if curve.units.as_ref().is_some_and(|u| !u.usable()) {
                return Err(format!(
                    "curve {}: its units need a name and two different numbers for the ends",
                    curve.id.0
                ));
            }
            if let Some(p) = curve.persona
                && self.persona(p).is_none()
            {
                return Err(format!(
                    "curve {} belongs to persona {}, which does not exist",
                    curve.id.0, p.0
                ));
            }
            for p in &curve.points {
                check_id("emotion point", p.id.0)?;
                if self.stage(p.stage).is_none() {
                    return Err(format!(
                        "emotion point {} is in stage {}, which does not exist",
                        p.id.0, p.stage.0
                    ));
                }
                if !(0.0..=1.0).contains(&p.offset) {
                    return Err(format!(
                        "emotion point {} has offset {}; an offset is 0 (stage start) to 1 (stage end)",
                        p.id.0, p.offset
                    ));
                }
                if !(scale.min as f32..=scale.max as f32).contains(&p.value) {
                    return Err(format!(
                        "emotion point {} has value {}, outside the scale {}..{}",
                        p.id.0, p.value, scale.min, scale.max
                    ));
                }
            }
        }
        let cards: super::order::IdSet<super::CardId> = self.cards.iter().map(|c| c.id).collect();
        for l in &self.links {
            check_id("link", l.id.0)?;
            for end in [l.from, l.to] {
                if !cards.contains(&end) {
                    return Err(format!(
                        "link {} joins card {}, which does not exist",
                        l.id.0, end.0
                    ));
                }
            }
            if l.from == l.to {
                return Err(format!("link {} joins card {} to itself", l.id.0, l.from.0));
            }
        }
        let ex = &self.executive;
        if !(1..=MAX_LEVEL).contains(&ex.min_severity) {
            return Err(format!(
                "the executive view starts at severity {}; it is 1 to {MAX_LEVEL}",
                ex.min_severity
            ));
        }
        if let Some(l) = ex.lanes.iter().find(|l| self.lane(**l).is_none()) {
            return Err(format!(
                "the executive view shows lane {}, which does not exist",
                l.0
            ));
        }
        self.check_order()
    }

    /// Stages, lanes and each cell's cards stand in the order of valid, distinct keys.
    fn check_order(&self) -> Result<(), String> {
        fn ordered<'a>(
            what: &str,
            keys: impl Iterator<Item = (&'a str, u64)>,
        ) -> Result<(), String> {
            let mut last: Option<(&str, u64)> = None;
            for (k, id) in keys {
                if !super::order::is_valid(k) {
                    return Err(format!("{what} {id} has no valid order key ({k:?})"));
                }
                // Equal keys (two people inserting at one place at once) go by id.
                if last.is_some_and(|l| super::order::cmp(l, (k, id)).is_ge()) {
                    return Err(format!("{what} {id} is out of key order"));
                }
                last = Some((k, id));
            }
            Ok(())
        }
        ordered(
            "stage",
            self.stages.iter().map(|s| (s.pos.as_str(), s.id.0)),
        )?;
        ordered("lane", self.lanes.iter().map(|l| (l.pos.as_str(), l.id.0)))?;
        let rank = super::CardOrder::of(self);
        let mut last: Option<&super::Card> = None;
        for c in &self.cards {
            if !super::order::is_valid(&c.pos) {
                return Err(format!(
                    "card {} has no valid order key ({:?})",
                    c.id.0, c.pos
                ));
            }
            if let Some(l) = last
                && rank.cmp(l, c).is_ge()
            {
                return Err(format!("card {} is out of order", c.id.0));
            }
            last = Some(c);
        }
        Ok(())
    }

    /// The sizes a map may have (see [`super::limits`]): over one, a refusal naming it.
    ///
    /// # Errors
    /// A sentence naming the first limit passed.
    pub fn check_limits(&self) -> Result<(), String> {
        use super::limits::{
            MAX_CARDS, MAX_CURVES, MAX_LANES, MAX_LINKS, MAX_METRICS, MAX_PERSONAS, MAX_POINTS,
            MAX_SCALE_STEPS, MAX_STAGES, MAX_TEXT,
        };
        let counts = [
            ("stages", self.stages.len(), MAX_STAGES),
            ("lanes", self.lanes.len(), MAX_LANES),
            ("cards", self.cards.len(), MAX_CARDS),
            ("links", self.links.len(), MAX_LINKS),
            ("personas", self.personas.len(), MAX_PERSONAS),
            (
                "owners in the saved colour order",
                self.owner_order.len(),
                MAX_CARDS,
            ),
            ("merge conflicts", self.conflicts.len(), MAX_CARDS),
            ("curves", self.emotion.curves.len(), MAX_CURVES),
            ("emotion points", self.emotion.points().count(), MAX_POINTS),
            (
                "emotion scale labels",
                self.emotion.scale.labels.len(),
                MAX_SCALE_STEPS,
            ),
            (
                "metrics on one card",
                self.cards
                    .iter()
                    .map(|c| c.metrics.len())
                    .max()
                    .unwrap_or(0),
                MAX_METRICS,
            ),
            (
                "links to other maps on one card",
                self.cards
                    .iter()
                    .map(|c| c.map_links.len())
                    .max()
                    .unwrap_or(0),
                super::MAX_MAP_LINKS,
            ),
        ];
        for (what, n, max) in counts {
            if n > max {
                return Err(format!(
                    "the map has {n} {what}; Journeymap handles at most {max}"
                ));
            }
        }
        let long = |t: &str| t.chars().count() > MAX_TEXT;
        let texts = std::iter::once(("title", self.title.as_str(), 0))
            .chain(std::iter::once((
                "base map path",
                self.based_on.as_str(),
                0,
            )))
            .chain(std::iter::once((
                "description",
                self.description.as_str(),
                0,
            )))
            .chain(
                self.stages
                    .iter()
                    .map(|s| ("stage name", s.name.as_str(), s.id.0)),
            )
            .chain(
                self.owner_order
                    .iter()
                    .map(|o| ("owner in the colour order", o.as_str(), 0)),
            )
            .chain(
                self.lanes
                    .iter()
                    .map(|l| ("lane name", l.name.as_str(), l.id.0)),
            )
            .chain(self.cards.iter().flat_map(|c| {
                [
                    ("card text", c.text.as_str(), c.id.0),
                    ("card note", c.note.as_str(), c.id.0),
                    ("card owner", c.owner.as_str(), c.id.0),
                    ("channel name", c.channel_name.as_str(), c.id.0),
                    (
                        "evidence source",
                        c.evidence.as_ref().map_or("", |e| e.source.as_str()),
                        c.id.0,
                    ),
                ]
                .into_iter()
                .chain(c.map_links.iter().flat_map(move |l| {
                    [
                        ("linked map", l.map.as_str(), c.id.0),
                        ("link label", l.label.as_str(), c.id.0),
                    ]
                }))
                .chain(c.metrics.iter().flat_map(move |m| {
                    let s = m.source.as_ref();
                    [
                        ("metric name", m.name.as_str(), c.id.0),
                        (
                            "metric source file",
                            s.map_or("", |s| s.file.as_str()),
                            c.id.0,
                        ),
                        (
                            "metric source column",
                            s.map_or("", |s| s.column.as_str()),
                            c.id.0,
                        ),
                        (
                            "metric source filter",
                            s.map_or("", |s| s.filter.as_str()),
                            c.id.0,
                        ),
                        (
                            "metric refresh date",
                            m.refreshed.as_deref().unwrap_or(""),
                            c.id.0,
                        ),
                    ]
                }))
            }))
            .chain(self.personas.iter().flat_map(|p| {
                [
                    ("persona name", p.name.as_str(), p.id.0),
                    ("persona's role", p.role.as_str(), p.id.0),
                    ("persona", p.description.as_str(), p.id.0),
                    ("persona's goals", p.goals.as_str(), p.id.0),
                    ("persona's expectations", p.expectations.as_str(), p.id.0),
                    ("persona's quote", p.quote.as_str(), p.id.0),
                ]
            }))
            .chain(
                self.emotion
                    .curves
                    .iter()
                    .map(|c| ("curve name", c.name.as_str(), c.id.0)),
            )
            .chain(self.emotion.curves.iter().filter_map(|c| {
                c.units
                    .as_ref()
                    .map(|u| ("curve's units", u.name.as_str(), c.id.0))
            }))
            .chain(
                self.emotion
                    .scale
                    .labels
                    .iter()
                    .map(|l| ("emotion scale label", l.as_str(), 0)),
            );
        for (what, text, id) in texts {
            if long(text) {
                return Err(format!(
                    "the {what} {} is {} characters long; at most {MAX_TEXT}",
                    if id == 0 {
                        String::new()
                    } else {
                        format!("of {id}")
                    },
                    text.chars().count()
                )
                .replace("  ", " "));
            }
        }
        Ok(())
    }

    fn check_card(c: &super::Card, places: &Places) -> Result<(), String> {
        if !places.stages.contains(&c.stage) {
            return Err(format!(
                "card {} is in stage {}, which does not exist",
                c.id.0, c.stage.0
            ));
        }
        match places.lanes.get(&c.lane) {
            None => {
                return Err(format!(
                    "card {} is in lane {}, which does not exist",
                    c.id.0, c.lane.0
                ));
            }
            Some(k) if !k.holds_cards() => {
                return Err(format!(
                    "card {} is in the emotion lane, which holds no cards",
                    c.id.0
                ));
            }
            Some(_) => {}
        }
        for (what, level) in [("severity", c.severity), ("priority", c.priority)] {
            if let Some(v) = level
                && !(1..=MAX_LEVEL).contains(&v)
            {
                return Err(format!(
                    "card {} has {what} {v}; it is 1 to {MAX_LEVEL}",
                    c.id.0
                ));
            }
        }
        if let Some(p) = c.personas.iter().find(|p| !places.personas.contains(*p)) {
            return Err(format!(
                "card {} belongs to persona {}, which does not exist",
                c.id.0, p.0
            ));
        }
        for l in &c.map_links {
            if l.map.trim().is_empty() {
                return Err(format!(
                    "card {} links to another map without naming its file",
                    c.id.0
                ));
            }
            let (what, id) = match l.to {
                super::MapTarget::Stage(s) => ("stage", s.0),
                super::MapTarget::Card(c) => ("card", c.0),
            };
            if !(1..=MAX_ID).contains(&id) {
                return Err(format!(
                    "card {} links to {what} {id} of {}; ids are 1 to {MAX_ID}",
                    c.id.0, l.map
                ));
            }
        }
        for m in &c.metrics {
            if m.name.trim().is_empty() {
                return Err(format!("card {} has a metric without a name", c.id.0));
            }
            if !m.value.is_finite() {
                return Err(format!(
                    "card {} has metric \u{201c}{}\u{201d} that is not a number",
                    c.id.0, m.name
                ));
            }
        }
        Ok(())
    }
}
