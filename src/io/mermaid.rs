//! Mermaid `journey` diagrams in and out.
//!
//! Reading follows Mermaid's own grammar (`journey.jison`) and what `mermaid.run` does first
//! (the text dedented and trimmed; YAML front matter, `%%` comments and `%%{init}%%`
//! directives are not part of the diagram): sections become stages, tasks become cards in the
//! Actions lane, each task's score a point of the perceived curve (1..5 onto the map's scale),
//! actors personas, kept on the cards. What Mermaid rejects is an error with line and column;
//! a score that is not a number or outside 1..5 is imported with a warning naming its line.
//!
//! Writing gives text Mermaid accepts and reads back the same: the title, a section per
//! stage, a task per card of the Actions lane with its score from the perceived curve, its
//! personas as actors. Characters that would break a line (`:`, `#`, `;`, `,` in actors, line
//! breaks) are replaced by look-alikes.

use super::{Imported, LoadError};
use crate::edit::{Build, MapField};
use crate::model::{
    Card, CardId, CurveKind, Document, EmotionPoint, LaneKind, Persona, PersonaId, PointId, new_map,
};

/// One task as Mermaid reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Its name.
    pub name: String,
    /// Its score as written (`Number(text)` in JavaScript: `None` when that is `NaN`).
    pub score: Option<f64>,
    /// The text of the score.
    pub score_text: String,
    /// Its actors, trimmed (an empty one where Mermaid reads one).
    pub actors: Vec<String>,
    /// 1-based line of the task.
    pub line: usize,
}

/// A section with its tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Its name.
    pub name: String,
    /// Its tasks, in order.
    pub tasks: Vec<Task>,
}

/// A journey diagram as Mermaid reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Journey {
    /// The title (`title …` or the front matter's `title:`), as Mermaid keeps it.
    pub title: String,
    /// `accTitle`.
    pub acc_title: String,
    /// `accDescr`.
    pub acc_descr: String,
    /// Sections in order (tasks before the first section go into one with an empty name).
    pub sections: Vec<Section>,
}

/// A parse error at a 1-based line and column.
fn err(path: &str, line: usize, column: usize, message: impl Into<String>) -> LoadError {
    LoadError::Syntax {
        path: path.into(),
        line,
        column,
        message: message.into(),
    }
}

/// JavaScript's `Number(text)` for the texts a score can be: trimmed, empty is 0, decimal
/// and exponent notation, `Infinity`; anything else is `NaN` (`None`).
fn js_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0.0);
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'-' => (-1.0, &t[1..]),
        b'+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    let lower = body.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        // Only unsigned: Number("-0x10") is NaN.
        let signed = matches!(t.as_bytes()[0], b'+' | b'-');
        return if signed {
            None
        } else {
            u64::from_str_radix(hex, 16).ok().map(|v| v as f64)
        };
    }
    let ok = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !ok {
        return None;
    }
    body.parse::<f64>().ok().map(|v| sign * v)
}

/// Removes the common leading white space of the non-blank lines, as Mermaid does first.
fn dedent(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                l.get(indent..).unwrap_or(l.trim_start()).to_owned()
            }
        })
        .collect()
}

