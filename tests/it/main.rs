//! Every integration test of Journeymap, in one test binary: linking the whole stack (egui,
//! the hub, the export stack) once instead of once per file is what keeps a cold `cargo test`
//! short. Each file of this folder is one module; run a part with a filter, e.g.
//! `cargo test --test it export::`.

mod common;

mod capture;
mod cli;
mod collab;
mod collab_ui;
mod crash_save;
mod depth;
mod drivers;
mod examples;
mod export;
mod export_stop;
mod files;
mod fuzz_regressions;
mod history;
mod hostile;
mod last_letters;
mod living;
mod map_links;
mod mermaid;
mod phone;
mod phone_browser;
mod present;
mod reader;
mod recovery;
mod scripts;
mod table;
mod ui;
mod view;
mod workshop;
