//! Identifiers, read once for the facts and the problems alike:
//! - KvK (Chamber of Commerce) numbers, announced by the cue words of every language's
//!   `data/<lang>/numbers.toml` (`[kvk]`): a Dutch KvK number is cited in English texts too, so
//!   every document is read with the cues of all languages;
//! - Dutch postcodes (`1234 AB`);
//! - e-mail addresses and web hosts (`info@example.nl`, `https://www.example.com`).

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

/// A Dutch postcode: four digits, the first not 0, perhaps a space or a tab, two capitals.
const POSTCODE: &str = r"(?-u:\b)[1-9][0-9]{3}[ \t]?[A-Z]{2}(?-u:\b)";

/// An e-mail address (its last label letters only), or a web host, perhaps after `http(s)://`,
/// whose last label is one of the common top-level domains of the EU, the UK and the web.
const HOST: &str = r"(?i)[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}|(?:https?://)?(?:[a-z0-9-]+\.)+(?:nl|com|eu|org|net|be|de|io|info|biz|uk|fr|es|it|at|ch|dk|se|no|fi|pl|pt|ie|lu|app|dev|nu)(?-u:\b)";

static POSTCODE_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| super::pattern::compile(POSTCODE).ok());
static HOST_RE: LazyLock<Option<Regex>> = LazyLock::new(|| super::pattern::compile(HOST).ok());

/// Every Dutch postcode in a text, in order, exactly as `find_iter` of [`POSTCODE`] gives them,
/// searched only around two capitals (A-Z) that follow a digit, a space or a tab: every match
/// ends with such a pair, and no two matches overlap (each starts at a word boundary before its
/// digits and ends with its letters), so the matches around the pairs are all of them.
#[must_use]
pub fn postcodes(text: &str) -> Vec<Range<usize>> {
    let Some(postcode) = POSTCODE_RE.as_ref() else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut done = 0;
    for (j, pair) in bytes.windows(2).enumerate() {
        let [a, b] = pair else { continue };
        if !(a.is_ascii_uppercase() && b.is_ascii_uppercase()) {
            continue;
        }
        let before = j.checked_sub(1).and_then(|k| bytes.get(k));
        if !before.is_some_and(|c| c.is_ascii_digit() || *c == b' ' || *c == b'\t') {
            continue;
        }
        // four digits and a space before the letters; the text up to the character after
        // them, for the closing word boundary
        let mut at = text.floor_char_boundary(j.saturating_sub(6)).max(done);
        let end = text.ceil_char_boundary(j.saturating_add(3).min(text.len()));
        let Some(head) = text.get(..end) else {
            continue;
        };
        while let Some(m) = postcode.find_at(head, at) {
            out.push(m.range());
            done = m.end();
            at = m.end();
        }
    }
    out
}

/// Whether `c` can be part of a match of [`HOST`]: the characters of its classes and literals
/// under case folding (`ſ` folds to `s`, the Kelvin sign to `k`).
fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '_' | '%' | '+' | '-' | '@' | ':' | '/' | 'ſ' | '\u{212A}'
        )
}

/// Every e-mail address and web host in a text, in order, exactly as `find_iter` of [`HOST`]
/// gives them (an e-mail address is a match that holds an `@`). Searched only in the runs of
/// host characters that hold an `@` or a `.` before a letter: every match lies inside one run (a
/// run ends at a character no class of the pattern takes, which is no ASCII word character
/// either, so the pattern's `\b` reads the same in the run as in the text), and every match
/// holds an `@` or a dot before its top-level domain.
#[must_use]
pub fn hosts(text: &str) -> Vec<Range<usize>> {
    let Some(host) = HOST_RE.as_ref() else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // the end of the last run searched: a position before it is in that run
    let mut done = 0;
    for i in memchr::memchr2_iter(b'@', b'.', bytes) {
        let after = text.get(i + 1..).and_then(|t| t.chars().next());
        let wanted = bytes.get(i) == Some(&b'@')
            || after.is_some_and(|c| c.is_ascii_alphabetic() || c == 'ſ' || c == '\u{212A}');
        if i < done || !wanted {
            continue;
        }
        let start = text
            .get(done..i)
            .and_then(|t| t.char_indices().rev().find(|(_, c)| !is_host_char(*c)))
            .map_or(done, |(k, c)| done + k + c.len_utf8());
        let end = text
            .get(i..)
            .and_then(|t| t.char_indices().find(|(_, c)| !is_host_char(*c)))
            .map_or(text.len(), |(k, _)| i + k);
        if let Some(run) = text.get(start..end) {
            out.extend(
                host.find_iter(run)
                    .map(|m| start + m.start()..start + m.end()),
            );
        }
        done = end;
    }
    out
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

    /// The postcode search around capital pairs finds exactly what `find_iter` over the whole
    /// text finds: on the corpus (needs `../shared`) and on own text with postcodes at the ends,
    /// glued to letters, after long digit runs, with tabs and Arabic-Indic digits.
    #[test]
    fn postcodes_around_pairs_equal_find_iter() {
        let re = POSTCODE_RE.as_ref().unwrap();
        let mut texts = vec![
            "1234 AB Amsterdam, 1234AB, 1234\tAB, 12345 AB, 1234 ABC, x1234 AB, 1234 AB1 AVG GDPR 99 AA 0123 AB"
                .to_owned(),
            "1234 AB".to_owned(),
            "\u{661}\u{662}\u{663}\u{664} CD en ١٢٣٤EF; 9999ZZ.".to_owned(),
            "AB".to_owned(),
            String::new(),
        ];
        texts.extend(crate::problems::corpus_texts(&["seeds", "dev/docs"]));
        assert!(texts.len() > 20);
        let mut found = 0;
        for t in &texts {
            let want: Vec<_> = re.find_iter(t).map(|m| m.range()).collect();
            assert_eq!(postcodes(t), want);
            found += want.len();
        }
        assert!(found > 10, "{found}");
        assert_eq!(postcodes("0123 AB, 1234 AB").len(), 1);
    }

    /// The host search by runs finds exactly what `find_iter` over the whole text finds: on the
    /// corpus (needs `../shared`) and on own text with e-mail addresses, web addresses, folded
    /// letters, sentence ends and abbreviations.
    #[test]
    fn hosts_by_runs_equal_find_iter() {
        let re = HOST_RE.as_ref().unwrap();
        let mut texts = vec![
            "Mail info@example.nl of kijk op https://www.Voorbeeld.COM/privacy. Zie ook e.g. \
             www.a-b.eu,x@y.org;(test.nl) 1.2 ſite.com Kelvin.\u{212A}nl \u{212A}pn.nl _x.nl_ a.b.c@d.e.nl."
                .to_owned(),
            "@.nl .@ a@b foo..com -.nl/ ::a.io éa.nl ñ@b.de .x@y.nl".to_owned(),
            String::new(),
        ];
        texts.extend(crate::problems::corpus_texts(&[
            "seeds",
            "dev/docs",
            "gdpr-t200-dev/docs",
        ]));
        assert!(texts.len() > 100);
        for t in &texts {
            let want: Vec<_> = re.find_iter(t).map(|m| m.range()).collect();
            assert_eq!(hosts(t), want);
        }
        let t = "Mail privacy@voorbeeld.nl or see www.voorbeeld.nl.";
        let found: Vec<&str> = hosts(t).into_iter().filter_map(|r| t.get(r)).collect();
        assert_eq!(found, ["privacy@voorbeeld.nl", "www.voorbeeld.nl"]);
    }
}
