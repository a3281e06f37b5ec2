//! A map on a printed page (A4, A3) stays readable: the text is made as large as the page
//! needs for no text to be under [`PRINT_MIN_TEXT_PT`] and no card text under
//! [`PRINT_MIN_CARD_PT`], and when the map then no longer fits, detail is left out (the notes
//! list and descriptions, then the ends of long cards) rather than the text shrunk. What was
//! done is said, so nobody wonders where a note went.

use super::{ExportScene, Options, Page, scene_shown};
use crate::model::Document;
use crate::render::{Element, ExportMeta};
use crate::view::View;

/// Smallest text on a printed page (labels, legend, summary, footer), in points.
pub const PRINT_MIN_TEXT_PT: f32 = 9.0;
/// Smallest card text on a printed page, in points.
pub const PRINT_MIN_CARD_PT: f32 = 11.0;
/// A try whose smallest text reaches this share of the minimum is used when none reaches
/// it (the text then shrinks a little, not to a third).
const NEARLY: f32 = 0.9;
/// Text grows at most this much before the map is split over more pages (cards' owner and
/// channel lines stay whole).
const NICE_TEXT_SCALE: f32 = 1.5;
/// Largest text size tried (300 %).
const MAX_TEXT_SCALE: f32 = 3.0;

/// Maps with more cards than this are not fitted (they cannot be read on A3 whatever is
/// left out; the export says how small the text is).
const MAX_FITTED_CARDS: usize = 1_500;
/// Size of a map page's heading at 100 % (the cover has the title).
const HEADING_FONT: f32 = 15.0;
/// Room around a map page's content (a cover keeps the export's own), in map units: about
/// 5 mm on paper at the sizes these pages print at.
const MAP_PAGE_PAD: f32 = 20.0;
/// Most pages the map is split into to fit (besides the cover).
const MAX_MAP_PAGES: usize = 8;

/// Scenes made for a page size.
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    /// One scene a page, in order.
    pub pages: Vec<ExportScene>,
    /// The view they were made in (the text size and detail fitted to the page).
    pub view: View,
    /// Into how many pages the map's stages were split after a cover page with the title,
    /// personas, summary and legend (`0`: everything on one page).
    pub map_pages: usize,
    /// What the user should know: the text made larger, what was left out or split, or that
    /// even so the page is too small.
    pub warnings: Vec<String>,
    /// Some text is under the minimum even so (the warnings say by how much).
    pub too_small: bool,
}

/// How a scene prints on a `pw` × `ph` pt page: the smallest text and the card text in
/// points, and whether the page's height is what limits it.
fn on_page(scene: &ExportScene, view: &View, pw: f32, ph: f32) -> (f32, f32, bool) {
    let v = scene.list.bounds;
    let (sw, sh) = (pw / v.width().max(1.0), ph / v.height().max(1.0));
    let s = sw.min(sh);
    let style = crate::layout::Style::of(view);
    let smallest = scene.list.smallest_text().unwrap_or(f32::INFINITY) * s;
    (smallest, style.card_font() * s, sh < sw)
}

/// Whether every page reaches the minimum sizes; else how far the worst falls short (the
/// factor its text must grow by) and whether a page that falls short is as tall as its page.
fn check(pages: &[ExportScene], view: &View, pw: f32, ph: f32) -> (f32, bool) {
    let mut short = 1.0f32;
    let mut tall = false;
    for p in pages {
        let (smallest, card, t) = on_page(p, view, pw, ph);
        let need = (PRINT_MIN_TEXT_PT / smallest).max(PRINT_MIN_CARD_PT / card);
        if need > 1.001 {
            tall |= t;
        }
        short = short.max(need);
    }
    (short, tall)
}

