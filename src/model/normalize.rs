//! [`Document::normalize`]: turns any map that parsed into a valid one, and says what it
//! repaired. It runs on load, after an import and after every merge, and is idempotent: a
//! normalised map needs no repair.

use std::collections::{HashMap, HashSet};

use super::{
    CardId, DEFAULT_STAGE_WIDTH, Document, EmotionScale, LaneKind, MAX_ID, MAX_LEVEL,
    MAX_SCALE_STEPS, MAX_STAGE_WIDTH, MIN_STAGE_WIDTH, StageId, order,
};

/// What [`Document::normalize`] changed, one sentence each (empty: the map was valid).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repairs(pub Vec<String>);

impl Repairs {
    /// Whether nothing was repaired.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn add(&mut self, what: String) {
        self.0.push(what);
    }
}

impl std::fmt::Display for Repairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

/// The canonical order of `Document::cards`: by the place of their stage, the place of their
/// lane, then key and id — the order a reader goes through the map, and a function of the
/// map alone, so the same edits in any order give the same list.
pub struct CardOrder {
    stages: order::IdMap<StageId, usize>,
    lanes: order::IdMap<super::LaneId, usize>,
}

impl CardOrder {
    /// The order for `doc`'s stages and lanes as they stand.
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        Self {
            stages: doc
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id, i))
                .collect(),
            lanes: doc
                .lanes
                .iter()
                .enumerate()
                .map(|(i, l)| (l.id, i))
                .collect(),
        }
    }

    /// How two cards compare.
    #[must_use]
    pub fn cmp(&self, a: &super::Card, b: &super::Card) -> std::cmp::Ordering {
        self.key(a).cmp(&self.key(b))
    }

    /// What a card is ordered by.
    #[must_use]
    pub fn key<'c>(&self, c: &'c super::Card) -> (usize, usize, &'c str, u64) {
        let (s, l) = self.cell_rank(c.stage, c.lane);
        (s, l, c.pos.as_str(), c.id.0)
    }
}

impl CardOrder {
    /// The rank of a cell: where its cards stand in the canonical order.
    pub(super) fn cell_rank(&self, stage: StageId, lane: super::LaneId) -> (usize, usize) {
        (
            self.stages.get(&stage).copied().unwrap_or(usize::MAX),
            self.lanes.get(&lane).copied().unwrap_or(usize::MAX),
        )
    }
}

impl Document {
    /// The cards of one cell, in order, found by binary search: `cards` must be in the
    /// canonical order (every normalised map and every map an editor holds is).
    #[must_use]
    pub fn cell_slice(
        &self,
        stage: StageId,
        lane: super::LaneId,
    ) -> &[std::sync::Arc<super::Card>] {
        let o = CardOrder::of(self);
        let cell = o.cell_rank(stage, lane);
        let rank = |c: &super::Card| o.cell_rank(c.stage, c.lane);
        let start = self.cards.partition_point(|c| rank(c) < cell);
        let end = start + self.cards[start..].partition_point(|c| rank(c) == cell);
        &self.cards[start..end]
    }

    /// Puts `cards` in the canonical order ([`CardOrder`]), if it is not in it.
    pub fn sort_cards(&mut self) {
        let o = CardOrder::of(self);
        if !self.cards.is_sorted_by_key(|c| o.key(c)) {
            self.cards.sort_by_cached_key(|c| {
                let (s, l, p, id) = o.key(c);
                (s, l, p.to_owned(), id)
            });
        }
    }
}

/// Whether keys in this order are all valid and strictly increasing.
fn keys_ordered<'a>(keys: impl Iterator<Item = (&'a str, u64)>) -> bool {
    let mut last: Option<(&str, u64)> = None;
    for k in keys {
        if !order::is_valid(k.0) {
            return false;
        }
        // Equal keys are fine (two people inserting at one place at once): the id decides.
        if let Some(l) = last
            && order::cmp(l, k).is_ge()
        {
            return false;
        }
        last = Some(k);
    }
    true
}