/// Reads a Mermaid journey diagram as Mermaid does.
///
/// # Errors
/// What Mermaid rejects, with the line and column (`path` names the file in the message).
pub fn parse(text: &str, path: &str) -> Result<Journey, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Old Mac line ends (CR alone) are line ends too (`lines()` knows only LF and CRLF).
    let unified;
    let text = if text.contains('\r') {
        unified = text.replace("\r\n", "\n").replace('\r', "\n");
        unified.as_str()
    } else {
        text
    };
    let lines = dedent(text);
    let mut j = Journey::default();
    let mut i = 0;
    // Leading blank lines and comments, then YAML front matter.
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    if lines.get(i).is_some_and(|l| l.trim() == "---") {
        let start = i;
        i += 1;
        loop {
            let Some(l) = lines.get(i) else {
                return Err(err(path, start + 1, 1, "front matter (---) is not closed"));
            };
            if l.trim() == "---" {
                i += 1;
                break;
            }
            // Only the top-level `title:` matters to a journey.
            if let Some(v) = l.strip_prefix("title:") {
                j.title = yaml_scalar(v);
            }
            i += 1;
        }
    }
    let mut seen_journey = false;
    let mut section: Option<usize> = None;
    let mut acc_block: Option<(usize, String)> = None;
    while i < lines.len() {
        let n = i + 1;
        let raw = lines[i].clone();
        i += 1;
        let mut line: &str = &raw;
        // Inside `accDescr { … }`: up to the closing brace, then the rest of that line.
        if let Some((start, mut buf)) = acc_block.take() {
            if let Some(p) = line.find('}') {
                buf.push_str(&line[..p]);
                buf.trim().clone_into(&mut j.acc_descr);
                line = &raw[p + 1..];
            } else {
                buf.push_str(line);
                buf.push('\n');
                acc_block = Some((start, buf));
                continue;
            }
        }
        let lead = line.len() - line.trim_start().len();
        let t = line.trim_start();
        let col = |offset: usize| lead + offset + 1;
        if t.trim().is_empty() || t.starts_with("%%") || t.starts_with('#') {
            continue;
        }
        if !seen_journey {
            let word = t.split_whitespace().next().unwrap_or("");
            if word == "journey" {
                seen_journey = true;
                continue;
            }
            return Err(err(
                path,
                n,
                col(0),
                "expected \"journey\" (a Mermaid user-journey diagram starts with it)",
            ));
        }
        if let Some(rest) = keyword(t, "title") {
            up_to_comment(rest).clone_into(&mut j.title);
            continue;
        }
        if let Some(rest) = t.strip_prefix("accTitle") {
            let rest = rest.trim_start();
            if let Some(v) = rest.strip_prefix(':') {
                v.trim().clone_into(&mut j.acc_title);
                continue;
            }
        }
        if let Some(rest) = t.strip_prefix("accDescr") {
            let rest = rest.trim_start();
            if let Some(v) = rest.strip_prefix(':') {
                v.trim().clone_into(&mut j.acc_descr);
                continue;
            }
            if let Some(v) = rest.strip_prefix('{') {
                match v.find('}') {
                    Some(p) => v[..p].trim().clone_into(&mut j.acc_descr),
                    None => acc_block = Some((n, format!("{v}\n"))),
                }
                continue;
            }
        }
        if t == "section" || t.starts_with("section ") || t.starts_with("section\t") {
            let name = up_to_comment(t["section".len()..].trim_start_matches([' ', '\t']));
            if name.trim().is_empty() {
                return Err(err(path, n, col(0), "a section needs a name"));
            }
            if let Some(p) = name.find(':') {
                return Err(err(
                    path,
                    n,
                    col("section ".len() + p),
                    "a section's name cannot contain \":\"",
                ));
            }
            j.sections.push(Section {
                name: name.trim_end().to_owned(),
                tasks: Vec::new(),
            });
            section = Some(j.sections.len() - 1);
            continue;
        }
        // A task: `name: score: actor, actor`.
        let task = task_line(t, n, &|o| col(o), path)?;
        let s = if let Some(s) = section {
            s
        } else {
            j.sections.push(Section {
                name: String::new(),
                tasks: Vec::new(),
            });
            section = Some(j.sections.len() - 1);
            j.sections.len() - 1
        };
        j.sections[s].tasks.push(task);
    }
    if let Some((start, _)) = acc_block {
        return Err(err(path, start, 1, "accDescr { is not closed with }"));
    }
    if !seen_journey {
        return Err(err(path, 1, 1, "no \"journey\" diagram in the text"));
    }
    Ok(j)
}

