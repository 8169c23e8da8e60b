//! Findings: problems in a document, each with a stable rule code, the law it rests on and exact
//! quotes.
//!
//! Detectors run over the normalised text. Their patterns and lexicons are data
//! (`data/problems/{common,nl,en}.toml`, embedded at compile time); the rule registry with each
//! rule's code, kind, law and help text is `data/problems/rules.toml` (see [`rules`]).
//!
//! | family | file | codes |
//! |---|---|---|
//! | contradictions | `contradictions.rs` | `RD-CONTRA-*` |
//! | identifiers | `identifiers.rs` | `RD-CONTRA-ADDRESS`, `RD-CONTRA-KVK`, `RD-TYPO-DOMAIN` |
//! | references | `references.rs` | `RD-XREF-BROKEN`, `RD-OUTDATED-*` |
//! | privacy notice (Art. 13) | `notice.rs` | `RD-ART13-*` |
//! | processor agreement (Art. 28) | `processor.rs` | `RD-ART28-*` |
//! | questionable clauses | `clauses.rs` | `RD-FEE-REQUEST`, `RD-ID-COPY`, `RD-COOKIE-*`, ... |

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::ops::Range;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

mod clauses;
mod contradictions;
pub mod data;
mod identifiers;
mod literals;
pub mod messages;
mod notice;
mod processor;
mod quote;
mod references;

use crate::text::segments::Segments;
use data::Lexicon;
pub use data::RuleInfo;
pub(crate) use messages::{Arg, Message};
use waarborg_policy::Lang;

/// The kind of a problem, as in `summary.schema.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The same quantity or identifier stated twice with different values.
    Contradiction,
    /// A cross-reference to a clause that does not exist.
    BrokenReference,
    /// A reference to law or a mechanism that no longer holds.
    OutdatedReference,
    /// A GDPR Art. 13/14 item missing from a privacy statement.
    MissingArt13Item,
    /// A GDPR Art. 28(3) item missing from a processor agreement.
    MissingArt28Item,
    /// A clause that is questionable under the law.
    QuestionableClause,
    /// A misspelt identifier (domain, name, number).
    TypoInIdentifier,
}

impl ProblemKind {
    /// The schema's name of the kind (`missing_art13_item`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contradiction => "contradiction",
            Self::BrokenReference => "broken_reference",
            Self::OutdatedReference => "outdated_reference",
            Self::MissingArt13Item => "missing_art13_item",
            Self::MissingArt28Item => "missing_art28_item",
            Self::QuestionableClause => "questionable_clause",
            Self::TypoInIdentifier => "typo_in_identifier",
        }
    }
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What kind of problem this is.
    pub kind: ProblemKind,
    /// The project's own stable rule code.
    pub rule: String,
    /// Exact quotes from the document.
    pub evidence: Vec<String>,
    /// Why this is a problem, in English (the JSON summary's `explanation`).
    pub explanation: String,
    /// For missing items: the GDPR item, e.g. `13(1)(c)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The explanation in Dutch, for the human and HTML reports; not part of the JSON summary
    /// (absent in a problem read back from JSON). See [`Problem::explanation_in`].
    #[serde(skip)]
    pub explanation_nl: Option<String>,
}

impl Problem {
    /// The explanation in a report language: the Dutch text when there is one, else the
    /// English `explanation`.
    #[must_use]
    pub fn explanation_in(&self, lang: Lang) -> &str {
        match (lang, &self.explanation_nl) {
            (Lang::Nl, Some(nl)) => nl,
            _ => &self.explanation,
        }
    }
}

/// Which kinds of text a document holds (a document can hold several: terms with a processor
/// agreement as a chapter, a privacy statement on the same page as the terms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parts {
    /// A privacy statement (Art. 13/14 information).
    pub privacy: bool,
    /// A processor agreement (Art. 28).
    pub dpa: bool,
    /// General terms or another contract.
    pub terms: bool,
}

