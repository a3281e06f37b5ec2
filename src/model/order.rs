//! Order as data: fractional position keys.
//!
//! A card's place in its cell, a stage's place among the stages and a lane's among the lanes
//! is a key: a short string of base-62 digits (`0-9A-Za-z`, in ASCII order) read as a fraction
//! `0.d1d2d3…`. Keys compare as plain strings, so a key can always be made between two others
//! without renumbering anything, and two people inserting into one cell at once both land
//! (equal keys are ordered by id). The digits are the common "fractional indexing" alphabet,
//! so a JavaScript page compares them with `<` as Rust does.
//!
//! No crate: `fractional_index` keys are opaque hex bytes with a terminator; these stay short
//! and readable in a JSON diff ("V", "W", "VV").

use std::cmp::Ordering;

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: u32 = 62;
/// Longest key a file may hold; longer ones are replaced when a map is normalised.
pub const MAX_KEY_LEN: usize = 256;

fn value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 36),
        _ => None,
    }
}

fn digit(v: u32) -> char {
    char::from(DIGITS[v as usize])
}

/// Whether `key` is a usable position key: 1 to [`MAX_KEY_LEN`] base-62 digits, not ending in
/// `0` (so no two keys name one fraction).
#[must_use]
pub fn is_valid(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.bytes().all(|c| value(c).is_some())
        && !key.ends_with('0')
}

/// The order of two things with keys and ids: by key, then by id (two people who inserted at
/// one place at once get one order on every replica).
#[must_use]
pub fn cmp(a: (&str, u64), b: (&str, u64)) -> Ordering {
    a.0.cmp(b.0).then(a.1.cmp(&b.1))
}

/// A key between `lo` and `hi` (`None`: the start or the end). Both must be valid and
/// `lo < hi`; an equal or reversed pair gets a key just after `lo`.
#[must_use]
pub fn between(lo: Option<&str>, hi: Option<&str>) -> String {
    match (lo, hi) {
        (None, None) => "V".into(),
        (None, Some(b)) => before(b),
        (Some(a), Some(b)) if a < b => midpoint(a.as_bytes(), Some(b.as_bytes())),
        (Some(a), _) => after(a),
    }
}

/// A key after `a`, as short as can be (appending keeps keys short: a digit per ~30 appends).
fn after(a: &str) -> String {
    let bytes = a.as_bytes();
    for (i, c) in bytes.iter().enumerate() {
        let v = value(*c).unwrap_or(0);
        if v + 1 < BASE {
            let mut s = a[..i].to_string();
            s.push(digit(v + 1));
            return s;
        }
    }
    let mut s = a.to_string();
    s.push('V');
    s
}

/// A key before `b`.
fn before(b: &str) -> String {
    let bytes = b.as_bytes();
    for (i, c) in bytes.iter().enumerate() {
        let v = value(*c).unwrap_or(0);
        if v >= 2 {
            let mut s = b[..i].to_string();
            s.push(digit(v - 1));
            return s;
        }
        if v == 1 {
            // "…1" → "…0V": below it, and not ending in 0.
            let mut s = b[..i].to_string();
            s.push('0');
            s.push_str(&midpoint(&[], None));
            return s;
        }
    }
    midpoint(&[], Some(bytes))
}

/// The midpoint of two digit strings read as fractions, `a < b` (`None`: 1).
fn midpoint(a: &[u8], b: Option<&[u8]>) -> String {
    if let Some(b) = b {
        // The common prefix (with `a` padded by zeros) stays.
        let mut n = 0;
        while n < b.len() && a.get(n).copied().unwrap_or(b'0') == b[n] {
            n += 1;
        }
        if n > 0 {
            let mut s: String = b[..n].iter().map(|c| char::from(*c)).collect();
            s.push_str(&midpoint(a.get(n..).unwrap_or(&[]), Some(&b[n..])));
            return s;
        }
    }
    let da = a.first().and_then(|c| value(*c)).unwrap_or(0);
    let db = b
        .and_then(|b| b.first())
        .and_then(|c| value(*c))
        .unwrap_or(BASE);
    if db - da > 1 {
        return digit(u32::midpoint(da, db)).to_string();
    }
    match b {
        // b's first digit alone lies between a and b.
        Some(b) if b.len() > 1 => char::from(b[0]).to_string(),
        _ => {
            let mut s = digit(da).to_string();
            s.push_str(&midpoint(a.get(1..).unwrap_or(&[]), None));
            s
        }
    }
}

