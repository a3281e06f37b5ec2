//! Which touchpoints matter: driver analysis of survey data on the map.
//!
//! A survey table has one row per respondent and a column per touchpoint (matched to the map's
//! touchpoint cards by their exact text, or to any card by `card:ID`), plus an overall
//! satisfaction column. For each touchpoint: how many answered (n), the mean score, the
//! correlation with overall (r), the standardised regression coefficient (beta) and Johnson's
//! relative weight (Johnson 2000, "A heuristic method for estimating the relative weight of
//! predictor variables in multiple regression"): the touchpoints' correlation matrix
//! `Rxx = V Λ Vᵀ` gives `Λ* = V Λ^½ Vᵀ`, the correlations of the touchpoints with their closest
//! orthogonal counterparts; overall is regressed on those, `β* = Λ*⁻¹ rxy`; the raw weight of
//! touchpoint j is `Σₖ Λ*ⱼₖ² β*ₖ²`, and the raw weights add up to R². Unlike betas, they stay
//! sensible (never negative, never more than R²) when touchpoint scores are correlated.
//!
//! Missing values: a blank cell is a missing answer. n and the mean of a touchpoint use every
//! answer to it; the model (r, beta, weights, R², intervals, what-if) uses the respondents who
//! answered overall and every matched touchpoint (listwise deletion), and says how many those
//! are. A touchpoint everyone in the model scored the same is left out of the model with a
//! warning (it explains nothing).
//!
//! Intervals: a percentile bootstrap (respondents resampled with replacement; 95 %) with a
//! seeded, portable generator, so the same file and seed give the same numbers. Each replicate
//! has its own generator, seeded from the seed and the replicate's number, so the numbers do not
//! depend on how many threads compute them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

use crate::io::LoadError;
use crate::io::sheet::{column_letter, number, separator_for};
use crate::model::{CardId, Document, LaneKind};

/// The largest score magnitude read: far beyond any rating scale, small enough that squares
/// and sums of a million of them stay exact enough.
const MAX_SCORE: f64 = 1e9;
/// At most this many respondents are read.
pub const MAX_RESPONDENTS: usize = 1_000_000;
/// At most this many columns a survey may have.
pub const MAX_COLUMNS: usize = 2_000;
/// Bootstrap replicates unless asked otherwise.
pub const DEFAULT_REPLICATES: usize = 1_000;
/// The seed unless asked otherwise.
pub const DEFAULT_SEED: u64 = 2026;
/// The name of the overall-satisfaction column unless asked otherwise.
pub const DEFAULT_OVERALL: &str = "overall";
/// Eigenvalues of the correlation matrix below this mean touchpoints that repeat each other.
const SINGULAR: f64 = 1e-10;

/// One touchpoint column of a survey, matched to a card.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Column {
    /// The card it scores.
    pub card: CardId,
    /// The card's text.
    pub text: String,
    /// The column's name in the survey.
    pub header: String,
    /// Respondents who answered it.
    pub n: usize,
    /// Their mean score.
    pub mean: f64,
}

/// A survey read and matched to a map, ready for the model.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The overall column's name.
    pub overall: String,
    /// Rows read (respondents).
    pub respondents: usize,
    /// Matched touchpoint columns in the model, in survey order.
    pub columns: Vec<Column>,
    /// Columns left out of the model: matched but constant, with why.
    pub excluded: Vec<String>,
    /// Columns that match no card (a respondent id, free text …).
    pub unmatched: Vec<String>,
    /// Warnings (duplicate matches, constant columns, …).
    pub warnings: Vec<String>,
    /// Scores of the respondents in the model: one row each, a column per touchpoint.
    pub x: DMatrix<f64>,
    /// Their overall scores.
    pub y: DVector<f64>,
}

/// One touchpoint's place in the fitted model.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Driver {
    /// The card.
    pub card: CardId,
    /// The card's text.
    pub text: String,
    /// The survey column.
    pub header: String,
    /// Respondents who answered it.
    pub n: usize,
    /// Mean score.
    pub mean: f64,
    /// Correlation with overall (respondents in the model).
    pub r: f64,
    /// Standardised regression coefficient.
    pub beta: f64,
    /// Johnson's raw relative weight (the weights add up to R²).
    pub weight: f64,
    /// The weight as a share of R², in percent.
    pub share: f64,
    /// Change in overall per point of this touchpoint's score (unstandardised coefficient).
    pub slope: f64,
    /// Bootstrap interval of the weight (95 %), once computed.
    pub low: Option<f64>,
    /// See `low`.
    pub high: Option<f64>,
}

