//! Small pieces of English shared by the command line, the editor and the exports.

/// Whether a character must not reach a terminal as it is: controls and the characters that
/// reorder text.
#[must_use]
pub fn unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || ('\u{200e}'..='\u{200f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Text for a terminal: control and reordering characters shown as `\u{..}` escapes, line
/// breaks kept.
#[must_use]
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || !unsafe_for_terminal(c) {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    out
}

/// A count with its noun, singular for one: "1 card", "2 cards", "0 cards", "12,500 cards".
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(n as u64))
    }
}

/// A whole number with thousands separated by commas: "1,000,000".
#[must_use]
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rough duration for people: "4 s", "3 min", "2 h 5 min".
#[must_use]
pub fn duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3_600 => format!("{} min", (s + 30) / 60),
        _ => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
    }
}

/// A number with at most `decimals` decimals, without trailing zeros ("4.6", "5", "−2"):
/// the minus sign is a real one.
#[must_use]
pub fn number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    let s = if s == "-0" { "0".to_owned() } else { s };
    s.replace('-', "\u{2212}")
}

/// A number with its sign ("+3.5", "−2", "0") and at most `decimals` decimals.
#[must_use]
pub fn signed(v: f64, decimals: usize) -> String {
    let n = number(v, decimals);
    if v > 0.0 && n != "0" {
        format!("+{n}")
    } else {
        n
    }
}

/// "a", "a and b", "a, b and c".
#[must_use]
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `text` cut to at most `max` characters, with an ellipsis where it was cut.
#[must_use]
pub fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('\u{2026}');
    s
}

/// Text on one line with runs of white space as one space, cut with an ellipsis.
#[must_use]
pub fn one_line(text: &str, max: usize) -> String {
    short(&text.split_whitespace().collect::<Vec<_>>().join(" "), max)
}

/// A Unix time's UTC date as `YYYY-MM-DD` (the civil-from-days algorithm of H. Hinnant).
#[must_use]
pub fn date_of(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number (days since 1970-01-01) of a `YYYY-MM-DD` date, if it is one (the
/// days-from-civil algorithm of H. Hinnant).
#[must_use]
pub fn day_of(date: &str) -> Option<i64> {
    let mut it = date.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        use super::thousands;
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn durations_read_roughly() {
        use super::duration;
        assert_eq!(duration(4.2), "4 s");
        assert_eq!(duration(185.0), "3 min");
        assert_eq!(duration(7_500.0), "2 h 5 min");
    }

    #[test]
    fn lists_read_as_sentences() {
        let l =
            |v: &[&str]| super::and_list(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(l(&[]), "");
        assert_eq!(l(&["a"]), "a");
        assert_eq!(l(&["a", "b"]), "a and b");
        assert_eq!(l(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn counts() {
        assert_eq!(super::count(1, "emotion point"), "1 emotion point");
        assert_eq!(super::count(0, "card"), "0 cards");
        assert_eq!(super::count(12, "stage"), "12 stages");
    }

    #[test]
    fn days_and_dates_round_trip() {
        use super::{date_of, day_of};
        for secs in [0_i64, 951_782_400, 1_795_478_400, -86_400] {
            assert_eq!(day_of(&date_of(secs)), Some(secs.div_euclid(86_400)));
        }
        assert_eq!(day_of("2026-13-01"), None);
        assert_eq!(day_of("soon"), None);
    }
}
