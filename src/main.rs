//! The `journeymap` binary: the CLI front of the library.

use std::process::ExitCode;

use clap::Parser as _;
use journeymap::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(cmd) = &cli.command {
        let result = run(cmd);
        report_peak_memory();
        return match result {
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

/// With `JOURNEYMAP_REPORT_PEAK=1`, prints the process's peak resident memory to stderr (the
/// export benchmark reads it; Linux only).
fn report_peak_memory() {
    if std::env::var_os("JOURNEYMAP_REPORT_PEAK").is_none() {
        return;
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        let kb = line
            .trim_start_matches("VmHWM:")
            .trim()
            .trim_end_matches("kB")
            .trim();
        eprintln!("peak-rss-kb: {kb}");
    }
}
