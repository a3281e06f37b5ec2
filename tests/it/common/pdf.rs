//! Reading PDFs in tests with lopdf: the text a viewer would copy, and the page size.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

/// The text of a PDF, read with lopdf: the content of every page and, recursively, of the
/// form `XObjects` it draws; glyph codes are turned into characters through each font's
/// `ToUnicode` map (what a viewer's copy and search use).
pub fn pdf_text(bytes: &[u8]) -> String {
    pdf_page_texts(bytes).concat()
}

/// The text of each page of a PDF (see [`pdf_text`]).
pub fn pdf_page_texts(bytes: &[u8]) -> Vec<String> {
    each_page(bytes, |doc, content, resources| {
        let mut out = String::new();
        content_text(doc, content, resources, &mut out);
        out
    })
}

/// `f` of every page's content and resources, in page order.
fn each_page<T>(
    bytes: &[u8],
    f: impl Fn(&lopdf::Document, &[u8], &lopdf::Dictionary) -> T,
) -> Vec<T> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).unwrap();
            let resources = page
                .get_deref(b"Resources", &doc)
                .unwrap()
                .as_dict()
                .unwrap();
            let contents = page
                .get_deref(b"Contents", &doc)
                .unwrap()
                .as_stream()
                .unwrap();
            f(&doc, &contents.get_plain_content().unwrap(), resources)
        })
        .collect()
}

