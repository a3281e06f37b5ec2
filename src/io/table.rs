//! Maps as CSV tables: one row per card, for spreadsheets.
//!
//! Columns (the header row names them; any order, names matched without regard to case,
//! spaces or underscores): `stage`, `lane`, `lane kind`, `text`, `channel`, `owner`,
//! `severity`, `priority`, `evidence`, `source`, `moment of truth`, `note`, `personas`, and a
//! `metric:NAME` column per metric. Only `stage` is required. RFC 4180 quoting (the `csv`
//! crate), UTF-8 with or without a byte-order mark, `,`, `;` or tab as the separator (the one
//! the header row uses). Stages and lanes are built in the order rows first name them; a row
//! with no text and no marks names its stage and lane without a card (an empty stage or lane
//! comes back that way). Curves, links, personas' details and stage widths are not in a table.
//!
//! Writing gives the same columns (`,`, a byte-order mark so spreadsheet programs read UTF-8).
//! A text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return) is written with a leading `'`, as is one that starts with `'`;
//! reading removes that one `'` again, so a card's text comes back exactly.

use std::collections::HashMap;

use super::sheet::{
    MAX_COLUMNS, closed_quotes, column_letter, guard, key, no_extra_cells, not_too_wide, number,
    separator_for, unguard, yes_no,
};
use super::{Imported, LoadError};
use crate::edit::{Build, MapField};
use crate::model::{
    Card, CardId, Channel, Document, Evidence, EvidenceKind, Lane, LaneId, LaneKind, Metric,
    Persona, PersonaId, Stage, StageId, limits, new_map,
};

/// The columns a table may have, in the order they are written.
const COLUMNS: [&str; 13] = [
    "stage",
    "lane",
    "lane kind",
    "text",
    "channel",
    "owner",
    "severity",
    "priority",
    "evidence",
    "source",
    "moment of truth",
    "note",
    "personas",
];

/// The prefix of a metric's column.
const METRIC: &str = "metric:";

/// Columns left out that are named one by one; the rest are counted.
const SHOWN_WARNINGS: usize = 10;

/// Every lane kind and channel under the names a table may use for it (label and file name,
/// as [`key`]s), computed once.
struct Names {
    kinds: Vec<(String, LaneKind)>,
    channels: Vec<(String, Channel)>,
}

fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let file_name = |v: serde_json::Result<serde_json::Value>| {
            v.ok().and_then(|v| v.as_str().map(key)).unwrap_or_default()
        };
        let mut kinds = Vec::new();
        for k in LaneKind::ALL {
            kinds.push((key(k.label()), k));
            kinds.push((file_name(serde_json::to_value(k)), k));
        }
        let mut channels = Vec::new();
        for c in Channel::ALL {
            channels.push((key(c.label()), c));
            channels.push((file_name(serde_json::to_value(c)), c));
        }
        Names { kinds, channels }
    })
}

/// A lane kind by its file name (`pain_points`) or its label ("Pain points").
fn lane_kind(text: &str) -> Option<LaneKind> {
    let k = key(text);
    names()
        .kinds
        .iter()
        .find(|(n, _)| *n == k)
        .map(|(_, kind)| *kind)
}

/// A channel by its file name (`in_person`) or label ("In person"); `None` for another name.
fn channel(text: &str) -> Option<Channel> {
    let k = key(text);
    names()
        .channels
        .iter()
        .find(|(n, _)| *n == k)
        .map(|(_, c)| *c)
}

