//! The command line: `journeymap [FILE]` opens the editor; subcommands run without a window.

mod compare;
mod export;
mod library;
mod progress;
mod refresh;

use export::{ExportArgs, export};

pub use compare::{MergeOutcome, diff, merge};

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::model::Document;

/// Journeymap: customer-journey maps on a canvas, saved as JSON.
#[derive(Debug, Parser)]
#[command(name = "journeymap", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A map to open in the editor (without one, the sample map opens).
    pub file: Option<PathBuf>,
    /// A subcommand that runs without a window.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Print a map's title and counts.
    Info {
        /// The map file.
        file: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the file format.
    Schema,
    /// Open a map in the editor and host a workshop for it (File → Host workshop).
    Host {
        /// The map file.
        file: PathBuf,
        /// The port to listen on (7117, or another free one when it is taken).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Open the editor on someone's workshop (File → Join workshop).
    Join {
        /// The address the host shows (http://HOST:PORT/?token=…), or its room code
        /// (K7Q-X42, looked for on the local network), or both ("HOST:PORT K7Q-X42").
        url: String,
    },
    /// Run a workshop hub for a map with no window (a remote workshop on a server): prints
    /// the join address; participants join with File → Join workshop or `journeymap join`.
    /// The map file and a `.loro` sidecar are kept up to date every 2 s; run it again on the
    /// same file to resume the session (same address). Stop with Ctrl+C.
    Serve {
        /// The map file.
        file: PathBuf,
        /// The port to listen on.
        #[arg(long, default_value_t = 7117)]
        port: u16,
        /// The address to listen on (all of this machine's by default).
        #[arg(long, default_value = "0.0.0.0")]
        bind: std::net::IpAddr,
    },
    /// Read another tool's file into a map file: Mermaid `journey` text (.mmd) or a CSV table
    /// (.csv, a row per card).
    Import {
        /// The file to read (.mmd, .mermaid or .csv).
        input: PathBuf,
        /// The map to write (.json); an existing file is replaced atomically.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Which touchpoints matter: relative weights of the map's touchpoints from survey data
    /// (one row per respondent, a column per touchpoint named by its card's text or card:ID,
    /// and an overall-satisfaction column).
    Drivers {
        /// The map file.
        map: PathBuf,
        /// The survey table (.csv; blank cells are missing answers).
        survey: PathBuf,
        /// The overall-satisfaction column.
        #[arg(long, default_value = crate::drivers::DEFAULT_OVERALL)]
        overall: String,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Write the map with `importance` and `score` metrics on the matched cards to this file.
        #[arg(long, value_name = "OUT.json")]
        apply: Option<PathBuf>,
        /// Bootstrap replicates for the intervals: 0 (none), or 100 to 100,000.
        #[arg(long, default_value_t = crate::drivers::DEFAULT_REPLICATES)]
        bootstrap: usize,
        /// Seed of the bootstrap (the same seed gives the same intervals).
        #[arg(long, default_value_t = crate::drivers::DEFAULT_SEED)]
        seed: u64,
        /// What if a touchpoint's mean score rose: COLUMN=DELTA (the survey column's name),
        /// repeatable; the changes are added up.
        #[arg(long = "what-if", value_name = "COLUMN=DELTA")]
        what_if: Vec<String>,
    },
    /// What changed from one version of a map to another: stages, lanes, cards (field by
    /// field, and where they moved), emotion points, links, personas and metrics. Exit code 0
    /// when they say the same, 1 when they differ, 2 on trouble (as `diff`). Given the seven
    /// arguments git gives an external diff driver, shows the change of one file (exit 0).
    Diff {
        /// The older map, then the newer (or git's seven arguments).
        #[arg(num_args = 2..=7, required = true, value_name = "A.json B.json")]
        files: Vec<PathBuf>,
        /// `text` for people, `json` for tools.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Three-way merge of two versions of a map that grew from one base (two people's
    /// offline edits, two git branches), by ids and fields: edits to different fields of one
    /// thing both survive. A field changed two ways, or a thing removed on one side and
    /// changed on the other, keeps both values and is marked in the map; the editor lists the
    /// marks and settles each in one click. Exit code 0 when it merged cleanly, 1 when
    /// conflicts remain, 2 on trouble. As a git merge driver: `journeymap merge %O %A %B -o
    /// %A`.
    Merge {
        /// The version both grew from.
        base: PathBuf,
        /// Ours (its values stay in place where both sides changed a field).
        ours: PathBuf,
        /// Theirs.
        theirs: PathBuf,
        /// Where to write the merged map (replaced atomically; OURS itself for git); without
        /// it, the map is printed.
        #[arg(short, long, value_name = "OUT.json")]
        output: Option<PathBuf>,
    },
    /// Read a map's metrics again from the data they name (a CSV file, a column, a filter),
    /// stamp them with the day and save the map; says what changed and what could not be read
    /// (those stay as they were).
    Refresh {
        /// The map file.
        map: PathBuf,
        /// Say what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Every map in a folder (and its folders): title, persona, stages, cards and pain
    /// points by severity; files that are not maps are listed as skipped, with why.
    Library {
        /// The folder.
        folder: PathBuf,
        /// Print pain points by owner across the maps as CSV instead (owner, map, stage,
        /// severity, pain point).
        #[arg(long)]
        pain_by_owner: bool,
    },
    /// Cards across every map in a folder: words of their text, and filters owner:NAME,
    /// channel:NAME, stage:NAME, lane:KIND, severity:N (or severity:>=2), metric:NAME (or
    /// metric:CSAT<3); everything given must match.
    Search {
        /// The folder.
        folder: PathBuf,
        /// What to look for, e.g. `fee owner:Billing severity:>=2`.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// One JSON array of the matches, for tools.
        #[arg(long)]
        json: bool,
    },
    /// Export a map as a PNG, SVG or PDF image, Mermaid journey text (.mmd) or a CSV table
    /// (.csv); the format follows OUTPUT's extension.
    Export {
        /// The map file.
        input: PathBuf,
        /// The image to write (.png, .svg or .pdf); an existing file is replaced atomically.
        output: PathBuf,
        /// Pixels per map unit (1 = text at its design size; 2 or 3 for sharp slides).
        #[arg(long, conflicts_with = "width", value_name = "S")]
        scale: Option<f32>,
        /// Width of the image in pixels (the height follows).
        #[arg(long, value_name = "PX")]
        width: Option<u32>,
        /// Colours.
        #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
        theme: ThemeArg,
        /// PDF page: the map's own size, or A4 or A3 landscape (text kept at 9 pt and more,
        /// cards 11 pt: detail left out or the map put on pages of its own rather than shrunk).
        #[arg(long, value_enum, default_value_t = PageArg::Map)]
        page: PageArg,
        /// Text size in percent (100 to 200; cards re-wrap, as with View → Text size).
        #[arg(long, value_name = "PERCENT", default_value_t = 100,
              value_parser = clap::value_parser!(u16).range(100..=200))]
        text_size: u16,
        /// What card colours say: lane (kind), owner, evidence, or metric:NAME (a heat scale
        /// of that metric). Default: what the map was saved with (lane for a new map).
        #[arg(long, value_name = "WHAT", value_parser = parse_colour_by)]
        colour_by: Option<crate::render::ColourBy>,
        /// The whole map, or the executive view (severe pain points, moments of truth,
        /// opportunities, the curves and their gap, plus the lanes the map picks). Default:
        /// the view the map was saved in (the whole map for a new map).
        #[arg(long, value_enum)]
        view: Option<ViewArg>,
        /// Add the importance–performance chart under the map (from the cards' importance
        /// and score metrics, as `journeymap drivers --apply` writes them).
        #[arg(long)]
        chart: bool,
        /// Draw what changed since another version of the map (an older file, a saved
        /// version, the current state against a future one): cards added, changed and removed
        /// (as ghosts) in colour, its experience curve dotted, a legend and a summary.
        #[arg(long, value_name = "OTHER.json")]
        compare: Option<PathBuf>,
        /// Compare with the map this one is based on (its `based_on`): a future state drawn
        /// with what it changes in the current one.
        #[arg(long, conflicts_with = "compare")]
        since_base: bool,
        /// Current vs future state side by side on one page: the executive view of the map
        /// this one is based on (its `based_on`), then this one's.
        #[arg(long, conflicts_with_all = ["compare", "since_base"])]
        side_by_side: bool,
    },
}

fn parse_colour_by(s: &str) -> Result<crate::render::ColourBy, String> {
    crate::render::ColourBy::parse(s)
}

/// `--view`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ViewArg {
    /// Everything.
    Full,
    /// What an executive session needs.
    Executive,
}

/// `--theme`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    /// Light (prints well).
    Light,
    /// Dark.
    Dark,
}

