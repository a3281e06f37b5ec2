//! Search across a library's maps: words in a card's text (every word, any case), and
//! filters — `owner:Billing`, `channel:phone`, `severity:3` (or `severity:>=2`), `lane:pain`,
//! `stage:"Call support"`, `metric:CSAT` (has it) or `metric:CSAT<3` (and `<=`, `>`, `>=`,
//! `=`). Words and filters all have to match.

use serde::{Deserialize, Serialize};

use super::Library;
use crate::model::{Card, LaneKind};

/// A card as search sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardRow {
    pub id: u64,
    pub text: String,
    pub owner: String,
    pub channel: String,
    pub severity: u8,
    pub stage: String,
    pub kind: LaneKind,
    pub metrics: Vec<(String, f64)>,
    /// Text, owner, channel, stage and note, lower case, for matching words.
    words: String,
}

impl CardRow {
    /// A card in its stage and lane kind, owned by its own owner or else `inherited` (its
    /// cause's).
    #[must_use]
    pub fn of(c: &Card, stage: &str, kind: LaneKind, inherited: Option<&str>) -> Self {
        let owner = if c.owner.trim().is_empty() {
            inherited.unwrap_or_default().trim()
        } else {
            c.owner.trim()
        };
        let channel = c
            .channel
            .map_or_else(|| c.channel_name.clone(), |ch| ch.label().to_string());
        let words = format!("{} {owner} {channel} {stage} {}", c.text, c.note).to_lowercase();
        Self {
            id: c.id.0,
            text: c.text.clone(),
            owner: owner.to_string(),
            channel,
            severity: c.severity.unwrap_or(0),
            stage: stage.to_string(),
            kind,
            metrics: c
                .metrics
                .iter()
                .map(|m| (m.name.clone(), m.value))
                .collect(),
            words,
        }
    }
}

/// How a metric filter compares.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmp {
    Has,
    Lt(f64),
    Le(f64),
    Gt(f64),
    Ge(f64),
    Eq(f64),
}

/// One part of a query.
#[derive(Clone, Debug, PartialEq)]
enum Term {
    Word(String),
    Owner(String),
    Channel(String),
    Stage(String),
    Lane(String),
    Severity(Cmp),
    Metric(String, Cmp),
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub struct Query(Vec<Term>);

/// A card that matched, with its map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit<'a> {
    /// The map's file.
    pub path: &'a std::path::Path,
    /// The map's title.
    pub map: &'a str,
    /// The card.
    pub card: &'a CardRow,
}

/// The most hits a search returns.
pub const MAX_HITS: usize = 2_000;

impl Query {
    /// Reads a query.
    ///
    /// # Errors
    /// A filter that cannot be read (an unknown field, a comparison without a number): a
    /// sentence saying which and what is accepted.
    pub fn parse(q: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        for tok in tokens(q) {
            let Some((field, value)) = tok.split_once(':').filter(|(f, _)| is_field(f)) else {
                terms.push(Term::Word(tok.to_lowercase()));
                continue;
            };
            let value = value.trim_matches('"').to_string();
            terms.push(match field.to_ascii_lowercase().as_str() {
                "owner" => Term::Owner(value.to_lowercase()),
                "channel" => Term::Channel(value.to_lowercase()),
                "stage" => Term::Stage(value.to_lowercase()),
                "lane" => Term::Lane(value.to_lowercase()),
                "severity" => Term::Severity(cmp(&value, "severity")?.1),
                _ => {
                    let (name, c) = cmp(&value, "metric")?;
                    Term::Metric(name.to_lowercase(), c)
                }
            });
        }
        Ok(Self(terms))
    }

