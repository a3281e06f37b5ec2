//! Metrics kept up to date from data: each metric that names a source (a CSV file, a column,
//! an optional filter, how to sum it up) is read again and stamped with the day. A source
//! that cannot be read leaves its metric as it was and says why; nothing else changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::model::{Aggregate, Document, MetricSource};

/// What a refresh did: a line a metric, and the counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// `CSAT on “Agent call”: 4.3 → 4.6 (412 rows)`, or why it was not read.
    pub lines: Vec<String>,
    pub updated: usize,
    pub failed: usize,
}

/// A CSV table as read: its header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Reads every sourced metric of `doc` again (files relative to `dir`), stamping them
/// `today` (`YYYY-MM-DD`).
pub fn refresh(doc: &mut Document, dir: &Path, today: &str) -> Report {
    let mut report = Report::default();
    let mut tables: HashMap<PathBuf, Result<Table, String>> = HashMap::new();
    for i in 0..doc.cards.len() {
        if doc.cards[i].metrics.iter().all(|m| m.source.is_none()) {
            continue;
        }
        let text = doc.cards[i].text.clone();
        let card = doc.card_at_mut(i);
        for m in &mut card.metrics {
            let Some(src) = m.source.clone() else {
                continue;
            };
            let path = dir.join(&src.file);
            let table = tables.entry(path.clone()).or_insert_with(|| read(&path));
            let who = format!("{} on \u{201c}{}\u{201d}", m.name, short(&text));
            match table
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|t| value(t, &src))
            {
                Ok((v, n)) => {
                    report.lines.push(format!(
                        "{who}: {} \u{2192} {} ({})",
                        num(m.value),
                        num(v),
                        crate::text::count(n, "row")
                    ));
                    m.value = v;
                    m.refreshed = Some(today.to_string());
                    report.updated += 1;
                }
                Err(e) => {
                    report.lines.push(format!("{who}: not read: {e}"));
                    report.failed += 1;
                }
            }
        }
    }
    report
}

fn short(s: &str) -> String {
    let one = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 40 {
        format!("{}\u{2026}", one.chars().take(39).collect::<String>())
    } else {
        one
    }
}

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn read(path: &Path) -> Result<Table, String> {
    let bytes = super::files::read_limited(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(Table { header, rows })
}

fn column(t: &Table, name: &str) -> Option<usize> {
    t.header
        .iter()
        .position(|h| h.eq_ignore_ascii_case(name.trim()))
}

/// The source's value in a table, and how many rows had a number.
fn value(t: &Table, src: &MetricSource) -> Result<(f64, usize), String> {
    let col = column(t, &src.column)
        .ok_or_else(|| format!("{} has no column \u{201c}{}\u{201d}", src.file, src.column))?;
    let filter = match src.filter.split_once('=') {
        Some((c, v)) => {
            let fc = column(t, c).ok_or_else(|| {
                format!(
                    "{} has no column \u{201c}{}\u{201d} to filter on",
                    src.file,
                    c.trim()
                )
            })?;
            Some((fc, v.trim().to_lowercase()))
        }
        None if src.filter.trim().is_empty() => None,
        None => {
            return Err(format!(
                "the filter \u{201c}{}\u{201d} is not Column=value",
                src.filter
            ));
        }
    };
    let numbers: Vec<f64> = t
        .rows
        .iter()
        .filter(|r| {
            filter
                .as_ref()
                .is_none_or(|(c, v)| r.get(*c).is_some_and(|x| x.to_lowercase() == *v))
        })
        .filter_map(|r| {
            r.get(col)
                .and_then(|x| x.replace(',', ".").parse::<f64>().ok())
        })
        .filter(|v| v.is_finite())
        .collect();
    if numbers.is_empty() && src.how != Aggregate::Count {
        return Err(format!(
            "no row of {} has a number in \u{201c}{}\u{201d}{}",
            src.file,
            src.column,
            if filter.is_some() {
                " where the filter holds"
            } else {
                ""
            }
        ));
    }
    let n = numbers.len();
    let v = match src.how {
        Aggregate::Mean => numbers.iter().sum::<f64>() / n as f64,
        Aggregate::Sum => numbers.iter().sum(),
        Aggregate::Count => n as f64,
    };
    Ok((v, n))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::model::Metric;

    #[test]
    fn sourced_metrics_are_read_again_and_stamped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("survey.csv"),
            "\u{feff}Touchpoint,CSAT,Calls\nAgent call,4,10\nAgent call,5,\nChat,2,7\nAgent call,n/a,3\n",
        )
        .unwrap();
        let mut doc = crate::model::sample_map();
        let src = |column: &str, filter: &str, how| MetricSource {
            file: "survey.csv".into(),
            column: column.into(),
            filter: filter.into(),
            how,
            max_age_days: 30,
        };
        doc.card_at_mut(0).metrics = vec![
            Metric {
                name: "CSAT".into(),
                value: 1.0,
                source: Some(src("csat", "Touchpoint=agent call", Aggregate::Mean)),
                ..Default::default()
            },
            Metric {
                name: "Calls".into(),
                value: 0.0,
                source: Some(src("Calls", "", Aggregate::Sum)),
                ..Default::default()
            },
            Metric {
                name: "Effort".into(),
                value: 2.0,
                source: Some(src("Effort", "", Aggregate::Mean)),
                ..Default::default()
            },
            Metric {
                name: "Kept".into(),
                value: 7.0,
                ..Default::default()
            },
        ];
        let r = refresh(&mut doc, dir.path(), "2026-12-04");
        assert_eq!((r.updated, r.failed), (2, 1), "{:?}", r.lines);
        let m = &doc.cards[0].metrics;
        assert!((m[0].value - 4.5).abs() < 1e-9);
        assert!((m[1].value - 20.0).abs() < 1e-9);
        assert_eq!(m[0].refreshed.as_deref(), Some("2026-12-04"));
        assert_eq!((m[2].value, m[2].refreshed.as_deref()), (2.0, None));
        assert!(
            r.lines[2].contains("has no column \u{201c}Effort\u{201d}"),
            "{:?}",
            r.lines
        );
        assert_eq!((m[3].value, m[3].refreshed.as_deref()), (7.0, None));
        assert!(
            r.lines[0].ends_with("1 \u{2192} 4.5 (2 rows)"),
            "{:?}",
            r.lines
        );

        // Stale after 30 days; never read is stale; no source is never stale.
        let today = crate::text::day_of("2026-12-04").unwrap();
        assert_eq!(m[0].stale(today), None);
        assert_eq!(m[0].stale(today + 31), Some(Some(31)));
        assert_eq!(m[2].stale(today), Some(None));
        assert_eq!(m[3].stale(today + 1000), None);

        // A missing file: said, nothing changed.
        let mut d2 = doc.clone();
        let r = refresh(&mut d2, &dir.path().join("elsewhere"), "2026-12-05");
        assert_eq!(r.updated, 0);
        assert_eq!(d2, doc);
    }
}