/// `--page`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PageArg {
    /// One page the size of the map.
    Map,
    /// A4 landscape.
    A4,
    /// A3 landscape.
    A3,
    /// 16:9 slides: the whole map, then a slide per stage.
    Slides,
}

/// Counts of a map, as `info` prints them.
#[derive(Debug, serde::Serialize)]
pub struct Info {
    /// Title.
    pub title: String,
    /// Number of stages.
    pub stages: usize,
    /// Number of lanes.
    pub lanes: usize,
    /// Number of hidden lanes.
    pub hidden_lanes: usize,
    /// Number of cards.
    pub cards: usize,
    /// Number of emotion points.
    pub emotion_points: usize,
    /// Number of personas.
    pub personas: usize,
    /// Number of emotion curves.
    pub curves: usize,
    /// Number of links between cards.
    pub links: usize,
    /// Number of moments of truth.
    pub moments_of_truth: usize,
    /// Number of distinct owners (departments) of cards.
    pub owners: usize,
    /// Number of distinct metric names on cards.
    pub metrics: usize,
}

impl Info {
    /// The counts of a document.
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        Self {
            title: doc.title.clone(),
            stages: doc.stages.len(),
            lanes: doc.lanes.len(),
            hidden_lanes: doc.lanes.iter().filter(|l| l.hidden).count(),
            cards: doc.cards.len(),
            emotion_points: doc.emotion.points().count(),
            personas: doc.personas.len(),
            curves: doc.emotion.curves.len(),
            links: doc.links.len(),
            moments_of_truth: doc.cards.iter().filter(|c| c.moment_of_truth).count(),
            owners: crate::render::owners(doc).len(),
            metrics: crate::render::metric_names(doc).len(),
        }
    }
}