/// The fitted model.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Fit {
    /// Touchpoints, most important first.
    pub drivers: Vec<Driver>,
    /// Variance of overall the touchpoints explain.
    pub r2: f64,
    /// Respondents in the model.
    pub n: usize,
}

/// Relative weights from a correlation matrix of the touchpoints and their correlations with
/// overall: (raw weights, standardised betas, R²).
///
/// # Errors
/// A correlation matrix that is singular (touchpoints that repeat each other) or not finite.
pub fn relative_weights(
    rxx: &DMatrix<f64>,
    rxy: &DVector<f64>,
) -> Result<(DVector<f64>, DVector<f64>, f64), String> {
    let k = rxx.nrows();
    if k == 0 {
        return Err("no touchpoints to weigh".into());
    }
    if rxx.iter().chain(rxy.iter()).any(|v| !v.is_finite()) {
        return Err("the correlations are not finite numbers".into());
    }
    let eig = SymmetricEigen::new(rxx.clone());
    if eig.eigenvalues.iter().any(|l| *l < SINGULAR) {
        return Err(
            "some touchpoints' scores repeat others' (their correlation matrix is singular)".into(),
        );
    }
    let v = &eig.eigenvectors;
    let sqrt = DMatrix::from_diagonal(&eig.eigenvalues.map(f64::sqrt));
    let inv_sqrt = DMatrix::from_diagonal(&eig.eigenvalues.map(|l| 1.0 / l.sqrt()));
    let lambda = v * &sqrt * v.transpose();
    let beta_star = v * &inv_sqrt * v.transpose() * rxy;
    let lambda_sq = lambda.map(|x| x * x);
    let beta_star_sq = beta_star.map(|x| x * x);
    let weights = &lambda_sq * &beta_star_sq;
    let inv = DMatrix::from_diagonal(&eig.eigenvalues.map(|l| 1.0 / l));
    let betas = v * &inv * v.transpose() * rxy;
    let r2 = weights.sum();
    Ok((weights, betas, r2))
}

/// Correlations of weighted data: `a` holds the touchpoints and overall in its last column,
/// `w` a weight per row (bootstrap counts; `None` for 1 each). Returns (Rxx, rxy, standard
/// deviations of every column), or `None` if a column does not vary.
fn correlations(
    a: &DMatrix<f64>,
    w: Option<&DVector<f64>>,
) -> Option<(DMatrix<f64>, DVector<f64>, DVector<f64>)> {
    let (n, m) = a.shape();
    let total = w.map_or(n as f64, nalgebra::Matrix::sum);
    if total < 2.0 {
        return None;
    }
    let gram = match w {
        None => a.tr_mul(a),
        Some(w) => {
            let mut wa = a.clone();
            for (i, mut row) in wa.row_iter_mut().enumerate() {
                row *= w[i];
            }
            a.tr_mul(&wa)
        }
    };
    let sums = match w {
        None => a.row_sum().transpose(),
        Some(w) => a.tr_mul(w),
    };
    let mean = sums / total;
    let mut cov = gram / total - &mean * mean.transpose();
    cov *= total / (total - 1.0);
    let sd = DVector::from_iterator(m, (0..m).map(|i| cov[(i, i)].max(0.0).sqrt()));
    if sd.iter().any(|s| *s <= 1e-12 * (1.0 + mean.amax())) {
        return None;
    }
    let k = m - 1;
    let mut rxx = DMatrix::zeros(k, k);
    for i in 0..k {
        for j in 0..k {
            rxx[(i, j)] = if i == j {
                1.0
            } else {
                cov[(i, j)] / (sd[i] * sd[j])
            };
        }
    }
    let rxy = DVector::from_iterator(k, (0..k).map(|i| cov[(i, k)] / (sd[i] * sd[k])));
    Some((rxx, rxy, sd))
}

/// The touchpoints and overall of the model's respondents, centred at their means (for
/// numerical stability; correlations do not change).
fn design(p: &Prepared) -> DMatrix<f64> {
    let (n, k) = p.x.shape();
    let mut a = DMatrix::zeros(n, k + 1);
    a.view_mut((0, 0), (n, k)).copy_from(&p.x);
    a.set_column(k, &p.y);
    for mut col in a.column_iter_mut() {
        let mean = col.mean();
        col.add_scalar_mut(-mean);
    }
    a
}

