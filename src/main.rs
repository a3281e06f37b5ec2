//! The `journeymap` binary: the CLI front of the library.

use std::process::ExitCode;

use clap::Parser as _;
use journeymap::cli::{Cli, CliCommand, run};
use journeymap::ui::Start;

fn main() -> ExitCode {
    // Ctrl+C, SIGTERM or SIGHUP in the middle of a write leave no temporary file behind.
    journeymap::io::files::remove_temps_on_signals();
    let cli = Cli::parse();
    let (file, start) = match cli.command {
        None => (cli.file, None),
        Some(CliCommand::Host { file, port }) => (Some(file), Some(Start::Host(port))),
        Some(CliCommand::Join { url }) => (None, Some(Start::Join(url))),
        // As `diff`: 0 the same, 1 different, 2 trouble.
        Some(CliCommand::Diff { files, format }) => {
            return match journeymap::cli::diff(&files, &format) {
                Ok((text, differ)) => {
                    println!("{text}");
                    ExitCode::from(u8::from(differ))
                }
                Err(e) => {
                    let msg = journeymap::cli::printable(&e.to_string()).replace('\n', " ");
                    eprintln!("journeymap: {msg}");
                    ExitCode::from(2)
                }
            };
        }
        // 0 merged cleanly, 1 conflicts remain (marked in the map), 2 trouble.
        Some(CliCommand::Merge {
            base,
            ours,
            theirs,
            output,
        }) => {
            return match journeymap::cli::merge(&base, &ours, &theirs, output.as_deref()) {
                Ok(m) => {
                    match &m.map {
                        Some(json) => {
                            eprintln!("{}", m.summary);
                            println!("{json}");
                        }
                        None => println!("{}", m.summary),
                    }
                    ExitCode::from(u8::from(m.conflicts > 0))
                }
                Err(e) => {
                    let msg = journeymap::cli::printable(&e.to_string()).replace('\n', " ");
                    eprintln!("journeymap: {msg}");
                    ExitCode::from(2)
                }
            };
        }
        Some(cmd) => {
            let result = run(&cmd);
            report_peak_memory();
            return match result {
                Ok(out) => {
                    // `run` made its text safe for a terminal.
                    println!("{out}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    // One line, whatever the file names and texts in it hold.
                    let msg = journeymap::cli::printable(&e.to_string()).replace('\n', " ");
                    eprintln!("journeymap: {msg}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match journeymap::ui::run_native(file, start) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("journeymap: {}", journeymap::cli::printable(&e.to_string()));
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