/// Whether a character could take over a terminal: control characters (escape sequences,
/// carriage return, backspace …) and the ones that reorder text (bidirectional overrides).
pub use crate::text::printable;
use crate::text::unsafe_for_terminal;

/// Reads a map, saying on standard error what was repaired in it (a dangling reference, a
/// repeated id …); the map is used as repaired.
fn load(path: &std::path::Path) -> Result<(Document, crate::io::FileStamp), crate::io::LoadError> {
    let (doc, stamp, repairs) = crate::io::load_repaired(path)?;
    if !repairs.is_empty() {
        eprintln!(
            "{}: repaired: {}",
            printable(&path.display().to_string()),
            printable(&repairs.to_string())
        );
    }
    Ok((doc, stamp))
}

/// JSON for a terminal: serde escapes control characters; the reordering ones are escaped
/// here the JSON way (`\u202e`), so the text stays valid JSON with the same value.
fn json_for_terminal(json: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if unsafe_for_terminal(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs a headless subcommand; returns the text to print.
///
/// # Errors
/// A one-line message for the user (file, line:column, what).
pub fn run(cmd: &CliCommand) -> anyhow::Result<String> {
    match cmd {
        CliCommand::Info { file, json } => {
            let (doc, _) = load(file)?;
            let info = Info::of(&doc);
            if *json {
                Ok(json_for_terminal(&serde_json::to_string(&info)?))
            } else {
                Ok(format!(
                    "{}\n{}, {} ({} hidden), {}, {}, {}\n{}, {}, {}, {}, {}",
                    printable(&info.title).replace('\n', " "),
                    crate::text::count(info.stages, "stage"),
                    crate::text::count(info.lanes, "lane"),
                    info.hidden_lanes,
                    crate::text::count(info.cards, "card"),
                    crate::text::count(info.emotion_points, "emotion point"),
                    crate::text::count(info.personas, "persona"),
                    crate::text::count(info.curves, "curve"),
                    crate::text::count(info.links, "link"),
                    match info.moments_of_truth {
                        1 => "1 moment of truth".to_owned(),
                        n => format!("{n} moments of truth"),
                    },
                    crate::text::count(info.owners, "owner"),
                    crate::text::count(info.metrics, "metric"),
                ))
            }
        }
        CliCommand::Drivers {
            map,
            survey,
            overall,
            json,
            apply,
            bootstrap,
            seed,
            what_if,
        } => drivers(&DriversArgs {
            map,
            survey,
            overall,
            json: *json,
            apply: apply.as_deref(),
            replicates: *bootstrap,
            seed: *seed,
            what_if,
        }),
        CliCommand::Schema => Ok(crate::io::schema_json().trim_end().to_string()),
        CliCommand::Serve { file, port, bind } => serve(file, *port, *bind),
        CliCommand::Diff { files, format } => diff(files, format).map(|(text, _)| text),
        CliCommand::Refresh { map, dry_run } => refresh::refresh(map, *dry_run),
        CliCommand::Library {
            folder,
            pain_by_owner,
        } => library::library(folder, *pain_by_owner),
        CliCommand::Search {
            folder,
            query,
            json,
        } => library::search(folder, &query.join(" "), *json),
        CliCommand::Merge {
            base,
            ours,
            theirs,
            output,
        } => merge(base, ours, theirs, output.as_deref()).map(|m| {
            m.map
                .map_or(m.summary.clone(), |j| format!("{}\n{j}", m.summary))
        }),
        CliCommand::Host { .. } | CliCommand::Join { .. } => {
            anyhow::bail!("`host` and `join` open the editor's window")
        }
        CliCommand::Import { input, output } => {
            if crate::io::files::same_file(input, output) {
                anyhow::bail!(
                    "{}: that is the file being imported; choose another output file",
                    output.display()
                );
            }
            let imported = crate::io::import(input)?;
            for w in &imported.warnings {
                eprintln!("journeymap: warning: {}", printable(w).replace('\n', " "));
            }
            crate::io::save_atomic(output, &imported.doc)?;
            let doc = &imported.doc;
            Ok(format!(
                "{}: {}, {}, {}",
                printable(&output.display().to_string()),
                crate::text::count(doc.stages.len(), "stage"),
                crate::text::count(doc.cards.len(), "card"),
                crate::text::count(doc.personas.len(), "persona"),
            ))
        }
        CliCommand::Export {
            input,
            output,
            scale,
            width,
            theme,
            page,
            text_size,
            colour_by,
            view,
            chart,
            compare,
            since_base,
            side_by_side,
        } => export(
            input,
            output,
            ExportArgs {
                scale: *scale,
                width: *width,
                theme: *theme,
                page: *page,
                text_size: *text_size,
                colour_by: colour_by.clone(),
                view: *view,
                chart: *chart,
                compare: compare.clone(),
                since_base: *since_base,
                side_by_side: *side_by_side,
            },
        ),
    }
}

/// The arguments of `journeymap drivers`.
struct DriversArgs<'a> {
    map: &'a std::path::Path,
    survey: &'a std::path::Path,
    overall: &'a str,
    json: bool,
    apply: Option<&'a std::path::Path>,
    replicates: usize,
    seed: u64,
    what_if: &'a [String],
}

/// What `journeymap drivers --json` prints.
#[derive(serde::Serialize)]
struct DriversJson<'a> {
    touchpoints: Vec<DriverJson<'a>>,
    r2: f64,
    n: usize,
    respondents: usize,
    overall: &'a str,
    unmatched: &'a [String],
    excluded: &'a [String],
    warnings: &'a [String],
    replicates: usize,
    seed: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    what_if: Option<crate::drivers::WhatIf>,
}

