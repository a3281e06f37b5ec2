//! PDF: the export scene's SVG converted by svg2pdf (vector, selectable text, fonts embedded),
//! tiled into bands when a map has more text than one content stream should hold, and made
//! byte-for-byte reproducible (see [`super::pdf_order`]).

use std::sync::atomic::{AtomicBool, Ordering};

use super::{ExportError, MIN_PDF_TEXT_PT, Page, SMALLEST_TEXT, SvgSize, parse_svg, to_svg};
use crate::geom::Rect;
use crate::render::{DisplayList, ExportScene, Item};

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
    pdf_pages_tiled(
        std::slice::from_ref(scene),
        title,
        page,
        PDF_TILE_ITEMS,
        progress,
        &AtomicBool::new(false),
    )
}

/// A PDF of several scenes, one a page (a deck of slides, a cover page and the map).
///
/// # Errors
/// [`ExportError::Pdf`] when the conversion fails.
pub fn pdf_pages(
    scenes: &[ExportScene],
    title: &str,
    page: Page,
    progress: &dyn Fn(f32),
) -> Result<Pdf, ExportError> {
    pages_until(scenes, title, page, progress, &AtomicBool::new(false))
}

/// [`pdf_pages`] that stops when `stop` is set: no band is begun after it, and it ends with
/// [`ExportError::Stopped`].
pub(crate) fn pages_until(
    scenes: &[ExportScene],
    title: &str,
    page: Page,
    progress: &dyn Fn(f32),
    stop: &AtomicBool,
) -> Result<Pdf, ExportError> {
    pdf_pages_tiled(scenes, title, page, PDF_TILE_ITEMS, progress, stop)
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
    pdf_pages_tiled(
        std::slice::from_ref(scene),
        title,
        page,
        max_items,
        progress,
        &AtomicBool::new(false),
    )
}

/// Where a scene goes on its page: the page's size, the scale and the offset (centred).
struct Placement {
    size: (f32, f32),
    scale: f32,
    offset: (f32, f32),
}

impl Placement {
    fn of(scene: &ExportScene, page: Page) -> Self {
        let view = scene.list.bounds;
        let (pw, ph) = page.size_pt(view.width(), view.height());
        let scale = (pw / view.width()).min(ph / view.height());
        // Centred on the page (A4/A3 keep the map's proportions).
        Self {
            size: (pw, ph),
            scale,
            offset: (
                (pw - view.width() * scale) / 2.0,
                (ph - view.height() * scale) / 2.0,
            ),
        }
    }
}

/// [`pdf_pages`] with tiles of at most about `max_items` lines of text and cards.
fn pdf_pages_tiled(
    scenes: &[ExportScene],
    title: &str,
    page: Page,
    max_items: usize,
    progress: &dyn Fn(f32),
    stop: &AtomicBool,
) -> Result<Pdf, ExportError> {
    use pdf_writer::{Content, Finish as _, Name, Rect as PdfRect, Ref, TextStr};
    let places: Vec<Placement> = scenes.iter().map(|s| Placement::of(s, page)).collect();
    let mut warnings = Vec::new();
    let smallest = scenes
        .iter()
        .zip(&places)
        .map(|(s, p)| s.list.smallest_text().unwrap_or(SMALLEST_TEXT) * p.scale)
        .fold(f32::INFINITY, f32::min);
    if smallest < MIN_PDF_TEXT_PT {
        let advice = match page {
            Page::A4 => "choose A3 or the map's own size for readable text",
            Page::A3 | Page::Slides => "choose the map's own size for readable text",
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
    let page_refs: Vec<(Ref, Ref)> = scenes
        .iter()
        .map(|_| (alloc.bump(), alloc.bump()))
        .collect();
    let info_ref = alloc.bump();
    let mut pdf = pdf_writer::Pdf::new();
    // Every page's tiles, in page order.
    let bands: Vec<(usize, Rect)> = scenes
        .iter()
        .enumerate()
        .flat_map(|(k, s)| {
            pdf_tiles(&s.list, s.list.bounds, max_items)
                .into_iter()
                .map(move |t| (k, t))
        })
        .collect();
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
            let (next, bands, places) = (&next, &bands, &places);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(k, tile)) = bands.get(i) else {
                        return;
                    };
                    let r = band_form(&scenes[k], tile, places[k].scale, title);
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
    if stop.load(Ordering::Relaxed) {
        return Err(ExportError::Stopped);
    }
    let mut forms: Vec<Vec<(String, Ref, [f32; 6])>> = scenes.iter().map(|_| Vec::new()).collect();
    for (i, result) in results.into_iter().enumerate() {
        let (chunk, form) = result.unwrap_or_else(|| {
            Err(ExportError::Pdf(
                "the PDF writer stopped unexpectedly".into(),
            ))
        })?;
        let (k, tile) = bands[i];
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
        let Placement {
            size: (_, ph),
            scale,
            offset: (ox, oy),
        } = places[k];
        let view = scenes[k].list.bounds;
        let (w, h) = (tile.width() * scale, tile.height() * scale);
        // PDF's y grows upwards from the page's bottom.
        let x = ox + (tile.min.x - view.min.x) * scale;
        let y = ph - oy - (tile.max.y - view.min.y) * scale;
        let name = format!("B{}", forms[k].len());
        forms[k].push((name, form, [w, 0.0, 0.0, h, x, y]));
    }
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree)
        .kids(page_refs.iter().map(|(p, _)| *p))
        .count(i32::try_from(scenes.len()).unwrap_or(i32::MAX));
    for ((page_ref, content_ref), (forms, place)) in page_refs.iter().zip(forms.iter().zip(&places))
    {
        let mut content = Content::new();
        for (name, _, m) in forms {
            content.save_state();
            content.transform(*m);
            content.x_object(Name(name.as_bytes()));
            content.restore_state();
        }
        pdf.stream(*content_ref, &content.finish());
        let mut pg = pdf.page(*page_ref);
        pg.media_box(PdfRect::new(0.0, 0.0, place.size.0, place.size.1));
        pg.parent(page_tree);
        pg.contents(*content_ref);
        {
            let mut res = pg.resources();
            let mut xo = res.x_objects();
            for (name, form, _) in forms {
                xo.pair(Name(name.as_bytes()), *form);
            }
            xo.finish();
            res.finish();
        }
        pg.finish();
    }
    let mut info = pdf.document_info(info_ref);
    info.title(TextStr(title));
    info.creator(TextStr("Journeymap"));
    info.finish();
    Ok(Pdf {
        bytes: super::pdf_order::reproducible(pdf.finish()),
        page: places.first().map_or((0.0, 0.0), |p| p.size),
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