/// The scenes of `doc` (the executive view already made) for `opts.page`. A page of the
/// map's own size takes the scene as asked; A4 and A3 take the smallest text size at or above
/// the asked one that keeps every text at [`PRINT_MIN_TEXT_PT`] and card text at
/// [`PRINT_MIN_CARD_PT`], with as much on one page as still fits: everything; then without
/// the notes and descriptions; then a cover page (title, personas, summary, legend) and the
/// map's stages on one page or split over more.
#[must_use]
pub fn fit(doc: &Document, opts: &Options, meta: &ExportMeta) -> Fitted {
    let asked = &opts.view;
    // As asked: on the map's own page, or shrunk onto one page when it is too small (then
    // with a warning).
    let as_asked = |warnings: Vec<String>| Fitted {
        pages: vec![scene_shown(doc, asked, meta)],
        view: asked.clone(),
        map_pages: 0,
        too_small: !warnings.is_empty(),
        warnings,
    };
    if opts.page == Page::Map {
        return as_asked(Vec::new());
    }
    if opts.page == Page::Slides {
        return slides(doc, opts, meta);
    }
    if doc.cards.len() > MAX_FITTED_CARDS {
        return as_asked(vec![format!(
            "a map of {} cards cannot be read on {}: its text is shrunk to fit (choose the map's own size)",
            crate::text::number(doc.cards.len() as f64, 0),
            opts.page.label()
        )]);
    }
    let (pw, ph) = opts.page.size_pt(1.0, 1.0);
    let brief = View {
        notes: false,
        descriptions: false,
        ..asked.clone()
    };
    let mut tries: Vec<(View, usize)> = vec![(asked.clone(), 0), (brief.clone(), 0)];
    tries.extend((1..=doc.stages.len().clamp(1, MAX_MAP_PAGES)).map(|g| (brief.clone(), g)));
    let mut best: Option<(f32, Fitted)> = None;
    // First with the text grown at most half again (cards keep their owner lines whole),
    // splitting the map rather than growing the text further; then up to the largest size.
    for (cap, (level, map_pages)) in [NICE_TEXT_SCALE, MAX_TEXT_SCALE]
        .into_iter()
        .flat_map(|cap| tries.iter().cloned().map(move |t| (cap, t)))
    {
        let mut view = level;
        if view.text_scale > cap {
            continue;
        }
        loop {
            let pages = pages_of(doc, &view, meta, map_pages);
            let (short, tall) = check(&pages, &view, pw, ph);
            let fitted = Fitted {
                pages,
                view: view.clone(),
                map_pages,
                warnings: Vec::new(),
                too_small: false,
            };
            if short <= 1.001 {
                let mut fitted = fitted;
                if map_pages > 0 {
                    let cover = fitted_cover(doc, &fitted.view, meta, (pw, ph));
                    fitted.pages.insert(0, cover);
                }
                let warnings = said(opts, &fitted, true);
                return Fitted { warnings, ..fitted };
            }
            if best.as_ref().is_none_or(|(r, _)| 1.0 / short > *r) {
                best = Some((1.0 / short, fitted));
            }
            // Larger text makes a page as tall as the page only taller: change the level.
            if tall || view.text_scale >= cap {
                break;
            }
            // The width hardly grows with the text: grow it by what is missing.
            view.text_scale = (view.text_scale * short)
                .max(view.text_scale + 0.02)
                .min(cap);
        }
    }
    // Nothing reaches the minimum. Nearly (90 % of it) is still worth the pages; else
    // everything on one page as asked. Either way, said.
    let page = opts.page.label();
    let advice = if opts.page == Page::A4 {
        "A3 or the map's own size"
    } else {
        "the map's own size"
    };
    let tried = doc.stages.len().clamp(1, MAX_MAP_PAGES);
    match best {
        Some((reached, fitted)) if reached >= NEARLY => {
            let mut fitted = fitted;
            if fitted.map_pages > 0 {
                let cover = fitted_cover(doc, &fitted.view, meta, (pw, ph));
                fitted.pages.insert(0, cover);
            }
            let mut warnings = said(opts, &fitted, false);
            warnings.push(format!(
                "on {page} some text stays under {PRINT_MIN_TEXT_PT} pt (cards {PRINT_MIN_CARD_PT} pt): {:.0} % of it at the smallest; choose {advice} for all of it",
                reached * 100.0
            ));
            Fitted {
                warnings,
                too_small: true,
                ..fitted
            }
        }
        best => as_asked(vec![format!(
            "on {page} the text cannot reach {PRINT_MIN_TEXT_PT} pt (cards {PRINT_MIN_CARD_PT} pt) even with the notes and descriptions left out and the stages split over up to {tried} pages (at best {:.0} % of it): the text is shrunk to fit; choose {advice}",
            best.map_or(0.0, |(r, _)| r) * 100.0,
        )]),
    }
}

