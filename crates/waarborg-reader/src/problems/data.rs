//! The rule registry and the pattern lexicons, embedded at compile time and compiled once. Each
//! language's patterns are its `data/<lang>/problems.toml` (see [`crate::languages`]);
//! `data/problems/common.toml` holds language-neutral lexicons (services, trackers, outdated
//! mechanisms), `data/problems/rules.toml` the rules.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_syntax::hir::Hir;
use serde::Deserialize;

use super::ProblemKind;
use crate::languages::LANGUAGES;

const RULES: &str = include_str!("../../data/problems/rules.toml");
const COMMON: &str = include_str!("../../data/problems/common.toml");

/// One rule: its stable code, kind, the law it rests on and its documentation.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable code, e.g. `RD-CONTRA-PERIOD`.
    pub code: String,
    /// The kind of problem the rule reports.
    pub kind: ProblemKind,
    /// The article or law the rule rests on, in English.
    pub law: String,
    /// The same in Dutch.
    pub law_nl: String,
    /// One-line title, in English.
    pub title: String,
    /// The same in Dutch.
    pub title_nl: String,
    /// What the rule checks and what to do instead, in English.
    pub help_en: String,
    /// The same in Dutch.
    pub help_nl: String,
}

#[derive(Deserialize)]
struct RawRules {
    rule: Vec<RuleInfo>,
}

#[derive(Deserialize, Default)]
struct RawLexicon {
    #[serde(default)]
    patterns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    period_topic: Vec<RawTopic>,
    #[serde(default)]
    outdated: Vec<RawOutdated>,
}

#[derive(Deserialize)]
struct RawTopic {
    key: String,
    label: String,
    label_nl: String,
    all: Vec<String>,
    #[serde(default)]
    none: Vec<String>,
}

#[derive(Deserialize)]
struct RawOutdated {
    code: String,
    pattern: String,
    since: String,
    law: String,
    law_nl: String,
    explanation: String,
    explanation_nl: String,
    #[serde(default)]
    negation: Option<String>,
}

/// A topic whose periods must agree wherever they are stated.
#[derive(Debug)]
pub struct Topic {
    /// Stable key, the same across languages.
    pub key: String,
    /// What the period is about, in English.
    pub label: String,
    /// The same in Dutch.
    pub label_nl: String,
    /// Every pattern must match the sentence.
    pub all: Vec<LazyRegex>,
    /// No pattern may match the sentence.
    pub none: Option<LazyRegex>,
}

/// A regular expression whose syntax is checked when the lexicon is built and which is compiled
/// on first use (compiling every pattern of the lexicon up front cost more than reading a
/// typical document).
#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    regex: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Checks the syntax of `pattern` now; compiles it on first use.
    fn new(pattern: String) -> Result<Self, String> {
        Ok(Self::parsed(&parse(&pattern)?))
    }

    /// The expression `hir` (as [`parse`] gives it), compiled on first use.
    fn parsed(hir: &Hir) -> Self {
        Self {
            // the printed expression parses back to the same expression
            pattern: hir.to_string(),
            regex: OnceLock::new(),
        }
    }

    /// The compiled expression (`None` only if it exceeds the compiler's size limit, which the
    /// crate's tests rule out).
    #[must_use]
    pub fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| Regex::new(&self.pattern).ok())
            .as_ref()
    }

    /// Whether the expression matches anywhere in `s`.
    #[must_use]
    pub fn is_match(&self, s: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(s))
    }
}

/// A term that refers to repealed or invalidated law.
#[derive(Debug)]
pub struct Outdated {
    /// Rule code, `RD-OUTDATED-...`.
    pub code: String,
    /// Since when it no longer applies (YYYY-MM-DD).
    pub since: String,
    /// What replaced or invalidated it, in English.
    pub law: String,
    /// The same in Dutch.
    pub law_nl: String,
    /// Why it is a problem, in English.
    pub explanation: String,
    /// The same in Dutch.
    pub explanation_nl: String,
    /// The pattern group whose presence in the sentence means the term is named as outdated
    /// ("voorheen", "no longer"): `outdated_negation` unless the entry names another.
    pub negation: String,
    /// Its name in [`Shared`] and among the lexicon's patterns (not a pattern group's name):
    /// where the term is found.
    pub(crate) key: String,
}

