//! Export: the map as PNG, SVG or PDF, from the same display list the canvas paints
//! ([`crate::render::export_scene`]). SVG is written from the list; PNG is rasterised from the
//! list on the CPU (tiny-skia) in bands; PDF is the SVG converted by svg2pdf (vector, selectable
//! text, fonts embedded). Every target is written atomically.

mod raster;
mod svg;

use std::path::Path;
use std::sync::Arc;

pub use raster::{Glyphs, draw_band, write_png};
pub use svg::{FAMILY, SvgSize, escape_into, to_svg};

use crate::geom::Rect;
use crate::io::SaveError;
use crate::layout::{FontMeasure, TextCache};
use crate::model::Document;
use crate::render::{DisplayList, ExportMeta, ExportScene, Item, Look, export_scene};
use crate::theme::{Theme, ThemeKind};

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
}

impl Page {
    /// Every page choice.
    pub const ALL: [Page; 3] = [Page::Map, Page::A4, Page::A3];

    /// The name shown to users.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Page::Map => "Map size",
            Page::A4 => "A4 landscape",
            Page::A3 => "A3 landscape",
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
        }
    }
}

/// Everything an export needs besides the map.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Options {
    /// The format.
    pub format: Format,
    /// PNG size.
    pub size: Size,
    /// Colours.
    pub theme: ThemeKind,
    /// PDF page.
    pub page: Page,
    /// Text size of the map (1.0 = 100 %, the design size; the editor's larger text for a
    /// room is only used when asked for).
    pub text_scale: f32,
    /// What card colours say.
    pub colour_by: crate::render::ColourBy,
    /// The executive view (pain points, moments of truth, opportunities, curves and gap)
    /// instead of the whole map.
    pub executive: bool,
    /// The importance–performance chart under the map (from the cards' `importance` and
    /// `score` metrics; nothing when fewer than two cards have both).
    pub chart: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            format: Format::default(),
            size: Size::default(),
            theme: ThemeKind::default(),
            page: Page::default(),
            text_scale: 1.0,
            colour_by: crate::render::ColourBy::default(),
            executive: false,
            chart: false,
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
    #[error("{0}: unknown export format (use a .png, .svg or .pdf file name)")]
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
}

/// The export scene of a document (layout + display list + frame), text at 100 %.
#[must_use]
pub fn scene_of(doc: &Document, theme: ThemeKind, meta: &ExportMeta) -> ExportScene {
    let opts = Options {
        theme,
        ..Options::default()
    };
    scene_with(doc, &opts, meta)
}

/// The export scene of a document with the options' text size.
#[must_use]
pub fn scene_with(doc: &Document, opts: &Options, meta: &ExportMeta) -> ExportScene {
    let executive;
    let doc = if opts.executive {
        executive = crate::model::executive_view(doc);
        &executive
    } else {
        doc
    };
    let spec = crate::layout::ViewSpec::export(crate::layout::Style::scaled(opts.text_scale));
    let live = crate::layout::Live::default();
    let mut cache = TextCache::default();
    let layout = crate::layout::layout_with(doc, &spec, &live, FontMeasure::shared(), &mut cache);
    let mut look = export_look(doc, &layout, &opts.colour_by);
    look.chart = opts.chart;
    export_scene(doc, &layout, &Theme::get(opts.theme), &look, meta)
}

