//! Export: the map as PNG, SVG or PDF, from the same display list the canvas paints
//! ([`crate::render::export_scene`]). SVG is written from the list; PNG is rasterised from the
//! list on the CPU (tiny-skia) in bands; PDF is the SVG converted by svg2pdf (vector, selectable
//! text, fonts embedded). Every target is written atomically.

mod fit;
mod pdf;
mod pdf_order;
mod raster;
mod side;
mod svg;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub use fit::{Fitted, PRINT_MIN_CARD_PT, PRINT_MIN_TEXT_PT, fit};
pub use pdf::{PDF_TILE_ITEMS, Pdf, pdf_bytes, pdf_bytes_tiled, pdf_pages, pdf_tiles, text_bands};
pub use raster::{Glyphs, draw_band, text_mask, write_png};
pub use svg::{FAMILY, SvgSize, escape_into, to_svg};

use crate::geom::Rect;
use crate::io::SaveError;
use crate::layout::{FontMeasure, TextCache};
use crate::model::Document;
use crate::render::{ExportMeta, ExportScene, Look, export_scene};
use crate::theme::{Theme, ThemeKind};
use crate::view::View;

/// Largest PNG, in pixels: a gigapixel, which a viewer needs 4 GB of memory to open (the
/// export itself needs only one band). A 10,000-card map at 1× is about 400 megapixels.
pub const MAX_PIXELS: u64 = 1_000_000_000;
/// Largest PNG side, in pixels (many decoders stop at 65,535).
pub const MAX_SIDE: u32 = 65_535;
/// Largest PDF page side, in points (common viewers break beyond it).
pub const MAX_PAGE_PT: f32 = 14_400.0;
/// Smallest text a PDF page should have, in points, before the export warns.
pub const MIN_PDF_TEXT_PT: f32 = 6.0;
/// Smallest text a PNG should have, in pixels, before the export warns.
pub const MIN_PNG_TEXT_PX: f32 = 6.0;
/// The smallest text size on a map and in its export frame (world units).
pub const SMALLEST_TEXT: f32 = 12.0;

/// An export format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// A raster image.
    #[default]
    Png,
    /// Vector, text as text.
    Svg,
    /// Vector, one page.
    Pdf,
    /// Mermaid `journey` text (stages, the Actions lane's cards, scores, personas).
    Mermaid,
    /// A CSV table, one row per card.
    Csv,
}

impl Format {
    /// Every format, as menus list them.
    pub const ALL: [Format; 5] = [
        Format::Png,
        Format::Svg,
        Format::Pdf,
        Format::Mermaid,
        Format::Csv,
    ];

    /// Whether the format is a picture of the map (not data for another tool).
    #[must_use]
    pub fn is_image(self) -> bool {
        matches!(self, Format::Png | Format::Svg | Format::Pdf)
    }

    /// The format a path's extension names.
    ///
    /// # Errors
    /// [`ExportError::UnknownFormat`] for any other extension.
    pub fn from_path(path: &Path) -> Result<Self, ExportError> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "pdf" => Ok(Format::Pdf),
            "mmd" | "mermaid" => Ok(Format::Mermaid),
            "csv" => Ok(Format::Csv),
            _ => Err(ExportError::UnknownFormat(path.display().to_string())),
        }
    }

    /// The file extension (without the dot).
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Mermaid => "mmd",
            Format::Csv => "csv",
        }
    }

    /// The name shown to users.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Format::Png => "PNG image",
            Format::Svg => "SVG (vector)",
            Format::Pdf => "PDF (vector)",
            Format::Mermaid => "Mermaid journey",
            Format::Csv => "CSV table",
        }
    }
}

/// How big a PNG (or an SVG's outer size) is.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Size {
    /// Pixels per world unit (1× shows 12-unit text as 12 px).
    Scale(f32),
    /// The image's width in pixels.
    Width(u32),
}

