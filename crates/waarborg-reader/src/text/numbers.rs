//! Numbers written in words ("veertien", "eenentwintig", "twenty-one") and the per-language data
//! they are read with: `data/<lang>/numbers.toml` (number words, compounds, units of time,
//! qualifiers and KvK cue words; see `data/nl/numbers.toml` for the format).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::languages::LANGUAGES;
use crate::summary::Lang;

/// The numbers file of one language (`data/<lang>/numbers.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NumbersFile {
    /// What joins a word of 1 to 9 and a word of a ten into a compound ("en", "-").
    pub joiners: Vec<String>,
    /// Whether a compound starts with the word of 1 to 9 ("eenentwintig") rather than the ten
    /// ("twenty-one").
    pub units_first: bool,
    /// Words that may stand between a number and its unit ("14 volle dagen").
    pub qualifiers: Vec<String>,
    /// Number words (as matched, ignoring case) → value.
    pub words: BTreeMap<String, u32>,
    /// Unit of time (`hour`, `day`, `week`, `month`, `year`) → its words; a space in a word
    /// matches any white space.
    pub units: BTreeMap<String, Vec<String>>,
    /// The cue words of a KvK number.
    pub kvk: KvkFile,
}

/// The `[kvk]` table of a numbers file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KvkFile {
    /// Words that announce a KvK number ("kvk", "chamber of commerce").
    pub cues: Vec<String>,
    /// Words for "number" that may follow a cue ("nummer", "no.").
    pub labels: Vec<String>,
}

static PARSED: LazyLock<Vec<(Lang, NumbersFile)>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|l| (l.lang, toml::from_str(l.numbers).unwrap_or_default()))
        .collect()
});

/// The numbers file of every language, in a fixed order (a file that does not parse reads as
/// empty; [`check_data`] and the tests catch that).
#[must_use]
pub fn files() -> &'static [(Lang, NumbersFile)] {
    &PARSED
}

/// The position of a language in [`files`] (`None` for a language without a numbers file).
#[must_use]
pub fn index(language: Lang) -> Option<usize> {
    files().iter().position(|(l, _)| *l == language)
}

/// Checks that every numbers file parses.
///
/// # Errors
/// The first parse error, as text.
pub fn check_data() -> Result<(), String> {
    for l in LANGUAGES {
        toml::from_str::<NumbersFile>(l.numbers)
            .map_err(|e| format!("{}/numbers.toml: {e}", l.lang.code()))?;
    }
    Ok(())
}

/// Lower case with every run of white space made one space: the form words are looked up in.
pub(crate) fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    out
}