/// How an export colours cards, with the notes numbered in reading order (stage by stage,
/// top to bottom): a page cannot show a tooltip, so it lists them under the map.
#[must_use]
pub fn export_look(
    doc: &Document,
    layout: &crate::layout::Layout,
    colour_by: &crate::render::ColourBy,
) -> Look {
    let by_id: std::collections::HashMap<_, _> = doc.cards.iter().map(|c| (c.id, &**c)).collect();
    let mut order: Vec<&crate::layout::CardBox> = layout.cards.iter().collect();
    order.sort_by(|a, b| {
        (a.rect.min.x, a.rect.min.y)
            .partial_cmp(&(b.rect.min.x, b.rect.min.y))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Look::new(doc, colour_by)
        .with_numbered_notes(order.into_iter().filter_map(|b| by_id.get(&b.id).copied()))
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
    if w * h > MAX_PIXELS || w > u64::from(MAX_SIDE) || h > u64::from(MAX_SIDE) || w == 0 || h == 0
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

/// A PDF made from an export scene.
#[derive(Clone, Debug)]
pub struct Pdf {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Page width and height in points.
    pub page: (f32, f32),
    /// Things the user should know (text too small).
    pub warnings: Vec<String>,
}

/// Most lines of text and cards in one PDF tile (see [`pdf_bytes`]).
pub const PDF_TILE_ITEMS: usize = 5_000;

/// What must never be cut between two PDF tiles: lines of text and cards (a card and its
/// lines stay in one tile, so text is extracted whole and in order, never doubled).
fn keepers(dl: &DisplayList) -> impl Iterator<Item = &Rect> {
    dl.parts.iter().flat_map(|p| {
        let card = matches!(p.element, crate::render::Element::Card(_));
        p.items
            .iter()
            .filter(move |(_, i)| {
                matches!(i, Item::Text { .. }) || (card && matches!(i, Item::Rect { .. }))
            })
            .map(|(b, _)| b)
    })
}

/// Splits `lo..hi` into pieces holding at most about `max` spans each, cutting only where no
/// span is (midway between runs of overlapping spans).
fn cuts(mut spans: Vec<(f32, f32)>, lo: f32, hi: f32, max: usize) -> Vec<(f32, f32)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Runs of overlapping spans: (start, end, number of spans).
    let mut blocks: Vec<(f32, f32, usize)> = Vec::new();
    for (a, b) in spans {
        match blocks.last_mut() {
            Some(last) if a <= last.1 => {
                last.1 = last.1.max(b);
                last.2 += 1;
            }
            _ => blocks.push((a, b, 1)),
        }
    }
    let mut pieces = Vec::new();
    let mut start = lo;
    let mut count = 0;
    let mut prev_end = lo;
    for (a, b, n) in blocks {
        if count > 0 && count + n > max {
            let cut = f32::midpoint(prev_end, a);
            pieces.push((start, cut));
            start = cut;
            count = 0;
        }
        count += n;
        prev_end = b;
    }
    pieces.push((start, hi));
    pieces
}

/// Horizontal bands `(top, bottom)` in world units covering `view`, each holding at most
/// about `max_items` lines of text and cards, cut only where none is.
#[must_use]
pub fn text_bands(dl: &DisplayList, view: Rect, max_items: usize) -> Vec<(f32, f32)> {
    let spans = keepers(dl).map(|b| (b.min.y, b.max.y)).collect();
    cuts(spans, view.min.y, view.max.y, max_items)
}

/// Tiles covering `view` for the PDF: the [`text_bands`], and a band with more than
/// `max_items` lines and cards (a lane full of cards across many stages) split again into
/// columns where no line or card is. No line of text or card is ever cut.
#[must_use]
pub fn pdf_tiles(dl: &DisplayList, view: Rect, max_items: usize) -> Vec<Rect> {
    let mut tiles = Vec::new();
    for (y0, y1) in text_bands(dl, view, max_items) {
        let inside: Vec<(f32, f32)> = keepers(dl)
            .filter(|b| b.min.y >= y0 && b.max.y <= y1)
            .map(|b| (b.min.x, b.max.x))
            .collect();
        let columns = if inside.len() > max_items {
            cuts(inside, view.min.x, view.max.x, max_items)
        } else {
            vec![(view.min.x, view.max.x)]
        };
        for (x0, x1) in columns {
            tiles.push(Rect::from_corners(
                crate::geom::Pos::new(x0, y0),
                crate::geom::Pos::new(x1, y1),
            ));
        }
    }
    tiles
}

/// The PDF of an export scene on `page`: vector, text selectable, fonts embedded.
///
/// The scene is converted in tiles (each an SVG made into a PDF form by svg2pdf, clipped to
/// its tile and placed on the one page; see [`pdf_tiles`]), so that memory stays bounded for maps
/// with tens of thousands of cards.
///
/// # Errors
/// [`ExportError::Pdf`] when the conversion fails.
pub fn pdf_bytes(
    scene: &ExportScene,
    title: &str,
    page: Page,
    progress: &dyn Fn(f32),
) -> Result<Pdf, ExportError> {
    pdf_bytes_tiled(scene, title, page, PDF_TILE_ITEMS, progress)
}

/// [`pdf_bytes`] with tiles of at most about `max_items` lines of text and cards.
///
/// # Errors
/// [`ExportError::Pdf`] when the conversion fails.
pub fn pdf_bytes_tiled(
    scene: &ExportScene,
    title: &str,
    page: Page,
    max_items: usize,
    progress: &dyn Fn(f32),
) -> Result<Pdf, ExportError> {
    use pdf_writer::{Content, Finish as _, Name, Rect as PdfRect, Ref, TextStr};
    let view = scene.list.bounds;
    let (pw, ph) = page.size_pt(view.width(), view.height());
    let scale = (pw / view.width()).min(ph / view.height());
    // Centred on the page (A4/A3 keep the map's proportions).
    let ox = (pw - view.width() * scale) / 2.0;
    let oy = (ph - view.height() * scale) / 2.0;
    let mut warnings = Vec::new();
    let smallest = SMALLEST_TEXT * scale;
    if smallest < MIN_PDF_TEXT_PT {
        let advice = match page {
            Page::A4 => "choose A3 or the map's own size for readable text",
            Page::A3 => "choose the map's own size for readable text",
            Page::Map => {
                "the map is larger than a PDF page can be (14,400 pt), so the page is scaled down: export SVG or PNG for full-size text"
            }
        };
        warnings.push(format!(
            "the smallest text on the page is {smallest:.1} pt (under {MIN_PDF_TEXT_PT} pt): {advice}"
        ));
    }
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let page_tree = alloc.bump();
    let page_ref = alloc.bump();
    let content_ref = alloc.bump();
    let info_ref = alloc.bump();
    let mut pdf = pdf_writer::Pdf::new();
    let mut forms = Vec::new();
    let bands = pdf_tiles(&scene.list, view, max_items);
    let n_bands = bands.len();
    // Bands are converted on every core (each worker takes the next band not yet taken),
    // then added to the PDF in order. Only the finished forms are kept (compressed PDF
    // objects); each band's SVG tree is dropped as soon as it is converted. At most two
    // workers: a band's tree takes ~130 MB at 10,000 cards, and memory matters more here.
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 2)
        .min(n_bands);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<(pdf_writer::Chunk, Ref), ExportError>>> =
        (0..n_bands).map(|_| None).collect();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, bands) = (&next, &bands);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&tile) = bands.get(i) else {
                        return;
                    };
                    let r = band_form(scene, tile, scale, title);
                    let failed = r.is_err();
                    if tx.send((i, r)).is_err() || failed {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut done = 0;
        for (i, r) in rx {
            results[i] = Some(r);
            done += 1;
            progress(done as f32 / n_bands as f32);
        }
    });
    for (i, result) in results.into_iter().enumerate() {
        let (chunk, form) = result.unwrap_or_else(|| {
            Err(ExportError::Pdf(
                "the PDF writer stopped unexpectedly".into(),
            ))
        })?;
        let tile = bands[i];
        // New numbers in the order of svg2pdf's own (which it gives out in a fixed order,
        // though it writes some objects in hash-map order): the same map gets the same numbers.
        let mut olds = Vec::new();
        let _ = chunk.renumber(|old| {
            olds.push(old);
            old
        });
        olds.sort_unstable();
        olds.dedup();
        let map: std::collections::HashMap<Ref, Ref> =
            olds.into_iter().map(|old| (old, alloc.bump())).collect();
        let chunk = chunk.renumber(|old| map.get(&old).copied().unwrap_or(old));
        pdf.extend(&chunk);
        let form = map
            .get(&form)
            .copied()
            .ok_or_else(|| ExportError::Pdf("svg2pdf did not return the form it wrote".into()))?;
        let (w, h) = (tile.width() * scale, tile.height() * scale);
        // PDF's y grows upwards from the page's bottom.
        let x = ox + (tile.min.x - view.min.x) * scale;
        let y = ph - oy - (tile.max.y - view.min.y) * scale;
        forms.push((format!("B{i}"), form, [w, 0.0, 0.0, h, x, y]));
    }
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree).kids([page_ref]).count(1);
    let mut content = Content::new();
    for (name, _, m) in &forms {
        content.save_state();
        content.transform(*m);
        content.x_object(Name(name.as_bytes()));
        content.restore_state();
    }
    pdf.stream(content_ref, &content.finish());
    let mut pg = pdf.page(page_ref);
    pg.media_box(PdfRect::new(0.0, 0.0, pw, ph));
    pg.parent(page_tree);
    pg.contents(content_ref);
    {
        let mut res = pg.resources();
        let mut xo = res.x_objects();
        for (name, form, _) in &forms {
            xo.pair(Name(name.as_bytes()), *form);
        }
        xo.finish();
        res.finish();
    }
    pg.finish();
    let mut info = pdf.document_info(info_ref);
    info.title(TextStr(title));
    info.creator(TextStr("Journeymap"));
    info.finish();
    Ok(Pdf {
        bytes: objects_in_order(sort_resource_entries(pdf.finish())),
        page: (pw, ph),
        warnings,
    })
}