#[derive(serde::Serialize)]
struct DriverJson<'a> {
    card: u64,
    text: &'a str,
    column: &'a str,
    n: usize,
    mean: f64,
    r: f64,
    beta: f64,
    weight: f64,
    share: f64,
    low: Option<f64>,
    high: Option<f64>,
}

fn drivers(a: &DriversArgs<'_>) -> anyhow::Result<String> {
    use crate::drivers as d;
    use std::fmt::Write as _;
    if let Some(out) = a.apply
        && (crate::io::files::same_file(out, a.survey))
    {
        anyhow::bail!(
            "{}: that is the survey; choose another output file",
            out.display()
        );
    }
    // A 95 % interval needs replicates to its tails; past the cap time and memory grow for
    // nothing the interval shows.
    if a.replicates != 0 && !(MIN_REPLICATES..=MAX_REPLICATES).contains(&a.replicates) {
        anyhow::bail!(
            "--bootstrap {}: 0 (no intervals) or {MIN_REPLICATES} to {MAX_REPLICATES} replicates",
            a.replicates
        );
    }
    let (mut doc, _) = load(a.map)?;
    let prepared = d::prepare_file(&doc, a.survey, a.overall)?;
    let mut fit = d::fit(&prepared).map_err(|e| anyhow::anyhow!("{}: {e}", a.survey.display()))?;
    let boot = (a.replicates > 0).then(|| progress::bootstrap(&prepared, a.replicates, a.seed));
    if let Some(b) = &boot {
        d::add_intervals(&mut fit, b);
    }
    let mut deltas = Vec::new();
    for w in a.what_if {
        let Some((col, delta)) = w.rsplit_once('=') else {
            anyhow::bail!("--what-if {w}: write COLUMN=DELTA, e.g. \"Agent call=0.5\"");
        };
        let delta: f64 = delta
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| anyhow::anyhow!("--what-if {w}: {delta} is not a number"))?;
        // A change of a touchpoint's mean beyond any score scale says nothing (and prints a
        // 300-digit number).
        if delta.abs() > MAX_WHAT_IF {
            anyhow::bail!(
                "--what-if {w}: a change of at most {MAX_WHAT_IF} points (on the touchpoint's own scale)"
            );
        }
        let Some(driver) = fit
            .drivers
            .iter()
            .find(|x| x.header.eq_ignore_ascii_case(col.trim()) || x.text == col.trim())
        else {
            anyhow::bail!("--what-if {w}: no touchpoint column \u{201c}{col}\u{201d} in the model");
        };
        deltas.push((driver.card, delta));
    }
    let scenario = (!deltas.is_empty()).then(|| d::what_if(&fit, boot.as_ref(), &deltas));
    for w in &prepared.warnings {
        eprintln!("journeymap: warning: {}", printable(w).replace('\n', " "));
    }
    if let Some(out) = a.apply {
        d::apply(&mut doc, &fit);
        crate::io::save_atomic(out, &doc)?;
    }
    if a.json {
        let j = DriversJson {
            touchpoints: fit
                .drivers
                .iter()
                .map(|x| DriverJson {
                    card: x.card.0,
                    text: &x.text,
                    column: &x.header,
                    n: x.n,
                    mean: x.mean,
                    r: x.r,
                    beta: x.beta,
                    weight: x.weight,
                    share: x.share,
                    low: x.low,
                    high: x.high,
                })
                .collect(),
            r2: fit.r2,
            n: fit.n,
            respondents: prepared.respondents,
            overall: &prepared.overall,
            unmatched: &prepared.unmatched,
            excluded: &prepared.excluded,
            warnings: &prepared.warnings,
            replicates: boot.as_ref().map_or(0, |b| b.weights.len()),
            seed: a.seed,
            what_if: scenario,
        };
        return Ok(json_for_terminal(&serde_json::to_string(&j)?));
    }
    let mut out = String::new();
    let width = fit
        .drivers
        .iter()
        .map(|x| x.text.chars().count().min(40))
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "{:>2}  {:<width$}  {:>5}  {:>5}  {:>6}  {:>6}  {:>6}  {:>6}  95 % interval",
        "#", "touchpoint", "n", "mean", "r", "beta", "weight", "% R²"
    );
    for (i, x) in fit.drivers.iter().enumerate() {
        let text: String = printable(&x.text.replace('\n', " "))
            .chars()
            .take(40)
            .collect();
        let range = match (x.low, x.high) {
            (Some(l), Some(h)) => format!("{l:.3} – {h:.3}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{:>2}  {:<width$}  {:>5}  {:>5.2}  {:>6.3}  {:>6.3}  {:>6.3}  {:>5.1} %  {range}",
            i + 1,
            text,
            x.n,
            x.mean,
            x.r,
            x.beta,
            x.weight,
            x.share
        );
    }
    let _ = write!(
        out,
        "R² = {:.3} from {} who answered \u{201c}{}\u{201d} and every touchpoint (of {})",
        fit.r2,
        crate::text::count(fit.n, "respondent"),
        printable(&prepared.overall),
        prepared.respondents
    );
    if let Some(b) = &boot {
        let _ = write!(
            out,
            "; intervals from {} bootstrap replicates (seed {})",
            b.weights.len(),
            a.seed
        );
    }
    if !prepared.unmatched.is_empty() {
        let _ = write!(
            out,
            "\nNot touchpoints of the map: {}",
            printable(&prepared.unmatched.join(", "))
        );
    }
    if let Some(s) = scenario {
        let _ = write!(out, "\nWhat if: overall changes by {:+.3}", s.change);
        if let (Some(l), Some(h)) = (s.low, s.high) {
            let _ = write!(out, " (95 % interval {l:+.3} to {h:+.3})");
        }
    }
    if let Some(p) = a.apply {
        let _ = write!(
            out,
            "\nWrote {} with importance and score on {}",
            printable(&p.display().to_string()),
            crate::text::count(fit.drivers.len(), "card")
        );
    }
    Ok(out)
}

