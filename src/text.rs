//! Small pieces of English shared by the command line, the editor and the exports.

/// A count with its noun, singular for one: "1 card", "2 cards", "0 cards".
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::count(1, "emotion point"), "1 emotion point");
        assert_eq!(super::count(0, "card"), "0 cards");
        assert_eq!(super::count(12, "stage"), "12 stages");
    }
}