/// A deck: the whole map under its title (without notes and descriptions; a map is not read
/// on its first slide but found), then a slide per stage (see
/// [`crate::render::slide::stage_slide`]).
fn slides(doc: &Document, opts: &Options, meta: &ExportMeta) -> Fitted {
    let view = View {
        notes: false,
        descriptions: false,
        ..opts.view.clone()
    };
    let mut pages = pages_of(doc, &view, meta, 1);
    let theme = crate::theme::Theme::get(view.theme);
    let look = crate::render::Look::new(doc, &view);
    let mut warnings = Vec::new();
    if let Some(first) = pages.first() {
        let (pw, ph) = Page::Slides.size_pt(1.0, 1.0);
        let (smallest, _, _) = on_page(first, &view, pw, ph);
        if smallest < super::MIN_PDF_TEXT_PT {
            warnings.push(format!(
                "the first slide shows the whole map small (its smallest text is {smallest:.1} pt): an overview to point at; the stage slides after it are readable"
            ));
        }
    }
    pages.extend(
        (0..doc.stages.len()).map(|i| crate::render::slide::stage_slide(doc, &look, &theme, i)),
    );
    Fitted {
        pages,
        view,
        map_pages: 1,
        warnings,
        too_small: false,
    }
}

/// The pages for one try: everything on one page (`map_pages` 0), or the stages split into
/// `map_pages` runs of about equal length, a page each (the cover is fitted on its own).
fn pages_of(doc: &Document, view: &View, meta: &ExportMeta, map_pages: usize) -> Vec<ExportScene> {
    if map_pages == 0 {
        return vec![scene_shown(doc, view, meta)];
    }
    let n = doc.stages.len();
    let text = crate::theme::Theme::get(view.theme).text;
    let mut pages = Vec::new();
    // Runs of about equal length (they differ by one stage at most).
    for k in 0..map_pages.min(n) {
        let (start, end) = (k * n / map_pages.min(n), (k + 1) * n / map_pages.min(n));
        let part = stages_only(doc, start..end);
        let scene = scene_shown(&part, view, meta);
        let fill = page_fill(&scene);
        // The map, named in its empty top-left corner (the cover has the title, summary,
        // legend and footer), else in a line above it.
        let mut picked = pick(&scene, true, |_| false);
        let place = match end - start {
            k if k == n => None,
            1 => Some(format!("Stage {} of {n}", start + 1)),
            _ => Some(format!("Stages {}\u{2013}{end} of {n}", start + 1)),
        };
        let heading = corner_heading(&picked, place.as_deref(), doc.title.trim(), view, text)
            .unwrap_or_else(|| {
                let size = HEADING_FONT * view.text_scale;
                let map = picked.list.bounds;
                let (bounds, item, _) = crate::render::Item::measured_text(
                    &part.title,
                    crate::geom::Pos::new(map.min.x, map.min.y - size * 1.7),
                    size,
                    true,
                    text,
                );
                let mut heading = crate::render::Part::new(Element::Title);
                heading.push(bounds, item);
                heading
            });
        // Drawn over the map (whose body paints the corner).
        picked.list.push_part(heading);
        pages.push(rebackground(picked, fill, MAP_PAGE_PAD));
    }
    pages
}

/// The heading of a map page set in the empty corner left of the stage names and above the
/// lane names: which stages (bold), then as much of the map's title as fits (`None` when
/// not even the first line fits).
fn corner_heading(
    scene: &ExportScene,
    place: Option<&str>,
    title: &str,
    view: &View,
    colour: crate::theme::Color,
) -> Option<crate::render::Part> {
    use crate::geom::{Pos, Rect};
    let header = scene
        .list
        .parts
        .iter()
        .filter(|p| matches!(p.element, Element::StageHeader(_)))
        .map(|p| p.bounds)
        .min_by(|a, b| a.min.x.total_cmp(&b.min.x))?;
    let map = scene.list.bounds;
    let k = view.text_scale;
    let area = Rect::from_corners(
        Pos::new(map.min.x + 8.0 * k, header.min.y + 8.0 * k),
        Pos::new(header.min.x - 8.0 * k, header.max.y - 6.0 * k),
    );
    let size = crate::layout::SCALE_FONT * k;
    let line_h = crate::layout::line_h(size);
    let measure = crate::layout::FontMeasure::shared();
    let mut lines: Vec<(String, bool)> = Vec::new();
    for (text, bold) in place
        .into_iter()
        .map(|p| (p, true))
        .chain([(title, place.is_none())])
    {
        for l in crate::layout::wrap(measure, text, size, bold, area.width()) {
            lines.push((l, bold));
        }
    }
    let fit = ((area.height() / line_h).floor().max(0.0) as usize).min(lines.len());
    if fit == 0 || lines.is_empty() {
        return None;
    }
    if lines.len() > fit {
        // What does not fit ends in "…" (the cover has the whole title).
        let (last, bold) = lines[fit - 1].clone();
        let cut = format!("{}\u{2026}", last.trim_end());
        lines[fit - 1] = (
            crate::layout::elide(measure, &cut, size, bold, area.width()),
            bold,
        );
    }
    let mut part = crate::render::Part::new(Element::Title);
    for (i, (l, bold)) in lines.into_iter().take(fit).enumerate() {
        let (b, item, _) = crate::render::Item::measured_text(
            &l,
            Pos::new(area.min.x, area.min.y + i as f32 * line_h),
            size,
            bold,
            colour,
        );
        part.push(b, item);
    }
    Some(part)
}