/// The pattern groups whose every match starts with one of a finite set of literals: one
/// overlapping Aho-Corasick pass over the text (read squeezed, see [`super::literals`]) finds
/// the candidate starts of all of them at once,
/// and each candidate is checked with an anchored search. This gives exactly the matches of
/// `find_iter` (leftmost-first, non-overlapping) without one prefilter pass per group.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Every literal prefix of every such group, as it reads squeezed text.
    pub literals: aho_corasick::dfa::DFA,
    /// For each literal, the indices (into `hirs`) of the groups it starts.
    pub owners: Vec<Vec<usize>>,
    /// Group name → index into `hirs`.
    pub index: BTreeMap<String, usize>,
    /// The groups' parsed patterns, compiled into `anchored` on first use.
    hirs: Vec<Hir>,
    /// The groups' anchored searches (`None` when the lazy DFA cannot be built: the group is
    /// then searched with its own regex).
    anchored: Vec<OnceLock<Option<Anchored>>>,
    /// Whether every pattern of the group starts with `\b` (an ASCII word boundary): then a
    /// candidate start that is no word boundary cannot start a match.
    pub word_start: Vec<bool>,
}

impl Shared {
    /// The number of groups.
    pub fn len(&self) -> usize {
        self.hirs.len()
    }

    /// The anchored search of group `g`, built on first use.
    pub fn anchored(&self, g: usize) -> Option<&Anchored> {
        self.anchored
            .get(g)?
            .get_or_init(|| Anchored::new(self.hirs.get(g)?))
            .as_ref()
    }
}

/// The caches of one lazy DFA, one per thread that searches with it (kept across documents, so
/// the states a document built serve the next one).
type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// The anchored search of one shared group: a forward lazy DFA only (the start of an anchored
/// match is known, so no reverse automaton is needed) with leftmost-first semantics, which
/// gives the end of the match `find_iter` reports at that start.
#[derive(Debug)]
pub(crate) struct Anchored {
    /// The forward lazy DFA.
    pub dfa: DFA,
    /// Its caches.
    pub caches: CachePool,
}

impl Anchored {
    fn new(hir: &Hir) -> Option<Self> {
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_from_hir(hir)
            .ok()?;
        let dfa = DFA::builder().build_from_nfa(nfa).ok()?;
        let for_caches = dfa.clone();
        let caches: CachePool = Pool::new(Box::new(move || for_caches.create_cache()));
        Some(Self { dfa, caches })
    }
}

/// Whether every match of `hir` starts at an ASCII word boundary (`(?-u:\b)`, which
/// [`prepare`] makes of `\b`): every alternative begins with that assertion. Read from the parsed
/// pattern, so "`\bfoo|bar`" (whose `bar` needs no boundary) is no such pattern.
fn starts_at_word_boundary(hir: &Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Look(Look::WordAscii) => true,
        HirKind::Concat(subs) => subs.first().is_some_and(starts_at_word_boundary),
        HirKind::Alternation(subs) => subs.iter().all(starts_at_word_boundary),
        HirKind::Capture(c) => starts_at_word_boundary(&c.sub),
        _ => false,
    }
}

/// Parses a pattern as every pattern of the reader is parsed ([`crate::text::pattern::parse`]).
fn parse(pattern: &str) -> Result<Hir, String> {
    crate::text::pattern::parse(pattern)
}

/// The shared literal pass over the groups that have literal prefixes; `groups` holds each
/// group's parsed pattern and whether all its alternatives start with `\b`.
fn shared(groups: Vec<(String, Hir, bool)>) -> Option<Shared> {
    let mut literals: Vec<Vec<u8>> = Vec::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    let mut by_literal: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut index = BTreeMap::new();
    let mut hirs = Vec::new();
    let mut word_start = Vec::new();
    for (name, hir, starts_at_word) in groups {
        let Some(lits) = super::literals::prefixes(&hir) else {
            continue;
        };
        let g = hirs.len();
        hirs.push(hir);
        word_start.push(starts_at_word);
        index.insert(name, g);
        for l in lits {
            let id = *by_literal.entry(l.clone()).or_insert_with(|| {
                literals.push(l);
                owners.push(Vec::new());
                owners.len().saturating_sub(1)
            });
            if let Some(o) = owners.get_mut(id)
                && !o.contains(&g)
            {
                o.push(g);
            }
        }
    }
    let literals = aho_corasick::dfa::DFA::new(&literals).ok()?;
    let anchored = hirs.iter().map(|_| OnceLock::new()).collect();
    Some(Shared {
        literals,
        owners,
        index,
        hirs,
        anchored,
        word_start,
    })
}

