//! Durations written in words or digits ("zeven jaar", "4 weken", "48 uur", "veertien (30)
//! dagen", "one calendar month") → [`Duration`] with an ISO 8601 form.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{lexicon, number_words};
use crate::summary::Language;

/// A unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Hours.
    Hour,
    /// Days (calendar or working days).
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

impl Unit {
    fn from_key(k: &str) -> Option<Self> {
        match k {
            "hour" => Some(Self::Hour),
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            "year" => Some(Self::Year),
            _ => None,
        }
    }
}

/// An amount of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Duration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: Unit,
}

impl Duration {
    /// The ISO 8601 form: `P7Y`, `P12M`, `P4W`, `P7D`, `PT48H`.
    #[must_use]
    pub fn iso(self) -> String {
        let n = self.amount;
        match self.unit {
            Unit::Hour => format!("PT{n}H"),
            Unit::Day => format!("P{n}D"),
            Unit::Week => format!("P{n}W"),
            Unit::Month => format!("P{n}M"),
            Unit::Year => format!("P{n}Y"),
        }
    }

    /// Approximate length in hours (for comparisons).
    #[must_use]
    pub fn approx_hours(self) -> u64 {
        let per = match self.unit {
            Unit::Hour => 1,
            Unit::Day => 24,
            Unit::Week => 168,
            Unit::Month => 730,
            Unit::Year => 8766,
        };
        u64::from(self.amount).saturating_mul(per)
    }
}

/// A duration as written in the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quantity {
    /// The duration (words take precedence over digits when both are written).
    pub duration: Duration,
    /// The number in words, if written in words (`veertien` → 14).
    pub words: Option<u32>,
    /// The number in digits, if written in digits (`(30)` → 30).
    pub digits: Option<u32>,
    /// Byte range in the document text.
    pub span: std::ops::Range<usize>,
}

impl Quantity {
    /// True when the same number is written in words and in digits with different values
    /// ("veertien (30) dagen").
    #[must_use]
    pub fn words_digits_differ(&self) -> bool {
        matches!((self.words, self.digits), (Some(w), Some(d)) if w != d)
    }
}

struct Reader {
    re: Option<Regex>,
    units: Vec<(String, Unit)>,
    words: Vec<(String, u32)>,
}