impl Default for Size {
    fn default() -> Self {
        Size::Scale(2.0)
    }
}

/// The page of a PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Page {
    /// One page the size of the map (1 world unit = 1 pt, scaled down to fit 14,400 pt).
    #[default]
    Map,
    /// A4 landscape, the map scaled to fit.
    A4,
    /// A3 landscape, the map scaled to fit.
    A3,
    /// A deck of 16:9 slides: the whole map, then a slide per stage.
    Slides,
}

impl Page {
    /// Every page choice.
    pub const ALL: [Page; 4] = [Page::Map, Page::A4, Page::A3, Page::Slides];

    /// The name shown to users.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Page::Map => "Map size",
            Page::A4 => "A4 landscape",
            Page::A3 => "A3 landscape",
            Page::Slides => "16:9 slides (the map, then a slide per stage)",
        }
    }

    /// The page size in points for a map of `w` × `h` world units.
    #[must_use]
    pub fn size_pt(self, w: f32, h: f32) -> (f32, f32) {
        match self {
            Page::Map => {
                let s = (MAX_PAGE_PT / w.max(h)).min(1.0);
                (w * s, h * s)
            }
            Page::A4 => (841.89, 595.28),
            Page::A3 => (1190.55, 841.89),
            Page::Slides => (crate::render::slide::SLIDE_W, crate::render::slide::SLIDE_H),
        }
    }
}

/// Everything an export needs besides the map: the output (format, size, page) and the
/// [`View`] it draws (theme, text size, colouring, executive view, chart, comparison). The
/// settings are remembered flat, a field each, as they always were ([`Stored`]).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct Options {
    /// The format.
    pub format: Format,
    /// PNG size.
    pub size: Size,
    /// PDF page.
    pub page: Page,
    /// What the export shows and how (an export's view: every line of every card, notes
    /// numbered; the text size 1.0 = 100 %, the design size: the editor's larger text for a
    /// room is only used when asked for).
    pub view: View,
    /// The current state a future-state map is based on, to export both executive views side
    /// by side on one page (never remembered).
    pub side_by_side: Option<std::sync::Arc<Document>>,
}

/// The remembered part of [`Options`], a field each (eframe keeps settings as RON, where a
/// flattened struct would not read the settings stored before).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct Stored {
    format: Format,
    size: Size,
    theme: ThemeKind,
    page: Page,
    text_scale: f32,
    colour_by: crate::render::ColourBy,
    executive: bool,
    chart: bool,
}

impl Default for Stored {
    fn default() -> Self {
        Options::default().into()
    }
}

impl From<Stored> for Options {
    fn from(s: Stored) -> Self {
        Self {
            format: s.format,
            size: s.size,
            page: s.page,
            view: View {
                colour_by: s.colour_by,
                executive: s.executive,
                ..View::export(s.theme, s.text_scale)
            }
            .with_chart(s.chart),
            side_by_side: None,
        }
    }
}

impl From<Options> for Stored {
    fn from(o: Options) -> Self {
        Self {
            format: o.format,
            size: o.size,
            theme: o.view.theme,
            page: o.page,
            text_scale: o.view.text_scale,
            colour_by: o.view.colour_by,
            executive: o.view.executive,
            chart: o.view.chart,
        }
    }
}

