//! Durations written in words or digits ("zeven jaar", "4 weken", "48 uur", "veertien (30)
//! dagen", "one calendar month") → [`Quantity`], with an ISO 8601 form. The number words, units
//! and qualifiers are those of `data/<lang>/numbers.toml`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use super::numbers::{self, Numbers, NumbersFile, alternation, key};
use crate::summary::Lang;

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
    /// The unit of a key of the `[units]` table (`hour`, `day`, `week`, `month`, `year`).
    #[must_use]
    pub fn from_key(k: &str) -> Option<Self> {
        match k {
            "hour" => Some(Self::Hour),
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            "year" => Some(Self::Year),
            _ => None,
        }
    }

    /// The length in hours, for comparisons: a month is 30 days and a year 365, so that "30
    /// days" and "one month" or "365 days" and "one year" are the same period.
    #[must_use]
    pub fn hours(self) -> u64 {
        match self {
            Self::Hour => 1,
            Self::Day => 24,
            Self::Week => 168,
            Self::Month => 720,
            Self::Year => 8760,
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

    /// The length in hours (see [`Unit::hours`]).
    #[must_use]
    pub fn hours(self) -> u64 {
        u64::from(self.amount).saturating_mul(self.unit.hours())
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
    /// Byte range in the document text, from the number to the end of the unit.
    pub span: Range<usize>,
    /// The number as written first (`veertien`).
    pub number: Range<usize>,
    /// The number in brackets after it, when there is one (`30`).
    pub paren: Option<Range<usize>>,
    /// The unit as written (`dagen`).
    pub unit: Range<usize>,
}

impl Quantity {
    /// True when the same number is written in words and in digits with different values
    /// ("veertien (30) dagen").
    #[must_use]
    pub fn words_digits_differ(&self) -> bool {
        matches!((self.words, self.digits), (Some(w), Some(d)) if w != d)
    }
}

/// Reads the durations of a text in one language, or in all languages at once.
#[derive(Debug)]
pub struct DurationReader {
    re: Option<Regex>,
    numbers: Numbers,
    units: HashMap<String, Unit>,
    /// The last word of every unit (see [`DurationReader::unit_anchors`]).
    anchors: Option<Vec<String>>,
}

/// The number and unit alternations of a reader's pattern, and its qualifiers.
struct Parts {
    num: String,
    unit_alt: String,
    qualifiers: String,
}

fn parts(numbers: &Numbers, files: &[&NumbersFile]) -> Parts {
    let num = numbers.pattern();
    Parts {
        num: if num.is_empty() {
            r"\d{1,4}".to_owned()
        } else {
            format!(r"\d{{1,4}}|{num}")
        },
        unit_alt: alternation(files.iter().flat_map(|f| f.units.values().flatten())),
        qualifiers: alternation(files.iter().flat_map(|f| &f.qualifiers)),
    }
}

/// The duration pattern. Only the words are matched case-insensitively: `(?i)` over the whole
/// pattern would case-fold the `\p{L}` class on every compile (costly), and it gives the same
/// expression as this one, whose class names the one char case folding adds (U+0345, which
/// folds to the Greek iota): the test `scoped_case_folding_is_the_same_expression` compares them.
fn pattern(p: &Parts) -> String {
    let Parts {
        num,
        unit_alt,
        qualifiers,
    } = p;
    let qualifier = if qualifiers.is_empty() {
        String::new()
    } else {
        format!(r"(?:(?i:{qualifiers})\s+)?")
    };
    format!(
        r"(?:^|[^\p{{L}}\p{{N}}_\x{{345}}])(?P<num>(?i:{num}))(?:\s*\(\s*(?P<paren>(?i:{num}))\s*\))?(?:\s+|-){qualifier}(?P<unit>(?i:{unit_alt}))(?-u:\b)"
    )
}

impl DurationReader {
    fn build(files: &[&NumbersFile]) -> Self {
        let numbers = Numbers::new(files.iter().copied());
        let mut units = HashMap::new();
        for f in files {
            for (k, words) in &f.units {
                if let Some(u) = Unit::from_key(k) {
                    for w in words {
                        units.entry(key(w)).or_insert(u);
                    }
                }
            }
        }
        let p = parts(&numbers, files);
        let re = if p.unit_alt.is_empty() {
            None
        } else {
            super::pattern::compile(&pattern(&p)).ok()
        };
        // a unit matches as written, any case, with any white space between its words: it ends
        // with its last word, which an ASCII-case-insensitive search finds when it is ASCII
        let last_words: Vec<String> = files
            .iter()
            .flat_map(|f| f.units.values().flatten())
            .map(|w| key(w).rsplit(' ').next().unwrap_or_default().to_owned())
            .collect();
        let anchors = last_words
            .iter()
            .all(|w| !w.is_empty() && w.is_ascii())
            .then_some(last_words);
        Self {
            re,
            numbers,
            units,
            anchors,
        }
    }

    /// The reader of one language (built when a document of that language first needs it).
    #[must_use]
    pub fn of(language: Lang) -> &'static Self {
        static READERS: LazyLock<Vec<OnceLock<DurationReader>>> =
            LazyLock::new(|| numbers::files().iter().map(|_| OnceLock::new()).collect());
        static NONE: LazyLock<DurationReader> = LazyLock::new(|| DurationReader::build(&[]));
        let files = numbers::files();
        match numbers::index(language).and_then(|i| Some((READERS.get(i)?, files.get(i)?))) {
            Some((cell, (_, file))) => cell.get_or_init(|| Self::build(&[file])),
            None => &NONE,
        }
    }

    /// The reader of every language at once (a duration written in any language is read).
    #[must_use]
    pub fn all() -> &'static Self {
        static ALL: LazyLock<DurationReader> = LazyLock::new(|| {
            let files: Vec<&NumbersFile> = numbers::files().iter().map(|(_, f)| f).collect();
            DurationReader::build(&files)
        });
        &ALL
    }

    /// The number words this reader knows.
    #[must_use]
    pub fn numbers(&self) -> &Numbers {
        &self.numbers
    }

    fn number(&self, s: &str) -> (Option<u32>, Option<u32>) {
        if let Ok(n) = s.parse::<u32>() {
            return (None, Some(n));
        }
        (self.numbers.value(s), None)
    }

    /// Every duration in a text, in order. The pattern matches numbers only (digits or the
    /// reader's number words), so every match has a value and is read with its groups.
    #[must_use]
    pub fn find(&self, text: &str) -> Vec<Quantity> {
        let Some(re) = &self.re else {
            return Vec::new();
        };
        re.captures_iter(text)
            .filter_map(|c| self.quantity(&c))
            .collect()
    }

    /// The words every duration this reader finds ends with (the last word of each unit, as
    /// the pattern reads it), when they are ASCII; `None` otherwise (then
    /// [`DurationReader::find_at`] reads the whole text).
    #[must_use]
    pub fn unit_anchors(&self) -> Option<&[String]> {
        self.anchors.as_deref()
    }

    /// [`DurationReader::find`], reading only the stretches of text that hold a unit: `at` is
    /// the start of every occurrence of a [`DurationReader::unit_anchors`] word in the text,
    /// found ASCII-case-insensitively (in any order, inside words too). A duration holds no
    /// ASCII punctuation but brackets, hyphens and underscores after its first char, so it lies
    /// between two such chars with its unit: each stretch is read as `find` reads it (the
    /// pattern's look-around sees the same text: the start of the text, and an ASCII non-word
    /// char or the end after the unit). A text with a char that Unicode case folding matches to
    /// an ASCII letter (`ſ`, the Kelvin sign) is read whole.
    #[must_use]
    pub fn find_at(&self, text: &str, at: &[usize]) -> Vec<Quantity> {
        let Some(re) = &self.re else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        let folds = ["\u{17f}", "\u{212a}"]
            .iter()
            .any(|c| memchr::memmem::find(bytes, c.as_bytes()).is_some());
        if self.anchors.is_none() || folds {
            return self.find(text);
        }
        let barrier = |b: &u8| b.is_ascii_punctuation() && !matches!(b, b'(' | b')' | b'-' | b'_');
        let mut at = at.to_vec();
        at.sort_unstable();
        let mut out = Vec::new();
        // the end of the last stretch read: an anchor before it was in that stretch
        let mut read_to = 0usize;
        for u in at {
            if u < read_to {
                continue;
            }
            let start = bytes
                .get(..u)
                .and_then(|b| b.iter().rposition(barrier))
                .unwrap_or(0);
            let end = bytes
                .get(u..)
                .and_then(|b| b.iter().position(barrier))
                .map_or(bytes.len(), |i| u.saturating_add(i));
            read_to = end.max(u.saturating_add(1));
            let Some(hay) = text.get(..end) else { continue };
            let mut from = start;
            while from <= end
                && let Some(c) = re.captures_at(hay, from)
            {
                let Some(m) = c.get(0) else { break };
                if let Some(q) = self.quantity(&c) {
                    out.push(q);
                }
                if m.end() <= from {
                    break;
                }
                from = m.end();
            }
        }
        out
    }

    /// The duration of one match of the pattern, when its unit and number read.
    fn quantity(&self, c: &regex::Captures<'_>) -> Option<Quantity> {
        let (Some(num), Some(unit)) = (c.name("num"), c.name("unit")) else {
            return None;
        };
        let u = self.units.get(&key(unit.as_str())).copied()?;
        let (mut words, mut digits) = self.number(num.as_str());
        let paren = c.name("paren");
        if let Some(p) = paren {
            let (w2, d2) = self.number(p.as_str());
            words = words.or(w2);
            digits = digits.or(d2);
        }
        let amount = words.or(digits)?;
        if amount == 0 {
            return None;
        }
        Some(Quantity {
            duration: Duration { amount, unit: u },
            words,
            digits,
            span: num.start()..unit.end(),
            number: num.range(),
            paren: paren.map(|p| p.range()),
            unit: unit.range(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isos(t: &str, reader: &DurationReader) -> Vec<String> {
        reader
            .find(t)
            .into_iter()
            .map(|q| q.duration.iso())
            .collect()
    }

    #[test]
    fn dutch_words_and_digits() {
        assert_eq!(
            isos(
                "zeven jaar, 4 weken, 48 uur, 12 maanden, vijftig maanden en één kalendermaand",
                DurationReader::of(Lang::Nl)
            ),
            vec!["P7Y", "P4W", "PT48H", "P12M", "P50M", "P1M"]
        );
        let q = DurationReader::of(Lang::Nl).find("binnen veertien (30) dagen");
        assert_eq!(q[0].duration.iso(), "P14D");
        assert!(q[0].words_digits_differ());
        assert_eq!(q[0].paren, Some(17..19));
        assert_eq!(
            isos(
                "eenentwintig dagen, tweeëntwintig\nwerkdagen, 14 volle dagen, nul dagen",
                DurationReader::of(Lang::Nl)
            ),
            vec!["P21D", "P22D", "P14D"]
        );
    }

    /// The scoped pattern is the very expression `(?i)` over the whole pattern gives.
    #[test]
    fn scoped_case_folding_is_the_same_expression() {
        let hir = |p: &str| regex_syntax::ParserBuilder::new().build().parse(p).unwrap();
        let all: Vec<&NumbersFile> = numbers::files().iter().map(|(_, f)| f).collect();
        let mut sets: Vec<Vec<&NumbersFile>> = all.iter().map(|f| vec![*f]).collect();
        sets.push(all);
        for files in sets {
            let p = parts(&Numbers::new(files.iter().copied()), &files);
            let Parts {
                num,
                unit_alt,
                qualifiers,
            } = &p;
            let whole = format!(
                r"(?i)(?:^|[^\p{{L}}\p{{N}}_])(?P<num>{num})(?:\s*\(\s*(?P<paren>{num})\s*\))?(?:\s+|-)(?:(?:{qualifiers})\s+)?(?P<unit>{unit_alt})(?-u:\b)"
            );
            assert_eq!(hir(&whole), hir(&pattern(&p)));
        }
    }

    #[test]
    fn english() {
        assert_eq!(
            isos(
                "within one month, 30 days, thirty-six hours or twenty one calendar\n days",
                DurationReader::of(Lang::En)
            ),
            vec!["P1M", "P30D", "PT36H", "P21D"]
        );
    }

    /// The reader of all languages reads each language's durations.
    #[test]
    fn all_languages() {
        let q = DurationReader::all().find("veertien dagen or fourteen (30) days");
        let got: Vec<_> = q.iter().map(|q| q.duration.iso()).collect();
        assert_eq!(got, vec!["P14D", "P14D"]);
        assert!(q[1].words_digits_differ());
        assert_eq!(q[1].duration.hours(), 14 * 24);
    }

    #[test]
    fn every_unit_key_is_known_and_every_language_has_them_all() {
        for (l, f) in numbers::files() {
            let keys: Vec<&str> = f.units.keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                ["day", "hour", "month", "week", "year"],
                "{}",
                l.code()
            );
            assert!(keys.iter().all(|k| Unit::from_key(k).is_some()));
        }
    }
}