/// Whether a cross-reference such as `32.2` resolves in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefStatus {
    /// The clause exists.
    Exists,
    /// The clause certainly does not exist (its parent exists, with other children).
    Missing,
    /// Cannot tell (no numbering, or the parent is unknown).
    Unknown,
}

/// What detection knows besides the text.
#[derive(Default)]
pub struct Context<'a> {
    /// The parts of the document when known (from the document type); guessed from the text
    /// otherwise, and always widened by what the text shows.
    pub parts: Option<Parts>,
    /// Resolves a clause number as written (`32.2`); the reader's own numbering index is used
    /// when absent.
    pub resolve: Option<&'a dyn Fn(&str) -> RefStatus>,
    /// The text's lines and sentences when already split (as the pipeline does once for the
    /// facts and the problems); split here otherwise.
    pub segments: Option<&'a Segments>,
    /// The text's KvK numbers in order when already read (as the facts read them: value the
    /// digits, span the number as written); read here otherwise.
    pub kvk: Option<&'a [crate::facts::Found<String>]>,
    /// The text's postcodes in order when already read (as the facts read them, with
    /// [`crate::text::identifiers::postcodes`]); read here otherwise.
    pub postcodes: Option<&'a [crate::facts::Found<String>]>,
}

/// Detects problems in a read document: [`detect_text`] over the normalised text, with the parts
/// of the document from the facts and cross-references resolved by the structure.
#[must_use]
pub fn detect(
    doc: &crate::ingest::Document,
    structure: &crate::structure::Structure,
    facts: &crate::facts::Facts,
    segments: &Segments,
) -> Vec<Problem> {
    use crate::summary::DocType;
    let mut parts = Parts::default();
    for t in facts.parts.iter().chain(std::iter::once(&facts.doc_type)) {
        match t {
            DocType::PrivacyStatement => parts.privacy = true,
            DocType::Dpa => parts.dpa = true,
            DocType::Terms => parts.terms = true,
            DocType::Cookie | DocType::Mixed => {}
        }
    }
    let numbered = structure.is_numbered();
    let resolve = |number: &str| -> RefStatus {
        if !numbered {
            return RefStatus::Unknown;
        }
        if structure.by_number(number).is_some() {
            return RefStatus::Exists;
        }
        match number.rsplit_once('.') {
            Some((parent, _))
                if structure.by_number(parent).is_some()
                    && structure.by_number(&format!("{parent}.1")).is_some() =>
            {
                RefStatus::Missing
            }
            _ => RefStatus::Unknown,
        }
    };
    detect_text(
        &doc.text,
        &Context {
            parts: Some(parts),
            resolve: Some(&resolve),
            segments: Some(segments),
            kvk: Some(&facts.kvk),
            postcodes: Some(&facts.postcodes),
        },
    )
}

/// Detects problems in normalised text. Every evidence quote is a substring of `text` with runs
/// of whitespace collapsed to one space.
#[must_use]
pub fn detect_text(text: &str, ctx: &Context<'_>) -> Vec<Problem> {
    let Ok(lex) = data::lexicon() else {
        return Vec::new();
    };
    let own;
    let seg = match ctx.segments {
        Some(s) => s,
        None => {
            own = Segments::new(text);
            &own
        }
    };
    let lower = text.to_ascii_lowercase();
    let mut doc = Doc {
        text,
        lower: &lower,
        seg,
        lex,
        parts: Parts::default(),
        resolve: ctx.resolve,
        kvk: ctx.kvk,
        postcodes: ctx.postcodes,
        memo: RefCell::new(HashMap::new()),
        starts: OnceCell::new(),
    };
    let guessed = doc.guess_parts();
    doc.parts = match ctx.parts {
        // the facts' kinds come from the title and headings: a privacy part is not widened by
        // a few words about "your data" in terms or a processor agreement
        Some(p) => Parts {
            privacy: p.privacy,
            dpa: p.dpa || guessed.dpa,
            terms: p.terms || guessed.terms,
        },
        None => guessed,
    };
    let drafts = run_all(&doc);
    finish(&doc, drafts)
}

