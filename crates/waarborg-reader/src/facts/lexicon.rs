//! Lexicons: per-language phrase lists and patterns, loaded from the TOML data files embedded from
//! `crates/waarborg-reader/data/` and compiled once into Aho-Corasick automata.
//!
//! Adding a language means adding `data/<lang>/lexicon.toml` (and `data/<lang>/numbers.toml`,
//! read by [`crate::text`]), a [`Lang`] variant and a line in [`lexicon`].

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use crate::languages::LANGUAGES;
use crate::summary::Lang;

const SERVICES: &str = include_str!("../../data/services.toml");

/// The raw lexicon file of one language (see `data/nl/lexicon.toml` for the meaning of each list).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct LexiconFile {
    pub stopwords: Vec<String>,
    pub months: BTreeMap<String, u8>,
    pub doc_type: BTreeMap<String, Vec<String>>,
    pub legal_bases: BTreeMap<String, Vec<String>>,
    pub rights: BTreeMap<String, Vec<String>>,
    pub special_categories: BTreeMap<String, Vec<String>>,
    pub retention: BTreeMap<String, Vec<String>>,
    pub request: BTreeMap<String, Vec<String>>,
    pub data: BTreeMap<String, Vec<String>>,
    pub purposes: BTreeMap<String, Vec<String>>,
    pub recipients: BTreeMap<String, Vec<String>>,
    pub transfer: TransferFile,
    pub complaint: BTreeMap<String, Vec<String>>,
    pub cookies: BTreeMap<String, Vec<String>>,
    pub privacy_contact: BTreeMap<String, Vec<String>>,
    pub last_updated: BTreeMap<String, Vec<String>>,
    pub terms: BTreeMap<String, Vec<String>>,
    pub headings: BTreeMap<String, Vec<String>>,
    pub controller: BTreeMap<String, Vec<String>>,
    pub grammar: BTreeMap<String, Vec<String>>,
    pub fideslang: BTreeMap<String, Vec<String>>,
}

impl LexiconFile {
    /// A section by its name in the file (`terms`, `rights`, ...); `transfer` is not a plain
    /// section (see [`LexiconFile::transfer`]).
    #[must_use]
    pub fn section(&self, name: &str) -> Option<&BTreeMap<String, Vec<String>>> {
        Some(match name {
            "doc_type" => &self.doc_type,
            "legal_bases" => &self.legal_bases,
            "rights" => &self.rights,
            "special_categories" => &self.special_categories,
            "retention" => &self.retention,
            "request" => &self.request,
            "data" => &self.data,
            "purposes" => &self.purposes,
            "recipients" => &self.recipients,
            "complaint" => &self.complaint,
            "cookies" => &self.cookies,
            "privacy_contact" => &self.privacy_contact,
            "last_updated" => &self.last_updated,
            "terms" => &self.terms,
            "headings" => &self.headings,
            "controller" => &self.controller,
            "grammar" => &self.grammar,
            "fideslang" => &self.fideslang,
            _ => return None,
        })
    }
}

/// The `[transfer]` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TransferFile {
    /// Phrases that mention a transfer outside the EEA (or its absence).
    pub mentions: Vec<String>,
    /// Mechanism phrase → the name reported.
    pub mechanisms: BTreeMap<String, String>,
    /// The mechanism phrases that name the person's consent (GDPR Art. 49(1)(a)), a derogation
    /// rather than a safeguard: reported only where no other mechanism is named.
    pub consent: Vec<String>,
}

/// One service of `data/services.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Service {
    /// Canonical name.
    pub name: String,
    /// Spellings matched (case-insensitive, whole words, starting with a capital in the text).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// An extra regular expression that names the service.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Whether it sets cookies or tracks visitors.
    #[serde(default)]
    pub tracker: bool,
}

#[derive(Debug, Deserialize)]
struct ServicesFile {
    #[serde(default)]
    service: Vec<Service>,
}

/// A set of phrases, each tagged with a value, matched case-insensitively on word boundaries.
#[derive(Debug, Clone)]
pub struct PhraseSet<V> {
    ac: Option<AhoCorasick>,
    /// The phrases as matched (trimmed, none empty), in pattern order.
    phrases: Vec<String>,
    values: Vec<V>,
}

/// A phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a, V> {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// The value of the phrase.
    pub value: &'a V,
}