    /// Whether the query asks for nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn matches(&self, c: &CardRow) -> bool {
        self.0.iter().all(|t| match t {
            Term::Word(w) => c.words.contains(w.as_str()),
            Term::Owner(o) => c.owner.to_lowercase().contains(o.as_str()),
            Term::Channel(ch) => c.channel.to_lowercase().contains(ch.as_str()),
            Term::Stage(s) => c.stage.to_lowercase().contains(s.as_str()),
            Term::Lane(l) => {
                let kind = c.kind.label().to_lowercase();
                kind.contains(l.as_str())
                    || format!("{:?}", c.kind).to_lowercase().contains(l.as_str())
            }
            Term::Severity(cmp) => c.severity > 0 && test(*cmp, f64::from(c.severity)),
            Term::Metric(name, cmp) => c
                .metrics
                .iter()
                .any(|(n, v)| n.to_lowercase() == *name && test(*cmp, *v)),
        })
    }
}

fn is_field(f: &str) -> bool {
    matches!(
        f.to_ascii_lowercase().as_str(),
        "owner" | "channel" | "stage" | "lane" | "severity" | "metric"
    )
}

/// Words, with `"…"` keeping spaces together (`stage:"Call support"`).
fn tokens(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in q.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                cur.push(ch);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `NAME`, `NAME<3`, `>=2` …: the name (may be empty) and the comparison.
fn cmp(v: &str, field: &str) -> Result<(String, Cmp), String> {
    let at = v.find(['<', '>', '=']);
    let Some(at) = at else {
        if field == "severity" {
            let n: f64 = v.parse().map_err(|_| {
                format!("severity:{v}: give a number 1–3, or a comparison like severity:>=2")
            })?;
            return Ok((String::new(), Cmp::Eq(n)));
        }
        return Ok((v.to_string(), Cmp::Has));
    };
    let (name, rest) = v.split_at(at);
    let (op, num) = if let Some(n) = rest.strip_prefix("<=") {
        ("<=", n)
    } else if let Some(n) = rest.strip_prefix(">=") {
        (">=", n)
    } else {
        rest.split_at(1)
    };
    let n: f64 = num.trim().parse().map_err(|_| {
        format!("{field}:{v}: a comparison needs a number, like metric:CSAT<3 or severity:>=2")
    })?;
    let c = match op {
        "<" => Cmp::Lt(n),
        "<=" => Cmp::Le(n),
        ">" => Cmp::Gt(n),
        ">=" => Cmp::Ge(n),
        _ => Cmp::Eq(n),
    };
    Ok((name.to_string(), c))
}

fn test(c: Cmp, v: f64) -> bool {
    match c {
        Cmp::Has => true,
        Cmp::Lt(n) => v < n,
        Cmp::Le(n) => v <= n,
        Cmp::Gt(n) => v > n,
        Cmp::Ge(n) => v >= n,
        Cmp::Eq(n) => (v - n).abs() < 1e-9,
    }
}

impl Library {
    /// The cards of every map that match `q`, map by map (at most [`MAX_HITS`]).
    #[must_use]
    pub fn search(&self, q: &Query) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        if q.is_empty() {
            return out;
        }
        for e in &self.entries {
            for c in &e.index {
                if q.matches(c) {
                    out.push(Hit {
                        path: &e.path,
                        map: &e.title,
                        card: c,
                    });
                    if out.len() >= MAX_HITS {
                        return out;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    #[test]
    fn queries_read_words_and_filters() {
        let q =
            Query::parse(r#"fee owner:billing stage:"Call support" metric:CSAT<3 severity:>=2"#)
                .unwrap();
        assert_eq!(
            q.0,
            vec![
                Term::Word("fee".into()),
                Term::Owner("billing".into()),
                Term::Stage("call support".into()),
                Term::Metric("csat".into(), Cmp::Lt(3.0)),
                Term::Severity(Cmp::Ge(2.0)),
            ]
        );
        assert!(
            Query::parse("metric:CSAT<high")
                .unwrap_err()
                .contains("needs a number")
        );
        assert!(
            Query::parse("severity:bad")
                .unwrap_err()
                .contains("severity")
        );
        // Something that only looks like a filter is a word.
        assert_eq!(
            Query::parse("re:fund").unwrap().0,
            vec![Term::Word("re:fund".into())]
        );
    }
}
