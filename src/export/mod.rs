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
}

impl Format {
    /// Every format, as menus list them.
    pub const ALL: [Format; 3] = [Format::Png, Format::Svg, Format::Pdf];

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
        }
    }

    /// The name shown to users.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Format::Png => "PNG image",
            Format::Svg => "SVG (vector)",
            Format::Pdf => "PDF (vector)",
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
    let look = export_look(doc, &layout, &opts.colour_by);
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
        let mut map = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
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
        bytes: pdf.finish(),
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
    let scene = scene_with(doc, opts, meta);
    progress(0.05);
    let view = scene.list.bounds;
    let title = doc.title.clone();
    match opts.format {
        Format::Svg => {
            let (w, h) = match opts.size {
                Size::Scale(s) if s.is_finite() && s > 0.0 => (view.width() * s, view.height() * s),
                Size::Width(px) if px > 0 => {
                    let s = px as f32 / view.width();
                    (px as f32, view.height() * s)
                }
                _ => (view.width(), view.height()),
            };
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