/// The cover page at the smallest text size at or above the asked one where its text is
/// large enough (it is as wide as the map, so larger text always fits), with as much detail
/// as `view` keeps.
fn fitted_cover(
    doc: &Document,
    view: &View,
    meta: &ExportMeta,
    (pw, ph): (f32, f32),
) -> ExportScene {
    let mut d = view.clone();
    loop {
        let page = cover(&scene_shown(doc, &d, meta));
        let (short, tall) = check(std::slice::from_ref(&page), &d, pw, ph);
        if short <= 1.001 || tall || d.text_scale >= MAX_TEXT_SCALE {
            return page;
        }
        d.text_scale = (d.text_scale * short)
            .max(d.text_scale + 0.02)
            .min(MAX_TEXT_SCALE);
    }
}

/// The cover page: the title, personas, summary and legend of the whole map, the legend
/// moved up under the summary.
fn cover(whole: &ExportScene) -> ExportScene {
    let above = whole
        .list
        .parts
        .iter()
        .filter(|p| matches!(p.element, Element::Title | Element::Summary))
        .fold(f32::NEG_INFINITY, |y, p| y.max(p.bounds.max.y));
    let mut scene = pick(whole, false, |e| {
        matches!(
            e,
            Element::Title | Element::Summary | Element::Legend | Element::Chart
        )
    });
    let below: Vec<usize> = (0..scene.list.parts.len())
        .filter(|i| {
            matches!(
                scene.list.parts[*i].element,
                Element::Legend | Element::Chart
            )
        })
        .collect();
    let top = below
        .iter()
        .map(|i| scene.list.parts[*i].bounds.min.y)
        .fold(f32::INFINITY, f32::min);
    if top.is_finite() && above.is_finite() {
        let d = crate::geom::Pos::new(0.0, above + 40.0 - top);
        for i in below {
            scene.list.parts[i].translate(d);
        }
    }
    rebackground(scene, page_fill(whole), crate::render::PAD)
}

/// The map with only the stages `range` (their cards and the links between those), titled
/// with where they are in the journey.
fn stages_only(doc: &Document, range: std::ops::Range<usize>) -> Document {
    let n = doc.stages.len();
    let stages: Vec<_> = doc.stages[range.clone()].to_vec();
    let ids: std::collections::HashSet<_> = stages.iter().map(|s| s.id).collect();
    let cards: Vec<_> = doc
        .cards
        .iter()
        .filter(|c| ids.contains(&c.stage))
        .cloned()
        .collect();
    let kept: std::collections::HashSet<_> = cards.iter().map(|c| c.id).collect();
    let names = match (stages.first(), stages.last()) {
        _ if range.len() == n => String::new(),
        (Some(a), Some(b)) if range.len() > 1 => format!(
            "{} to {} (stages {}\u{2013}{} of {n})",
            a.name.trim(),
            b.name.trim(),
            range.start + 1,
            range.end
        ),
        (Some(a), _) => format!("{} (stage {} of {n})", a.name.trim(), range.start + 1),
        _ => String::new(),
    };
    let title = if doc.title.trim().is_empty() || names.is_empty() {
        if names.is_empty() {
            doc.title.trim().to_owned()
        } else {
            names
        }
    } else {
        format!("{} \u{2014} {names}", doc.title.trim())
    };
    Document {
        title,
        description: String::new(),
        links: doc.links_among(&kept),
        cards,
        stages,
        // The curves keep every point: those of other stages are not drawn, and the worst
        // moments stay the journey's (see `model::worst_points`).
        owner_order: crate::model::owners(doc),
        ..doc.clone()
    }
}

/// The parts of `scene` whose element `keep` takes, and the map's if `map` (no page yet).
fn pick(scene: &ExportScene, map: bool, keep: impl Fn(Element) -> bool) -> ExportScene {
    let mut list = crate::render::DisplayList::default();
    let mut map_parts = 0..0;
    for (i, p) in scene.list.parts.iter().enumerate() {
        let in_map = map && scene.map_parts.contains(&i);
        if p.element == Element::Page || !(in_map || keep(p.element)) {
            continue;
        }
        if in_map && map_parts.is_empty() {
            map_parts = list.parts.len()..list.parts.len();
        }
        list.push_part(p.clone());
        if in_map {
            map_parts.end = list.parts.len();
        }
    }
    ExportScene { list, map_parts }
}