/// The words of a list as a regex alternation, longest first; a space matches any white space.
pub(crate) fn alternation<'a>(words: impl IntoIterator<Item = &'a String>) -> String {
    let mut words: Vec<String> = words.into_iter().map(|w| key(w)).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.dedup();
    words
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// How one language writes compound numbers.
#[derive(Debug)]
struct Compounds {
    joiners: Vec<String>,
    units_first: bool,
    /// The language's words of 1 to 9.
    ones: BTreeMap<String, u32>,
    /// The language's words of a ten (20 to 90).
    tens: BTreeMap<String, u32>,
}

impl Compounds {
    fn new(file: &NumbersFile) -> Self {
        let pick = |keep: fn(u32) -> bool| -> BTreeMap<String, u32> {
            file.words
                .iter()
                .filter(|(_, v)| keep(**v))
                .map(|(k, v)| (key(k), *v))
                .collect()
        };
        Self {
            joiners: file.joiners.iter().map(|j| key(j)).collect(),
            units_first: file.units_first,
            ones: pick(|v| (1..10).contains(&v)),
            tens: pick(|v| (20..100).contains(&v) && v % 10 == 0),
        }
    }

    /// The value of `w` (a [`key`]) as a compound of this language.
    fn value(&self, w: &str) -> Option<u32> {
        for j in self.joiners.iter().filter(|j| !j.is_empty()) {
            for (i, _) in w.match_indices(j.as_str()) {
                let (Some(a), Some(b)) = (w.get(..i), w.get(i.saturating_add(j.len())..)) else {
                    continue;
                };
                let (one, ten) = if self.units_first { (a, b) } else { (b, a) };
                if let (Some(o), Some(t)) = (self.ones.get(one), self.tens.get(ten)) {
                    return Some(t.saturating_add(*o));
                }
            }
        }
        None
    }

    /// The compounds as a regex: the words of 1 to 9, a joiner and the tens, in this language's
    /// order (`None` when the language writes none).
    fn pattern(&self) -> Option<String> {
        if self.joiners.is_empty() || self.ones.is_empty() || self.tens.is_empty() {
            return None;
        }
        let ones = alternation(self.ones.keys());
        let tens = alternation(self.tens.keys());
        let joiners = alternation(&self.joiners);
        Some(if self.units_first {
            format!("(?:{ones})(?:{joiners})(?:{tens})")
        } else {
            format!("(?:{tens})(?:{joiners})(?:{ones})")
        })
    }
}

/// The number words of one or more languages: their values, compounds included.
#[derive(Debug)]
pub struct Numbers {
    words: HashMap<String, u32>,
    compounds: Vec<Compounds>,
}

impl Numbers {
    /// The number words of the given numbers files (a word two languages share keeps the value
    /// of the first).
    #[must_use]
    pub fn new<'a>(files: impl IntoIterator<Item = &'a NumbersFile>) -> Self {
        let mut words = HashMap::new();
        let mut compounds = Vec::new();
        for f in files {
            for (k, v) in &f.words {
                words.entry(key(k)).or_insert(*v);
            }
            compounds.push(Compounds::new(f));
        }
        Self { words, compounds }
    }

    /// The value of a number word, compounds included ("Veertien" → 14, "eenentwintig" → 21,
    /// "twenty-one" → 21); `None` for any other word. Every word read starts with a number word
    /// of the data.
    #[must_use]
    pub fn value(&self, word: &str) -> Option<u32> {
        let w = key(word);
        if let Some(v) = self.words.get(&w) {
            return Some(*v);
        }
        self.compounds.iter().find_map(|c| c.value(&w))
    }

    /// A regex (without groups) that matches exactly the words [`Numbers::value`] reads: the
    /// compounds first, so that "eenentwintig" is not read as "een". Case is the caller's
    /// (wrap it in `(?i:...)`).
    #[must_use]
    pub fn pattern(&self) -> String {
        let mut parts: Vec<String> = self
            .compounds
            .iter()
            .filter_map(Compounds::pattern)
            .collect();
        let words = alternation(self.words.keys());
        if !words.is_empty() {
            parts.push(words);
        }
        parts.join("|")
    }

    /// The number words (lower case), for tests and tools.
    pub fn words(&self) -> impl Iterator<Item = (&str, u32)> {
        self.words.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Numbers {
        Numbers::new(files().iter().map(|(_, f)| f))
    }

    #[test]
    fn data_parses() {
        check_data().unwrap();
        assert_eq!(files().len(), LANGUAGES.len());
        for (l, f) in files() {
            // every list of the format is filled in, so a list left out is a test failure
            for (name, empty) in [
                ("words", f.words.is_empty()),
                ("joiners", f.joiners.is_empty()),
                ("qualifiers", f.qualifiers.is_empty()),
                ("units", f.units.is_empty()),
                ("kvk.cues", f.kvk.cues.is_empty()),
                ("kvk.labels", f.kvk.labels.is_empty()),
            ] {
                assert!(!empty, "{}/numbers.toml: {name} is empty", l.code());
            }
        }
    }

    #[test]
    fn number_words() {
        let n = all();
        assert_eq!(n.value("veertien"), Some(14));
        assert_eq!(n.value("VEERTIEN"), Some(14));
        assert_eq!(n.value("Eén"), Some(1));
        assert_eq!(n.value("eenentwintig"), Some(21));
        assert_eq!(n.value("tweeëntwintig"), Some(22));
        assert_eq!(n.value("twenty-one"), Some(21));
        assert_eq!(n.value("twenty  one"), Some(21));
        assert_eq!(n.value("Thirty"), Some(30));
        assert_eq!(n.value("fifty"), Some(50));
        assert_eq!(n.value("huis"), None);
        // each language writes compounds its own way round
        assert_eq!(n.value("one-twenty"), None);
        assert_eq!(n.value("twintigeneen"), None);
        assert_eq!(n.value("één honderd"), None);
    }

    /// The pattern matches exactly the words `value` reads, compounds whole.
    #[test]
    fn pattern_matches_what_value_reads() {
        let n = all();
        let re = regex::Regex::new(&format!("^(?i:{})$", n.pattern())).unwrap();
        for (w, _) in n.words() {
            assert!(re.is_match(w), "{w}");
            assert!(re.is_match(&w.to_uppercase()), "{w}");
        }
        for w in ["eenentwintig", "Achtenveertig", "twenty-four", "thirty six"] {
            assert!(re.is_match(w), "{w}");
            assert!(n.value(w).is_some(), "{w}");
        }
        let first = regex::Regex::new(&format!("^(?i:{})", n.pattern())).unwrap();
        assert_eq!(
            first.find("eenentwintig dagen").map(|m| m.as_str()),
            Some("eenentwintig")
        );
    }
}