/// `n` keys in order between `lo` and `hi`, spread evenly so that they stay short.
#[must_use]
pub fn spread(lo: Option<&str>, hi: Option<&str>, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    if lo.is_none() && hi.is_none() {
        // Fixed-width keys over the whole range: 10,000 keys need 3 digits.
        let mut width = 1u32;
        while u64::from(BASE).pow(width) <= n as u64 + 1 {
            width += 1;
        }
        let span = u64::from(BASE).pow(width);
        for i in 1..=n as u64 {
            let mut v = i * span / (n as u64 + 1);
            let mut key = vec![b'0'; width as usize];
            for slot in key.iter_mut().rev() {
                *slot = DIGITS[(v % u64::from(BASE)) as usize];
                v /= u64::from(BASE);
            }
            while key.last() == Some(&b'0') {
                key.pop();
            }
            out.push(key.into_iter().map(char::from).collect());
        }
        return out;
    }
    spread_into(lo.map(str::to_string), hi.map(str::to_string), n, &mut out);
    out
}

fn spread_into(lo: Option<String>, hi: Option<String>, n: usize, out: &mut Vec<String>) {
    if n == 0 {
        return;
    }
    let mid = between(lo.as_deref(), hi.as_deref());
    let left = (n - 1) / 2;
    spread_into(lo, Some(mid.clone()), left, out);
    out.push(mid.clone());
    spread_into(Some(mid), hi, n - 1 - left, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn appending_and_prepending_keep_keys_short_and_ordered() {
        let mut keys = vec![between(None, None)];
        for _ in 0..1000 {
            let k = between(keys.last().map(String::as_str), None);
            keys.push(k);
        }
        for _ in 0..1000 {
            let k = between(None, keys.first().map(String::as_str));
            keys.insert(0, k);
        }
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(keys.iter().all(|k| is_valid(k)));
        assert!(keys.iter().all(|k| k.len() <= 40), "{:?}", keys.last());
    }

    #[test]
    fn spread_gives_short_ordered_keys() {
        let keys = spread(None, None, 10_000);
        assert_eq!(keys.len(), 10_000);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(keys.iter().all(|k| is_valid(k) && k.len() <= 3));
        let inner = spread(Some("a"), Some("b"), 100);
        assert!(inner.windows(2).all(|w| w[0] < w[1]));
        assert!(
            inner
                .iter()
                .all(|k| "a" < k.as_str() && k.as_str() < "b" && is_valid(k))
        );
    }

    fn key() -> impl Strategy<Value = String> {
        proptest::collection::vec(0u32..62, 1..6).prop_map(|v| {
            let mut s: String = v.into_iter().map(digit).collect();
            while s.ends_with('0') {
                s.pop();
            }
            if s.is_empty() { "1".into() } else { s }
        })
    }

    proptest! {
        #[test]
        fn between_lies_between(a in key(), b in key()) {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let m = between(Some(&lo), Some(&hi));
            prop_assert!(lo < m && m < hi, "{lo} {m} {hi}");
            prop_assert!(is_valid(&m));
            let x = between(None, Some(&lo));
            prop_assert!(x < lo && is_valid(&x), "{x} {lo}");
            let y = between(Some(&hi), None);
            prop_assert!(y > hi && is_valid(&y));
        }
    }
}

/// A hasher for ids (one `u64` each): a multiply instead of `SipHash`, for the maps and sets
/// of ids that normalising, validating and ordering ten thousand cards build. Not for
/// anything an attacker chooses the keys of at scale (ids are at most 2^53 and come from one
/// file, whose size is limited).
#[derive(Clone, Copy, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

/// A map keyed by ids, hashed with [`IdHasher`].
pub type IdMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;
/// A set of ids, hashed with [`IdHasher`].
pub type IdSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<IdHasher>>;

/// Something that stands in a list by its key and id (a stage, a lane).
pub trait Ordered {
    /// Its key.
    fn pos(&self) -> &str;
    /// Its id (orders equal keys).
    fn id(&self) -> u64;
    /// Its key, to set.
    fn pos_mut(&mut self) -> &mut String;
}

macro_rules! ordered {
    ($($t:ty),*) => {$(
        impl Ordered for $t {
            fn pos(&self) -> &str {
                &self.pos
            }
            fn id(&self) -> u64 {
                self.id.0
            }
            fn pos_mut(&mut self) -> &mut String {
                &mut self.pos
            }
        }
    )*};
}

ordered!(super::Stage, super::Lane);

/// Inserts `item` into a list in key order (an empty key: after the last).
pub fn insert_in_order<T: Ordered>(list: &mut Vec<T>, mut item: T) {
    if item.pos().is_empty() {
        *item.pos_mut() = between(list.iter().map(Ordered::pos).max(), None);
    }
    let i = list.partition_point(|x| cmp((x.pos(), x.id()), (item.pos(), item.id())).is_lt());
    list.insert(i, item);
}
