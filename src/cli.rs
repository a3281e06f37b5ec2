//! The command line: `journeymap [FILE]` opens the editor; subcommands run without a window.

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
            emotion_points: doc.emotion.points.len(),
            personas: doc.personas.len(),
        }
    }
}

/// Runs a headless subcommand; returns the text to print.
///
/// # Errors
/// A one-line message for the user (file, line:column, what).
pub fn run(cmd: &CliCommand) -> anyhow::Result<String> {
    match cmd {
        CliCommand::Info { file, json } => {
            let (doc, _) = crate::io::load(file)?;
            let info = Info::of(&doc);
            if *json {
                Ok(serde_json::to_string(&info)?)
            } else {
                Ok(format!(
                    "{}\n{} stages, {} lanes ({} hidden), {} cards, {} emotion points, {} personas",
                    info.title,
                    info.stages,
                    info.lanes,
                    info.hidden_lanes,
                    info.cards,
                    info.emotion_points,
                    info.personas
                ))
            }
        }
        CliCommand::Schema => Ok(crate::io::schema_json().trim_end().to_string()),
    }
}
