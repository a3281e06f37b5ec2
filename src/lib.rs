//! Journeymap: a desktop customer-journey-map editor.
//!
//! The document ([`model`]) is plain data; [`edit`] changes it through commands with undo;
//! [`layout`] places everything in world units; [`render`] turns that into a display list that
//! the canvas ([`ui`]) and exporters draw, both from one [`view::View`] (what a view shows and
//! how); [`io`] reads and writes files.

pub mod analysis;
pub mod cli;
pub mod compare;
pub mod drivers;
pub mod edit;
pub mod export;
pub mod geom;
pub mod hub;
pub mod io;
pub mod layout;
pub mod library;
pub mod model;
pub mod render;
pub mod sync;
pub mod text;
pub mod theme;
pub mod ui;
pub mod view;