/// All compiled lexicons, merged over the languages.
#[derive(Debug)]
pub struct Lexicon {
    /// The pattern groups and the outdated terms (under their keys), compiled on first use.
    groups: BTreeMap<String, LazyRegex>,
    /// The groups that share one literal pass (see [`Shared`]).
    pub(crate) shared: Option<Shared>,
    /// Period topics (one entry per language and key).
    pub topics: Vec<Topic>,
    /// Outdated terms.
    pub outdated: Vec<Outdated>,
    /// The rule registry.
    pub rules: Vec<RuleInfo>,
}

impl Lexicon {
    /// The compiled pattern group `name` (the union over all languages); it expects text
    /// lower-cased with [`str::to_ascii_lowercase`].
    #[must_use]
    pub fn group(&self, name: &str) -> Option<&Regex> {
        self.groups.get(name)?.get()
    }

    /// Whether the lexicon has a pattern group `name` (without compiling it).
    #[must_use]
    pub(crate) fn has_group(&self, name: &str) -> bool {
        self.groups.contains_key(name)
    }

    /// The names of all pattern groups.
    #[cfg(test)]
    pub(crate) fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// Whether group `name` matches anywhere in `s` (any case).
    #[must_use]
    pub fn matches(&self, name: &str, s: &str) -> bool {
        self.matches_lower(name, &s.to_ascii_lowercase())
    }

    /// Whether group `name` matches anywhere in `s`, which is already ASCII-lower-cased.
    #[must_use]
    pub fn matches_lower(&self, name: &str, s: &str) -> bool {
        self.group(name).is_some_and(|r| r.is_match(s))
    }

    /// The rule with this code; `RD-OUTDATED-*` codes share the `RD-OUTDATED` entry.
    #[must_use]
    pub fn rule(&self, code: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.code == code).or_else(|| {
            if code.starts_with("RD-OUTDATED-") {
                self.rules.iter().find(|r| r.code == "RD-OUTDATED")
            } else {
                None
            }
        })
    }
}

static LEXICON: OnceLock<Result<Lexicon, String>> = OnceLock::new();

/// The compiled lexicon, or why the embedded data could not be compiled (a build defect that the
/// crate's tests catch; detection then reports nothing rather than crash).
pub fn lexicon() -> Result<&'static Lexicon, &'static str> {
    LEXICON.get_or_init(build).as_ref().map_err(String::as_str)
}

/// Makes a pattern's word boundaries ASCII (fast on non-ASCII text). Patterns are written in
/// lower case and run on text lower-cased with [`str::to_ascii_lowercase`] (same byte offsets),
/// which is much faster than case-insensitive matching.
fn prepare(p: &str) -> String {
    format!("(?:{})", p.replace(r"\b", r"(?-u:\b)"))
}

fn joined(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| prepare(p))
        .collect::<Vec<_>>()
        .join("|")
}

fn compile(name: &str, parts: &[String]) -> Result<LazyRegex, String> {
    LazyRegex::new(joined(parts)).map_err(|e| format!("pattern group {name}: {e}"))
}

