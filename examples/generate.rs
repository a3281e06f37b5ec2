//! Writes a synthetic journey map for benchmarks and stress tests:
//!
//! ```text
//! cargo run --release --example generate -- --stages 50 --cards 10000 -o big.json [--seed 1]
//! ```

use std::path::PathBuf;

use clap::Parser;

/// Writes a valid synthetic map.
#[derive(Parser)]
struct Args {
    /// Number of stages.
    #[arg(long, default_value_t = 10)]
    stages: usize,
    /// Number of cards.
    #[arg(long, default_value_t = 1000)]
    cards: usize,
    /// Seed of the pseudo-random texts and values.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file.
    #[arg(short, long)]
    output: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let doc = journeymap::model::synthetic_map(args.stages, args.cards, args.seed);
    journeymap::io::save_atomic(&args.output, &doc)?;
    eprintln!(
        "wrote {} ({} stages, {} cards)",
        args.output.display(),
        doc.stages.len(),
        doc.cards.len()
    );
    Ok(())
}