impl<V> Default for PhraseSet<V> {
    fn default() -> Self {
        Self {
            ac: None,
            phrases: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<V: Clone> PhraseSet<V> {
    /// Builds a set from `(phrase, value)` pairs; empty phrases are skipped.
    pub fn new<'p>(pairs: impl IntoIterator<Item = (&'p str, V)>) -> Self {
        let mut phrases = Vec::new();
        let mut values = Vec::new();
        for (p, v) in pairs {
            let p = p.trim();
            if !p.is_empty() {
                phrases.push(p.to_owned());
                values.push(v);
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .ok();
        Self {
            ac,
            phrases,
            values,
        }
    }

    /// The value of the phrase with index `i` (in the order the phrases were given, empty
    /// ones left out), as [`Scan`] reports it.
    pub fn value(&self, i: usize) -> Option<&V> {
        self.values.get(i)
    }

    /// The phrases as matched, in pattern order.
    pub fn phrases(&self) -> &[String] {
        &self.phrases
    }

    /// All whole-word, non-overlapping matches (leftmost-longest).
    pub fn find_iter<'s>(&'s self, text: &'s str) -> impl Iterator<Item = Hit<'s, V>> + 's {
        self.ac
            .iter()
            .flat_map(move |ac| ac.find_iter(text))
            .filter(move |m| is_word_boundary(text, m.start(), m.end()))
            .filter_map(move |m| {
                self.values.get(m.pattern().as_usize()).map(|value| Hit {
                    start: m.start(),
                    end: m.end(),
                    value,
                })
            })
    }

    /// The hits of [`PhraseSet::find_iter`] with the index of each hit's phrase.
    pub fn find_raw(&self, text: &str) -> Vec<RawHit> {
        self.ac
            .iter()
            .flat_map(|ac| ac.find_iter(text))
            .filter(|m| is_word_boundary(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    /// Whether any phrase occurs in the text.
    pub fn any(&self, text: &str) -> bool {
        self.find_iter(text).next().is_some()
    }
}

/// Several phrase lists found in one overlapping Aho-Corasick pass over a text (instead of one
/// pass per list): the members' phrases, matched case-insensitively (ASCII) as [`PhraseSet`]
/// matches them.
#[derive(Debug)]
pub struct Scan {
    dfa: aho_corasick::dfa::DFA,
    /// Per pattern: its member and its index in the member's list.
    ids: Vec<(usize, usize)>,
}

/// A phrase found by [`Scan`]: byte start, byte end, the index of the phrase in its list.
pub type RawHit = (usize, usize, usize);

impl Scan {
    /// Builds one automaton over the lists (each already trimmed and without empty phrases,
    /// as [`PhraseSet::phrases`] gives them); `None` when it cannot be built.
    #[must_use]
    pub fn new(lists: &[&[String]]) -> Option<Self> {
        let mut phrases: Vec<&str> = Vec::new();
        let mut ids = Vec::new();
        for (member, list) in lists.iter().enumerate() {
            for (i, p) in list.iter().enumerate() {
                phrases.push(p.as_str());
                ids.push((member, i));
            }
        }
        // the automaton an `AhoCorasick` of kind DFA holds (standard match semantics), without
        // the prefilter, which an overlapping search over so many phrases cannot use
        let dfa = aho_corasick::dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&phrases)
            .ok()?;
        Some(Self { dfa, ids })
    }

    /// Calls `each(member, hit)` for every occurrence of every phrase in the text (overlapping,
    /// word boundaries not checked), by end and then in the automaton's order, as
    /// `find_overlapping_iter` reports them: the automaton is run here in one tight loop.
    pub fn each(&self, text: &str, mut each: impl FnMut(usize, RawHit)) {
        let Some(mut stepper) = crate::text::automaton::Stepper::new(&self.dfa) else {
            return;
        };
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            let end = at.saturating_add(1);
            let alive = stepper.step(byte, |pid, len| {
                if let Some(&(member, i)) = self.ids.get(pid.as_usize()) {
                    each(member, (end.saturating_sub(len), end, i));
                }
            });
            if !alive {
                return;
            }
        }
    }
}

/// The hits [`PhraseSet::find_iter`] gives, from every occurrence of the set's phrases (as
/// [`Scan::each`] reports them): leftmost-longest without overlaps (the first phrase of the list
/// among equal ones), then whole words only.
#[must_use]
pub fn leftmost_longest(text: &str, mut raw: Vec<RawHit>) -> Vec<RawHit> {
    raw.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut out = Vec::new();
    let mut pos = 0usize;
    for h in raw {
        if h.0 >= pos {
            pos = h.1;
            if is_word_boundary(text, h.0, h.1) {
                out.push(h);
            }
        }
    }
    out
}

/// True when `start..end` in `text` is not inside a word.
#[must_use]
pub fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    // an ASCII byte is a whole char (never part of a longer one): read without decoding
    let char_before = |i: usize| match i.checked_sub(1).and_then(|p| bytes.get(p)) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => text.get(..i).and_then(|s| s.chars().next_back()),
    };
    let char_at = |i: usize| match bytes.get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => text.get(i..).and_then(|s| s.chars().next()),
    };
    let before = char_before(start);
    let after = char_at(end);
    let first = char_at(start);
    let last = char_before(end);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // A boundary is needed only where the phrase itself starts/ends with a word character.
    (!word(first) || !word(before)) && (!word(last) || !word(after))
}