/// New keys for a list: sorted by key (then id) where every key is valid, else kept in the
/// list's order (a file from before keys) with fresh keys. Returns
/// the permutation (new order as old indices) and the keys.
fn rekey(keys: &[(&str, u64)]) -> (Vec<usize>, Vec<String>) {
    let mut idx: Vec<usize> = (0..keys.len()).collect();
    if keys.iter().all(|k| order::is_valid(k.0)) {
        idx.sort_by(|a, b| order::cmp(keys[*a], keys[*b]));
        // Valid keys are kept, equal ones too: they are in (key, id) order now.
        return (
            idx.clone(),
            idx.iter().map(|i| keys[*i].0.to_string()).collect(),
        );
    }
    (idx.clone(), order::spread(None, None, idx.len()))
}

/// Ids seen so far while repairing, and the next free one.
struct Fresh {
    seen: order::IdSet<u64>,
    next: u64,
}

impl Fresh {
    fn needs_fix(&self, id: u64) -> bool {
        !(1..=MAX_ID).contains(&id) || self.seen.contains(&id)
    }

    fn fix(&mut self, what: &str, id: &mut u64, r: &mut Repairs) {
        if !self.needs_fix(*id) {
            self.seen.insert(*id);
            return;
        }
        while self.seen.contains(&self.next) {
            self.next += 1;
        }
        let why = if (1..=MAX_ID).contains(id) {
            "used twice"
        } else {
            "out of range"
        };
        r.add(format!("{what} id {id} was {why}; it is now {}", self.next));
        *id = self.next;
        self.seen.insert(self.next);
        self.next += 1;
    }
}

/// Puts a list of stages or lanes in key order with valid, distinct keys (see [`rekey`]).
fn rekey_list<T: order::Ordered>(list: &mut Vec<T>, what: &str, r: &mut Repairs) {
    if keys_ordered(list.iter().map(|x| (x.pos(), x.id()))) {
        return;
    }
    // A file from before order keys has none: that is a migration, not a repair.
    let keys_were_set = list.iter().any(|x| !x.pos().is_empty());
    let keys: Vec<(&str, u64)> = list.iter().map(|x| (x.pos(), x.id())).collect();
    let (perm, keys) = rekey(&keys);
    let mut old: Vec<Option<T>> = list.drain(..).map(Some).collect();
    *list = perm
        .iter()
        .zip(keys)
        .filter_map(|(i, k)| {
            old[*i].take().map(|mut x| {
                *x.pos_mut() = k;
                x
            })
        })
        .collect();
    if keys_were_set {
        r.add(format!("{what} out of order were given new order keys"));
    }
}

impl Document {
    /// Repairs what would break the editor or a merge: ids that are 0, too large or used twice;
    /// missing or invalid order keys (and lists out of key order); cards, points and
    /// links that refer to what does not exist; numbers that are not finite or out of range; a
    /// second emotion lane; a broken scale. Text and size limits are not repaired (files over
    /// them are refused before). Idempotent.
    pub fn normalize(&mut self) -> Repairs {
        let mut r = Repairs::default();
        // Ids and keys of cards may change in place below.
        self.card_index.invalidate();
        self.repair_ids(&mut r);
        self.repair_structure(&mut r);
        self.repair_cards(&mut r);
        self.repair_emotion(&mut r);
        self.repair_links(&mut r);
        self.repair_owner_order(&mut r);
        self.repair_conflicts(&mut r);
        self.card_index.invalidate();
        r
    }