fn content_text(
    doc: &lopdf::Document,
    content: &[u8],
    resources: &lopdf::Dictionary,
    out: &mut String,
) {
    let fonts: std::collections::HashMap<Vec<u8>, std::collections::HashMap<u32, String>> =
        resources
            .get_deref(b"Font", doc)
            .and_then(lopdf::Object::as_dict)
            .map(|fonts| {
                fonts
                    .iter()
                    .map(|(name, f)| {
                        let font = doc.dereference(f).unwrap().1.as_dict().unwrap();
                        let cmap = font
                            .get_deref(b"ToUnicode", doc)
                            .unwrap()
                            .as_stream()
                            .unwrap()
                            .get_plain_content()
                            .unwrap();
                        (
                            name.clone(),
                            parse_to_unicode(&String::from_utf8_lossy(&cmap)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
    let mut font: Option<&std::collections::HashMap<u32, String>> = None;
    let show =
        |s: &[u8], font: Option<&std::collections::HashMap<u32, String>>, out: &mut String| {
            for pair in s.chunks(2) {
                let code = pair.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
                if let Some(t) = font.and_then(|f| f.get(&code)) {
                    out.push_str(t);
                }
            }
        };
    for op in lopdf::content::Content::decode(content).unwrap().operations {
        match op.operator.as_str() {
            "Tf" => font = fonts.get(op.operands[0].as_name().unwrap()),
            "Tj" => show(op.operands[0].as_str().unwrap(), font, out),
            "TJ" => {
                for part in op.operands[0].as_array().unwrap() {
                    if let Ok(s) = part.as_str() {
                        show(s, font, out);
                    }
                }
            }
            "ET" => out.push('\n'),
            "Do" => {
                if let Some((x, inner)) = form(doc, resources, &op) {
                    content_text(doc, &x.get_plain_content().unwrap(), inner, out);
                }
            }
            _ => {}
        }
    }
}

/// A `ToUnicode` `CMap`'s `bfchar` and `bfrange` entries: code → text.
fn parse_to_unicode(cmap: &str) -> std::collections::HashMap<u32, String> {
    let hex = |t: &str| -> Vec<u8> {
        let t = t.trim_matches(|c| c == '<' || c == '>');
        (0..t.len() / 2)
            .map(|i| u8::from_str_radix(&t[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    };
    let utf16 = |b: Vec<u8>| {
        let units: Vec<u16> = b
            .chunks(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let code = |b: &[u8]| b.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
    let mut map = std::collections::HashMap::new();
    let mut mode = "";
    for line in cmap.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            mode = "char";
        } else if line.ends_with("beginbfrange") {
            mode = "range";
        } else if line.starts_with("endbf") {
            mode = "";
        } else if !mode.is_empty() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if mode == "char" && parts.len() == 2 {
                map.insert(code(&hex(parts[0])), utf16(hex(parts[1])));
            } else if mode == "range" && parts.len() == 3 {
                let (a, b) = (code(&hex(parts[0])), code(&hex(parts[1])));
                let start = utf16(hex(parts[2]));
                let first = start.chars().next().unwrap() as u32;
                for (k, c) in (a..=b).enumerate() {
                    let ch = char::from_u32(first + k as u32).unwrap();
                    map.insert(c, ch.to_string());
                }
            }
        }
    }
    map
}

/// The first page's size in points (from its `MediaBox`).
pub fn pdf_page_size(pdf: &lopdf::Document) -> (f32, f32) {
    let pages = pdf.get_pages();
    let (_, id) = pages.iter().next().unwrap();
    let page = pdf.get_object(*id).unwrap().as_dict().unwrap();
    let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
    let n = |o: &lopdf::Object| o.as_float().unwrap();
    (n(&mb[2]) - n(&mb[0]), n(&mb[3]) - n(&mb[1]))
}

/// Every page's runs of text (one a text object) by the size they are drawn at on the page, in
/// points: the font size times the scale of the text and transformation matrices, through
/// form `XObjects`.
pub fn pdf_text_sizes(bytes: &[u8]) -> Vec<Vec<f32>> {
    each_page(bytes, |doc, content, resources| {
        let mut out = Vec::new();
        sizes_in(
            doc,
            content,
            resources,
            [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            &mut out,
        );
        out
    })
}

type Matrix = [f32; 6];

fn mul(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn matrix_of(ops: &[lopdf::Object]) -> Matrix {
    let n: Vec<f32> = ops.iter().map(|o| o.as_float().unwrap()).collect();
    [n[0], n[1], n[2], n[3], n[4], n[5]]
}

fn sizes_in(
    doc: &lopdf::Document,
    content: &[u8],
    resources: &lopdf::Dictionary,
    ctm: Matrix,
    out: &mut Vec<f32>,
) {
    let mut stack = vec![ctm];
    let mut tm: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut size = 0.0f32;
    let mut shown = false;
    for op in lopdf::content::Content::decode(content).unwrap().operations {
        let top = *stack.last().unwrap();
        match op.operator.as_str() {
            "q" => stack.push(top),
            "Q" => {
                stack.pop();
            }
            "cm" => *stack.last_mut().unwrap() = mul(matrix_of(&op.operands), top),
            "BT" => {
                tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
                shown = false;
            }
            "Tm" => tm = matrix_of(&op.operands),
            "Tf" => size = op.operands[1].as_float().unwrap(),
            "Tj" | "TJ" => shown = true,
            "ET" if shown => {
                let m = mul(tm, top);
                let scale = (m[0] * m[3] - m[1] * m[2]).abs().sqrt();
                out.push(size * scale);
            }
            "Do" => {
                if let Some((x, inner)) = form(doc, resources, &op) {
                    let m = x
                        .dict
                        .get(b"Matrix")
                        .and_then(lopdf::Object::as_array)
                        .map_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], |a| matrix_of(a));
                    sizes_in(
                        doc,
                        &x.get_plain_content().unwrap(),
                        inner,
                        mul(m, top),
                        out,
                    );
                }
            }
            _ => {}
        }
    }
}

/// The form `XObject` a `Do` operation draws, with the resources its content uses (`None`
/// for an image).
fn form<'a>(
    doc: &'a lopdf::Document,
    resources: &'a lopdf::Dictionary,
    op: &lopdf::content::Operation,
) -> Option<(&'a lopdf::Stream, &'a lopdf::Dictionary)> {
    let name = op.operands[0].as_name().unwrap();
    let xobjects = resources
        .get_deref(b"XObject", doc)
        .unwrap()
        .as_dict()
        .unwrap();
    let x = xobjects.get_deref(name, doc).unwrap().as_stream().unwrap();
    (x.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Form")).then(|| {
        let inner = x
            .dict
            .get_deref(b"Resources", doc)
            .and_then(lopdf::Object::as_dict)
            .unwrap_or(resources);
        (x, inner)
    })
}