/// The name a file uses for a lane kind (`pain_points`).
fn kind_name(kind: LaneKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Reads a CSV table into a new map.
///
/// # Errors
/// A header without a `stage` column, a row with a value that does not fit its column (named
/// by row and column as a spreadsheet shows them), more cards than a map may hold, or text the
/// CSV reader rejects.
pub fn import(text: &str, path: &str) -> Result<Imported, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    not_too_wide(text, MAX_COLUMNS).map_err(|message| LoadError::Invalid {
        path: path.into(),
        message,
    })?;
    closed_quotes(text, path)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator_for(text, |h| key(h) == "stage"))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_error = |e: &csv::Error| {
        let (line, column) = e.position().map_or((1, 1), |p| (p.line() as usize, 1));
        LoadError::Syntax {
            path: path.into(),
            line,
            column,
            message: e.to_string(),
        }
    };
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(&e)),
        None => {
            return Err(LoadError::Invalid {
                path: path.into(),
                message: "the table is empty (it needs a header row naming its columns)".into(),
            });
        }
    };
    let mut warnings = Vec::new();
    let mut col: HashMap<&'static str, usize> = HashMap::new();
    let mut metrics: Vec<(usize, String)> = Vec::new();
    let mut left_out = 0usize;
    for (i, name) in header.iter().enumerate() {
        let k = key(name);
        if let Some(c) = COLUMNS.iter().find(|c| key(c) == k) {
            if col.insert(c, i).is_some() {
                return Err(LoadError::Invalid {
                    path: path.into(),
                    message: format!(
                        "row 1, column {}: a second \u{201c}{c}\u{201d} column",
                        column_letter(i)
                    ),
                });
            }
        } else if let Some(m) = name
            .trim()
            .get(..METRIC.len())
            .filter(|p| key(p) == "metric:")
        {
            let m_name = name.trim()[m.len()..].trim();
            if m_name.is_empty() {
                return Err(LoadError::Invalid {
                    path: path.into(),
                    message: format!(
                        "row 1, column {}: a metric column needs a name (metric:CSAT)",
                        column_letter(i)
                    ),
                });
            }
            metrics.push((i, m_name.to_owned()));
        } else if !k.is_empty() || i + 1 < header.len() {
            left_out += 1;
            if left_out <= SHOWN_WARNINGS {
                warnings.push(format!(
                    "{path}: column {} (\u{201c}{}\u{201d}) is not a map column and was left out",
                    column_letter(i),
                    name.trim()
                ));
            }
        }
    }
    if left_out > SHOWN_WARNINGS {
        warnings.push(format!(
            "{path}: {} more columns are not map columns and were left out",
            left_out - SHOWN_WARNINGS
        ));
    }
    let Some(&stage_col) = col.get("stage") else {
        return Err(LoadError::Invalid {
            path: path.into(),
            message: format!(
                "row 1: no \u{201c}stage\u{201d} column (the columns are {}, metric:NAME)",
                COLUMNS.join(", ")
            ),
        });
    };

    // Built through ops on a new map's scale and curve: every id minted by the edit core.
    let template = new_map();
    let mut b = Build::from_empty(template.clone());
    let emotion = template
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Emotion)
        .cloned();
    let mut cards: Vec<Card> = Vec::new();
    let mut stages: HashMap<String, StageId> = HashMap::new();
    let mut lanes: HashMap<String, LaneId> = HashMap::new();
    let mut personas: HashMap<String, PersonaId> = HashMap::new();

    for (n, record) in records.enumerate() {
        let row = n + 2;
        let record = record.map_err(|e| csv_error(&e))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        no_extra_cells(&record, header.len(), row).map_err(|message| LoadError::Invalid {
            path: path.into(),
            message,
        })?;
        let cell =
            |c: &str| -> &str { unguard(col.get(c).and_then(|&i| record.get(i)).unwrap_or("")) };
        let bad = |c: &str, what: String| LoadError::Invalid {
            path: path.into(),
            message: format!(
                "row {row}, column {} ({c}): {what}",
                column_letter(col.get(c).copied().unwrap_or(0))
            ),
        };
        let stage_name = unguard(record.get(stage_col).unwrap_or("")).trim();
        if stage_name.is_empty() {
            return Err(bad("stage", "a row needs its stage".into()));
        }
        let stage = if let Some(id) = stages.get(stage_name) {
            *id
        } else {
            if b.doc().stages.len() >= limits::MAX_STAGES {
                return Err(bad(
                    "stage",
                    format!("more than {} stages", limits::MAX_STAGES),
                ));
            }
            let id = b
                .stage(stage_name, crate::model::DEFAULT_STAGE_WIDTH)
                .map_err(|e| bad("stage", e.to_string()))?;
            stages.insert(stage_name.to_owned(), id);
            id
        };
        // The lane: by name; its kind from the `lane kind` column, else from the name.
        let kind_text = cell("lane kind").trim();
        let kind = if kind_text.is_empty() {
            None
        } else {
            Some(lane_kind(kind_text).ok_or_else(|| {
                bad(
                    "lane kind",
                    format!("\u{201c}{kind_text}\u{201d} is not a lane kind"),
                )
            })?)
        };
        if kind == Some(LaneKind::Emotion) {
            return Err(bad(
                "lane kind",
                "the emotion lane holds curves, not cards".into(),
            ));
        }
        let mut lane_name = cell("lane").trim().to_owned();
        if lane_name.is_empty() {
            kind.unwrap_or(LaneKind::Actions)
                .label()
                .clone_into(&mut lane_name);
        }
        let lane = if let Some(id) = lanes.get(&lane_name) {
            *id
        } else {
            // One of the map's lanes is its emotion lane, added after the rows.
            if b.doc().lanes.len() + 1 >= limits::MAX_LANES {
                return Err(bad(
                    "lane",
                    format!(
                        "more than {} card lanes (a map has at most {} lanes, one of them the emotion lane)",
                        limits::MAX_LANES - 1,
                        limits::MAX_LANES
                    ),
                ));
            }
            let kind = kind
                .or_else(|| lane_kind(&lane_name))
                .filter(|k| k.holds_cards())
                .unwrap_or(LaneKind::Custom);
            let id = b
                .lane(kind, &lane_name, None)
                .map_err(|e| bad("lane", e.to_string()))?;
            lanes.insert(lane_name, id);
            id
        };

        let level = |c: &str, what: &str| -> Result<Option<u8>, LoadError> {
            let t = cell(c).trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<u8>() {
                Ok(v @ 1..=3) => Ok(Some(v)),
                _ => Err(bad(
                    c,
                    format!("\u{201c}{t}\u{201d} is not a {what} (1, 2 or 3, or blank)"),
                )),
            }
        };
        let severity = level("severity", "severity")?;
        let priority = level("priority", "priority")?;
        let evidence_text = cell("evidence").trim();
        let source = cell("source").trim();
        let evidence = match key(evidence_text).as_str() {
            "" if source.is_empty() => None,
            "" | "researched" | "research" => Some(Evidence {
                kind: EvidenceKind::Researched,
                source: source.to_owned(),
            }),
            "assumed" | "assumption" => Some(Evidence {
                kind: EvidenceKind::Assumed,
                source: source.to_owned(),
            }),
            _ => {
                return Err(bad(
                    "evidence",
                    format!("\u{201c}{evidence_text}\u{201d}: use researched, assumed or blank"),
                ));
            }
        };
        let mot_text = cell("moment of truth");
        let moment_of_truth = yes_no(mot_text).ok_or_else(|| {
            bad(
                "moment of truth",
                format!("\u{201c}{}\u{201d}: use yes, no or blank", mot_text.trim()),
            )
        })?;
        let mut card_metrics = Vec::new();
        for (i, name) in &metrics {
            let t = unguard(record.get(*i).unwrap_or("")).trim();
            if t.is_empty() {
                continue;
            }
            let value = number(t).ok_or_else(|| LoadError::Invalid {
                path: path.into(),
                message: format!(
                    "row {row}, column {} (metric:{name}): \u{201c}{t}\u{201d} is not a number",
                    column_letter(*i)
                ),
            })?;
            card_metrics.push(Metric {
                name: name.clone(),
                value,
                ..Default::default()
            });
        }
        let channel_text = cell("channel").trim();
        let (channel, channel_name) = match channel(channel_text) {
            _ if channel_text.is_empty() => (None, String::new()),
            Some(Channel::Other) => (Some(Channel::Other), String::new()),
            Some(c) => (Some(c), String::new()),
            None => (Some(Channel::Other), channel_text.to_owned()),
        };
        let text = cell("text");
        let owner = cell("owner").trim();
        let note = cell("note");
        let persona_names: Vec<&str> = cell("personas")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        // A row is a card if anything in it would be written back (so an export imports to
        // the same cards: a lone ";" in `personas` names nobody).
        let empty = text.trim().is_empty()
            && channel.is_none()
            && owner.is_empty()
            && note.trim().is_empty()
            && !moment_of_truth
            && severity.is_none()
            && priority.is_none()
            && evidence.is_none()
            && card_metrics.is_empty()
            && persona_names.is_empty();
        if empty {
            // The row names its stage and lane only.
            continue;
        }
        if cards.len() >= limits::MAX_CARDS {
            return Err(bad(
                "text",
                format!("more than {} cards", limits::MAX_CARDS),
            ));
        }
        let mut card = Card::new(CardId(0), stage, lane, text.to_owned());
        card.channel = channel;
        card.channel_name = channel_name;
        owner.clone_into(&mut card.owner);
        note.clone_into(&mut card.note);
        card.moment_of_truth = moment_of_truth;
        card.severity = severity;
        card.priority = priority;
        card.evidence = evidence;
        card.metrics = card_metrics;
        for name in persona_names {
            let id = if let Some(id) = personas.get(name) {
                *id
            } else {
                if b.doc().personas.len() >= limits::MAX_PERSONAS {
                    return Err(bad(
                        "personas",
                        format!("more than {} personas", limits::MAX_PERSONAS),
                    ));
                }
                let id = b
                    .persona(Persona::named(PersonaId(0), name))
                    .map_err(|e| bad("personas", e.to_string()))?;
                personas.insert(name.to_owned(), id);
                id
            };
            if !card.personas.contains(&id) {
                card.personas.push(id);
            }
        }
        // Checked as the op will check it, so that the row is named.
        if let Err(e) = crate::edit::check_card(&card) {
            return Err(bad("text", e.to_string()));
        }
        cards.push(card);
    }
    if b.doc().stages.is_empty() {
        return Err(LoadError::Invalid {
            path: path.into(),
            message: "the table has a header but no rows".into(),
        });
    }
    b.cards(cards).map_err(|e| LoadError::Invalid {
        path: path.into(),
        message: e.to_string(),
    })?;
    let invalid = |e: crate::edit::EditError| LoadError::Invalid {
        path: path.into(),
        message: e.to_string(),
    };
    // The emotion lane after the customer's lanes (actions, touchpoints, thoughts).
    if let Some(e) = emotion {
        let after = b
            .doc()
            .lanes
            .iter()
            .rev()
            .find(|l| {
                matches!(
                    l.kind,
                    LaneKind::Actions | LaneKind::Touchpoints | LaneKind::Thoughts
                )
            })
            .map(|l| l.id);
        // None of them: the emotion lane goes last.
        b.lane(e.kind, &e.name, after).map_err(invalid)?;
    }
    // The first persona's curve (a new map's).
    for curve in &template.emotion.curves {
        let mut curve = curve.clone();
        curve.persona = b.doc().personas.first().map(|p| p.id);
        b.curve(curve).map_err(invalid)?;
    }
    let title = std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "Imported table".into());
    b.set(MapField::Title(title)).map_err(invalid)?;
    let doc = b.finish();
    doc.validate().map_err(|message| LoadError::Invalid {
        path: path.into(),
        message,
    })?;
    // The same limits as a map file's: a huge name in the source is refused, not kept.
    doc.check_limits().map_err(|message| LoadError::Invalid {
        path: path.into(),
        message,
    })?;
    Ok(Imported { doc, warnings })
}