fn alternation(mut items: Vec<String>) -> String {
    items.sort_by_key(|s| std::cmp::Reverse(s.len()));
    items
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// The units and number words of a language, and the number and unit alternations of its
/// pattern.
type Parts = (Vec<(String, Unit)>, Vec<(String, u32)>, String, String);

fn parts(language: Language) -> Parts {
    let lex = lexicon(language);
    let mut units = Vec::new();
    for (k, list) in &lex.raw.units {
        if let Some(u) = Unit::from_key(k) {
            for w in list {
                units.push((w.to_lowercase(), u));
            }
        }
    }
    let words: Vec<(String, u32)> = number_words(language)
        .iter()
        .map(|(k, v)| (k.to_lowercase(), *v))
        .collect();
    let num_alt = alternation(words.iter().map(|(k, _)| k.clone()).collect());
    let unit_alt = alternation(units.iter().map(|(k, _)| k.clone()).collect());
    let num = if num_alt.is_empty() {
        r"\d{1,4}".to_owned()
    } else {
        format!(r"\d{{1,4}}|{num_alt}")
    };
    (units, words, num, unit_alt)
}

fn build(language: Language) -> Reader {
    let (units, words, num, unit_alt) = parts(language);
    Reader {
        re: Regex::new(&pattern(&num, &unit_alt)).ok(),
        units,
        words,
    }
}

/// The duration pattern. Only the words are matched case-insensitively: `(?i)` over the whole
/// pattern would case-fold the `\p{L}` class on every compile (costly), and it gives the same
/// expression as this one, whose class names the one char case folding adds (U+0345, which
/// folds to the Greek iota): the test `scoped_case_folding_is_the_same_expression` compares them.
fn pattern(num: &str, unit_alt: &str) -> String {
    format!(
        r"(?:^|[^\p{{L}}\p{{N}}_\x{{345}}])(?P<num>(?i:{num}))(?:\s*\(\s*(?P<paren>(?i:{num}))\s*\))?(?:\s+|-)(?:(?i:volle|hele|full|whole|consecutive|aaneengesloten)\s+)?(?P<unit>(?i:{unit_alt}))(?-u:\b)"
    )
}

// one reader per language, built when a document of that language first needs it
static READER_NL: LazyLock<Reader> = LazyLock::new(|| build(Language::Nl));
static READER_EN: LazyLock<Reader> = LazyLock::new(|| build(Language::En));

fn parse_num(s: &str, words: &[(String, u32)]) -> (Option<u32>, Option<u32>) {
    if let Ok(n) = s.parse::<u32>() {
        return (None, Some(n));
    }
    let l = s.to_lowercase();
    (words.iter().find(|(k, _)| *k == l).map(|(_, v)| *v), None)
}

/// Every duration in a text, in order.
#[must_use]
pub fn find_durations(text: &str, language: Language) -> Vec<Quantity> {
    let reader: &Reader = match language {
        Language::Nl => &READER_NL,
        Language::En => &READER_EN,
    };
    let Some(re) = &reader.re else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in re.captures_iter(text) {
        let (Some(num), Some(unit)) = (c.name("num"), c.name("unit")) else {
            continue;
        };
        let unit_end = unit.end();
        let ul = unit.as_str().to_lowercase();
        let Some(unit) = reader.units.iter().find(|(k, _)| *k == ul).map(|(_, u)| *u) else {
            continue;
        };
        let (mut words, mut digits) = parse_num(num.as_str(), &reader.words);
        if let Some(p) = c.name("paren") {
            let (w2, d2) = parse_num(p.as_str(), &reader.words);
            words = words.or(w2);
            digits = digits.or(d2);
        }
        let Some(amount) = words.or(digits) else {
            continue;
        };
        if amount == 0 {
            continue;
        }
        out.push(Quantity {
            duration: Duration { amount, unit },
            words,
            digits,
            span: num.start()..unit_end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isos(t: &str, l: Language) -> Vec<String> {
        find_durations(t, l)
            .into_iter()
            .map(|q| q.duration.iso())
            .collect()
    }

    #[test]
    fn dutch_words_and_digits() {
        assert_eq!(
            isos(
                "zeven jaar, 4 weken, 48 uur, 12 maanden, vijftig maanden en één kalendermaand",
                Language::Nl
            ),
            vec!["P7Y", "P4W", "PT48H", "P12M", "P50M", "P1M"]
        );
        let q = find_durations("binnen veertien (30) dagen", Language::Nl);
        assert_eq!(q[0].duration.iso(), "P14D");
        assert!(q[0].words_digits_differ());
    }

    /// The scoped pattern is the very expression the former `(?i)` over the whole pattern gave.
    #[test]
    fn scoped_case_folding_is_the_same_expression() {
        let hir = |p: &str| regex_syntax::ParserBuilder::new().build().parse(p).unwrap();
        for language in [Language::Nl, Language::En] {
            let (_, _, num, unit_alt) = parts(language);
            let whole = format!(
                r"(?i)(?:^|[^\p{{L}}\p{{N}}_])(?P<num>{num})(?:\s*\(\s*(?P<paren>{num})\s*\))?(?:\s+|-)(?:(?:volle|hele|full|whole|consecutive|aaneengesloten)\s+)?(?P<unit>{unit_alt})(?-u:\b)"
            );
            assert_eq!(hir(&whole), hir(&pattern(&num, &unit_alt)));
        }
    }

    #[test]
    fn english() {
        assert_eq!(
            isos(
                "within one month, 30 days or thirty-six hours",
                Language::En
            ),
            vec!["P1M", "P30D", "PT36H"]
        );
    }
}