/// The colour of a scene's page.
fn page_fill(scene: &ExportScene) -> crate::theme::Color {
    scene
        .list
        .parts
        .iter()
        .filter(|p| p.element == Element::Page)
        .flat_map(|p| &p.items)
        .find_map(|(_, i)| match i {
            crate::render::Item::Rect { fill, .. } => Some(*fill),
            _ => None,
        })
        .unwrap_or(crate::theme::QR_LIGHT)
}

/// The scene (of parts picked, without a page) on a page of colour `fill` around its parts.
fn rebackground(scene: ExportScene, fill: crate::theme::Color, pad: f32) -> ExportScene {
    let Some(first) = scene.list.parts.first() else {
        return scene;
    };
    let all = scene
        .list
        .parts
        .iter()
        .fold(first.bounds, |r, p| r.union(&p.bounds));
    let page = crate::geom::Rect::from_corners(
        crate::geom::Pos::new(all.min.x - pad, all.min.y - pad),
        crate::geom::Pos::new(all.max.x + pad, all.max.y + pad),
    );
    let mut list = crate::render::DisplayList::default();
    list.push_part(crate::render::Part::page(page, fill));
    for p in scene.list.parts {
        list.push_part(p);
    }
    let map_parts = if scene.map_parts.is_empty() {
        0..0
    } else {
        scene.map_parts.start + 1..scene.map_parts.end + 1
    };
    ExportScene { list, map_parts }
}

/// What was changed to fit the page, in words (nothing when nothing was).
fn said(opts: &Options, f: &Fitted, reached: bool) -> Vec<String> {
    let d = &f.view;
    let mut left_out = Vec::new();
    if !d.notes {
        left_out.push("the notes list".to_owned());
    }
    if !d.descriptions {
        left_out.push("the descriptions of the map and personas".to_owned());
    }
    let mut out = Vec::new();
    let page = opts.page.label();
    if d.text_scale > opts.view.text_scale + 0.005 {
        let why = if reached {
            format!(" so that none is under {PRINT_MIN_TEXT_PT} pt (cards {PRINT_MIN_CARD_PT} pt)")
        } else {
            String::new()
        };
        out.push(format!(
            "on {page} the text is at {:.0} %{why}",
            d.text_scale * 100.0
        ));
    }
    if !left_out.is_empty() {
        out.push(format!(
            "to fit {page}, left out: {} (the map's own page size shows everything)",
            left_out.join(" and ")
        ));
    }
    if f.map_pages > 0 {
        out.push(format!(
            "{} pages: the title, summary and legend on the first, then the map{}",
            f.pages.len(),
            if f.map_pages > 1 {
                format!(" split by stages over {} pages", f.map_pages)
            } else {
                String::new()
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_some_stages_keeps_the_journeys_worst_moments() {
        let doc = crate::model::sample_map();
        let ids = |d: &Document| -> Vec<_> {
            crate::model::worst_points(d).iter().map(|p| p.id).collect()
        };
        // Stages 1–4: the journey's worst moment (Call support, stage 5) is on the next page.
        let page = stages_only(&doc, 0..4);
        assert_eq!(page.stages.len(), 4);
        assert_eq!(ids(&page), ids(&doc));
        let worst = crate::model::worst_points(&doc)[0];
        assert!(page.stage(worst.stage).is_none());
        assert!(
            page.title.contains("stages 1\u{2013}4 of 7"),
            "{}",
            page.title
        );
        // So no point on it is ringed as the worst moment; on the page that has it, it is.
        let ringed = |d: &Document| {
            let scene = scene_shown(
                d,
                &View::default(),
                &ExportMeta {
                    file_name: "map.json".into(),
                    date: "2026-12-04".into(),
                },
            );
            scene.list.items().any(|(_, i)| {
                matches!(i, crate::render::Item::Text { text, .. } if &**text == "Worst moment")
            })
        };
        assert!(!ringed(&page));
        let later = stages_only(&doc, 4..7);
        assert!(ringed(&later));
        assert!(ringed(&doc));
        // Only the cards of those stages, and links between them.
        assert!(page.cards.iter().all(|c| page.stage(c.stage).is_some()));
        assert!(
            page.links
                .iter()
                .all(|l| page.card(l.from).is_some() && page.card(l.to).is_some())
        );
    }
}