/// Writes a map as a CSV table: a header row, then a row per card in stage, lane and cell
/// order, and a row without a card for each lane with no card in the first stage and for
/// each stage without cards, so stages and lanes come back in their order.
///
/// Cards are grouped by cell in one pass and metric names found with a hash map: the time is
/// that of writing the table (rows × columns), not stages × lanes × cards.
#[must_use]
pub fn export(doc: &Document) -> Vec<u8> {
    let mut metric_names: Vec<&str> = Vec::new();
    let mut metric_column: HashMap<&str, usize> = HashMap::new();
    for c in &doc.cards {
        for m in &c.metrics {
            if !metric_column.contains_key(m.name.as_str()) {
                metric_column.insert(&m.name, COLUMNS.len() + metric_names.len());
                metric_names.push(&m.name);
            }
        }
    }
    let mut cells: HashMap<(StageId, LaneId), Vec<&Card>> = HashMap::new();
    for c in &doc.cards {
        cells.entry((c.stage, c.lane)).or_default().push(c);
    }
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        header.extend(metric_names.iter().map(|m| format!("{METRIC}{m}")));
        let _ = w.write_record(&header);
        let lanes: Vec<&Lane> = doc.lanes.iter().filter(|l| l.kind.holds_cards()).collect();
        let blank = |stage: &Stage, lane: &Lane| -> Vec<String> {
            let mut r = vec![String::new(); header.len()];
            r[0] = guard(&stage.name);
            r[1] = guard(&lane.name);
            r[2] = kind_name(lane.kind);
            r
        };
        for (si, stage) in doc.stages.iter().enumerate() {
            let mut stage_used = false;
            for lane in &lanes {
                let mut cell_used = false;
                let cards = cells
                    .get(&(stage.id, lane.id))
                    .map_or(&[][..], Vec::as_slice);
                for card in cards {
                    stage_used = true;
                    cell_used = true;
                    let mut r = blank(stage, lane);
                    r[3] = guard(&card.text);
                    r[4] = match card.channel {
                        Some(Channel::Other) if !card.channel_name.trim().is_empty() => {
                            guard(card.channel_name.trim())
                        }
                        Some(c) => c.label().to_owned(),
                        None => String::new(),
                    };
                    r[5] = guard(&card.owner);
                    r[6] = card.severity.map(|v| v.to_string()).unwrap_or_default();
                    r[7] = card.priority.map(|v| v.to_string()).unwrap_or_default();
                    if let Some(e) = &card.evidence {
                        r[8] = String::from(match e.kind {
                            EvidenceKind::Researched => "researched",
                            EvidenceKind::Assumed => "assumed",
                        });
                        r[9] = guard(&e.source);
                    }
                    if card.moment_of_truth {
                        r[10] = String::from("yes");
                    }
                    r[11] = guard(&card.note);
                    r[12] = guard(
                        &card
                            .personas
                            .iter()
                            .filter_map(|id| doc.persona(*id))
                            .map(|p| p.name.replace(';', ","))
                            .collect::<Vec<_>>()
                            .join("; "),
                    );
                    for m in &card.metrics {
                        // The first value of a name, as `Card::metric` reads it.
                        if let Some(&k) = metric_column.get(m.name.as_str())
                            && r[k].is_empty()
                        {
                            r[k] = m.value.to_string();
                        }
                    }
                    let _ = w.write_record(&r);
                }
                // The first stage names every lane, in order, so lanes come back in order.
                if si == 0 && !cell_used {
                    stage_used = true;
                    let _ = w.write_record(blank(stage, lane));
                }
            }
            if !stage_used && let Some(lane) = lanes.first() {
                let _ = w.write_record(blank(stage, lane));
            }
        }
        let _ = w.flush();
    }
    out
}