fn build() -> Result<Lexicon, String> {
    let rules: RawRules = toml::from_str(RULES).map_err(|e| format!("rules.toml: {e}"))?;
    let mut raws: Vec<(&str, RawLexicon)> = vec![(
        "common",
        toml::from_str(COMMON).map_err(|e| format!("common.toml: {e}"))?,
    )];
    for l in LANGUAGES {
        let lang = l.lang.code();
        raws.push((
            lang,
            toml::from_str(l.problems).map_err(|e| format!("{lang}/problems.toml: {e}"))?,
        ));
    }
    let mut merged: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut topics = Vec::new();
    let mut outdated = Vec::new();
    // the outdated terms join the shared literal pass under their own keys
    let mut shared_extra: BTreeMap<String, String> = BTreeMap::new();
    for (lang, raw) in raws {
        for (k, v) in raw.patterns {
            merged.entry(k).or_default().extend(v);
        }
        for t in raw.period_topic {
            let all = t
                .all
                .iter()
                .map(|p| {
                    LazyRegex::new(prepare(p))
                        .map_err(|e| format!("{lang}.toml topic {}: {e}", t.key))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let none = if t.none.is_empty() {
                None
            } else {
                Some(compile(&t.key, &t.none)?)
            };
            topics.push(Topic {
                key: t.key,
                label: t.label,
                label_nl: t.label_nl,
                all,
                none,
            });
        }
        for o in raw.outdated {
            let key = format!("outdated#{}", outdated.len());
            shared_extra.insert(key.clone(), o.pattern.clone());
            outdated.push(Outdated {
                key,
                code: o.code,
                negation: o.negation.unwrap_or_else(|| "outdated_negation".to_owned()),
                since: o.since,
                law: o.law,
                law_nl: o.law_nl,
                explanation: o.explanation,
                explanation_nl: o.explanation_nl,
            });
        }
    }
    // every group (and outdated term) parsed once: its syntax checked, its literal prefixes
    // read for the shared pass; compiled only when a document needs it
    let mut groups = BTreeMap::new();
    let mut parsed = Vec::new();
    let sources = merged
        .iter()
        .map(|(k, parts)| (k, joined(parts), format!("pattern group {k}")))
        .chain(
            shared_extra
                .iter()
                .map(|(k, p)| (k, prepare(p), format!("outdated term {p}"))),
        );
    for (k, pattern, what) in sources {
        let hir = parse(&pattern).map_err(|e| format!("{what}: {e}"))?;
        let word_start = starts_at_word_boundary(&hir);
        groups.insert(k.clone(), LazyRegex::parsed(&hir));
        parsed.push((k.clone(), hir, word_start));
    }
    let shared = shared(parsed);
    Ok(Lexicon {
        groups,
        shared,
        topics,
        outdated,
        rules: rules.rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group starts at a word boundary only when every alternative does.
    #[test]
    fn word_start_is_read_from_the_parsed_pattern() {
        let at = |p: &str| starts_at_word_boundary(&parse(&prepare(p)).unwrap());
        assert!(at(r"\bfoo"));
        assert!(at(r"\bfoo|\bbar"));
        assert!(at(r"\b(?:foo|bar)"));
        assert!(at(&joined(&[
            r"\bfoo".to_owned(),
            r"\bbar\s+baz".to_owned()
        ])));
        assert!(!at(r"\bfoo|bar"));
        assert!(!at(r"foo\b"));
        assert!(!at(&joined(&[r"\bfoo".to_owned(), "bar".to_owned()])));
    }

    #[test]
    fn data_compiles() {
        let lex = lexicon().unwrap();
        // the patterns are compiled on first use: every one of them must compile
        for name in lex.group_names() {
            assert!(lex.group(name).is_some(), "{name}");
        }
        for t in &lex.topics {
            assert!(
                t.all.iter().chain(&t.none).all(|r| r.get().is_some()),
                "{}",
                t.key
            );
        }
        assert!(lex.group("eu_only").is_some());
        assert!(lex.rule("RD-CONTRA-PERIOD").is_some());
        assert!(lex.rule("RD-OUTDATED-WBP").is_some());
    }

    #[test]
    fn every_rule_code_is_unique() {
        let lex = lexicon().unwrap();
        let mut codes: Vec<_> = lex.rules.iter().map(|r| &r.code).collect();
        codes.sort();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len());
    }

    /// Every rule reads in both languages: title and help text, English and Dutch.
    #[test]
    fn every_rule_has_both_languages() {
        let lex = lexicon().unwrap();
        assert!(lex.rules.len() >= 60, "{}", lex.rules.len());
        for r in &lex.rules {
            for (field, v) in [
                ("title", &r.title),
                ("title_nl", &r.title_nl),
                ("help_en", &r.help_en),
                ("help_nl", &r.help_nl),
                ("law", &r.law),
                ("law_nl", &r.law_nl),
            ] {
                assert!(!v.trim().is_empty(), "{}: empty {field}", r.code);
            }
            assert_ne!(
                r.title, r.title_nl,
                "{}: title_nl is not translated",
                r.code
            );
        }
    }
}