    /// The saved owner order: names trimmed, each once, none empty.
    fn repair_owner_order(&mut self, r: &mut Repairs) {
        let mut seen = HashSet::new();
        let before = self.owner_order.clone();
        self.owner_order = before
            .iter()
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty() && seen.insert(o.clone()))
            .collect();
        if self.owner_order != before {
            r.add("the owners' colour order had empty, untrimmed or repeated names: tidied".into());
        }
    }

    fn repair_ids(&mut self, r: &mut Repairs) {
        let next = self
            .all_ids()
            .filter(|id| (1..=MAX_ID).contains(id))
            .max()
            .unwrap_or(0)
            + 1;
        let mut ids = Fresh {
            seen: order::IdSet::default(),
            next,
        };
        for p in &mut self.personas {
            ids.fix("persona", &mut p.id.0, r);
        }
        for s in &mut self.stages {
            ids.fix("stage", &mut s.id.0, r);
        }
        for l in &mut self.lanes {
            ids.fix("lane", &mut l.id.0, r);
        }
        for c in &mut self.cards {
            if ids.needs_fix(c.id.0) {
                ids.fix("card", &mut std::sync::Arc::make_mut(c).id.0, r);
            } else {
                ids.seen.insert(c.id.0);
            }
        }
        for c in &mut self.emotion.curves {
            ids.fix("curve", &mut c.id.0, r);
            for p in &mut c.points {
                ids.fix("emotion point", &mut p.id.0, r);
            }
        }
        for l in &mut self.links {
            ids.fix("link", &mut l.id.0, r);
        }
    }

    fn repair_structure(&mut self, r: &mut Repairs) {
        for s in &mut self.stages {
            if !s.width.is_finite() || !(MIN_STAGE_WIDTH..=MAX_STAGE_WIDTH).contains(&s.width) {
                let w = if s.width.is_finite() {
                    s.width.clamp(MIN_STAGE_WIDTH, MAX_STAGE_WIDTH)
                } else {
                    DEFAULT_STAGE_WIDTH
                };
                r.add(format!(
                    "stage {} had width {}; it is now {w}",
                    s.id.0, s.width
                ));
                s.width = w;
            }
        }
        rekey_list(&mut self.stages, "stages", r);
        // In the map's order first: the emotion lane kept is the one shown first, whatever
        // order the lanes came in (a merge lists one side's first).
        rekey_list(&mut self.lanes, "lanes", r);
        let mut emotion_lanes = 0;
        for l in &mut self.lanes {
            if l.kind == LaneKind::Emotion {
                emotion_lanes += 1;
                if emotion_lanes > 1 {
                    r.add(format!(
                        "lane {} was a second emotion lane; it is now a custom lane",
                        l.id.0
                    ));
                    l.kind = LaneKind::Custom;
                }
            }
        }
        let ex = &mut self.executive;
        if !(1..=MAX_LEVEL).contains(&ex.min_severity) {
            let v = ex.min_severity.clamp(1, MAX_LEVEL);
            r.add(format!(
                "the executive view started at severity {}; now {v}",
                ex.min_severity
            ));
            ex.min_severity = v;
        }
        let lanes: HashSet<u64> = self.lanes.iter().map(|l| l.id.0).collect();
        let before = ex.lanes.len();
        ex.lanes.retain(|l| lanes.contains(&l.0));
        if ex.lanes.len() != before {
            r.add("the executive view named lanes that do not exist".into());
        }
    }

    fn repair_cards(&mut self, r: &mut Repairs) {
        let stages: order::IdSet<StageId> = self.stages.iter().map(|s| s.id).collect();
        let lanes: order::IdMap<u64, LaneKind> =
            self.lanes.iter().map(|l| (l.id.0, l.kind)).collect();
        let personas: order::IdSet<u64> = self.personas.iter().map(|p| p.id.0).collect();
        let before = self.cards.len();
        self.cards.retain(|c| {
            stages.contains(&c.stage) && lanes.get(&c.lane.0).is_some_and(|k| k.holds_cards())
        });
        if self.cards.len() != before {
            r.add(format!(
                "{} card(s) in a stage or lane that does not exist (or in the emotion lane) were removed",
                before - self.cards.len()
            ));
        }
        for c in &mut self.cards {
            let bad_level = |v: Option<u8>| v.is_some_and(|v| !(1..=MAX_LEVEL).contains(&v));
            let bad_metric = |m: &super::Metric| !m.value.is_finite() || m.name.trim().is_empty();
            if bad_level(c.severity)
                || bad_level(c.priority)
                || c.personas.iter().any(|p| !personas.contains(&p.0))
                || c.metrics.iter().any(bad_metric)
            {
                let c = std::sync::Arc::make_mut(c);
                r.add(format!(
                    "card {} had a severity, priority, persona or metric out of range; repaired",
                    c.id.0
                ));
                c.severity = c.severity.map(|v| v.clamp(1, MAX_LEVEL));
                c.priority = c.priority.map(|v| v.clamp(1, MAX_LEVEL));
                c.personas.retain(|p| personas.contains(&p.0));
                c.metrics.retain(|m| !bad_metric(m));
            }
        }
        self.repair_cell_order(r);
    }

    /// Within each cell the cards have valid, distinct keys, and `cards` stands in the
    /// canonical order (stage id, lane id, key): a function of the map alone, so the same
    /// edits in any order give the same list. A file from before keys gets them in the order
    /// its cards stood in each cell.
    fn repair_cell_order(&mut self, r: &mut Repairs) {
        // Most maps are in order already: one pass says so.
        let o = CardOrder::of(self);
        let mut last: Option<(usize, usize, &str, u64)> = None;
        let fine = self.cards.iter().all(|c| {
            let k = o.key(c);
            let ok = order::is_valid(k.2)
                && last.is_none_or(|l| l < k && ((l.0, l.1) != (k.0, k.1) || l.2 < k.2));
            last = Some(k);
            ok
        });
        if fine {
            return;
        }
        let mut cells: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
        for (i, c) in self.cards.iter().enumerate() {
            cells.entry((c.stage.0, c.lane.0)).or_default().push(i);
        }
        let mut bad: Vec<Vec<usize>> = cells
            .into_values()
            .filter(|slots| {
                let mut keys: Vec<(&str, u64)> = slots
                    .iter()
                    .map(|i| (self.cards[*i].pos.as_str(), self.cards[*i].id.0))
                    .collect();
                keys.sort_by(|a, b| order::cmp(*a, *b));
                !keys_ordered(keys.into_iter())
            })
            .collect();
        bad.sort();
        let mut keys_were_set = false;
        for slots in bad {
            let keys: Vec<(&str, u64)> = slots
                .iter()
                .map(|i| (self.cards[*i].pos.as_str(), self.cards[*i].id.0))
                .collect();
            keys_were_set |= keys.iter().any(|k| !k.0.is_empty());
            let (perm, keys) = rekey(&keys);
            for (i, key) in perm.iter().zip(keys) {
                std::sync::Arc::make_mut(&mut self.cards[slots[*i]]).pos = key;
            }
        }
        if keys_were_set {
            r.add("cards with missing or invalid order keys were given new ones".into());
        }
        self.sort_cards();
    }

    fn repair_emotion(&mut self, r: &mut Repairs) {
        let s = &self.emotion.scale;
        let steps = i64::from(s.max) - i64::from(s.min) + 1;
        if s.min >= s.max
            || s.min.unsigned_abs() > 1000
            || s.max.unsigned_abs() > 1000
            || steps > MAX_SCALE_STEPS
        {
            r.add(format!(
                "the emotion scale {}..{} was unusable; it is now the default",
                s.min, s.max
            ));
            self.emotion.scale = EmotionScale::default();
        }
        let scale = self.emotion.scale.clone();
        let stages: HashSet<StageId> = self.stages.iter().map(|s| s.id).collect();
        let personas: HashSet<u64> = self.personas.iter().map(|p| p.id.0).collect();
        for curve in &mut self.emotion.curves {
            if curve.units.as_ref().is_some_and(|u| !u.usable()) {
                r.add(format!(
                    "curve {} had units without a name or with ends that are not two numbers; left out",
                    curve.id.0
                ));
                curve.units = None;
            }
            if curve.persona.is_some_and(|p| !personas.contains(&p.0)) {
                r.add(format!(
                    "curve {} belonged to a persona that does not exist",
                    curve.id.0
                ));
                curve.persona = None;
            }
            let before = curve.points.len();
            curve
                .points
                .retain(|p| stages.contains(&p.stage) && p.value.is_finite());
            if curve.points.len() != before {
                r.add(format!(
                    "curve {} had points in stages that do not exist or without a value; removed",
                    curve.id.0
                ));
            }
            for p in &mut curve.points {
                let offset = if p.offset.is_finite() {
                    p.offset.clamp(0.0, 1.0)
                } else {
                    0.5
                };
                let value = scale.clamp(p.value);
                if offset.to_bits() != p.offset.to_bits() || value.to_bits() != p.value.to_bits() {
                    r.add(format!(
                        "emotion point {} was outside its stage or scale; moved inside",
                        p.id.0
                    ));
                    p.offset = offset;
                    p.value = value;
                }
            }
        }
    }

    fn repair_links(&mut self, r: &mut Repairs) {
        let cards: HashSet<CardId> = self.cards.iter().map(|c| c.id).collect();
        let before = self.links.len();
        self.links
            .retain(|l| l.from != l.to && cards.contains(&l.from) && cards.contains(&l.to));
        if self.links.len() != before {
            r.add(format!(
                "{} link(s) to cards that do not exist (or from a card to itself) were removed",
                before - self.links.len()
            ));
        }
    }
}