/// Fits the model.
///
/// # Errors
/// Too few respondents in the model, or touchpoints that repeat each other.
pub fn fit(p: &Prepared) -> Result<Fit, String> {
    let (n, k) = p.x.shape();
    if k == 0 && !p.excluded.is_empty() {
        return Err(format!(
            "every survey column that matches a touchpoint was left out of the model ({}): see the warnings",
            p.excluded.join(", ")
        ));
    }
    if k == 0 {
        return Err("no survey column matches a touchpoint of the map".into());
    }
    if n < k + 2 {
        return Err(format!(
            "{} answered overall and every matched touchpoint: the model needs at least {} (touchpoints + 2)",
            crate::text::count(n, "respondent"),
            k + 2
        ));
    }
    let a = design(p);
    let (rxx, rxy, sd) = correlations(&a, None).ok_or_else(|| {
        format!(
            "\u{201c}{}\u{201d} (the overall score) is the same for every respondent in the model: there is nothing to explain",
            p.overall
        )
    })?;
    let (weights, betas, r2) = relative_weights(&rxx, &rxy)?;
    let mut drivers: Vec<Driver> = p
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| Driver {
            card: c.card,
            text: c.text.clone(),
            header: c.header.clone(),
            n: c.n,
            mean: c.mean,
            r: rxy[j],
            beta: betas[j],
            weight: weights[j],
            share: if r2 > 0.0 {
                weights[j] / r2 * 100.0
            } else {
                0.0
            },
            slope: betas[j] * sd[k] / sd[j],
            low: None,
            high: None,
        })
        .collect();
    drivers.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    Ok(Fit { drivers, r2, n })
}

/// Bootstrap replicates of the weights and slopes, in the survey's column order.
#[derive(Clone, Debug, Default)]
pub struct Bootstrap {
    /// Raw weights, one row per replicate that could be fitted.
    pub weights: Vec<Vec<f64>>,
    /// Unstandardised slopes, same rows.
    pub slopes: Vec<Vec<f64>>,
    /// Replicates asked for.
    pub replicates: usize,
    /// Replicates that could not be fitted (a touchpoint constant in the resample …).
    pub failed: usize,
    /// Cards of the columns, in order.
    pub cards: Vec<CardId>,
}

/// Progress of a bootstrap run on other threads: replicates done, and a flag to stop it.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// Replicates done.
    pub done: Arc<AtomicUsize>,
    /// Set to stop early.
    pub cancel: Arc<AtomicBool>,
}

/// One bootstrap replicate's weights and slopes.
type Replicate = (Vec<f64>, Vec<f64>);

