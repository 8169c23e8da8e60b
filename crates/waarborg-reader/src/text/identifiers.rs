//! Identifiers: KvK (Chamber of Commerce) numbers, announced by the cue words of every
//! language's `data/<lang>/numbers.toml` (`[kvk]`): a Dutch KvK number is cited in English texts
//! too, so every document is read with the cues of all languages.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::numbers::{alternation, files};

/// A KvK number as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvkNumber {
    /// Its eight digits.
    pub digits: String,
    /// Byte range of the number in the text.
    pub span: Range<usize>,
}

/// The KvK pattern: a cue (at the start of a word, any case), perhaps a word for "number", up to
/// 45 other characters on the same line, and eight digits (in pairs or fours, perhaps apart by a
/// space or a dot) that end a word.
fn pattern() -> Option<String> {
    let cues = alternation(files().iter().flat_map(|(_, f)| &f.kvk.cues));
    if cues.is_empty() {
        return None;
    }
    let labels = alternation(files().iter().flat_map(|(_, f)| &f.kvk.labels));
    let label = if labels.is_empty() {
        String::new()
    } else {
        format!(r"(?:[\s-]*(?:{labels}))?")
    };
    Some(format!(
        r"(?i)(?-u:\b)(?:{cues}){label}[^0-9\n]{{0,45}}?(\d{{2}}[\s.]?\d{{2}}[\s.]?\d{{2}}[\s.]?\d{{2}})(?-u:\b)"
    ))
}

static KVK: LazyLock<Option<Regex>> = LazyLock::new(|| super::pattern::compile(&pattern()?).ok());

/// Every KvK number in a text, in order.
#[must_use]
pub fn kvk_numbers(text: &str) -> Vec<KvkNumber> {
    let Some(re) = KVK.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| KvkNumber {
            digits: m.as_str().chars().filter(char::is_ascii_digit).collect(),
            span: m.range(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(t: &str) -> Vec<String> {
        kvk_numbers(t).into_iter().map(|k| k.digits).collect()
    }

    #[test]
    fn pattern_compiles() {
        assert!(KVK.is_some());
    }

    #[test]
    fn cues_of_every_language() {
        assert_eq!(
            digits(
                "KvK-nummer: 12345678. Ingeschreven bij de Kamer van\nKoophandel onder 1234 5679; \
                 Chamber of Commerce (CoC) no. 12.34.56.70 and K.v.K. 87654321"
            ),
            ["12345678", "12345679", "12345670", "87654321"]
        );
        let k = kvk_numbers("kvknummer 12345678");
        assert_eq!(k[0].span, 10..18);
    }

    #[test]
    fn not_part_of_a_longer_number_or_word() {
        assert!(digits("KvK NL123456789B01").is_empty());
        assert!(digits("KvK 123456789").is_empty());
        assert!(digits("de hkvk 12345678").is_empty());
        assert!(digits("KvK\n12345678").is_empty());
    }
}