/// Mermaid's line breaks in a label (`<br>`, `<br/>`, `<br />`, `</br>` in any case) as `\n`.
fn breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let tail = &rest[p + 1..];
        let inner_end = tail.find('>');
        let is_br = inner_end.is_some_and(|e| {
            let inner: String = tail[..e]
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '/')
                .collect();
            inner.eq_ignore_ascii_case("br")
        });
        if let (true, Some(e)) = (is_br, inner_end) {
            out.push('\n');
            rest = &tail[e + 1..];
        } else {
            out.push('<');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// The rest of a line after a keyword and one space (`title  X` keeps " X", as Mermaid does).
fn keyword<'a>(t: &'a str, word: &str) -> Option<&'a str> {
    let rest = t.strip_prefix(word)?;
    if rest.is_empty() {
        return Some("");
    }
    let c = rest.chars().next()?;
    (c == ' ' || c == '\t').then(|| &rest[1..])
}

/// Text up to a `#` comment or a `;`.
fn up_to_comment(s: &str) -> &str {
    let end = s.find(['#', ';']).unwrap_or(s.len());
    &s[..end]
}

/// A YAML scalar as front matter writes a title: quotes removed.
fn yaml_scalar(v: &str) -> String {
    let v = v.trim();
    let unquoted = v
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')));
    unquoted.unwrap_or(v).to_owned()
}

fn task_line(
    t: &str,
    n: usize,
    col: &dyn Fn(usize) -> usize,
    path: &str,
) -> Result<Task, LoadError> {
    if let Some(p) = t.find(';') {
        return Err(err(path, n, col(p), "\";\" cannot be in a task line"));
    }
    let Some(first) = t.find(':') else {
        let hash = t.find('#');
        return Err(match hash {
            Some(p) => err(path, n, col(p), "\"#\" cannot be in a task's name"),
            None => err(
                path,
                n,
                col(t.trim_end().len()),
                "a task is \"name: score: actors\" (no \":\" here)",
            ),
        });
    };
    let name = &t[..first];
    if let Some(p) = name.find('#') {
        return Err(err(path, n, col(p), "\"#\" cannot be in a task's name"));
    }
    let rest = up_to_comment(&t[first + 1..]);
    let (score_text, actors) = match rest.find(':') {
        Some(p) => {
            let after = &rest[p + 1..];
            // Anything after a third ":" is ignored.
            let actors = after.find(':').map_or(after, |q| &after[..q]);
            (&rest[..p], Some(actors))
        }
        None => (rest, None),
    };
    if score_text.trim().is_empty() && actors.is_none() {
        return Err(err(
            path,
            n,
            col(first + 1),
            "a task needs a score after its \":\"",
        ));
    }
    Ok(Task {
        name: name.trim().to_owned(),
        score: js_number(score_text),
        score_text: score_text.trim().to_owned(),
        actors: actors.map_or_else(Vec::new, |a| {
            a.split(',').map(|x| x.trim().to_owned()).collect()
        }),
        line: n,
    })
}