/// What an export made.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Width in pixels (PNG, SVG) or points (PDF).
    pub width: f32,
    /// Height, likewise.
    pub height: f32,
    /// Bytes written.
    pub bytes: u64,
    /// Things the user should know (text too small to read, …).
    pub warnings: Vec<String>,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The output's extension is not .png, .svg or .pdf.
    #[error("{0}: unknown export format (use a .png, .svg, .pdf, .mmd or .csv file name)")]
    UnknownFormat(String),
    /// A scale or width that makes no image.
    #[error("{0}")]
    BadSize(String),
    /// The PNG would be over the pixel cap.
    #[error(
        "a {width} × {height} px PNG is over the limit ({} megapixels, {MAX_SIDE} px a side): export SVG or PDF, or choose a smaller scale or width",
        MAX_PIXELS / 1_000_000
    )]
    TooLarge {
        /// Width asked for.
        width: u64,
        /// Height asked for.
        height: u64,
    },
    /// Writing the file failed.
    #[error(transparent)]
    Write(#[from] SaveError),
    /// svg2pdf or usvg refused.
    #[error("could not make the PDF: {0}")]
    Pdf(String),
    /// Asked to stop ([`export_until`]); nothing was written.
    #[error("the export was stopped; nothing was written")]
    Stopped,
}

/// The export scene of a document (layout + display list + frame), text at 100 %.
#[must_use]
pub fn scene_of(doc: &Document, theme: ThemeKind, meta: &ExportMeta) -> ExportScene {
    scene_with(doc, &View::export(theme, 1.0), meta)
}

/// The export scene of a document in a view (its executive view made when the view asks).
#[must_use]
pub fn scene_with(doc: &Document, view: &View, meta: &ExportMeta) -> ExportScene {
    scene_shown(&shown(doc, view), view, meta)
}

/// The document a view shows: the map, or its executive view.
fn shown<'a>(doc: &'a Document, view: &View) -> std::borrow::Cow<'a, Document> {
    if view.executive {
        std::borrow::Cow::Owned(crate::model::executive_view(doc))
    } else {
        std::borrow::Cow::Borrowed(doc)
    }
}

/// The export scene of `doc` as it is (the executive view already made) in `view`.
#[must_use]
pub fn scene_shown(doc: &Document, view: &View, meta: &ExportMeta) -> ExportScene {
    let live = crate::layout::Live::default();
    let mut cache = TextCache::default();
    let layout = crate::layout::layout_with(doc, view, &live, FontMeasure::shared(), &mut cache);
    let look = Look::numbered(doc, view, &layout);
    export_scene(doc, &layout, &Theme::get(view.theme), &look, meta)
}

/// Largest SVG side (the `width`/`height` attributes), in pixels.
pub const MAX_SVG_SIDE: f32 = 10_000_000.0;

/// Refuses a scale that is not a positive finite number and a zero width.
///
/// # Errors
/// [`ExportError::BadSize`].
pub fn check_size(size: Size) -> Result<(), ExportError> {
    match size {
        Size::Scale(s) if !(s.is_finite() && s > 0.0) => Err(ExportError::BadSize(format!(
            "scale {s} is not a positive number"
        ))),
        Size::Width(0) => Err(ExportError::BadSize(
            "the width must be at least 1 pixel".into(),
        )),
        _ => Ok(()),
    }
}

/// The `width` and `height` of an SVG of `view`: at least a pixel, at most
/// [`MAX_SVG_SIDE`] a side.
///
/// # Errors
/// [`ExportError::BadSize`].
pub fn svg_size(view: Rect, size: Size) -> Result<(f32, f32), ExportError> {
    check_size(size)?;
    let s = match size {
        Size::Scale(s) => s,
        Size::Width(px) => px as f32 / view.width(),
    };
    let (w, h) = (
        f64::from(view.width()) * f64::from(s),
        f64::from(view.height()) * f64::from(s),
    );
    if w.max(h) > f64::from(MAX_SVG_SIDE) {
        return Err(ExportError::BadSize(format!(
            "at scale {s} the SVG would be {w:.0} × {h:.0} px: at most {MAX_SVG_SIDE:.0} px a side"
        )));
    }
    if w.min(h) < 1.0 {
        return Err(ExportError::BadSize(format!(
            "at scale {s} the SVG would be under a pixel ({w} × {h}): choose a larger scale"
        )));
    }
    Ok((w as f32, h as f32))
}

