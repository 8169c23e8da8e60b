//! Runs of letters (or letters and digits): the words of a text as byte ranges.

use std::ops::Range;

/// What a run of [`char_runs`] is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOf {
    /// Letters only.
    Letters,
    /// Letters and digits.
    LettersAndDigits,
}

/// Per ASCII byte: bit 0 set for a letter, bit 1 for a letter or a digit (checked against
/// `u8::is_ascii_alphabetic` and `u8::is_ascii_digit` by a test).
#[rustfmt::skip]
const ASCII_CLASS: [u8; 128] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
];

/// The byte ranges of the maximal runs of letters (or letters and digits) in `text`, in order.
/// ASCII bytes are tested without decoding a char (a table look-up), which keeps word scans over
/// long texts cheap.
pub fn char_runs(text: &str, of: RunOf) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mask = match of {
        RunOf::Letters => 1u8,
        RunOf::LettersAndDigits => 2u8,
    };
    // whether the char at `i` belongs to a run, and its length (a non-ASCII byte is decoded)
    let at = move |i: usize, b: u8| -> (bool, usize) {
        if let Some(&class) = ASCII_CLASS.get(usize::from(b)) {
            return (class & mask != 0, 1);
        }
        let c = text.get(i..).and_then(|r| r.chars().next());
        let inside = match of {
            RunOf::Letters => c.is_some_and(char::is_alphabetic),
            RunOf::LettersAndDigits => c.is_some_and(char::is_alphanumeric),
        };
        (inside, c.map_or(1, char::len_utf8))
    };
    let mut i = 0usize;
    std::iter::from_fn(move || {
        // skip to the start of a run
        let start = loop {
            let &b = bytes.get(i)?;
            let (inside, len) = at(i, b);
            if inside {
                break i;
            }
            i = i.saturating_add(len);
        };
        // and to its end: the first char outside it, which is passed over as well
        loop {
            let Some(&b) = bytes.get(i) else {
                return Some(start..text.len());
            };
            let (inside, len) = at(i, b);
            let end = i;
            i = i.saturating_add(len);
            if !inside {
                return Some(start..end);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_class_table() {
        for b in 0u8..128 {
            let class = ASCII_CLASS[usize::from(b)];
            assert_eq!(class & 1 != 0, b.is_ascii_alphabetic(), "{b}");
            assert_eq!(class & 2 != 0, b.is_ascii_alphanumeric(), "{b}");
        }
    }

    #[test]
    fn char_runs_split_on_anything_else() {
        let t = "Één café, 2 keer: B.V.";
        let words = |of| {
            char_runs(t, of)
                .map(|r| t.get(r).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(words(RunOf::Letters), ["Één", "café", "keer", "B", "V"]);
        assert_eq!(
            words(RunOf::LettersAndDigits),
            ["Één", "café", "2", "keer", "B", "V"]
        );
        assert_eq!(char_runs("", RunOf::Letters).count(), 0);
        assert_eq!(char_runs("abc", RunOf::Letters).next(), Some(0..3));
    }
}