/// The compiled lexicon of one language.
#[derive(Debug)]
pub struct Lexicon {
    /// The language.
    pub language: Lang,
    /// The raw file.
    pub raw: LexiconFile,
    /// Stop words (for language detection).
    pub stopwords: Vec<String>,
    /// Month names → month number.
    pub months: BTreeMap<String, u8>,
}

impl Lexicon {
    /// A word list of the `[grammar]` section (conjunctions, articles, enumeration markers:
    /// the small words the extractors split and trim phrases on); empty when the language has
    /// none under that key. Spaces around a word are part of it (`" en "`).
    #[must_use]
    pub fn grammar(&self, key: &str) -> &[String] {
        self.raw
            .grammar
            .get(key)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn new(language: Lang, src: &str) -> Self {
        let raw: LexiconFile = toml::from_str(src).unwrap_or_default();
        Self {
            language,
            stopwords: raw.stopwords.clone(),
            months: raw.months.clone(),
            raw,
        }
    }

    /// A phrase set of the lists of a section, each tagged with its list name (compiled once and
    /// cached).
    #[must_use]
    pub fn tagged(
        section: &BTreeMap<String, Vec<String>>,
        keys: &[&str],
    ) -> Arc<PhraseSet<String>> {
        let key = format!("tagged:{:p}:{}", section, keys.join("|"));
        cached(&key, || {
            PhraseSet::new(
                section
                    .iter()
                    .filter(|(k, _)| keys.is_empty() || keys.contains(&k.as_str()))
                    .flat_map(|(k, list)| list.iter().map(move |p| (p.as_str(), k.clone()))),
            )
        })
    }

    /// The words of one list of a lexicon section as written (empty when the file has none).
    #[must_use]
    pub fn words<'a>(section: &'a BTreeMap<String, Vec<String>>, key: &str) -> &'a [String] {
        section.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// A phrase set of one list of a section (compiled once and cached).
    #[must_use]
    pub fn list(section: &BTreeMap<String, Vec<String>>, key: &str) -> Arc<PhraseSet<()>> {
        let cache_key = format!("list:{section:p}:{key}");
        cached(&cache_key, || {
            PhraseSet::new(
                section
                    .get(key)
                    .into_iter()
                    .flatten()
                    .map(|p| (p.as_str(), ())),
            )
        })
    }
}

type Cache = RwLock<HashMap<String, Arc<dyn Any + Send + Sync>>>;

/// Builds a value once per key and returns the shared copy afterwards. Keys must identify the
/// value completely (callers include the language or the address of static data in them).
pub fn cached<T: Any + Send + Sync>(key: &str, build: impl FnOnce() -> T) -> Arc<T> {
    static CACHE: LazyLock<Cache> = LazyLock::new(|| RwLock::new(HashMap::new()));
    if let Ok(map) = CACHE.read()
        && let Some(v) = map.get(key)
        && let Ok(t) = Arc::clone(v).downcast::<T>()
    {
        return t;
    }
    let value = Arc::new(build());
    if let Ok(mut map) = CACHE.write() {
        map.insert(key.to_owned(), value.clone());
    }
    value
}

static LEXICONS: LazyLock<Vec<Lexicon>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|l| Lexicon::new(l.lang, l.lexicon))
        .collect()
});

