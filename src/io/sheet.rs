//! Spreadsheet text, shared by the map table and the survey reader: cells guarded against
//! formula injection, column names compared loosely, column letters, the separator a header
//! row uses, numbers with a decimal comma, and the checks that refuse what a CSV reader would
//! read wrong (an unclosed quote, a shifted row, a header too wide to read).

use super::LoadError;

/// The first characters that make a spreadsheet read a cell as a formula (CSV injection), and
/// the quote that guards them.
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A text cell as written: a leading `'` when a spreadsheet would otherwise run it as a
/// formula (or when it starts with `'`, so that [`unguard`] gives it back unchanged).
pub(crate) fn guard(text: &str) -> String {
    if text.starts_with(FORMULA_START) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A cell as read: without the `'` that [`guard`] adds.
pub(crate) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// A column name as compared: lower case, without spaces, underscores or hyphens.
pub(crate) fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The spreadsheet name of a 0-based column: A, B, … Z, AA …
pub(crate) fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The separator of a table whose header row must name a column `wanted` accepts: the first,
/// by how often it appears in the header row, of `,`, `;` and tab with which the header has
/// such a column (a column name may hold another separator: "metric:a;b"), else the most
/// frequent.
pub(crate) fn separator_for(text: &str, wanted: impl Fn(&str) -> bool) -> u8 {
    let counts = separator_counts(text);
    let mut order = [0usize, 1, 2];
    order.sort_by_key(|i| (std::cmp::Reverse(counts[*i]), usize::from(*i != 0)));
    let seps = [b',', b';', b'\t'];
    for &i in &order {
        let header = csv::ReaderBuilder::new()
            .delimiter(seps[i])
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .next();
        if let Some(Ok(h)) = header
            && h.iter().any(&wanted)
        {
            return seps[i];
        }
    }
    seps[order[0]]
}

/// At most this many columns a map table may have (the map's own are about twenty, and a
/// metric each).
pub const MAX_COLUMNS: usize = 1_000;

/// Refuses a header row wider than `max` columns before anything reads it (a 50 MB header of
/// 25 million columns must not cost gigabytes).
///
/// # Errors
/// How many columns it has, and the most that are read.
pub(crate) fn not_too_wide(text: &str, max: usize) -> Result<(), String> {
    let widest = separator_counts(text).into_iter().max().unwrap_or(0) + 1;
    if widest > max {
        return Err(format!(
            "row 1 has {widest} columns: at most {max} are read"
        ));
    }
    Ok(())
}

/// How often `,`, `;` and tab appear outside quotes in the first line.
fn separator_counts(text: &str) -> [usize; 3] {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    counts
}

/// The separator the header row uses: the most frequent of `,`, `;` and tab outside quotes.
#[cfg(test)]
fn sniff_separator(text: &str) -> u8 {
    separator_for(text, |_| false)
}

/// A number as a spreadsheet may write it: `3.5`, or `3,5` where the comma is the decimal mark.
/// `1,234` is not read: it may be a thousand and more, or a decimal (write 1234 or 1.234).
pub(crate) fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    let thousands = t.split_once(',').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.trim_start_matches(['-', '+'])
                .bytes()
                .all(|c| c.is_ascii_digit())
            && b.len() == 3
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    let v = t.parse::<f64>().ok().or_else(|| {
        (!t.contains('.') && !thousands).then(|| t.replace(',', ".").parse().ok())?
    })?;
    v.is_finite().then_some(v)
}

/// Refuses a table whose quote is never closed (the CSV reader would take the rest of the
/// file as one cell): says where it was opened.
///
/// # Errors
/// The line of the quote that is never closed.
pub(crate) fn closed_quotes(text: &str, path: &str) -> Result<(), LoadError> {
    let (mut open, mut line, mut opened) = (false, 1usize, 0usize);
    for c in text.chars() {
        match c {
            '"' => {
                open = !open;
                if open {
                    opened = line;
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    if open {
        return Err(LoadError::Syntax {
            path: path.into(),
            line: opened,
            column: 1,
            message: "a quote (\") opened on this line is never closed".into(),
        });
    }
    Ok(())
}

/// Cells past the header's last column that hold something: an unquoted separator inside a
/// value shifts every cell after it, so the row is refused rather than read wrong.
///
/// # Errors
/// The row, and how many cells it has against the header's columns.
pub(crate) fn no_extra_cells(
    record: &csv::StringRecord,
    columns: usize,
    row: usize,
) -> Result<(), String> {
    if record.iter().skip(columns).any(|c| !c.trim().is_empty()) {
        return Err(format!(
            "row {row} has {} cells but the header names {columns} columns (a separator inside a value? quote the value)",
            record.len()
        ));
    }
    Ok(())
}

/// A yes/no cell: blank, no, false, 0 are no; yes, true, 1, x, ✓ are yes.
pub(crate) fn yes_no(text: &str) -> Option<bool> {
    match key(text).as_str() {
        "" | "no" | "false" | "0" | "n" => Some(false),
        "yes" | "true" | "1" | "x" | "y" | "\u{2713}" | "\u{2714}" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_column_letters() {
        assert_eq!(sniff_separator("stage;text;\"a,b\"\n1,2,3,4"), b';');
        assert_eq!(sniff_separator("stage,text\n"), b',');
        assert_eq!(sniff_separator("stage\ttext\n"), b'\t');
        assert_eq!(sniff_separator("stage\n"), b',');
        // A metric's name may hold more of another separator than the header has of its own.
        assert_eq!(
            separator_for("stage,text,metric:a;b;c;d\n", |h| key(h) == "stage"),
            b','
        );
        assert_eq!(
            separator_for("stage;text;x,y\n", |h| key(h) == "stage"),
            b';'
        );
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(number("3,5"), Some(3.5));
        assert_eq!(number("1,000.5"), None);
        assert_eq!(number("NaN"), None);
    }
}