/// One tile of the scene (world units) as a PDF form of 1 × 1 pt (to be scaled to the tile's
/// size in points), through an SVG of just the items that touch the tile, clipped to it.
fn band_form(
    scene: &ExportScene,
    band: Rect,
    scale: f32,
    title: &str,
) -> Result<(pdf_writer::Chunk, pdf_writer::Ref), ExportError> {
    let mut part = DisplayList::default();
    for p in &scene.list.parts {
        if !p.bounds.intersects(&band) {
            continue;
        }
        let mut cut = crate::render::Part::new(p.element);
        for (b, i) in p.items.iter().filter(|(b, _)| b.intersects(&band)) {
            cut.push(*b, i.clone());
        }
        part.push_part(cut);
    }
    part.bounds = band;
    let svg = to_svg(
        &part,
        band,
        SvgSize {
            width: band.width() * scale,
            height: band.height() * scale,
        },
        title,
    );
    drop(part);
    let tree = parse_svg(&svg).map_err(ExportError::Pdf)?;
    drop(svg);
    svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
        .map_err(|e| ExportError::Pdf(e.to_string()))
}

/// Puts the entries of the PDF's resource dictionaries in name order. svg2pdf writes them in
/// hash-map order, which changes from run to run; sorting makes an export byte-for-byte
/// reproducible. Only whole lines of the form `  /Name 12 0 R` next to each other are
/// reordered (the file's length and every offset stay the same), never inside a stream.
#[must_use]
pub fn sort_resource_entries(mut pdf: Vec<u8>) -> Vec<u8> {
    let is_entry = |line: &[u8]| {
        let t = line.trim_ascii_start();
        if t.len() == line.len() || !t.starts_with(b"/") {
            return false;
        }
        let mut parts = t[1..].split(|b| *b == b' ');
        let name_ok = parts
            .next()
            .is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_alphanumeric));
        let num_ok = parts
            .next()
            .is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit));
        name_ok
            && num_ok
            && parts.next() == Some(b"0")
            && parts.next() == Some(b"R")
            && parts.next().is_none()
    };
    let mut i = 0;
    let n = pdf.len();
    while i < n {
        let line_start = i == 0 || pdf[i - 1] == b'\n';
        // Skip stream data.
        if line_start && pdf[i..].starts_with(b"stream\n") {
            match find(&pdf[i..], b"\nendstream") {
                Some(end) => {
                    i += end + 10;
                    continue;
                }
                None => break,
            }
        }
        if line_start {
            // A run of entry lines starting here.
            let mut lines: Vec<(usize, usize)> = Vec::new();
            let mut j = i;
            while j < n {
                let end = pdf[j..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(n, |p| j + p);
                if !is_entry(&pdf[j..end]) {
                    break;
                }
                lines.push((j, end));
                j = end + 1;
            }
            if lines.len() > 1 {
                let mut sorted: Vec<Vec<u8>> =
                    lines.iter().map(|(a, b)| pdf[*a..*b].to_vec()).collect();
                sorted.sort();
                let mut at = i;
                for l in sorted {
                    pdf[at..at + l.len()].copy_from_slice(&l);
                    at += l.len();
                    if at < n {
                        pdf[at] = b'\n';
                        at += 1;
                    }
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    pdf
}

/// The same PDF with its objects numbered and laid out canonically: numbered in the order a
/// walk from the trailer meets them (references read in order, outside streams), written in
/// that order, with a new cross-reference table. svg2pdf writes fonts in hash-map order and
/// numbers their parts as it goes; after this the same map always gives the same bytes. Left
/// as it is when its layout is not the simple one pdf-writer makes.
#[must_use]
pub fn objects_in_order(pdf: Vec<u8>) -> Vec<u8> {
    canonical_pdf(&pdf).unwrap_or(pdf)
}

/// The references `N 0 R` in a stretch of a PDF, with where each number starts and ends.
fn refs_in(bytes: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'(' {
            // A literal string (a title may say "12 0 R"): skipped, with its escapes and
            // nested parentheses.
            let mut depth = 0_usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            let after = &bytes[j..];
            let is_ref = after.starts_with(b" 0 R")
                && after.get(4).is_none_or(|b| !b.is_ascii_alphanumeric());
            if is_ref
                && let Some(n) = std::str::from_utf8(&bytes[i..j])
                    .ok()
                    .and_then(|t| t.parse::<usize>().ok())
            {
                out.push((i, j, n));
                i = j + 4;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Where an object's dictionary part ends: at its stream's data, else at its end.
fn dict_end(obj: &[u8]) -> usize {
    let mut k = 0;
    while let Some(p) = find(&obj[k..], b"stream\n") {
        let at = k + p;
        if at > 0 && obj[at - 1] == b'\n' {
            return at;
        }
        k = at + 1;
    }
    obj.len()
}

fn canonical_pdf(pdf: &[u8]) -> Option<Vec<u8>> {
    let (xref_at, entries, tail_at) = xref_layout(pdf)?;
    let mut starts: Vec<usize> = entries.iter().copied().flatten().collect();
    starts.push(xref_at);
    starts.sort_unstable();
    let first = *starts.first()?;
    // Each object's bytes, by its number.
    let mut objects: std::collections::HashMap<usize, &[u8]> = std::collections::HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(at) = e {
            let end = starts.iter().copied().find(|s| s > at)?;
            objects.insert(i + 1, &pdf[*at..end]);
        }
    }
    let trailer = &pdf[tail_at..];
    let sx = find(trailer, b"startxref")?;
    let trailer = &trailer[..sx];
    // Number objects in the order a walk from the trailer meets them.
    let mut order: Vec<usize> = Vec::with_capacity(objects.len());
    let mut new_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut visit = |n: usize, queue: &mut std::collections::VecDeque<usize>| {
        if objects.contains_key(&n) && !new_of.contains_key(&n) {
            new_of.insert(n, new_of.len() + 1);
            order.push(n);
            queue.push_back(n);
        }
    };
    for (_, _, n) in refs_in(trailer) {
        visit(n, &mut queue);
    }
    while let Some(n) = queue.pop_front() {
        let obj = objects[&n];
        // Skip the "N 0 obj" header itself.
        let body_start = obj.iter().position(|b| *b == b'\n').map_or(0, |p| p + 1);
        for (_, _, r) in refs_in(&obj[body_start..dict_end(obj)]) {
            visit(r, &mut queue);
        }
    }
    // Objects nothing refers to keep their order after the others.
    let mut rest: Vec<usize> = objects
        .keys()
        .copied()
        .filter(|n| !new_of.contains_key(n))
        .collect();
    rest.sort_unstable();
    for n in rest {
        new_of.insert(n, new_of.len() + 1);
        order.push(n);
    }
    let rewrite = |out: &mut Vec<u8>, bytes: &[u8]| {
        let mut last = 0;
        for (a, b, n) in refs_in(bytes) {
            out.extend_from_slice(&bytes[last..a]);
            let m = new_of.get(&n).copied().unwrap_or(n);
            out.extend_from_slice(m.to_string().as_bytes());
            last = b;
        }
        out.extend_from_slice(&bytes[last..]);
    };
    let mut out = Vec::with_capacity(pdf.len() + 64);
    out.extend_from_slice(&pdf[..first]);
    let mut offsets = Vec::with_capacity(order.len());
    for old in &order {
        let obj = objects[old];
        let header_end = obj
            .iter()
            .position(|b| *b == b'\n')
            .map_or(obj.len(), |p| p + 1);
        let body_end = dict_end(obj);
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", new_of[old]).as_bytes());
        rewrite(&mut out, &obj[header_end..body_end]);
        out.extend_from_slice(&obj[body_end..]);
    }
    let new_xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n", offsets.len() + 1).as_bytes());
    out.extend_from_slice(b"0000000000 65535 f\r\n");
    for at in offsets {
        out.extend_from_slice(format!("{at:010} 00000 n\r\n").as_bytes());
    }
    rewrite(&mut out, trailer);
    out.extend_from_slice(format!("startxref\n{new_xref}\n%%EOF").as_bytes());
    Some(out)
}

/// Where a pdf-writer PDF's xref table is, its entries (offsets of objects 1…, `None` for a
/// free one), and where the trailer starts.
fn xref_layout(pdf: &[u8]) -> Option<(usize, Vec<Option<usize>>, usize)> {
    let start = pdf.windows(9).rposition(|w| w == b"startxref")?;
    let num: String = pdf[start + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    let xref_at: usize = num.parse().ok()?;
    let table = pdf.get(xref_at..start)?;
    let text = std::str::from_utf8(table).ok()?;
    let mut lines = text.lines();
    if lines.next()?.trim() != "xref" {
        return None;
    }
    let mut head = lines.next()?.split_whitespace();
    if head.next()? != "0" {
        return None;
    }
    let count: usize = head.next()?.parse().ok()?;
    let mut entries = Vec::with_capacity(count);
    let mut consumed = 0;
    for (i, line) in lines.by_ref().take(count).enumerate() {
        let mut parts = line.split_whitespace();
        let offset: usize = parts.next()?.parse().ok()?;
        let _generation = parts.next()?;
        let kind = parts.next()?;
        consumed += 1;
        if i == 0 {
            continue;
        }
        entries.push((kind == "n").then_some(offset));
    }
    if consumed != count {
        return None;
    }
    let tail = find(table, b"trailer")?;
    Some((xref_at, entries, xref_at + tail))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
    let scene = scene_with(doc, opts, meta);
    progress(0.05);
    let view = scene.list.bounds;
    let title = doc.title.clone();
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
            let smallest = SMALLEST_TEXT * scale;
            if smallest < MIN_PNG_TEXT_PX {
                warnings.push(format!(
                    "at this size the smallest text is {smallest:.1} px (under {MIN_PNG_TEXT_PX} px): choose a larger width or scale, or SVG/PDF"
                ));
            }
            let bytes = crate::io::write_atomic_with(path, |out| {
                let mut counted = Counted { inner: out, n: 0 };
                write_png(&scene.list, view, scale, (w, h), &mut counted, &|f| {
                    progress(0.05 + 0.95 * f);
                })?;
                Ok(counted.n)
            })?;
            Ok(Report {
                width: w as f32,
                height: h as f32,
                bytes,
                warnings,
            })
        }
        Format::Pdf => {
            let pdf = pdf_bytes(&scene, &title, opts.page, &|f| progress(0.05 + 0.85 * f))?;
            progress(0.9);
            crate::io::write_atomic(path, &pdf.bytes)?;
            progress(1.0);
            Ok(Report {
                width: pdf.page.0,
                height: pdf.page.1,
                bytes: pdf.bytes.len() as u64,
                warnings: pdf.warnings,
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
