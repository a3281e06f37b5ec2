//! `journeymap export`: a map as an image, Mermaid text or a CSV table, from the command line.

use std::path::PathBuf;

use super::{PageArg, ThemeArg, ViewArg, load, printable};

/// The export options of the command line.
#[derive(Clone)]
pub(super) struct ExportArgs {
    pub(super) scale: Option<f32>,
    pub(super) width: Option<u32>,
    pub(super) theme: ThemeArg,
    pub(super) page: PageArg,
    pub(super) text_size: u16,
    pub(super) colour_by: Option<crate::render::ColourBy>,
    pub(super) view: Option<ViewArg>,
    pub(super) chart: bool,
    pub(super) compare: Option<PathBuf>,
    pub(super) since_base: bool,
    pub(super) side_by_side: bool,
}

pub(super) fn export(
    input: &std::path::Path,
    output: &std::path::Path,
    args: ExportArgs,
) -> anyhow::Result<String> {
    use crate::export::{Format, Options, Page, Size};
    let ExportArgs {
        scale,
        width,
        theme,
        page,
        text_size,
        colour_by,
        view,
        chart,
        mut compare,
        since_base,
        side_by_side,
    } = args;
    let format = Format::from_path(output)?;
    if crate::io::files::same_file(input, output) {
        anyhow::bail!(
            "{}: that is the map being exported; choose another output file",
            output.display()
        );
    }
    let (mut doc, _) = load(input)?;
    let mut current = None;
    if since_base || side_by_side {
        if doc.based_on.trim().is_empty() {
            anyhow::bail!(
                "{}: the map names no map it is based on (set it in the side panel, or use --compare)",
                printable(&input.display().to_string())
            );
        }
        let dir = input.parent().unwrap_or(std::path::Path::new("."));
        let base = dir.join(doc.based_on.trim());
        if side_by_side {
            current = Some(std::sync::Arc::new(load(&base)?.0));
        } else {
            compare = Some(base);
        }
    }
    // The compare view: the map with the other version's changes marked on it.
    let mut marks = None;
    if let Some(other) = &compare {
        let (old, _) = load(other)?;
        let name = other.file_name().map_or_else(
            || other.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        let name = name
            .strip_suffix(".journeymap.json")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(&name)
            .to_string();
        let c = crate::compare::view::comparison(&doc, &old, &name);
        doc = c.shown;
        marks = Some(c.marks);
    }
    let size = match (scale, width) {
        (_, Some(w)) => Size::Width(w),
        (Some(s), None) => Size::Scale(s),
        (None, None) => Size::Scale(1.0),
    };
    let opts = Options {
        format,
        size,
        page: match page {
            PageArg::Map => Page::Map,
            PageArg::A4 => Page::A4,
            PageArg::A3 => Page::A3,
            PageArg::Slides => Page::Slides,
        },
        view: crate::view::View {
            // The map's own view unless told otherwise, as the editor opens it (a comparison
            // colours by change).
            colour_by: match (&marks, colour_by) {
                (Some(_), _) => crate::render::ColourBy::Changes,
                (None, Some(c)) => c,
                (None, None) => {
                    crate::render::ColourBy::parse(&doc.view.colour_by).unwrap_or_default()
                }
            },
            executive: view.map_or(doc.view.executive, |v| v == ViewArg::Executive),
            compare: marks,
            ..crate::view::View::export(
                match theme {
                    ThemeArg::Light => crate::theme::ThemeKind::Light,
                    ThemeArg::Dark => crate::theme::ThemeKind::Dark,
                },
                f32::from(text_size) / 100.0,
            )
            .with_chart(chart)
        },
        side_by_side: current,
    };
    let meta = crate::render::ExportMeta {
        file_name: input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        date: crate::render::export_date(),
    };
    let report = crate::export::export(&doc, &meta, &opts, output, &|_| {})?;
    for w in &report.warnings {
        eprintln!("journeymap: warning: {w}");
    }
    if !format.is_image() {
        return Ok(format!(
            "{}: {}, {} bytes",
            printable(&output.display().to_string()),
            format.label(),
            report.bytes
        ));
    }
    let unit = if format == Format::Pdf { "pt" } else { "px" };
    Ok(format!(
        "{}: {} × {} {unit}, {} bytes",
        printable(&output.display().to_string()),
        report.width.round(),
        report.height.round(),
        report.bytes
    ))
}