fn replicate(a: &DMatrix<f64>, seed: u64, r: usize) -> Option<Replicate> {
    let n = a.nrows();
    let mut rng = XorShiftRng::seed_from_u64(seed ^ (r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut w = DVector::zeros(n);
    for _ in 0..n {
        // An index in 0..n (multiply-shift; its bias is below 2⁻⁴⁰ for any survey we read).
        let i = ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize;
        w[i] += 1.0;
    }
    let (rxx, rxy, sd) = correlations(a, Some(&w))?;
    let (weights, betas, _) = relative_weights(&rxx, &rxy).ok()?;
    let k = rxx.nrows();
    let slopes = (0..k).map(|j| betas[j] * sd[k] / sd[j]).collect();
    Some((weights.iter().copied().collect(), slopes))
}

/// Runs `replicates` bootstrap replicates on `threads` threads (at least 1), reporting
/// progress and stopping early when asked.
#[must_use]
pub fn bootstrap(
    p: &Prepared,
    replicates: usize,
    seed: u64,
    threads: usize,
    progress: &Progress,
) -> Bootstrap {
    let a = design(p);
    let threads = threads.clamp(1, 64);
    let chunks: Vec<Vec<Option<Replicate>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let a = &a;
                s.spawn(move || {
                    let mut out = Vec::new();
                    for r in (t..replicates).step_by(threads) {
                        if progress.cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        out.push(replicate(a, seed, r));
                        progress.done.fetch_add(1, Ordering::Relaxed);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    // Back in replicate order: replicate r is chunk r % threads, item r / threads.
    let mut boot = Bootstrap {
        replicates,
        cards: p.columns.iter().map(|c| c.card).collect(),
        ..Bootstrap::default()
    };
    for r in 0..replicates {
        match chunks.get(r % threads).and_then(|c| c.get(r / threads)) {
            Some(Some((w, s))) => {
                boot.weights.push(w.clone());
                boot.slopes.push(s.clone());
            }
            Some(None) => boot.failed += 1,
            None => {}
        }
    }
    boot
}

/// The 2.5th and 97.5th percentiles (nearest rank) of some values.
fn interval(mut values: Vec<f64>) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let rank = (q * values.len() as f64).ceil().max(1.0) as usize;
        values[rank.min(values.len()) - 1]
    };
    Some((at(0.025), at(0.975)))
}

/// Puts the bootstrap intervals of the weights into the fit.
pub fn add_intervals(fit: &mut Fit, boot: &Bootstrap) {
    for d in &mut fit.drivers {
        let Some(j) = boot.cards.iter().position(|c| *c == d.card) else {
            continue;
        };
        if let Some((lo, hi)) = interval(boot.weights.iter().map(|w| w[j]).collect()) {
            d.low = Some(lo);
            d.high = Some(hi);
        }
    }
}

/// What raising touchpoints' mean scores does to overall satisfaction.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WhatIf {
    /// Predicted change of the overall mean.
    pub change: f64,
    /// Bootstrap interval (95 %), if there is a bootstrap.
    pub low: Option<f64>,
    /// See `low`.
    pub high: Option<f64>,
}

/// The predicted change in overall satisfaction when each `(card, Δ)` touchpoint's mean score
/// rises by Δ (from the fitted model's unstandardised coefficients), with its interval.
#[must_use]
pub fn what_if(fit: &Fit, boot: Option<&Bootstrap>, deltas: &[(CardId, f64)]) -> WhatIf {
    let change = deltas
        .iter()
        .filter_map(|(card, d)| {
            fit.drivers
                .iter()
                .find(|x| x.card == *card)
                .map(|x| x.slope * d)
        })
        .sum();
    let range = boot.and_then(|b| {
        let idx: Vec<(usize, f64)> = deltas
            .iter()
            .filter_map(|(card, d)| b.cards.iter().position(|c| c == card).map(|j| (j, *d)))
            .collect();
        interval(
            b.slopes
                .iter()
                .map(|s| idx.iter().map(|(j, d)| s[*j] * d).sum())
                .collect(),
        )
    });
    WhatIf {
        change,
        low: range.map(|r| r.0),
        high: range.map(|r| r.1),
    }
}

/// Reads a survey table and matches its columns to the map's cards.
///
/// # Errors
/// No overall column, a score that is not a number (named by row and column), too many rows
/// or columns, or text the CSV reader rejects.
pub fn prepare(
    doc: &Document,
    text: &str,
    path: &str,
    overall: &str,
) -> Result<Prepared, LoadError> {
    prepare_until(doc, text, path, overall, &AtomicBool::new(false))
}

/// [`prepare`], stopping (with an error saying so) soon after `stop` is set: a window that
/// reads a big survey on another thread can cancel it.
///
/// # Errors
/// As [`prepare`], or "stopped".
pub fn prepare_until(
    doc: &Document,
    text: &str,
    path: &str,
    overall: &str,
    stop: &AtomicBool,
) -> Result<Prepared, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |message: String| LoadError::Table {
        path: path.into(),
        message,
    };
    crate::io::sheet::not_too_wide(text, MAX_COLUMNS).map_err(invalid)?;
    crate::io::sheet::closed_quotes(text, path)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator_for(text, |h| {
            h.trim().eq_ignore_ascii_case(overall.trim())
        }))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_error = |e: &csv::Error| LoadError::Syntax {
        path: path.into(),
        line: e.position().map_or(1, |p| p.line() as usize),
        column: 1,
        message: e.to_string(),
    };
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(&e)),
        None => return Err(invalid("the survey is empty".into())),
    };
    if header.len() > MAX_COLUMNS {
        return Err(invalid(format!(
            "{} columns: at most {MAX_COLUMNS} are read",
            header.len()
        )));
    }
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let is_overall = |h: &String| h.eq_ignore_ascii_case(overall.trim());
    if let [a, b, ..] = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| is_overall(h))
        .map(|(i, _)| i)
        .collect::<Vec<_>>()[..]
    {
        return Err(invalid(format!(
            "columns {} (\u{201c}{}\u{201d}) and {} (\u{201c}{}\u{201d}) are both the overall column: rename one",
            column_letter(a),
            headers[a],
            column_letter(b),
            headers[b]
        )));
    }
    let Some(overall_col) = headers.iter().position(is_overall) else {
        return Err(invalid(format!(
            "no \u{201c}{overall}\u{201d} column for overall satisfaction (name it with --overall; the columns are {})",
            {
                let shown: Vec<String> = headers
                    .iter()
                    .take(8)
                    .map(|h| format!("\u{201c}{h}\u{201d}"))
                    .collect();
                let more = headers.len().saturating_sub(8);
                if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    shown.join(", ")
                }
            }
        )));
    };

    // Match columns: `card:ID` (any card), else the exact text of one touchpoint card.
    let mut warnings = Vec::new();
    let mut unmatched = Vec::new();
    let mut matched: Vec<(usize, CardId)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if i == overall_col {
            continue;
        }
        let by_id = h
            .strip_prefix("card:")
            .and_then(|id| id.trim().parse::<u64>().ok())
            .map(CardId)
            .filter(|id| doc.card(*id).is_some());
        let card = by_id.or_else(|| {
            let mut hits = doc.cards.iter().filter(|c| {
                c.text.trim() == h
                    && doc
                        .lane(c.lane)
                        .is_some_and(|l| l.kind == LaneKind::Touchpoints)
            });
            let first = hits.next().map(|c| c.id);
            if first.is_some() && hits.next().is_some() {
                warnings.push(format!(
                    "column {} (\u{201c}{h}\u{201d}) matches several touchpoints: it scores the first (use card:ID to choose)",
                    column_letter(i)
                ));
            }
            first
        });
        match card {
            Some(c) if matched.iter().any(|(_, m)| *m == c) => {
                warnings.push(format!(
                    "column {} (\u{201c}{h}\u{201d}) scores a touchpoint an earlier column scores: left out",
                    column_letter(i)
                ));
                unmatched.push(h.clone());
            }
            Some(c) => matched.push((i, c)),
            None => unmatched.push(h.clone()),
        }
    }

    // Scores: blank is missing; anything else must be a number.
    let wanted: Vec<usize> = matched
        .iter()
        .map(|(i, _)| *i)
        .chain([overall_col])
        .collect();
    let mut rows: Vec<Vec<Option<f64>>> = Vec::new();
    for (r, record) in records.enumerate() {
        if r % 4096 == 0 && stop.load(Ordering::Relaxed) {
            return Err(invalid(format!("row {}: stopped", r + 2)));
        }
        let record = record.map_err(|e| csv_error(&e))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        crate::io::sheet::no_extra_cells(&record, headers.len(), r + 2).map_err(invalid)?;
        if rows.len() >= MAX_RESPONDENTS {
            return Err(invalid(format!(
                "row {}: more than {} respondents (the most a survey may have)",
                r + 2,
                crate::text::thousands(MAX_RESPONDENTS as u64)
            )));
        }
        let mut row = Vec::with_capacity(wanted.len());
        for &i in &wanted {
            let cell = record.get(i).unwrap_or("").trim();
            if cell.is_empty() {
                row.push(None);
                continue;
            }
            let v = number(cell).ok_or_else(|| {
                invalid(format!(
                    "row {}, column {} ({}): \u{201c}{}\u{201d} is not a score",
                    r + 2,
                    column_letter(i),
                    headers[i],
                    crate::text::printable(cell)
                ))
            })?;
            if v.abs() > MAX_SCORE {
                return Err(invalid(format!(
                    "row {}, column {} ({}): \u{201c}{}\u{201d} is too large for a score",
                    r + 2,
                    column_letter(i),
                    headers[i],
                    crate::text::printable(cell)
                )));
            }
            row.push(Some(v));
        }
        rows.push(row);
    }
    let k = matched.len();
    if !rows.is_empty() && rows.iter().all(|row| row[k].is_none()) {
        return Err(invalid(format!(
            "column {} (\u{201c}{}\u{201d}, the overall score) is blank in every row",
            column_letter(overall_col),
            headers[overall_col]
        )));
    }
    let mut columns = Vec::with_capacity(k);
    for (j, (i, card)) in matched.iter().enumerate() {
        let answers: Vec<f64> = rows.iter().filter_map(|row| row[j]).collect();
        let n = answers.len();
        columns.push(Column {
            card: *card,
            text: doc.card(*card).map(|c| c.text.clone()).unwrap_or_default(),
            header: headers[*i].clone(),
            n,
            mean: if n == 0 {
                f64::NAN
            } else {
                answers.iter().sum::<f64>() / n as f64
            },
        });
    }
    // Touchpoint columns nobody answered are left out first: they would leave no respondent
    // in the model.
    let mut excluded = Vec::new();
    let answered: Vec<usize> = (0..k)
        .filter(|&j| {
            let any = columns[j].n > 0;
            if !any {
                excluded.push(columns[j].header.clone());
                warnings.push(format!(
                    "column {} (\u{201c}{}\u{201d}) is blank in every row: left out of the model",
                    column_letter(matched[j].0),
                    columns[j].header
                ));
            }
            any
        })
        .collect();
    // The model's respondents: overall and every answered touchpoint.
    let complete: Vec<&Vec<Option<f64>>> = rows
        .iter()
        .filter(|r| r[k].is_some() && answered.iter().all(|&j| r[j].is_some()))
        .collect();
    // Leave out touchpoints without variation among them (with fewer than two respondents
    // nothing varies: the model says it has too few instead).
    let mut keep = Vec::new();
    for &j in &answered {
        let first = complete.first().and_then(|r| r[j]);
        let varies = complete.len() < 2 || complete.iter().any(|r| r[j] != first);
        if varies {
            keep.push(j);
        } else {
            excluded.push(columns[j].header.clone());
            warnings.push(format!(
                "\u{201c}{}\u{201d} has the same score from every respondent in the model: left out of it",
                columns[j].header
            ));
        }
    }
    let n = complete.len();
    let x = DMatrix::from_fn(n, keep.len(), |r, c| complete[r][keep[c]].unwrap_or(0.0));
    let y = DVector::from_fn(n, |r, _| complete[r][k].unwrap_or(0.0));
    let columns = keep.iter().map(|&j| columns[j].clone()).collect();
    Ok(Prepared {
        overall: headers[overall_col].clone(),
        respondents: rows.len(),
        columns,
        excluded,
        unmatched,
        warnings,
        x,
        y,
    })
}