/// Every detector on one document, in the order their findings are reported.
fn run_all(doc: &Doc<'_>) -> Vec<Draft> {
    let mut drafts = Vec::new();
    contradictions::run(doc, &mut drafts);
    identifiers::run(doc, &mut drafts);
    references::run(doc, &mut drafts);
    clauses::run(doc, &mut drafts);
    notice::run(doc, &mut drafts);
    processor::run(doc, &mut drafts);
    drafts
}

/// The rule registry: every rule's code, kind, law and help text.
#[must_use]
pub fn rules() -> &'static [RuleInfo] {
    data::lexicon().map(|l| l.rules.as_slice()).unwrap_or(&[])
}

/// The registry entry for a rule code (`RD-OUTDATED-*` codes share one entry).
#[must_use]
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    data::lexicon().ok().and_then(|l| l.rule(code))
}

/// A finding before its quotes are cut.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub code: String,
    pub evidence: Vec<Range<usize>>,
    pub detail: Option<Message>,
    pub item: Option<&'static str>,
}

impl Draft {
    pub(crate) fn new(code: &str, evidence: Vec<Range<usize>>) -> Self {
        Self {
            code: code.to_owned(),
            evidence,
            detail: None,
            item: None,
        }
    }

    /// Explains this finding with the message `key` of `messages.toml`, its placeholders
    /// filled with `args` (name, value).
    pub(crate) fn detail<const N: usize>(
        mut self,
        key: &'static str,
        args: [(&'static str, Arg); N],
    ) -> Self {
        self.detail = Some(Message {
            key,
            args: args.into(),
        });
        self
    }

    pub(crate) fn item(mut self, item: &'static str) -> Self {
        self.item = Some(item);
        self
    }
}

/// The text under detection with its segments and lexicon.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    /// `text` lower-cased with `to_ascii_lowercase` (same byte offsets): what patterns run on.
    pub lower: &'a str,
    pub seg: &'a Segments,
    pub lex: &'static Lexicon,
    pub parts: Parts,
    pub resolve: Option<&'a dyn Fn(&str) -> RefStatus>,
    /// The KvK numbers when the caller read them already (see [`Context::kvk`]).
    pub kvk: Option<&'a [crate::facts::Found<String>]>,
    /// The postcodes when the caller read them already (see [`Context::postcodes`]).
    pub postcodes: Option<&'a [crate::facts::Found<String>]>,
    memo: RefCell<HashMap<String, Rc<Hits>>>,
    /// For each group of [`data::Shared`], the byte offsets in `lower` where a match of it may
    /// start, sorted: where one of its literal prefixes occurs in the squeezed text (one
    /// overlapping pass for all groups, on first use; see [`literals`]).
    starts: OnceCell<Vec<Vec<usize>>>,
}

/// Where one pattern group matches: the sentences in order, each once, with the first hit in
/// each (no mask over all sentences: a long text has hundreds of thousands of them, and a group
/// matches in few).
struct Hits {
    list: Vec<(usize, Range<usize>)>,
}

impl Doc<'_> {
    /// Whether a group matches in any sentence: the first hit ends the search when the group's
    /// hits are not known yet.
    pub fn has(&self, group: &str) -> bool {
        if let Some(h) = self.memo.borrow().get(group) {
            return !h.list.is_empty();
        }
        if !self.lex.has_group(group) {
            return false;
        }
        let mut found = false;
        self.each_hit(group, |_, _| {
            found = true;
            ControlFlow::Break(())
        });
        if !found {
            // no hit at all: those are the group's hits, kept for the next question
            let none = Hits { list: Vec::new() };
            self.memo
                .borrow_mut()
                .insert(group.to_owned(), Rc::new(none));
        }
        found
    }

