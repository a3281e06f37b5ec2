//! The `journeymap` binary: the CLI front of the library.

use std::process::ExitCode;

use clap::Parser as _;
use journeymap::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(cmd) = &cli.command {
        return match run(cmd) {
            Ok(out) => {
                println!("{out}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("journeymap: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match journeymap::ui::run_native(cli.file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("journeymap: {e}");
            ExitCode::FAILURE
        }
    }
}