/// The pixel scale and size of a PNG of `view`.
///
/// # Errors
/// [`ExportError::BadSize`] for a scale or width that is not positive and finite,
/// [`ExportError::TooLarge`] over the cap.
pub fn png_size(view: Rect, size: Size) -> Result<(f32, u32, u32), ExportError> {
    let scale = match size {
        Size::Scale(s) if s.is_finite() && s > 0.0 => s,
        Size::Width(w) if w > 0 => w as f32 / view.width(),
        Size::Scale(s) => {
            return Err(ExportError::BadSize(format!(
                "scale {s} is not a positive number"
            )));
        }
        Size::Width(_) => {
            return Err(ExportError::BadSize(
                "the width must be at least 1 pixel".into(),
            ));
        }
    };
    let w = match size {
        Size::Width(w) => u64::from(w),
        Size::Scale(_) => (f64::from(view.width()) * f64::from(scale)).ceil() as u64,
    };
    let h = (f64::from(view.height()) * f64::from(scale)).ceil() as u64;
    // A huge scale makes huge sides: their product must not wrap around.
    if w.saturating_mul(h) > MAX_PIXELS
        || w > u64::from(MAX_SIDE)
        || h > u64::from(MAX_SIDE)
        || w == 0
        || h == 0
    {
        return Err(ExportError::TooLarge {
            width: w,
            height: h,
        });
    }
    Ok((scale, w as u32, h as u32))
}

/// The fonts resvg and svg2pdf use: the bundled ones only (never the system's).
#[must_use]
pub fn fontdb() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: std::sync::OnceLock<Arc<resvg::usvg::fontdb::Database>> = std::sync::OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(crate::layout::FONT_REGULAR.to_vec());
        db.load_font_data(crate::layout::FONT_BOLD.to_vec());
        db.load_font_data(crate::layout::FONT_FALLBACK.to_vec());
        for f in [
            crate::layout::shape::FaceId::Arabic,
            crate::layout::shape::FaceId::Hebrew,
            crate::layout::shape::FaceId::Devanagari,
            crate::layout::shape::FaceId::Thai,
        ] {
            db.load_font_data(f.bytes().to_vec());
        }
        Arc::new(db)
    })
    .clone()
}

/// An SVG string, parsed with the bundled fonts (what the PDF writer and tests read).
///
/// # Errors
/// usvg's message.
pub fn parse_svg(svg: &str) -> Result<resvg::usvg::Tree, String> {
    let opts = resvg::usvg::Options {
        fontdb: fontdb(),
        font_family: "Inter".into(),
        ..resvg::usvg::Options::default()
    };
    resvg::usvg::Tree::from_str(svg, &opts).map_err(|e| e.to_string())
}

/// Exports a document to `path` in `opts.format`, atomically: on any failure the path is left
/// as it was. `progress` gets the fraction done (0..=1) from time to time.
///
/// # Errors
/// See [`ExportError`].
pub fn export(
    doc: &Document,
    meta: &ExportMeta,
    opts: &Options,
    path: &Path,
    progress: &dyn Fn(f32),
) -> Result<Report, ExportError> {
    export_until(doc, meta, opts, path, progress, &AtomicBool::new(false))
}