/// Reads a survey file (a regular file of at most the read limit, UTF-8) and prepares it.
///
/// # Errors
/// As [`prepare`], and an unreadable file.
pub fn prepare_file(
    doc: &Document,
    path: &std::path::Path,
    overall: &str,
) -> Result<Prepared, LoadError> {
    prepare_file_until(doc, path, overall, &AtomicBool::new(false))
}

/// [`prepare_file`], stopping soon after `stop` is set (see [`prepare_until`]).
///
/// # Errors
/// As [`prepare_file`], or "stopped".
pub fn prepare_file_until(
    doc: &Document,
    path: &std::path::Path,
    overall: &str,
    stop: &AtomicBool,
) -> Result<Prepared, LoadError> {
    let name = path.display().to_string();
    let bytes = crate::io::files::read_limited(path).map_err(|source| LoadError::Io {
        path: name.clone(),
        source,
    })?;
    let text = crate::io::utf8_text(&bytes, &name)?;
    prepare_until(doc, text, &name, overall, stop)
}

/// The ops that write `importance` (the raw relative weight) and `score` (the mean) metrics
/// onto the cards of a fit, replacing earlier ones: one per card whose metrics change.
#[must_use]
pub fn metric_ops(doc: &Document, fit: &Fit) -> Vec<crate::edit::Op> {
    use crate::edit::{CardField, Op};
    let mut ops = Vec::new();
    for d in &fit.drivers {
        let Some(card) = doc.card(d.card) else {
            continue;
        };
        let mut metrics = card.metrics.clone();
        set_metric(&mut metrics, "importance", d.weight);
        set_metric(&mut metrics, "score", d.mean);
        if metrics != card.metrics {
            ops.push(Op::SetCard(card.id, CardField::Metrics(metrics)));
        }
    }
    ops
}

/// Writes the metrics of [`metric_ops`] into `doc` (through the edit core, as every change).
pub fn apply(doc: &mut Document, fit: &Fit) {
    let mut mint = crate::edit::Mint::new(0);
    for op in metric_ops(doc, fit) {
        // The ops name cards of this map with finite values: nothing to refuse.
        let _ = crate::edit::apply(doc, op, &mut mint);
    }
}

fn set_metric(metrics: &mut Vec<crate::model::Metric>, name: &str, value: f64) {
    if !value.is_finite() {
        return;
    }
    match metrics.iter_mut().find(|m| m.name == name) {
        Some(m) => m.value = value,
        None => metrics.push(crate::model::Metric {
            name: name.into(),
            value,
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(interval(v), Some((25.0, 975.0)));
        assert_eq!(interval(vec![3.0]), Some((3.0, 3.0)));
        assert_eq!(interval(Vec::new()), None);
    }
}