    /// Whether a group matches at least `n` times (the search stops at the `n`th match).
    pub fn count_at_least(&self, group: &str, n: usize) -> bool {
        let mut seen = 0;
        if n == 0 {
            return true;
        }
        self.each_match(group, |_| {
            seen += 1;
            if seen >= n {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        seen >= n
    }

    /// Sentences (index, first hit) where a group matches, in document order, one per sentence.
    pub fn sentences_with(&self, group: &str) -> Vec<(usize, Range<usize>)> {
        self.hits(group).list.clone()
    }

    /// The sentences where a group matches, computed once per group and document.
    fn hits(&self, group: &str) -> Rc<Hits> {
        if let Some(h) = self.memo.borrow().get(group) {
            return Rc::clone(h);
        }
        let h = Rc::new(self.scan(group));
        self.memo
            .borrow_mut()
            .insert(group.to_owned(), Rc::clone(&h));
        h
    }

    /// The candidate starts of every shared group (see [`Doc::starts`]).
    fn starts(&self) -> &[Vec<usize>] {
        self.starts.get_or_init(|| {
            let Some(sh) = self.lex.shared.as_ref() else {
                return Vec::new();
            };
            let mut out: Vec<Vec<usize>> = vec![Vec::new(); sh.len()];
            let bytes = self.lower.as_bytes();
            let is_word = |i: usize| {
                bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            };
            literals::for_each_start(&sh.literals, self.lower, |lit, c| {
                // `(?-u:\b)` holds at `c`: a group whose every pattern starts with it can start
                // a match only there
                let boundary = c.checked_sub(1).is_some_and(is_word) != is_word(c);
                for g in sh.owners.get(lit).into_iter().flatten() {
                    if !boundary && sh.word_start.get(*g).copied().unwrap_or(false) {
                        continue;
                    }
                    if let Some(v) = out.get_mut(*g) {
                        v.push(c);
                    }
                }
            });
            for v in &mut out {
                sort_nearly_sorted(v);
                v.dedup();
            }
            out
        })
    }

    /// The matches of a group, as `find_iter` on `lower` gives them.
    fn matches(&self, group: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.each_match(group, |m| {
            out.push(m);
            ControlFlow::Continue(())
        });
        out
    }

    /// The matches of a group, as `find_iter` on `lower` gives them (through the shared literal
    /// pass when the group has one, else by the group's own search), each given to `visit` in
    /// order until it breaks.
    fn each_match(&self, group: &str, mut visit: impl FnMut(Range<usize>) -> ControlFlow<()>) {
        let shared = self
            .lex
            .shared
            .as_ref()
            .and_then(|sh| Some((sh, *sh.index.get(group)?)))
            .and_then(|(sh, g)| Some((self.starts().get(g)?, sh.anchored(g)?)));
        // the group's own `find_iter`, from the first match that starts at or after `from`
        let own = |from: usize, visit: &mut dyn FnMut(Range<usize>) -> ControlFlow<()>| {
            let Some(re) = self.lex.group(group) else {
                return;
            };
            for m in re.find_iter(self.lower).skip_while(|m| m.start() < from) {
                if visit(m.range()).is_break() {
                    return;
                }
            }
        };
        let Some((starts, anchored)) = shared else {
            own(0, &mut visit);
            return;
        };
        // leftmost-first, non-overlapping: the first candidate at or after the previous
        // match's end where the group matches (matches are never empty: each starts with a
        // non-empty literal; candidates where a group's leading `\b` fails are left out)
        let mut cache = anchored.caches.get();
        let mut pos = 0;
        for &c in starts {
            if c < pos {
                continue;
            }
            let input = regex_automata::Input::new(self.lower)
                .range(c..)
                .anchored(regex_automata::Anchored::Yes);
            match anchored.dfa.try_search_fwd(&mut cache, &input) {
                Ok(Some(end)) => {
                    pos = end.offset();
                    if visit(c..pos).is_break() {
                        return;
                    }
                }
                Ok(None) => {}
                // the lazy DFA gave up (it is configured never to): the group's own search
                // goes on from where the candidates stopped
                Err(_) => {
                    own(pos, &mut visit);
                    return;
                }
            }
        }
    }

    fn scan(&self, group: &str) -> Hits {
        let mut list: Vec<(usize, Range<usize>)> = Vec::new();
        if !self.lex.has_group(group) {
            return Hits { list };
        }
        self.each_hit(group, |i, h| {
            if list.last().is_none_or(|(j, _)| *j < i) {
                list.push((i, h));
            }
            ControlFlow::Continue(())
        });
        Hits { list }
    }

    /// The hits of a group, in order, each given to `visit` (sentence, range) until it breaks: a
    /// match inside one sentence, or, for a match that crosses a sentence boundary, the group's
    /// first match in each sentence it touches.
    fn each_hit(&self, group: &str, mut visit: impl FnMut(usize, Range<usize>) -> ControlFlow<()>) {
        self.each_match(group, |h| {
            let Some(i) = self.seg.sentence_at(h.start) else {
                return ControlFlow::Continue(());
            };
            let within = self
                .seg
                .sentence(i)
                .is_some_and(|s| h.start >= s.start && h.end <= s.end);
            if within {
                return visit(i, h);
            }
            // the match crosses a sentence boundary: look in each sentence it touches
            let last = self.seg.sentence_at(h.end.saturating_sub(1)).unwrap_or(i);
            for j in i..=last {
                let Some(s) = self.seg.sentence(j) else {
                    continue;
                };
                let re = self.lex.group(group);
                if let Some(m2) = self
                    .lower
                    .get(s.clone())
                    .and_then(|t| re.and_then(|re| re.find(t)))
                {
                    visit(j, s.start + m2.start()..s.start + m2.end())?;
                }
            }
            ControlFlow::Continue(())
        });
    }

    /// The lower-cased text of sentence `i` (for patterns).
    pub fn lower_sentence(&self, i: usize) -> &str {
        self.seg
            .sentence(i)
            .and_then(|r| self.lower.get(r))
            .unwrap_or("")
    }

    /// The text of sentence `i`.
    pub fn sentence_text(&self, i: usize) -> &str {
        self.seg
            .sentence(i)
            .and_then(|r| self.text.get(r))
            .unwrap_or("")
    }

    /// Whether group matches sentence `i`.
    pub fn sentence_has(&self, i: usize, group: &str) -> bool {
        self.hits(group)
            .list
            .binary_search_by_key(&i, |(j, _)| *j)
            .is_ok()
    }

    /// Whether group matches inside sentence `i`, searched in that sentence alone: for a group
    /// that is asked about a few sentences and has no literal start to join the shared pass (a
    /// search of the whole text would cost more than the few sentences).
    pub fn sentence_matches(&self, i: usize, group: &str) -> bool {
        self.lex.matches_lower(group, self.lower_sentence(i))
    }

    /// The quote range for a hit inside sentence `i`.
    pub fn evidence(&self, i: usize, hit: &Range<usize>) -> Range<usize> {
        match self.seg.sentence(i) {
            Some(s) => quote::quote_range(self.text, &s, hit),
            None => hit.clone(),
        }
    }

    /// The whole (or windowed) sentence `i` as evidence.
    pub fn sentence_evidence(&self, i: usize) -> Option<Range<usize>> {
        let s = self.seg.sentence(i)?;
        let mid = s.start..s.start.saturating_add(1).min(s.end);
        Some(quote::quote_range(self.text, &s, &mid))
    }

    fn guess_parts(&self) -> Parts {
        let heading_has = |group: &str| {
            self.seg.headings.iter().any(|h| {
                self.seg
                    .lines
                    .get(*h)
                    .and_then(|r| self.lower.get(r.clone()))
                    .is_some_and(|l| self.lex.matches_lower(group, l))
            })
        };
        Parts {
            privacy: self.count_at_least("privacy_signal", 3),
            dpa: heading_has("dpa_heading") || self.count_at_least("dpa_signal", 6),
            terms: self.count_at_least("terms_signal", 8),
        }
    }
}

/// Sorts offsets that are nearly in order already: the overlapping pass reports matches by
/// their end, so a start is out of place only behind the few matches that end inside its own
/// literal. Insertion sort does that in about linear time; a long way out of order falls back
/// to the general sort.
fn sort_nearly_sorted(v: &mut [usize]) {
    let mut budget = v.len().saturating_mul(8);
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (v.get(j - 1), v.get(j)) else {
                break;
            };
            if a <= b {
                break;
            }
            if budget == 0 {
                v.sort_unstable();
                return;
            }
            budget -= 1;
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

fn finish(doc: &Doc<'_>, drafts: Vec<Draft>) -> Vec<Problem> {
    let mut out: Vec<(usize, Problem)> = Vec::new();
    for d in drafts {
        let Some(rule) = doc.lex.rule(&d.code) else {
            continue;
        };
        let mut evidence: Vec<String> = Vec::new();
        for r in &d.evidence {
            let q = quote::quote(doc.text, r);
            if q.is_empty() || evidence.iter().any(|e| e.contains(&q)) {
                continue;
            }
            evidence.retain(|e| !q.contains(e.as_str()));
            evidence.push(q);
        }
        let pos = d
            .evidence
            .iter()
            .map(|r| r.start)
            .min()
            .unwrap_or(usize::MAX);
        // a message that cannot be rendered (a data defect the tests catch) falls back to the
        // rule's help text, in both languages alike
        let rendered = d
            .detail
            .as_ref()
            .and_then(|m| Some((m.render(Lang::En).ok()?, m.render(Lang::Nl).ok()?)));
        let (explanation, explanation_nl) =
            rendered.unwrap_or_else(|| (rule.help_en.clone(), rule.help_nl.clone()));
        out.push((
            pos,
            Problem {
                kind: rule.kind,
                rule: d.code.clone(),
                evidence,
                explanation,
                item: d.item.map(str::to_owned),
                explanation_nl: Some(explanation_nl),
            },
        ));
    }
    out.sort_by(|a, b| a.1.kind.cmp(&b.1.kind).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(_, p)| p).collect()
}

/// The `.txt` documents of the given folders of `../shared/corpus` (for tests that check a
/// search against the corpus; panics, naming the folder, when it is missing).
#[cfg(test)]
pub(crate) fn corpus_texts(dirs: &[&str]) -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
    let mut texts = Vec::new();
    for dir in dirs {
        let dir = format!("{root}/{dir}");
        let entries =
            std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir} is needed by this test: {e}"));
        for e in entries.filter_map(Result::ok) {
            if e.path().extension().is_some_and(|x| x == "txt") {
                texts.push(std::fs::read_to_string(e.path()).unwrap());
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearly_sorted_sorts() {
        for mut v in [
            vec![],
            vec![3],
            vec![1, 0, 2, 5, 3, 4, 4, 9, 7, 8],
            (0..200).rev().collect::<Vec<usize>>(),
        ] {
            let mut want = v.clone();
            want.sort_unstable();
            sort_nearly_sorted(&mut v);
            assert_eq!(v, want);
        }
    }

    /// Every message key the detectors name exists, and every finding's message renders in
    /// English and Dutch with all its placeholders filled (no fallback to the help text).
    #[test]
    fn every_detail_message_exists_and_renders_in_both_languages() {
        let table = messages::messages().unwrap();
        // `.detail("key", ..)`, `Word("key")`, and the separators of lists
        let key =
            regex::Regex::new(r#"(?:\.detail\(\s*|Word\(|, )"([a-z0-9_]+(?:_sep)?)"[,)]"#).unwrap();
        let mut used = 0;
        for src in [
            include_str!("clauses.rs"),
            include_str!("contradictions.rs"),
            include_str!("identifiers.rs"),
            include_str!("notice.rs"),
            include_str!("references.rs"),
            include_str!("processor.rs"),
        ] {
            for c in key.captures_iter(src) {
                let k = &c[1];
                // `, "name"` only for list separators
                if c[0].starts_with(", ") && !k.ends_with("_sep") {
                    continue;
                }
                used += 1;
                assert!(table.contains_key(k), "message `{k}` missing");
            }
        }
        assert!(used >= 25, "{used}");
        for (_, k) in notice::RIGHTS {
            assert!(table.contains_key(*k), "message `{k}` missing");
        }
        let lex = data::lexicon().unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut rendered = std::collections::BTreeSet::new();
        for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            let lower = text.to_ascii_lowercase();
            let mut doc = Doc {
                text: &text,
                lower: &lower,
                seg: &Segments::new(&text),
                lex,
                parts: Parts::default(),
                resolve: None,
                kvk: None,
                postcodes: None,
                memo: RefCell::new(HashMap::new()),
                starts: OnceCell::new(),
            };
            doc.parts = Parts {
                privacy: true,
                dpa: true,
                terms: true,
            };
            for d in run_all(&doc) {
                let Some(m) = d.detail else {
                    continue;
                };
                let en = m.render(Lang::En).unwrap();
                let nl = m.render(Lang::Nl).unwrap();
                assert_ne!(en, nl, "{}: the Dutch text is the English one", m.key);
                assert!(!en.contains('{') && !nl.contains('{'), "{en} / {nl}");
                rendered.insert(m.key);
            }
        }
        // the fixtures exercise most messages
        assert!(rendered.len() >= 8, "{rendered:?}");
    }

    /// The shared literal pass finds exactly the matches of each group's own `find_iter`.
    #[test]
    fn shared_literal_pass_equals_find_iter() {
        let lex = data::lexicon().unwrap();
        assert!(lex.shared.as_ref().is_some_and(|s| s.len() > 0));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.push(
            "Wij bewaren uw gegevens. U geeft toestemming door onze website te bezoeken; \
             we keep data for 2 years, kosten € 5,- per verzoek. ÉÉn, één. Privacy-shield! Safe Harbor, de Wbp en het CBP."
                .to_owned(),
        );
        // the same texts with their white space varied: runs, line breaks, tabs, no-break and
        // em spaces, where the squeezed pass must still find every start
        let varied: Vec<String> = texts.iter().map(|t| vary_white_space(t)).collect();
        texts.extend(varied);
        assert_matches_equal_find_iter(lex, &texts);
    }

    /// Every single space of `text` made, in turn, one of several runs of white space.
    fn vary_white_space(text: &str) -> String {
        const RUNS: [&str; 8] = [" ", "\n", "  ", "\t", "\u{a0}", " \n ", "\r\n", "\u{2003} "];
        let mut n = 0;
        text.chars()
            .map(|c| {
                if c == ' ' {
                    n += 1;
                    RUNS.get(n % RUNS.len()).copied().unwrap_or(" ").to_owned()
                } else {
                    c.to_string()
                }
            })
            .collect()
    }

    /// The corpus (seeds and dev) as it is and with its white space varied: the shared pass
    /// finds exactly the matches of `find_iter`. Needs `../shared`.
    #[test]
    fn shared_literal_pass_equals_find_iter_on_the_corpus() {
        let lex = data::lexicon().unwrap();
        let mut texts = corpus_texts(&["seeds", "dev/docs"]);
        assert!(
            texts.len() >= 20,
            "the corpus under ../shared is incomplete"
        );
        let varied: Vec<String> = texts.iter().map(|t| vary_white_space(t)).collect();
        texts.extend(varied);
        assert_matches_equal_find_iter(lex, &texts);
    }

    fn assert_matches_equal_find_iter(lex: &'static data::Lexicon, texts: &[String]) {
        for text in texts {
            let lower = text.to_ascii_lowercase();
            let doc = Doc {
                text,
                lower: &lower,
                seg: &Segments::new(text),
                lex,
                parts: Parts::default(),
                resolve: None,
                kvk: None,
                postcodes: None,
                memo: RefCell::new(HashMap::new()),
                starts: OnceCell::new(),
            };
            for name in lex.group_names() {
                let re = lex.group(name).unwrap();
                let want: Vec<Range<usize>> = re.find_iter(&lower).map(|m| m.range()).collect();
                assert_eq!(doc.matches(name), want, "group {name}");
            }
            for o in &lex.outdated {
                let re = lex.group(&o.key).unwrap();
                let want: Vec<Range<usize>> = re.find_iter(&lower).map(|m| m.range()).collect();
                assert_eq!(doc.matches(&o.key), want, "{}", o.code);
            }
        }
    }
}