/// [`export`] that stops when `stop` is set (from another thread: the editor's Stop, or its
/// quitting): checked between bands, so drawing ends within one band, every thread of the
/// export ends with it, and nothing is written ([`ExportError::Stopped`]).
///
/// # Errors
/// See [`ExportError`].
pub fn export_until(
    doc: &Document,
    meta: &ExportMeta,
    opts: &Options,
    path: &Path,
    progress: &dyn Fn(f32),
    stop: &AtomicBool,
) -> Result<Report, ExportError> {
    // A size that makes no image is refused for every format (PDF pages ignore a good one).
    check_size(opts.size)?;
    if !opts.format.is_image() {
        // Data for another tool: the journey itself, whatever the view and colouring.
        let bytes = if opts.format == Format::Csv {
            crate::io::table::export(doc)
        } else {
            crate::io::mermaid::export(doc).into_bytes()
        };
        crate::io::write_atomic(path, &bytes)?;
        progress(1.0);
        return Ok(Report {
            width: 0.0,
            height: 0.0,
            bytes: bytes.len() as u64,
            warnings: Vec::new(),
        });
    }
    let shown = shown(doc, &opts.view);
    // Only a PDF has a page to fit (current vs future side by side: one page, its own size).
    let page = if opts.format == Format::Pdf && opts.side_by_side.is_none() {
        opts.page
    } else {
        Page::Map
    };
    let Fitted {
        pages,
        warnings: fitted,
        too_small,
        ..
    } = match &opts.side_by_side {
        Some(current) => Fitted {
            pages: vec![side::side_by_side(current, doc, &opts.view, meta)],
            view: opts.view.clone(),
            map_pages: 0,
            warnings: Vec::new(),
            too_small: false,
        },
        None => fit(
            &shown,
            &Options {
                page,
                ..opts.clone()
            },
            meta,
        ),
    };
    progress(0.05);
    // PNG and SVG are one page (the map's own size).
    let Some(scene) = pages.first() else {
        return Err(ExportError::Pdf("nothing to export".into()));
    };
    let view = scene.list.bounds;
    let title = doc.title.clone();
    if stop.load(Ordering::Relaxed) {
        return Err(ExportError::Stopped);
    }
    match opts.format {
        Format::Mermaid | Format::Csv => {
            Err(ExportError::UnknownFormat(path.display().to_string()))
        }
        Format::Svg => {
            let (w, h) = svg_size(view, opts.size)?;
            let svg = to_svg(
                &scene.list,
                view,
                SvgSize {
                    width: w,
                    height: h,
                },
                &title,
            );
            crate::io::write_atomic(path, svg.as_bytes())?;
            progress(1.0);
            Ok(Report {
                width: w,
                height: h,
                bytes: svg.len() as u64,
                warnings: Vec::new(),
            })
        }
        Format::Png => {
            let (scale, w, h) = png_size(view, opts.size)?;
            let mut warnings = Vec::new();
            let smallest = scene.list.smallest_text().unwrap_or(SMALLEST_TEXT) * scale;
            if smallest < MIN_PNG_TEXT_PX {
                warnings.push(format!(
                    "at this size the smallest text is {smallest:.1} px (under {MIN_PNG_TEXT_PX} px): choose a larger width or scale, or SVG/PDF"
                ));
            }
            let bytes = crate::io::write_atomic_with(path, |out| {
                let mut counted = Counted { inner: out, n: 0 };
                let progress = |f| progress(0.05 + 0.95 * f);
                write_png(
                    &scene.list,
                    view,
                    scale,
                    (w, h),
                    &mut counted,
                    &progress,
                    stop,
                )?;
                Ok(counted.n)
            })
            .map_err(|e| {
                if stop.load(Ordering::Relaxed) {
                    ExportError::Stopped
                } else {
                    e.into()
                }
            })?;
            Ok(Report {
                width: w as f32,
                height: h as f32,
                bytes,
                warnings,
            })
        }
        Format::Pdf => {
            let progress_pages = |f| progress(0.05 + 0.85 * f);
            let pdf = pdf::pages_until(&pages, &title, page, &progress_pages, stop)?;
            progress(0.9);
            crate::io::write_atomic(path, &pdf.bytes)?;
            progress(1.0);
            Ok(Report {
                width: pdf.page.0,
                height: pdf.page.1,
                bytes: pdf.bytes.len() as u64,
                // A page too small says so once, with what was tried.
                warnings: if too_small || page == Page::Slides {
                    fitted
                } else {
                    [fitted, pdf.warnings].concat()
                },
            })
        }
    }
}

/// A writer that counts bytes.
struct Counted<W> {
    inner: W,
    n: u64,
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