/// The fewest bootstrap replicates a 95 % interval is given from.
const MIN_REPLICATES: usize = 100;
/// The most bootstrap replicates (≈ 100 times the default's time and memory).
const MAX_REPLICATES: usize = 100_000;

/// The largest change of a touchpoint's mean score a what-if takes.
const MAX_WHAT_IF: f64 = 1_000.0;

/// `journeymap serve`: runs the hub until the process is stopped.
fn serve(file: &std::path::Path, port: u16, bind: std::net::IpAddr) -> anyhow::Result<String> {
    let (doc, _) = load(file)?;
    let files = crate::hub::Files::beside(file.to_path_buf());
    let hub = crate::hub::Hub::start(&doc, std::net::SocketAddr::new(bind, port), Some(files))?;
    let host = if bind.is_unspecified() {
        crate::hub::lan_address().to_string()
    } else {
        bind.to_string()
    };
    let code = crate::hub::code::shown(&hub.room_code());
    let findable = hub
        .answer_room_code(crate::hub::code::DISCOVERY_PORT)
        .is_ok();
    println!(
        "Serving {}\nJoin: {}\nRoom code: {code} (phones: open http://{host}:{} and type it; \
         laptops: {})\n(Ctrl+C stops and saves; the map is saved every 2 s)",
        printable(&doc.title),
        hub.join_url(&host),
        hub.addr().port(),
        if findable {
            format!("File → Join workshop, type {code}")
        } else {
            format!(
                "File → Join workshop, type {host}:{} {code}",
                hub.addr().port()
            )
        },
    );
    // Ctrl+C (or a stop from the system) stops the hub, which writes the files once more.
    crate::io::files::before_exit(Box::new(move || hub.stop()));
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