/// The lexicon of a language (every [`Lang`] has one: `languages::tests` checks the
/// registry).
#[must_use]
pub fn lexicon(language: Lang) -> &'static Lexicon {
    LEXICONS
        .iter()
        .find(|l| l.language == language)
        .unwrap_or_else(|| {
            // never taken: every language is registered; an empty lexicon finds nothing
            static EMPTY: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(Lang::En, ""));
            &EMPTY
        })
}

/// All compiled lexicons.
#[must_use]
pub fn all() -> &'static [Lexicon] {
    &LEXICONS
}

/// The services list from `data/services.toml`.
#[must_use]
pub fn services() -> &'static [Service] {
    static S: LazyLock<Vec<Service>> = LazyLock::new(|| {
        toml::from_str::<ServicesFile>(SERVICES)
            .map(|f| f.service)
            .unwrap_or_default()
    });
    &S
}

/// Checks that every embedded data file parses (used by tests).
///
/// # Errors
/// The first parse error, as text.
pub fn check_data() -> Result<(), String> {
    for (name, src) in LANGUAGES.iter().map(|l| (l.lang.code(), l.lexicon)) {
        let file =
            toml::from_str::<LexiconFile>(src).map_err(|e| format!("{name}/lexicon.toml: {e}"))?;
        for key in ["clause_patterns", "use_to_patterns"] {
            for p in file.purposes.get(key).into_iter().flatten() {
                crate::text::pattern::compile(p)
                    .map_err(|e| format!("{name}/lexicon.toml [purposes] {key}: {e}"))?;
            }
        }
    }
    crate::text::numbers::check_data()?;
    crate::text::data::check_data()?;
    let s = toml::from_str::<ServicesFile>(SERVICES).map_err(|e| format!("services.toml: {e}"))?;
    for svc in &s.service {
        if let Some(p) = &svc.pattern {
            crate::text::pattern::compile(p)
                .map_err(|e| format!("services.toml {}: {e}", svc.name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        check_data().unwrap();
        for lex in all() {
            assert!(!lex.stopwords.is_empty());
            assert!(lex.raw.section("terms").is_some_and(|t| !t.is_empty()));
            assert!(!lex.raw.transfer.mentions.is_empty());
            assert!(
                lex.raw.transfer.consent.iter().all(|c| lex
                    .raw
                    .transfer
                    .mechanisms
                    .contains_key(c)),
                "every consent phrase of [transfer] is one of its mechanisms"
            );
            for topic in ["data", "purposes", "recipients", "retention"] {
                assert!(lex.raw.headings.get(topic).is_some_and(|l| !l.is_empty()));
                let column = format!("{topic}_column");
                assert!(lex.raw.headings.get(&column).is_some_and(|l| !l.is_empty()));
            }
            assert!(
                lex.raw
                    .controller
                    .get("role")
                    .is_some_and(|l| !l.is_empty())
            );
        }
        assert!(services().len() > 50);
    }

    /// A language is a data folder: every language has the same sections and keys, so a list
    /// left out of one file is a test failure, not a silently weaker reader.
    #[test]
    fn languages_have_the_same_keys() {
        let sections = [
            "doc_type",
            "legal_bases",
            "rights",
            "special_categories",
            "retention",
            "request",
            "data",
            "purposes",
            "recipients",
            "complaint",
            "cookies",
            "privacy_contact",
            "last_updated",
            "terms",
            "headings",
            "controller",
            "grammar",
            "fideslang",
        ];
        let [first, rest @ ..] = all() else {
            panic!("no lexicons")
        };
        for lex in rest {
            for name in sections {
                let keys = |l: &Lexicon| -> Vec<String> {
                    l.raw
                        .section(name)
                        .map(|s| s.keys().cloned().collect())
                        .unwrap_or_default()
                };
                assert_eq!(
                    keys(first),
                    keys(lex),
                    "[{name}] differs between {} and {}",
                    first.language.code(),
                    lex.language.code()
                );
            }
        }
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let set = PhraseSet::new([("bsn", 1u8), ("e-mail", 2)]);
        let hits: Vec<_> = set
            .find_iter("BSN, e-mailadres, e-mail.")
            .map(|h| *h.value)
            .collect();
        assert_eq!(hits, vec![1, 2]);
    }
}