/// Reads Mermaid journey text into a new map.
///
/// # Errors
/// What Mermaid rejects, with the line and column.
pub fn import(text: &str, path: &str) -> Result<Imported, LoadError> {
    let j = parse(text, path)?;
    let invalid = |e: crate::edit::EditError| LoadError::Invalid {
        path: path.into(),
        message: e.to_string(),
    };
    let mut warnings = Vec::new();
    // A new map's lanes and curve, built through ops: every id minted by the edit core.
    let template = new_map();
    let mut b = Build::from_empty(template.clone());
    let title = if j.title.trim().is_empty() {
        if j.acc_title.trim().is_empty() {
            "Imported journey".into()
        } else {
            j.acc_title.trim().to_owned()
        }
    } else {
        j.title.trim().to_owned()
    };
    b.set(MapField::Title(title)).map_err(invalid)?;
    b.set(MapField::Description(j.acc_descr.clone()))
        .map_err(invalid)?;
    let mut actions = None;
    for lane in &template.lanes {
        let id = b.lane(lane.kind, &lane.name, None).map_err(invalid)?;
        if lane.kind == LaneKind::Actions && actions.is_none() {
            actions = Some(id);
        }
    }
    let Some(actions) = actions else {
        return Err(LoadError::Invalid {
            path: path.into(),
            message: "a new map has no Actions lane".into(),
        });
    };
    let scale = template.emotion.scale.clone();
    let (lo, hi) = (f64::from(scale.min), f64::from(scale.max));
    let mut personas: Vec<(String, PersonaId)> = Vec::new();
    // Each point with the index of its task's card (tied to the card once it has an id).
    let mut points: Vec<(usize, EmotionPoint)> = Vec::new();
    let mut cards: Vec<Card> = Vec::new();
    for sec in &j.sections {
        let name = if sec.name.trim().is_empty() {
            "Journey".into()
        } else {
            breaks(sec.name.trim())
        };
        let stage = b.stage(&name, 260.0).map_err(invalid)?;
        let n = sec.tasks.len().max(1) as f32;
        for (k, task) in sec.tasks.iter().enumerate() {
            let name = breaks(task.name.trim_start_matches(JOINER));
            let mut card = Card::new(CardId(0), stage, actions, name);
            for a in &task.actors {
                let id = if let Some((_, id)) = personas.iter().find(|(name, _)| name == a) {
                    *id
                } else {
                    let id = b
                        .persona(Persona::named(PersonaId(0), a.clone()))
                        .map_err(|e| LoadError::Syntax {
                            path: path.into(),
                            line: task.line,
                            column: 1,
                            message: format!("an actor: {e}"),
                        })?;
                    personas.push((a.clone(), id));
                    id
                };
                if !card.personas.contains(&id) {
                    card.personas.push(id);
                }
            }
            cards.push(card);
            let task_card = cards.len() - 1;
            match task.score {
                Some(s) if s.is_finite() => {
                    let clamped = s.clamp(1.0, 5.0);
                    if task.score_text.trim().is_empty() {
                        warnings.push(format!(
                            "{path}:{}: the score of \u{201c}{}\u{201d} is empty (Mermaid reads it as {s}): drawn at {clamped}",
                            task.line, task.name
                        ));
                    } else if (clamped - s).abs() > f64::EPSILON {
                        warnings.push(format!(
                            "{path}:{}: the score of \u{201c}{}\u{201d} is {}, outside 1..5: drawn at {clamped}",
                            task.line, task.name, task.score_text
                        ));
                    }
                    let value = lo + (clamped - 1.0) / 4.0 * (hi - lo);
                    points.push((
                        task_card,
                        EmotionPoint {
                            id: PointId(0),
                            stage,
                            offset: (k as f32 + 0.5) / n,
                            value: value as f32,
                            card: None,
                        },
                    ));
                }
                // Written by our export for a task without a score: none, on purpose.
                _ if task.score_text.trim().eq_ignore_ascii_case(NO_SCORE) => {}
                _ => warnings.push(format!(
                    "{path}:{}: the score of \u{201c}{}\u{201d} is \u{201c}{}\u{201d}, not a number: the task has no point on the curve",
                    task.line, task.name, task.score_text
                )),
            }
        }
    }
    let ids = b.cards(cards).map_err(invalid)?;
    let mut points: Vec<EmotionPoint> = points
        .into_iter()
        .map(|(k, mut p)| {
            p.card = ids.get(k).copied();
            p
        })
        .collect();
    // The first persona's perceived curve holds the scores.
    for curve in &template.emotion.curves {
        let mut curve = curve.clone();
        if curve.id == template.emotion.curves[0].id {
            curve.points = std::mem::take(&mut points);
            curve.persona = personas.first().map(|(_, id)| *id);
            curve.name = personas
                .first()
                .filter(|(name, _)| !name.trim().is_empty())
                .map_or_else(
                    || "Experience".into(),
                    |(name, _)| format!("{name}'s experience"),
                );
        }
        b.curve(curve).map_err(invalid)?;
    }
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

/// A name written where `bad` characters would end it: each replaced by a look-alike.
fn clean(text: &str, bad: &[char]) -> String {
    let text = text.trim().replace("\r\n", "\n").replace('\n', "<br>");
    text.chars()
        .map(|c| match c {
            '\r' | '\t' => ' ',
            ':' if bad.contains(&':') => '\u{2236}',
            '#' if bad.contains(&'#') => '\u{266f}',
            ';' if bad.contains(&';') => '\u{037e}',
            ',' if bad.contains(&',') => '\u{201a}',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The score written for a task that has none (Mermaid reads it as not a number and draws no
/// face; reading it back gives the task no point, without a warning).
const NO_SCORE: &str = "none";

/// What starts a line Mermaid reads as something other than a task.
const KEYWORDS: [&str; 6] = ["journey", "title", "section", "acctitle", "accdescr", "%%"];

/// The invisible word joiner put before a task's name that would otherwise start with a
/// keyword (a task called "title page" is not a title); reading takes it off again.
const JOINER: char = '\u{2060}';

/// A task's name as written: with [`JOINER`] in front if it starts like a keyword.
fn protect(name: String) -> String {
    let lower = name.to_lowercase();
    if KEYWORDS.iter().any(|k| lower.starts_with(k)) {
        format!("{JOINER}{name}")
    } else {
        name
    }
}

/// A score as Mermaid text: whole numbers plain, others with up to two decimals.
fn score_text(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{r:.0}")
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Writes a map as a Mermaid journey: the title, a section per stage, a task per card of the
/// first Actions lane (or, without one, of the first lane holding cards) with its personas as
/// actors and its score from the first perceived curve: the point tied to the card (an
/// imported task's), else the stage's untied point nearest the card's place in the stage (a
/// curve drawn by hand), else none — a score is never made up, so import → export → import
/// gives the same map.
#[must_use]
pub fn export(doc: &Document) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("journey\n");
    let title = clean(&doc.title.replace(['\r', '\n'], " "), &['#', ';']);
    if !title.is_empty() {
        let _ = writeln!(out, "    title {title}");
    }
    let descr = clean(&doc.description.replace(['\r', '\n'], " "), &['#', ';']);
    if !descr.is_empty() {
        let _ = writeln!(out, "    accDescr: {descr}");
    }
    let lane = doc
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Actions)
        .or_else(|| doc.lanes.iter().find(|l| l.kind.holds_cards()))
        .map(|l| l.id);
    let curve = doc
        .emotion
        .first_of(CurveKind::Perceived)
        .or_else(|| doc.emotion.curves.first());
    let scale = &doc.emotion.scale;
    let (lo, hi) = (f64::from(scale.min), f64::from(scale.max));
    let to_score = |v: f32| 1.0 + (f64::from(v) - lo) / (hi - lo) * 4.0;
    // Points tied to a card of the map belong to it; the others (drawn by hand, or tied to a
    // card that is gone) score the stage's tasks by place.
    let tied: std::collections::HashMap<CardId, f32> = curve
        .map(|c| {
            c.points
                .iter()
                .filter_map(|p| {
                    p.card
                        .filter(|id| doc.card(*id).is_some())
                        .map(|id| (id, p.value))
                })
                .rev()
                .collect()
        })
        .unwrap_or_default();
    for stage in &doc.stages {
        let mut name = clean(&stage.name, &[':', '#', ';']);
        if name.is_empty() {
            name = "Stage".into();
        }
        let _ = writeln!(out, "    section {name}");
        let cards: Vec<&Card> = doc
            .cards
            .iter()
            .filter(|c| Some(c.lane) == lane && c.stage == stage.id)
            .map(|c| &**c)
            .collect();
        let pts: Vec<&EmotionPoint> = curve
            .map(|c| {
                c.points
                    .iter()
                    .filter(|p| p.stage == stage.id)
                    .filter(|p| p.card.is_none_or(|id| doc.card(id).is_none()))
                    .collect()
            })
            .unwrap_or_default();
        let n = cards.len().max(1) as f32;
        for (k, card) in cards.iter().enumerate() {
            // Its own point, else the untied point nearest its place in the stage (task k
            // of n stands at (k + ½) / n), else none.
            let at = (k as f32 + 0.5) / n;
            let score = tied.get(&card.id).copied().or_else(|| {
                pts.iter()
                    .min_by(|a, b| (a.offset - at).abs().total_cmp(&(b.offset - at).abs()))
                    .map(|p| p.value)
            });
            let score = score.map_or_else(|| NO_SCORE.to_owned(), |v| score_text(to_score(v)));
            let mut task = clean(&card.text, &[':', '#', ';']);
            if task.is_empty() {
                task = "Task".into();
            }
            let task = protect(task);
            let actors: Vec<String> = card
                .personas
                .iter()
                .filter_map(|id| doc.personas.iter().find(|p| p.id == *id))
                .map(|p| clean(&p.name, &[':', '#', ';', ',']))
                .collect();
            if actors.is_empty() {
                let _ = writeln!(out, "      {task}: {score}");
            } else {
                let _ = writeln!(out, "      {task}: {score}: {}", actors.join(", "));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_numbers() {
        assert_eq!(js_number(" 5 "), Some(5.0));
        assert_eq!(js_number(""), Some(0.0));
        assert_eq!(js_number("-10"), Some(-10.0));
        assert_eq!(js_number("2.5"), Some(2.5));
        assert_eq!(js_number("Hello"), None);
        assert_eq!(js_number("2rem"), None);
    }

    #[test]
    fn what_mermaid_rejects_is_an_error_with_its_position() {
        let cases = [
            ("journey\nsection A\nTask without colon\n", 3),
            ("journey\nsection A: B\n", 2),
            ("journey\nsection A\nTa#sk: 5\n", 3),
            ("journey\nsection A\nTask: 5; x\n", 3),
            ("title First\njourney\n", 1),
            ("journey\nsection\n", 2),
            ("journey\nsection A\nTask:\n", 3),
        ];
        for (text, line) in cases {
            match parse(text, "x.mmd") {
                Err(LoadError::Syntax { line: l, .. }) => assert_eq!(l, line, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn names_that_would_break_a_line_are_replaced() {
        let mut doc = crate::model::sample_map();
        doc.title = "Bill #2; the sequel".into();
        doc.stages[0].name = "Discover: the ad # 1".into();
        doc.card_at_mut(0).text = "Sees: an ad; #1\nthen more".into();
        let text = export(&doc);
        let back = parse(&text, "out.mmd").unwrap();
        assert_eq!(back.title, "Bill \u{266f}2\u{037e} the sequel");
        assert_eq!(back.sections[0].name, "Discover\u{2236} the ad \u{266f} 1");
        assert_eq!(
            back.sections[0].tasks[0].name,
            "Sees\u{2236} an ad\u{037e} \u{266f}1<br>then more"
        );
        let again = import(&text, "out.mmd").unwrap().doc;
        // Names that start like a keyword stay tasks (found by fuzzing: a task called
        // "accDescr" came back as the description).
        let mut doc = crate::model::sample_map();
        for (i, name) in [
            "accDescr",
            "title page",
            "Section 2",
            "%% not a comment",
            "journey",
        ]
        .iter()
        .enumerate()
        {
            (*name).clone_into(&mut doc.card_at_mut(i).text);
        }
        let n = doc
            .cards
            .iter()
            .filter(|c| {
                doc.lane(c.lane)
                    .is_some_and(|l| l.kind == LaneKind::Actions)
            })
            .count();
        let back = import(&export(&doc), "out.mmd").unwrap().doc;
        assert_eq!(back.cards.len(), n);
        assert!(back.cards.iter().any(|c| c.text == "accDescr"));
        assert_eq!(
            again.cards[0].text,
            "Sees\u{2236} an ad\u{037e} \u{266f}1\nthen more"
        );
    }

    #[test]
    fn line_breaks_as_mermaid_writes_them() {
        assert_eq!(
            breaks("Line1<br>Line2<br/>Line3</br />Line4<BR\t/>Line5 <b>x</b> a<b"),
            "Line1\nLine2\nLine3\nLine4\nLine5 <b>x</b> a<b"
        );
    }
}
