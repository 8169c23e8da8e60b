//! The extraction rules. Each `find_*` function reads one kind of fact.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::lexicon::{
    Lexicon, PhraseSet, RawHit, Scan, all, cached, leftmost_longest, lexicon, services,
};
use super::sections::{Sections, Topic};
use super::{Facts, Found, Retention, TermsFacts, Transfer};
use crate::ingest::Document;
use crate::structure::Structure;
use crate::summary::{DocType, Lang, LegalBasis, Right, SpecialCategory};
use crate::text::identifiers::{self, kvk_numbers};
use crate::text::lists::{ListBlock, list_blocks};
use crate::text::segments::{Segments, list_marker_len, split_lines};
use crate::text::words::{RunOf, char_runs};
use crate::text::{Duration, DurationReader, Quantity};

fn re(p: &str) -> Option<Regex> {
    crate::text::pattern::compile(p).ok()
}

static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?:\+|00)\d{2}[ \t.-]?(?:\(0\)[ \t]?)?\d(?:[ \t.–-]{0,3}\d){7,10}|(?-u:\b)0\d{1,3}\)?(?:[ \t]?[–-][ \t]?|[ \t]|\))?\d(?:[ \t.–-]{0,3}\d){5,8}(?-u:\b)",
    )
});
static ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(\p{Lu}[\p{L}'’.-]+(?:[ ]\p{Lu}[\p{L}'’.-]+){0,2})[ ]+(\d{1,5}(?:[ ]?[a-zA-Z](?-u:\b)|-\d{1,4}|[ ]?-[ ]?[a-zA-Z0-9]{1,4})?)(?:\s*,\s*|\s+)([1-9]\d{3}[ ]?[A-Z]{2})[ ,]+(\p{Lu}[\p{L}'’-]+(?:[ -]\p{Lu}[\p{L}'’-]+)?)",
    )
});
static ADDRESS_TE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let suffixes = alternation(&names().street_suffixes);
    re(&format!(
        r"(\p{{Lu}}[\p{{L}}'’-]*(?:{suffixes}))[ ]+(\d{{1,5}}[a-zA-Z]?(?:-\d{{1,4}})?)[ ]+(?:te|in)[ ]+(\p{{Lu}}[\p{{L}}'’-]+)"
    ))
});
static LEGAL_FORM_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let forms = alternation(&names().legal_forms);
    re(&format!(
        r"((?:\p{{Lu}}[\p{{L}}\d&'’.-]*|[a-z]+\p{{Lu}}[\p{{L}}\d&'’.-]*)(?:[ ](?:\p{{Lu}}[\p{{L}}\d&'’.-]*|&|en|van|de|der)){{0,3}})[ ]({forms})(?:\W|$)"
    ))
});

/// `data/names.toml`: legal forms, street endings and words that are not names.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Names {
    legal_forms: Vec<String>,
    street_suffixes: Vec<String>,
    not_streets: Vec<String>,
    not_names: Vec<String>,
    platforms: Vec<String>,
}

fn names() -> &'static Names {
    static N: LazyLock<Names> =
        LazyLock::new(|| toml::from_str(include_str!("../../data/names.toml")).unwrap_or_default());
    &N
}

/// A regex alternation of literal phrases, longest first.
fn alternation(items: &[String]) -> String {
    let mut v: Vec<&String> = items.iter().filter(|s| !s.is_empty()).collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// "Bedrijfsnaam: X", "Company name<TAB>X" on a line of its own: the `[controller] label`s of
/// every language (a Dutch organisation's English text may keep its Dutch form).
static LABELLED_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let mut labels: Vec<&String> = super::lexicon::all()
        .iter()
        .flat_map(|l| Lexicon::words(&l.raw.controller, "label"))
        .collect();
    if labels.is_empty() {
        return None;
    }
    // longest first, so that "formele bedrijfsnaam" is tried before "bedrijfsnaam"
    labels.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let labels: Vec<String> = labels.iter().map(|w| regex::escape(w)).collect();
    re(&format!(
        r"(?im)^[ \t]*(?:{})[ \t]*[:\t][ \t]*(\S[^\n\t]{{1,60}})$",
        labels.join("|")
    ))
});
static DATE_NUMERIC: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?-u:\b)|(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)",
    )
});
static DATE_WORDS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(\d{1,2})(?:e|ste|de|st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})|([a-z]{3,9})\s+(\d{4}))(?-u:\b)",
    )
});
static GOVERNING_LAW: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)((?:uitsluitend\s+|exclusively\s+)?(?:het\s+)?(?:nederlands|belgisch|duits|frans|engels|luxemburgs)e?\s+recht|(?:the\s+)?laws?\s+of\s+(?:the\s+)?(?:netherlands|england(?:\s+and\s+wales)?|belgium|germany|ireland|[A-Z][a-z]+)|dutch\s+law|english\s+law)(?-u:\b)",
    )
});
static JURISDICTION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)((?:de\s+)?(?:bevoegde\s+rechter|(?:arrondissements)?rechtbank|kantonrechter)(?:\s+(?:te|in|van|binnen)\s+[^.,;:()\n]{2,80})?|(?:the\s+)?(?:competent\s+)?courts?\s+(?:of|in)\s+[A-Z][^.,;:()\n]{1,60})",
    )
});

/// The context lists tested per sentence, in bit order.
const CONTEXTS: [(&str, &str); 15] = [
    ("legal_bases", "context"),
    ("data", "intro"),
    ("purposes", "clause_context"),
    ("purposes", "sentence_verbs"),
    ("purposes", "not_context"),
    ("recipients", "context"),
    ("rights", "context"),
    ("complaint", "phrases"),
    ("complaint", "words"),
    ("terms", "liability"),
    ("terms", "jurisdiction"),
    ("transfer", "mentions"),
    ("cookies", "words"),
    ("data", "terms"),
    ("purposes", "intro"),
];
const K_LEGAL: u32 = 1 << 0;
const K_DATA_INTRO: u32 = 1 << 1;
const K_PURPOSE_CTX: u32 = 1 << 2;
const K_PURPOSE_VERBS: u32 = 1 << 3;
const K_PURPOSE_NOT: u32 = 1 << 4;
const K_RECIPIENTS: u32 = 1 << 5;
const K_RIGHTS: u32 = 1 << 6;
const K_COMPLAINT: u32 = 1 << 7;
const K_COMPLAINT_WORDS: u32 = 1 << 8;
const K_LIABILITY: u32 = 1 << 9;
const K_JURISDICTION: u32 = 1 << 10;
const K_TRANSFER: u32 = 1 << 11;
const K_COOKIES: u32 = 1 << 12;
const K_DATA_TERM: u32 = 1 << 13;
const K_PURPOSE_INTRO: u32 = 1 << 14;

/// Which context lists occur in which sentence.
struct SentenceFlags {
    bits: Vec<u32>,
}

/// The phrase sets read over the whole text, as their `find_iter` finds them there (see
/// [`WholeText::new`]).
struct WholeText {
    /// The context lists per sentence.
    flags: SentenceFlags,
    /// `[doc_type]` ([`Lexicon::tagged`] over all its lists).
    doc_type: Vec<RawHit>,
    /// The special categories ([`special_set`]).
    special: Vec<RawHit>,
    /// The service aliases ([`service_matchers`]).
    services: Vec<RawHit>,
    /// The start of every occurrence of a unit of time's last word
    /// ([`DurationReader::unit_anchors`] of the document's language), inside words too.
    units: Vec<usize>,
}

/// The members of the whole-text [`Scan`]: the context lists, then the phrase sets
/// (`[doc_type]`, the special categories, the service aliases), then the units of time.
const M_FLAGS: usize = 0;
const M_UNITS: usize = 4;

impl WholeText {
    /// One overlapping Aho-Corasick pass over the whole text for the context lists (per
    /// sentence) and the phrase sets otherwise searched over the whole text one by one.
    fn new(text: &str, lex: &Lexicon, sents: &[Range<usize>], units: &[String]) -> Self {
        let scan = cached(&format!("whole-text-scan:{}", lex.language.code()), || {
            let mut patterns: Vec<String> = Vec::new();
            let mut ids: Vec<u32> = Vec::new();
            for (bit, (section, key)) in CONTEXTS.iter().enumerate() {
                let list = if *section == "transfer" {
                    Some(&lex.raw.transfer.mentions)
                } else {
                    lex.raw.section(section).and_then(|m| m.get(*key))
                };
                for p in list.into_iter().flatten() {
                    let p = p.trim();
                    if !p.is_empty() {
                        patterns.push(p.to_owned());
                        ids.push(1u32 << bit);
                    }
                }
            }
            let doc_type = Lexicon::tagged(&lex.raw.doc_type, &[]);
            let special = special_set(lex);
            let scan = Scan::new(&[
                &patterns,
                doc_type.phrases(),
                special.phrases(),
                service_matchers().0.phrases(),
                units,
            ]);
            (scan, ids)
        });
        let mut bits = vec![0u32; sents.len()];
        let (Some(sc), ids) = (&scan.0, &scan.1) else {
            // no automaton: each set searched on its own
            return Self {
                flags: SentenceFlags { bits },
                doc_type: Lexicon::tagged(&lex.raw.doc_type, &[]).find_raw(text),
                special: special_set(lex).find_raw(text),
                services: service_matchers().0.find_raw(text),
                units: Vec::new(),
            };
        };
        let mut raw: [Vec<RawHit>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let mut unit_at: Vec<usize> = Vec::new();
        // the first sentence that ends after a match's start, as `partition_point` gives
        // it: the matches come nearly in order, so a cursor moves forward, and a start
        // behind it is searched for again
        let mut i = 0usize;
        sc.each(text, |member, (start, end, k)| {
            if member == M_UNITS {
                unit_at.push(start);
                return;
            }
            if member != M_FLAGS {
                if let Some(v) = raw.get_mut(member.wrapping_sub(1)) {
                    v.push((start, end, k));
                }
                return;
            }
            if !super::lexicon::is_word_boundary(text, start, end) {
                return;
            }
            let x = start;
            if i.checked_sub(1)
                .and_then(|p| sents.get(p))
                .is_some_and(|s| s.end > x)
            {
                i = sents.partition_point(|s| s.end <= x);
            } else {
                while sents.get(i).is_some_and(|s| s.end <= x) {
                    i += 1;
                }
            }
            if let (Some(s), Some(b)) = (sents.get(i), bits.get_mut(i))
                && s.start <= start
                && end <= s.end
            {
                *b |= ids.get(k).copied().unwrap_or(0);
            }
        });
        let [doc_type, special, services] = raw.map(|r| leftmost_longest(text, r));
        Self {
            flags: SentenceFlags { bits },
            doc_type,
            special,
            services,
            units: unit_at,
        }
    }
}

impl SentenceFlags {
    fn has(&self, sentence: usize, flag: u32) -> bool {
        self.bits.get(sentence).is_some_and(|b| b & flag != 0)
    }
}

/// Reads every fact of a document.
#[must_use]
pub fn extract(doc: &Document, structure: &Structure, segments: &Segments) -> Facts {
    let text = doc.text.as_str();
    let language = detect_language(text);
    let lex = lexicon(language);
    let sents = segments.sentences.as_slice();
    let reader = DurationReader::of(language);
    let anchors = reader.unit_anchors();
    let WholeText {
        flags,
        doc_type: doc_type_hits,
        special: special_hits,
        services: service_hits,
        units,
    } = WholeText::new(text, lex, sents, anchors.unwrap_or_default());
    let lists = list_blocks(text);
    let sections = Sections::find(text, structure, lex, &segments.lines);
    // the durations lie around their units, found in the whole-text scan
    let durations = if anchors.is_some() {
        reader.find_at(text, &units)
    } else {
        reader.find(text)
    };
    let (doc_type, parts) = detect_doc_type(text, lex, &doc_type_hits);
    let has_privacy = parts
        .iter()
        .any(|p| matches!(p, DocType::PrivacyStatement | DocType::Cookie));
    let emails: Vec<Found<String>> = identifiers::hosts(text)
        .into_iter()
        .filter_map(|r| {
            let s = text.get(r.clone()).filter(|s| s.contains('@'))?;
            Some(Found::new(s.to_owned(), r))
        })
        .collect();
    let phones = find_phones(text);
    let kvk = find_kvk(text);
    let postcodes: Vec<Found<String>> = identifiers::postcodes(text)
        .into_iter()
        .filter_map(|r| Some(Found::new(text.get(r.clone())?.to_owned(), r)))
        .collect();
    let addresses = find_addresses(text, &postcodes);
    // in a processor agreement a role sentence names the customer, not the party it is from
    let found_name = find_controller(text, lex, sents, doc_type != DocType::Dpa);
    let privacy_contact = find_privacy_contact(text, lex, sents);
    let special_categories = find_special(text, lex, sents, &special_hits);
    let legal_bases = if has_privacy {
        find_legal_bases(text, lex, sents, &flags)
    } else {
        Vec::new()
    };
    let kinds = intro_kinds(text, &lists, lex);
    let data_categories = find_data_categories(text, lex, &lists, &kinds, sents, &flags, &sections);
    let purposes = find_purposes(text, lex, &lists, &kinds, sents, &flags, &sections);
    let retention = find_retention(text, lex, sents, &durations, &sections);
    let (mut recipients, cookies, cookie_sentences) =
        find_recipients(text, lex, sents, &lists, &flags, &sections, &service_hits);
    // In a contract (terms, a processor agreement) "de opdrachtgever" is the other party to
    // it, not someone the data are given to.
    if parts
        .iter()
        .any(|p| matches!(p, DocType::Terms | DocType::Dpa))
    {
        let party = Lexicon::words(&lex.raw.recipients, "contract_parties");
        recipients.retain(|r| !party.iter().any(|p| p.eq_ignore_ascii_case(&r.value)));
    }
    // In a processor agreement the controller is the customer, who is rarely named (a
    // placeholder or "Klant"); the party the agreement is from is the processor, a recipient.
    let controller_name = if doc_type == DocType::Dpa {
        if let Some(p) = found_name
            && !recipients
                .iter()
                .any(|r| r.value.eq_ignore_ascii_case(&p.value))
        {
            recipients.insert(0, p);
        }
        None
    } else {
        found_name
    };
    let transfer = find_transfer(text, lex, sents, &flags);
    // general terms without a privacy part: "wijzigen", "verwijderen" and "aanpassen" there are
    // about the work and the contract, not the person's rights
    let rights = if doc_type == DocType::Terms {
        Vec::new()
    } else {
        find_rights(text, lex, sents, &lists, &flags)
    };
    let request_deadline = find_request_deadline(text, lex, sents, &durations, has_privacy);
    let complaint_authority = find_complaint(text, sents, &flags);
    let terms = find_terms(text, lex, sents, &durations, &flags);
    let last_updated = find_last_updated(text, lex);
    super::Facts {
        doc_type,
        parts,
        language,
        controller_name,
        kvk,
        addresses,
        postcodes,
        emails,
        phones,
        privacy_contact,
        data_categories,
        special_categories,
        purposes,
        legal_bases,
        retention,
        durations,
        recipients,
        cookies,
        transfer,
        rights,
        request_deadline,
        complaint_authority,
        cookie_sentences,
        last_updated,
        terms,
    }
}

fn sent_text<'t>(text: &'t str, r: &Range<usize>) -> &'t str {
    text.get(r.clone()).unwrap_or_default()
}

/// The regular expressions of a lexicon list (`[section] key`), compiled once per language; a
/// pattern that does not compile is left out (the data test `data_files_parse` rejects it).
fn patterns(lex: &Lexicon, section: &str, key: &str) -> std::sync::Arc<Vec<Regex>> {
    cached(
        &format!("re:{}:{section}:{key}", lex.language.code()),
        || {
            lex.raw
                .section(section)
                .and_then(|s| s.get(key))
                .into_iter()
                .flatten()
                .filter_map(|p| re(p))
                .collect()
        },
    )
}

/// The paragraph (the line, in the normalised text) around a range.
fn paragraph(text: &str, r: &Range<usize>) -> Range<usize> {
    let start = text
        .get(..r.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i.saturating_add(1));
    let end = text
        .get(r.end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| r.end.saturating_add(i));
    start..end
}

/// Byte windows `[anchor - before, anchor_end + after]` on character boundaries, merged.
fn char_windows(
    text: &str,
    anchors: impl Iterator<Item = Range<usize>>,
    before: usize,
    after: usize,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in anchors {
        let mut a = r.start.saturating_sub(before);
        while a > 0 && !text.is_char_boundary(a) {
            a = a.saturating_sub(1);
        }
        let mut b = r.end.saturating_add(after).min(text.len());
        while b < text.len() && !text.is_char_boundary(b) {
            b = b.saturating_add(1);
        }
        match out.last_mut() {
            Some(l) if l.end >= a => l.end = l.end.max(b),
            _ => out.push(a..b),
        }
    }
    out
}

// ---------------------------------------------------------------- language and type

/// Detects the language: a stop-word count over the first 20,000 characters when it is clear
/// (see [`clear_language`]), else whatlang restricted to the supported languages on the same
/// characters, with the stop-word count as the fallback when whatlang is unsure.
#[must_use]
pub fn detect_language(text: &str) -> Lang {
    let end = text
        .char_indices()
        .nth(20_000)
        .map_or(text.len(), |(i, _)| i);
    let sample = text.get(..end).unwrap_or(text);
    let counts = stopword_counts(sample);
    if let Some(clear) = clear_language(&counts) {
        return clear;
    }
    let det = whatlang::Detector::with_allowlist(vec![whatlang::Lang::Nld, whatlang::Lang::Eng]);
    if let Some(info) = det.detect(sample)
        && info.is_reliable()
    {
        return match info.lang() {
            whatlang::Lang::Eng => Lang::En,
            _ => Lang::Nl,
        };
    }
    let mut best = (Lang::Nl, 0usize);
    for c in counts {
        if c.all > best.1 {
            best = (c.language, c.all);
        }
    }
    best.0
}

/// How many of its own stop words a language needs before the count alone decides.
const CLEAR_STOPWORDS: usize = 40;
/// How many times the other language's count of its own stop words that takes.
const CLEAR_RATIO: usize = 8;

/// The stop words of one language in a sample.
#[derive(Debug, Clone, Copy)]
struct StopwordCount {
    language: Lang,
    /// All its stop words.
    all: usize,
    /// Only the stop words no other language has (`in`, `is` are Dutch and English).
    own: usize,
}

/// The language whose own stop words clearly outnumber the other's: at least
/// [`CLEAR_STOPWORDS`] of them and [`CLEAR_RATIO`] times as many. A text in one language
/// meets this easily; a mixed or very short text goes to whatlang.
fn clear_language(counts: &[StopwordCount]) -> Option<Lang> {
    let best = counts.iter().max_by_key(|c| c.own)?;
    let others = counts
        .iter()
        .filter(|c| c.language != best.language)
        .map(|c| c.own)
        .max()
        .unwrap_or(0);
    (best.own >= CLEAR_STOPWORDS && best.own >= others.saturating_mul(CLEAR_RATIO))
        .then_some(best.language)
}

/// The stop words of all lexicons, for [`stopword_counts`].
struct Stopwords {
    /// Lower-case stop word → a bit per lexicon (in the order of [`all`]).
    words: std::collections::HashMap<String, u32>,
    /// The ASCII stop words of at most 8 bytes packed into a `u64` (see [`pack`]), sorted, with
    /// their bits: the look-up for nearly every word of a text.
    packed: Vec<(u64, u32)>,
    /// The longest stop word in bytes.
    longest: usize,
}

/// An ASCII word of at most 8 bytes as a number (its bytes, lower cased, little end first).
fn pack(word: &[u8]) -> Option<u64> {
    if word.len() > 8 {
        return None;
    }
    let mut k = 0u64;
    for (i, b) in word.iter().enumerate() {
        k |= u64::from(b.to_ascii_lowercase()) << (8 * i);
    }
    Some(k)
}

/// For each lexicon, how many words of `sample` (split at non-alphanumeric characters, lower
/// cased) are among its stop words.
fn stopword_counts(sample: &str) -> Vec<StopwordCount> {
    let sw = cached("stopwords-by-lexicon", || {
        let mut words: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        for (i, lex) in all().iter().enumerate() {
            for w in &lex.stopwords {
                *words.entry(w.to_lowercase()).or_default() |= 1u32 << (i % 32);
            }
        }
        let mut packed: Vec<(u64, u32)> = words
            .iter()
            .filter(|(w, _)| w.is_ascii())
            .filter_map(|(w, bits)| Some((pack(w.as_bytes())?, *bits)))
            .collect();
        packed.sort_unstable();
        let longest = words.keys().map(String::len).max().unwrap_or(0);
        Stopwords {
            words,
            packed,
            longest,
        }
    });
    let mut counts: Vec<StopwordCount> = all()
        .iter()
        .map(|lex| StopwordCount {
            language: lex.language,
            all: 0,
            own: 0,
        })
        .collect();
    let mut add = |bits: u32| {
        if bits == 0 {
            return;
        }
        let own = bits.count_ones() == 1;
        for (i, c) in counts.iter_mut().enumerate() {
            if bits & (1u32 << (i % 32)) != 0 {
                c.all = c.all.saturating_add(1);
                if own {
                    c.own = c.own.saturating_add(1);
                }
            }
        }
    };
    let lookup = |w: &str| -> u32 {
        if w.is_ascii() {
            // an ASCII word keeps its length when lower cased: a longer one is no stop word
            if w.len() > sw.longest {
                return 0;
            }
            if let Some(k) = pack(w.as_bytes()) {
                return sw
                    .packed
                    .binary_search_by_key(&k, |(p, _)| *p)
                    .ok()
                    .and_then(|i| sw.packed.get(i))
                    .map_or(0, |(_, bits)| *bits);
            }
        }
        sw.words.get(&w.to_lowercase()).copied().unwrap_or(0)
    };
    for r in char_runs(sample, RunOf::LettersAndDigits) {
        add(lookup(sample.get(r).unwrap_or_default()));
    }
    counts
}

/// The kind of document, from the `[doc_type]` phrases found in the whole text (`hits`, as
/// `Lexicon::tagged(&lex.raw.doc_type, &[]).find_iter(text)` finds them).
fn detect_doc_type(text: &str, lex: &Lexicon, hits: &[RawHit]) -> (DocType, Vec<DocType>) {
    let set = Lexicon::tagged(&lex.raw.doc_type, &[]);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for value in hits.iter().filter_map(|h| set.value(h.2)) {
        *counts.entry(value.as_str()).or_default() += 1;
    }
    let c = |k: &str| counts.get(k).copied().unwrap_or(0);
    let (privacy_self, privacy_elsewhere) = (c("privacy_self"), c("privacy_elsewhere"));
    let privacy = c("privacy") + privacy_self + privacy_elsewhere;
    let privacy_body = c("privacy_body");
    let (terms, terms_body) = (c("terms"), c("terms_body"));
    let (dpa, dpa_body) = (c("dpa"), c("dpa_body"));
    let (cookie, cookie_body) = (c("cookie"), c("cookie_body"));
    let is_terms = terms >= 2 && terms_body >= 5 || terms_body >= 15;
    let is_dpa = dpa >= 1 && dpa_body >= 8 || dpa_body >= 20;
    let is_privacy = privacy >= 2 && privacy_body >= 3
        || privacy >= 1 && privacy_body >= 5 && !is_dpa
        || privacy_body >= 10 && !is_dpa && !is_terms
        || privacy >= 1 && !is_dpa && !is_terms;
    let is_cookie = cookie >= 1 && cookie_body >= 5 && !is_privacy;
    // A title that names the kind of document decides its main kind; a privacy statement inside
    // terms, a processor agreement or a cookie statement then needs a heading of its own (a
    // mention of "the privacy statement" in a clause is no privacy statement), and is none when
    // the text points to a privacy statement elsewhere and never calls itself one (a clause
    // "Personal data" that refers to the privacy statement for the rest).
    let points_elsewhere = privacy_elsewhere > 0 && privacy_self == 0;
    let (is_privacy, is_terms, is_cookie) = match title_kind(text, &set) {
        Some(title) => (
            title == "privacy"
                || is_privacy && has_heading(text, &set, "privacy") && !points_elsewhere,
            title == "terms" || is_terms && has_heading(text, &set, "terms"),
            title == "cookie",
        ),
        None => (is_privacy, is_terms, is_cookie),
    };
    let is_dpa = is_dpa || title_kind(text, &set) == Some("dpa");
    let mut parts = Vec::new();
    for (on, kind) in [
        (is_privacy, DocType::PrivacyStatement),
        (is_terms, DocType::Terms),
        (is_dpa, DocType::Dpa),
        (is_cookie, DocType::Cookie),
    ] {
        if on {
            parts.push(kind);
        }
    }
    let doc_type = match parts.as_slice() {
        [] => {
            let best = [
                (privacy_body, DocType::PrivacyStatement),
                (terms_body, DocType::Terms),
                (dpa_body, DocType::Dpa),
                (cookie_body, DocType::Cookie),
            ]
            .into_iter()
            .rev()
            .max_by_key(|(n, _)| *n)
            .map_or(DocType::PrivacyStatement, |(_, k)| k);
            parts.push(best);
            best
        }
        [one] => *one,
        _ => DocType::Mixed,
    };
    (doc_type, parts)
}

/// The kinds a title can name (the strong phrases of `[doc_type]`).
const TITLE_KINDS: &[&str] = &["privacy", "terms", "dpa", "cookie"];

/// A line short enough to be a title or heading, without its numbering ("12.", "Artikel 9 -",
/// "A.", "Hoofdstuk 2:"); `None` for list items and long lines.
pub(super) fn heading_text(line: &str) -> Option<&str> {
    let t = line.trim();
    if t.is_empty() || t.len() > 80 || t.starts_with(['-', '*', '\u{2022}']) {
        return None;
    }
    // the word of a numbered article or chapter (`[structure]` of every `text.toml`) when a
    // number or a letter follows it ("Artikel 9 -", "Bijlage A"; not "Part of ...")
    let rest = crate::text::data::text_data()
        .ok()
        .and_then(|d| {
            d.structure.heading_words().find_map(|word| {
                let after = crate::text::data::after_word(t, word)?;
                let mut cs = after.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), _) if c.is_ascii_digit() => Some(after),
                    // a letter: skipped here, the digits are trimmed below
                    (Some(c), None | Some(' ' | '.' | ':' | '-' | '\u{2013}'))
                        if c.is_ascii_uppercase() =>
                    {
                        after.get(1..)
                    }
                    _ => None,
                }
            })
        })
        .unwrap_or(t);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    let rest = match rest.as_bytes() {
        [a, b'.' | b')', b' ', ..] if a.is_ascii_alphabetic() => rest.get(3..).unwrap_or(""),
        _ => rest,
    };
    Some(rest.trim_start_matches(['-', ':', '\u{2013}', ' ']))
}

/// The kind of document the title names: the first of the first five non-empty lines that is
/// short and holds a title phrase ("Privacyverklaring van X", "Cookiebeleid", "General Terms").
fn title_kind(text: &str, set: &PhraseSet<String>) -> Option<&'static str> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .filter_map(heading_text)
        .find_map(|h| {
            set.find_iter(h).find_map(|hit| {
                TITLE_KINDS
                    .iter()
                    .find(|k| **k == hit.value.as_str())
                    .copied()
            })
        })
}

/// Whether a heading line starts with a title phrase of `kind` ("Privacyverklaring",
/// "12. Privacy Policy"), not merely mentions it.
fn has_heading(text: &str, set: &PhraseSet<String>, kind: &str) -> bool {
    // every line (`split_lines`, not `lines`: a last empty line or a `\r` is no heading either)
    split_lines(text)
        .filter_map(|(_, l)| heading_text(l))
        .any(|h| {
            set.find_iter(h)
                .any(|hit| hit.start == 0 && hit.value == kind)
        })
}

// ---------------------------------------------------------------- controller

fn find_phones(text: &str) -> Vec<Found<String>> {
    let Some(re) = PHONE.as_ref() else {
        return Vec::new();
    };
    let not_phone_after: &[String] = crate::text::data::text_data()
        .map(|d| d.not_phone_after.as_slice())
        .unwrap_or_default();
    let mut out = Vec::new();
    for m in re.find_iter(text) {
        let s = m.as_str().trim_end();
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let ok = if s.starts_with('+') || s.starts_with("00") {
            (10..=13).contains(&digits.len())
        } else {
            digits.len() == 10
        };
        if !ok {
            continue;
        }
        // Not an IBAN, a bank account or a KvK number: look at the words before
        // (`not_phone_after` in `data/<lang>/text.toml`).
        let start = text.floor_char_boundary(m.start().saturating_sub(30));
        let before = text
            .get(start..m.start())
            .unwrap_or_default()
            .to_lowercase();
        if not_phone_after.iter().any(|w| before.contains(w.as_str())) {
            continue;
        }
        out.push(Found::new(
            s.to_owned(),
            m.start()..m.start().saturating_add(s.len()),
        ));
    }
    out
}

fn find_kvk(text: &str) -> Vec<Found<String>> {
    kvk_numbers(text)
        .into_iter()
        .map(|k| Found::new(k.digits, k.span))
        .collect()
}

/// Windows of the text around each postcode (where a full address can be), merged.
fn postcode_windows(text: &str, postcodes: &[Found<String>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for p in postcodes {
        let mut a = p.span.start.saturating_sub(120);
        while a > 0 && !text.is_char_boundary(a) {
            a = a.saturating_sub(1);
        }
        let mut b = p.span.end.saturating_add(60).min(text.len());
        while b < text.len() && !text.is_char_boundary(b) {
            b = b.saturating_add(1);
        }
        match out.last_mut() {
            Some(last) if last.end >= a => last.end = last.end.max(b),
            _ => out.push(a..b),
        }
    }
    out
}

/// The lines where [`ADDRESS_TE`] can match, in order: a match lies within one line (none of its
/// parts holds a line break) and holds " te " or " in " and a digit (ASCII, or another that
/// `\d` reads: a line with a byte above ASCII is kept). Reading only these lines finds what
/// reading the whole text finds.
fn te_lines(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut at: Vec<usize> = memchr::memmem::find_iter(bytes, " te ")
        .chain(memchr::memmem::find_iter(bytes, " in "))
        .collect();
    at.sort_unstable();
    let mut out: Vec<Range<usize>> = Vec::new();
    // the end of the last line read: a phrase before it is on that line
    let mut read_to = 0usize;
    for p in at {
        if p < read_to {
            continue;
        }
        let start = bytes
            .get(..p)
            .and_then(|b| memchr::memrchr(b'\n', b))
            .map_or(0, |i| i.saturating_add(1));
        let end = bytes
            .get(p..)
            .and_then(|b| memchr::memchr(b'\n', b))
            .map_or(bytes.len(), |i| p.saturating_add(i));
        read_to = end;
        let line = bytes.get(start..end).unwrap_or_default();
        if line.iter().any(|b| b.is_ascii_digit() || !b.is_ascii()) {
            out.push(start..end);
        }
    }
    out
}

fn find_addresses(text: &str, postcodes: &[Found<String>]) -> Vec<Found<String>> {
    let mut out: Vec<Found<String>> = Vec::new();
    let windows = postcode_windows(text, postcodes);
    let bad_first = &names().not_streets;
    let te_lines = te_lines(text);
    for (re, ranges) in [
        (ADDRESS.as_ref(), windows.as_slice()),
        (ADDRESS_TE.as_ref(), te_lines.as_slice()),
    ] {
        let Some(re) = re else { continue };
        for c in ranges.iter().flat_map(|r| {
            let base = r.start;
            re.captures_iter(text.get(r.clone()).unwrap_or_default())
                .map(move |c| (base, c))
        }) {
            let (base, c) = c;
            let (Some(m), Some(street)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let (ms, me) = (base.saturating_add(m.start()), base.saturating_add(m.end()));
            let first = street
                .as_str()
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if bad_first.iter().any(|b| b == first) {
                continue;
            }
            if out.iter().any(|f| f.span.start < me && ms < f.span.end) {
                continue;
            }
            let v = crate::ingest::collapse_ws(m.as_str());
            let v = v.trim_end_matches([',', '.']).to_owned();
            out.push(Found::new(v, ms..me));
        }
    }
    out.sort_by_key(|f| f.span.start);
    out
}

fn find_controller(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    by_role: bool,
) -> Option<Found<String>> {
    if let Some(c) = LABELLED_NAME.as_ref().and_then(|r| r.captures(text))
        && let Some(m) = c.get(1)
    {
        let v = m.as_str().trim();
        if !v.is_empty() {
            return Some(Found::new(
                v.to_owned(),
                m.start()..m.start().saturating_add(v.len()),
            ));
        }
    }
    if by_role && let Some(f) = controller_by_role(text, lex, sents, "role") {
        return Some(f);
    }
    // "De Universiteit Utrecht, gevestigd aan ..." (the first such sentence)
    if by_role && let Some(f) = controller_by_role(text, lex, sents, "seat") {
        return Some(f);
    }
    // A name with a legal form: the most frequent one, ties broken by first position.
    let mut by_name: BTreeMap<String, (usize, Range<usize>, String)> = BTreeMap::new();
    static FORMS: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&names().legal_forms)
            .ok()
    });
    let windows = FORMS.as_ref().map_or_else(Vec::new, |ac| {
        char_windows(
            text,
            ac.find_iter(text)
                .filter(|m| super::lexicon::is_word_boundary(text, m.start(), m.end()))
                .map(|m| m.start()..m.end()),
            100,
            2,
        )
    });
    if let Some(re) = LEGAL_FORM_NAME.as_ref() {
        for (base, c) in windows.iter().flat_map(|w| {
            let base = w.start;
            re.captures_iter(text.get(w.clone()).unwrap_or_default())
                .map(move |c| (base, c))
        }) {
            let (Some(name), Some(form)) = (c.get(1), c.get(2)) else {
                continue;
            };
            // Drop leading function words and generic words ("Opdrachtnemer: X BV").
            let words: Vec<&str> = name.as_str().split(' ').collect();
            let skip = words
                .iter()
                .position(|w| !is_generic_word(w, lex))
                .unwrap_or(words.len());
            let kept: Vec<&str> = words.iter().skip(skip).copied().collect();
            if kept.is_empty() {
                continue;
            }
            let offset: usize = words
                .iter()
                .take(skip)
                .map(|w| w.len().saturating_add(1))
                .sum();
            let start = base.saturating_add(name.start()).saturating_add(offset);
            let end = base.saturating_add(form.end());
            let Some(full) = text.get(start..end) else {
                continue;
            };
            // "Google Ireland Limited" is a service the controller uses, not the controller,
            // also where the platform's own name was dropped as a generic word above
            let platform = words.iter().take(skip).any(|w| {
                names()
                    .platforms
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(w.trim_matches(|c: char| !c.is_alphanumeric())))
            });
            if platform || is_service_name(c.get(0).map_or(full, |m| m.as_str())) {
                continue;
            }
            let key = kept.join(" ").to_lowercase();
            let e = by_name
                .entry(key)
                .or_insert((0, start..end, full.to_owned()));
            e.0 = e.0.saturating_add(1);
        }
    }
    if let Some((_, (_, span, v))) = by_name
        .into_iter()
        .max_by_key(|(_, (n, span, _))| (*n, std::cmp::Reverse(span.start)))
    {
        return Some(Found::new(v, span));
    }
    // Otherwise the most frequent proper name (capitalised inside sentences, not a common word;
    // words of title-case headings such as "How We Protect Your Data" do not count).
    let mut title_lines: Vec<Range<usize>> = Vec::new();
    for (line_start, line) in split_lines(text) {
        let t = line.trim();
        if !t.is_empty() && word_count(t) <= 10 && !t.ends_with(['.', ',', ';', ':']) {
            title_lines.push(line_start..line_start.saturating_add(line.len()));
        }
    }
    let in_title = |at: usize| {
        let i = title_lines.partition_point(|r| r.end < at);
        title_lines.get(i).is_some_and(|r| r.start <= at)
    };
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut prev_end_char = '.';
    let mut pos = 0usize;
    for word in text.split(|c: char| c.is_whitespace()) {
        let start = pos;
        pos = pos.saturating_add(word.len()).saturating_add(1);
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        let sentence_start = matches!(prev_end_char, '.' | ':' | '!' | '?' | '•' | '\n');
        prev_end_char = word.chars().next_back().unwrap_or(prev_end_char);
        if w.len() < 3 || sentence_start || in_title(start) {
            continue;
        }
        let upper = w.chars().filter(|c| c.is_uppercase()).count();
        if !w.starts_with(char::is_uppercase) || is_generic_word(w, lex) {
            continue;
        }
        if upper == w.chars().count() && w.len() > 6 {
            continue; // SHOUTED heading words
        }
        let e = counts.entry(w).or_insert((0, start));
        e.0 = e.0.saturating_add(1);
    }
    // A word the text also writes in lower case inside a sentence ("Social" / "social media",
    // "User Provided Data" / "you provided") is a common word, not a name; a known outside
    // service ("Flurry") is not the controller.
    let mut ranked: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    ranked.sort_by_key(|(_, (n, start))| (std::cmp::Reverse(*n), *start));
    let (name, (n, start)) = ranked
        .into_iter()
        .take_while(|(_, (n, _))| *n >= 3)
        .find(|(w, _)| !written_in_lower_case(text, w) && !is_service_name(w))?;
    if n < 3 {
        return None;
    }
    let off = text.get(start..)?.find(name)?;
    let s = start.saturating_add(off);
    Some(Found::new(name.to_owned(), s..s.saturating_add(name.len())))
}

/// Whether `text` also writes `word` all in lower case as a word of running text ("social"
/// beside "Social"), not inside an e-mail or web address ("info@fitnytech.com" beside
/// "FitnyTech"), when `word` is not all lower case already.
fn written_in_lower_case(text: &str, word: &str) -> bool {
    let lower = word.to_lowercase();
    if lower == word {
        return false;
    }
    memchr::memmem::find_iter(text.as_bytes(), lower.as_bytes()).any(|i| {
        let before = text.get(..i).and_then(|t| t.chars().next_back());
        let rest = text.get(i.saturating_add(lower.len())..).unwrap_or("");
        let mut after = rest.chars();
        let spaced_before =
            before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201C}'));
        let spaced_after = match after.next() {
            None => true,
            Some('.') => after.next().is_none_or(char::is_whitespace),
            Some(c) => {
                c.is_whitespace()
                    || matches!(c, ',' | ';' | ':' | ')' | '"' | '\u{201D}' | '!' | '?')
            }
        };
        spaced_before && spaced_after
    })
}

/// The subject of a sentence that names the controller's role ("Givt B.V. is de
/// verwerkingsverantwoordelijke", "The X Society is considered a data controller"; `list` =
/// `role`) or its seat ("De Universiteit Utrecht, gevestigd aan ..."; `list` = `seat`): the first
/// comma-separated part before the role phrase, without a leading article, when it starts with a
/// capital and is at most six words that are not all generic.
fn controller_by_role(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    list: &str,
) -> Option<Found<String>> {
    let roles = Lexicon::list(&lex.raw.controller, list);
    for s in sents {
        let st = sent_text(text, s);
        let Some(h) = roles.find_iter(st).next() else {
            continue;
        };
        let before = st.get(..h.start).unwrap_or_default();
        // a seat phrase follows the name after a comma ("X, gevestigd te Y")
        if list == "seat" && !before.trim_end().ends_with(',') {
            continue;
        }
        // the sentence's subject: up to its first comma or parenthesis ("X, gevestigd te Y, is
        // ...", "X (hierna: wij) is ...")
        let subject = before.split([',', '(']).next().unwrap_or_default().trim();
        let mut words: Vec<&str> = subject.split_whitespace().collect();
        if words
            .first()
            .is_some_and(|w| lex.stopwords.contains(&w.to_lowercase()) || is_article(w))
        {
            words.remove(0);
        }
        if words.is_empty()
            || words.len() > 6
            || words.iter().all(|w| is_generic_word(w, lex))
            || !words
                .first()
                .and_then(|w| w.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        {
            continue;
        }
        let name = words.join(" ");
        let Some(off) = st
            .get(..h.start)
            .and_then(|b| b.find(words.first().copied().unwrap_or_default()))
        else {
            continue;
        };
        let a = s.start.saturating_add(off);
        let span = a..a.saturating_add(name.len());
        if text.get(span.clone()) == Some(name.as_str()) {
            return Some(Found::new(name, span));
        }
        return Some(Found::new(name, s.clone()));
    }
    None
}

/// "De", "Het", "The", "A": an article that starts a subject.
fn is_article(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "de" | "het" | "een" | "the" | "a" | "an"
    )
}

/// Whether a name contains a known service (`data/services.toml`).
fn is_service_name(name: &str) -> bool {
    service_matchers().0.find_iter(name).next().is_some()
}

/// Words that are capitalised in running text but are not names.
fn is_generic_word(w: &str, lex: &Lexicon) -> bool {
    static GENERIC: LazyLock<PhraseSet<()>> =
        LazyLock::new(|| PhraseSet::new(names().not_names.iter().map(|w| (w.as_str(), ()))));
    let l = w.to_lowercase();
    GENERIC
        .find_iter(w)
        .any(|h| h.start == 0 && h.end == w.len())
        || lex.stopwords.contains(&l)
        || lex.months.contains_key(&l)
}

fn find_privacy_contact(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
) -> Option<Found<String>> {
    let set = Lexicon::list(&lex.raw.privacy_contact, "phrases");
    let negations = Lexicon::list(&lex.raw.special_categories, "negations");
    for h in set.find_iter(text) {
        let phrase = text.get(h.start..h.end)?;
        // short aliases (FG, DPO) must be written in capitals
        if phrase.len() <= 3 && phrase.chars().any(char::is_lowercase) {
            continue;
        }
        let sent = sentence_of(sents, h.start);
        let before = sent
            .and_then(|s| text.get(s.start..h.start))
            .unwrap_or_default();
        if negations.any(before) {
            continue;
        }
        // ", mevrouw Jane Doe" / " (Jane Doe)" after the title
        static NAME_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
            re(
                r"^(?:,\s*|\s*\(\s*|\s+)((?:(?:mevrouw|meneer|de heer|dhr\.|mevr\.|mw\.|mr\.|mrs\.|ms\.|dr\.)\s+)?\p{Lu}[\p{L}.-]+(?:\s+(?:van|de|der|den|ter|ten)?\s*\p{Lu}[\p{L}-]+){1,3})",
            )
        });
        let after = text.get(h.end..).unwrap_or_default();
        let end = NAME_AFTER
            .as_ref()
            .and_then(|r| r.captures(after))
            .and_then(|c| c.get(1))
            .map_or(h.end, |m| h.end.saturating_add(m.end()));
        let v = crate::ingest::collapse_ws(text.get(h.start..end)?);
        return Some(Found::new(v, h.start..end));
    }
    None
}

// ---------------------------------------------------------------- categories

fn negated(sentence: &str, negations: &PhraseSet<()>) -> bool {
    negations.any(sentence)
}

/// One phrase set over the lists of a lexicon section whose keys name values (`consent` →
/// [`LegalBasis::Consent`]): a phrase of a key's list finds its value. Built once per language;
/// a key without a list finds nothing.
fn keyed_set<V: Copy + Send + Sync + 'static, const N: usize>(
    lex: &Lexicon,
    name: &str,
    section: &BTreeMap<String, Vec<String>>,
    keys: [(&str, V); N],
) -> Arc<PhraseSet<V>> {
    cached(&format!("{name}:{}", lex.language.code()), || {
        PhraseSet::new(keys.iter().flat_map(|(k, v)| {
            section
                .get(*k)
                .into_iter()
                .flatten()
                .map(move |p| (p.as_str(), *v))
        }))
    })
}

/// The special-category phrases of a lexicon, tagged with their category.
fn special_set(lex: &Lexicon) -> Arc<PhraseSet<SpecialCategory>> {
    let keys = [
        ("health", SpecialCategory::Health),
        ("bsn", SpecialCategory::Bsn),
        ("criminal", SpecialCategory::Criminal),
        ("racial_ethnic", SpecialCategory::RacialEthnic),
        ("political", SpecialCategory::Political),
        ("religious", SpecialCategory::Religious),
        ("trade_union", SpecialCategory::TradeUnion),
        ("genetic", SpecialCategory::Genetic),
        ("biometric", SpecialCategory::Biometric),
        ("sex_life_orientation", SpecialCategory::SexLifeOrientation),
    ];
    keyed_set(lex, "special", &lex.raw.special_categories, keys)
}

/// The special categories claimed, from the phrases found in the whole text (`hits`, as
/// `special_set(lex).find_iter(text)` finds them).
fn find_special(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    hits: &[RawHit],
) -> Vec<Found<SpecialCategory>> {
    let set = special_set(lex);
    let negations = Lexicon::list(&lex.raw.special_categories, "negations");
    let definitions = Lexicon::list(&lex.raw.special_categories, "definitions");
    let citations = Lexicon::list(&lex.raw.special_categories, "citations");
    let mut out: Vec<Found<SpecialCategory>> = Vec::new();
    for &(start, end, k) in hits {
        let Some(value) = set.value(k) else { continue };
        let h = super::lexicon::Hit { start, end, value };
        let phrase = text.get(h.start..h.end).unwrap_or_default();
        // short acronyms (BSN, VOG) must be capitals
        if phrase.len() <= 3 && phrase.chars().any(char::is_lowercase) {
            continue;
        }
        let Some(sr) = sentence_of(sents, h.start) else {
            continue;
        };
        let sent = sent_text(text, sr);
        if negated(sent, &negations) {
            continue;
        }
        // "Bijzondere persoonsgegevens zijn gegevens over gezondheid, ras, ...": a sentence that
        // explains what the special categories are claims none of them.
        if definitions.any(sent) && set.find_iter(sent).take(2).count() >= 2 {
            continue;
        }
        // "the German Criminal Code": the name of a law, not a kind of data
        let at = h.start.saturating_sub(sr.start)..h.end.saturating_sub(sr.start);
        if citations
            .find_iter(sent)
            .any(|c| c.start <= at.start && at.end <= c.end)
        {
            continue;
        }
        out.push(Found::new(*h.value, h.start..h.end));
    }
    out
}

fn find_legal_bases(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    flags: &SentenceFlags,
) -> Vec<Found<LegalBasis>> {
    let set = keyed_set(
        lex,
        "bases",
        &lex.raw.legal_bases,
        LegalBasis::ALL.map(|b| (b.key(), b)),
    );
    let mut out = Vec::new();
    for (i, s) in sents.iter().enumerate() {
        if !flags.has(i, K_LEGAL) {
            continue;
        }
        let st = sent_text(text, s);
        for h in set.find_iter(st) {
            out.push(Found::new(
                *h.value,
                s.start.saturating_add(h.start)..s.start.saturating_add(h.end),
            ));
        }
    }
    out
}

/// Cleans a list item or phrase into a category/purpose as written: first sentence, no trailing
/// punctuation, conjunction or parenthetical remark.
fn clean_item(text: &str, r: Range<usize>) -> Option<(String, Range<usize>)> {
    let s = text.get(r.clone())?;
    // first sentence
    let mut end = s.len();
    for (i, _) in s.match_indices(". ") {
        if i > 3 {
            end = i.saturating_add(1);
            break;
        }
    }
    if let Some(i) = s.find(';') {
        end = end.min(i);
    }
    let mut t = s.get(..end)?.trim_end();
    loop {
        let before = t.len();
        t = t.trim_end_matches(['.', ',', ';', ':', ' ', '\n', '\t']);
        for conj in [" en", " of", " and", " or", " en/of", " and/or"] {
            if let Some(x) = t.strip_suffix(conj) {
                t = x;
            }
        }
        // trailing parenthetical remark
        if t.ends_with(')')
            && let Some(open) = t.rfind('(')
            && open > 0
        {
            t = t.get(..open)?.trim_end();
        }
        if t.len() == before {
            break;
        }
    }
    let t = t.trim_start_matches(['-', '•', '*', ' ']);
    if t.is_empty() {
        return None;
    }
    let start = r.start.saturating_add(s.find(t)?);
    Some((
        crate::ingest::collapse_ws(t),
        start..start.saturating_add(t.len()),
    ))
}

/// "X, waaronder a, b en c" → [a, b, c]; otherwise [X].
fn split_enumeration(text: &str, r: Range<usize>, lex: &Lexicon) -> Vec<(String, Range<usize>)> {
    let Some((v, span)) = clean_item(text, r) else {
        return Vec::new();
    };
    let markers = lex.grammar("enumeration_markers");
    let s = text.get(span.clone()).unwrap_or_default();
    for m in markers {
        if let Some(i) = s.find(m.as_str()) {
            let tail_start = span.start.saturating_add(i).saturating_add(m.len());
            return split_commas(text, tail_start..span.end, lex);
        }
    }
    vec![(v, span)]
}

fn split_commas(text: &str, r: Range<usize>, lex: &Lexicon) -> Vec<(String, Range<usize>)> {
    let s = text.get(r.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let last_conj = lex.grammar("last_conjunctions");
    let mut pos = 0usize;
    let parts: Vec<&str> = s.split(',').collect();
    let n = parts.len();
    for (i, p) in parts.iter().enumerate() {
        let pstart = r.start.saturating_add(pos);
        pos = pos.saturating_add(p.len()).saturating_add(1);
        let mut pieces = vec![(pstart, *p)];
        if i.saturating_add(1) == n && n > 1 {
            for c in last_conj {
                if let Some(k) = p.rfind(c.as_str()) {
                    pieces = vec![
                        (pstart, p.get(..k).unwrap_or_default()),
                        (
                            pstart.saturating_add(k).saturating_add(c.len()),
                            p.get(k.saturating_add(c.len())..).unwrap_or_default(),
                        ),
                    ];
                    break;
                }
            }
        }
        for (ps, piece) in pieces {
            if let Some(x) = clean_item(text, ps..ps.saturating_add(piece.len())) {
                out.push(x);
            }
        }
    }
    out
}

/// Ranges of the text, asked whether any of them contains an offset: sorted once, then each
/// question is a binary search (not a walk over all of them, which a long document with many
/// lists or table cells would make quadratic).
struct Cover {
    /// The ranges by start, each with the greatest end among it and those before it.
    ranges: Vec<(usize, usize)>,
}

impl Cover {
    fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let mut v: Vec<(usize, usize)> = ranges
            .into_iter()
            .filter(|r| r.start < r.end)
            .map(|r| (r.start, r.end))
            .collect();
        v.sort_unstable();
        let mut max_end = 0usize;
        for r in &mut v {
            max_end = max_end.max(r.1);
            r.1 = max_end;
        }
        Self { ranges: v }
    }

    /// Whether a range contains `x` (`start <= x < end`).
    fn contains(&self, x: usize) -> bool {
        let n = self.ranges.partition_point(|r| r.0 <= x);
        n.checked_sub(1)
            .and_then(|i| self.ranges.get(i))
            .is_some_and(|r| r.1 > x)
    }
}

/// Found strings without duplicates (case-insensitive), in first-seen order.
#[derive(Default)]
struct Unique {
    items: Vec<Found<String>>,
    seen: std::collections::HashSet<String>,
}

impl Unique {
    fn push(&mut self, v: String, span: Range<usize>) {
        if self.seen.insert(v.to_lowercase()) {
            self.items.push(Found::new(v, span));
        }
    }
}

/// Splits a range of the text at a separator character.
fn split_on(text: &str, r: Range<usize>, sep: char) -> Vec<Range<usize>> {
    let s = text.get(r.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let mut start = r.start;
    for (i, c) in s.char_indices() {
        if c == sep {
            out.push(start..r.start.saturating_add(i));
            start = r.start.saturating_add(i).saturating_add(c.len_utf8());
        }
    }
    out.push(start..r.end);
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// What each list's intro introduces ([`intro_kind`]), by list index: read once for the data
/// and the purposes alike.
fn intro_kinds(text: &str, lists: &[ListBlock], lex: &Lexicon) -> Vec<Option<bool>> {
    let sets = [
        Lexicon::list(&lex.raw.purposes, "intro"),
        Lexicon::list(&lex.raw.purposes, "not_intro"),
        Lexicon::list(&lex.raw.data, "intro"),
        Lexicon::list(&lex.raw.data, "not_intro"),
    ];
    lists
        .iter()
        .map(|b| intro_kind(text.get(b.intro.clone()).unwrap_or_default(), &sets))
        .collect()
}

/// `sets`: the purposes' `intro` and `not_intro`, the data's `intro` and `not_intro`.
fn intro_kind(intro: &str, sets: &[Arc<PhraseSet<()>>; 4]) -> Option<bool> {
    // Some(true) = purposes, Some(false) = data, None = neither
    let [purpose, not_purpose, data, not_data] = sets;
    let trimmed = intro.trim_end();
    let colon = trimmed.ends_with(':');
    let heading = !trimmed.ends_with(['.', ';', ',']) && trimmed.len() < 90;
    if !(colon || heading) || not_data.any(intro) {
        return None;
    }
    if purpose.any(intro) && !not_purpose.any(intro) {
        return Some(true);
    }
    if data.any(intro) {
        return Some(false);
    }
    None
}

/// Whether a list item names something rather than says something: the whole item (without
/// remarks in parentheses) has at most `max_words` words, or its first sentence at most four;
/// not an item that starts with a function word or a clause number ("Wij ...", "4.1 ...") or
/// whose first sentence ends in an abbreviation ("De afspraken i.v.m.").
fn short_item(text: &str, item: &Range<usize>, max_words: usize, lex: &Lexicon) -> bool {
    let t = text.get(item.clone()).unwrap_or_default();
    let first = t.split(". ").next().unwrap_or_default();
    let w0 = first.split_whitespace().next().unwrap_or_default();
    let last = first.split_whitespace().next_back().unwrap_or_default();
    if lex.stopwords.contains(&w0.to_lowercase())
        || w0.starts_with(|c: char| c.is_ascii_digit())
        || last.trim_end_matches('.').contains('.')
    {
        return false;
    }
    word_count(&without_parens(t)) <= max_words || word_count(&without_parens(first)) <= 4
}

/// Whether a list's items look like list entries (short) rather than clauses or paragraphs.
fn list_items_short(text: &str, b: &ListBlock, max_words: usize) -> bool {
    if b.dotted || b.items.is_empty() {
        return false;
    }
    let long = b
        .items
        .iter()
        .filter(|r| {
            let first = text
                .get((*r).clone())
                .unwrap_or_default()
                .split(". ")
                .next()
                .unwrap_or_default();
            word_count(first) > max_words
        })
        .count();
    long.saturating_mul(3) <= b.items.len()
}

/// Comma enumerations inside a sentence ("uw naam, e-mail, telefoonnummer en IP-adres") that
/// contain at least one known data term: each member as written.
fn enumerations(
    text: &str,
    sentence: Range<usize>,
    lex: &Lexicon,
    terms: &PhraseSet<()>,
) -> Vec<(String, Range<usize>)> {
    let st = text.get(sentence.clone()).unwrap_or_default();
    // Split at top-level commas (not inside parentheses) and colons.
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut depth = 0i32;
    let mut start = 0usize;
    for (i, c) in st.char_indices() {
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' if depth <= 0 => {
                parts.push(start..i);
                start = i.saturating_add(c.len_utf8());
            }
            ':' if depth <= 0 => {
                // everything before a colon is the intro, not a member
                parts.clear();
                start = i.saturating_add(c.len_utf8());
            }
            _ => {}
        }
    }
    parts.push(start..st.len());
    // "adres-, contact- en factuurgegevens": an elided compound belongs to the next part
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(parts.len());
    for p in parts {
        match merged.last_mut() {
            Some(last)
                if st
                    .get(last.clone())
                    .is_some_and(|t| t.trim_end().ends_with('-')) =>
            {
                last.end = p.end;
            }
            _ => merged.push(p),
        }
    }
    let parts = merged;
    let conj = lex.grammar("conjunctions");
    let short =
        |r: &Range<usize>| word_count(&without_parens(st.get(r.clone()).unwrap_or_default())) <= 8;
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < parts.len() {
        // a run of short parts, possibly preceded by a long part whose tail is a known term
        let mut j = i;
        while j < parts.len() && parts.get(j).is_some_and(short) {
            j = j.saturating_add(1);
        }
        // include the next part as the last member when it starts with a short "x en y"
        let run_len = j.saturating_sub(i);
        if run_len >= 2 {
            let mut members: Vec<Range<usize>> = Vec::new();
            // the long part before the run: its tail from the last known term
            if let Some(prev) = i.checked_sub(1).and_then(|k| parts.get(k)) {
                let ptxt = st.get(prev.clone()).unwrap_or_default();
                if let Some(h) = terms.find_iter(ptxt).last() {
                    let tail = ptxt.get(h.start..).unwrap_or_default();
                    if word_count(tail) <= 4 {
                        members.push(prev.start.saturating_add(h.start)..prev.end);
                    }
                }
            }
            for k in i..j {
                let Some(r) = parts.get(k) else { continue };
                let ptxt = st.get(r.clone()).unwrap_or_default();
                let is_last = k.saturating_add(1) == j;
                let mut split = None;
                if is_last {
                    for c in conj {
                        // not "in- en uitloggegevens"
                        if let Some(p) = ptxt.find(c.as_str())
                            && !ptxt.get(..p).is_some_and(|b| b.ends_with('-'))
                        {
                            split = Some((p, c.len()));
                            break;
                        }
                    }
                }
                match split {
                    Some((p, n)) => {
                        members.push(r.start..r.start.saturating_add(p));
                        members.push(r.start.saturating_add(p).saturating_add(n)..r.end);
                    }
                    None => members.push(r.clone()),
                }
            }
            // "We verzamelen gegevens over je apparaat, zoals ...": a leading clause is no member
            if members.first().is_some_and(|m| {
                let t = st.get(m.clone()).unwrap_or_default();
                !terms.any(t) && word_count(t) >= 4
            }) {
                members.remove(0);
            }
            // "geboortedatum van Betrokkene": the last member ends at its known term
            if let Some(last) = members.last_mut() {
                let ltxt = st.get(last.clone()).unwrap_or_default();
                let lead = ltxt.len().saturating_sub(ltxt.trim_start().len());
                if let Some(h) = terms.find_iter(ltxt).next()
                    && h.start == lead
                {
                    let tail = ltxt.get(h.end..).unwrap_or_default().to_lowercase();
                    let preps = lex.grammar("member_end_words");
                    if preps.iter().any(|p| tail.starts_with(p.as_str())) {
                        last.end = last.start.saturating_add(h.end);
                    }
                }
            }
            // "aanhef etc.": the closing word is not part of the member
            let tails = Lexicon::words(&lex.raw.data, "enumeration_tail");
            for m in &mut members {
                let t = st.get(m.clone()).unwrap_or_default().trim_end();
                for tail in tails {
                    let cut = t.len().saturating_sub(tail.len());
                    if cut > 0
                        && t.get(cut..).is_some_and(|x| x.eq_ignore_ascii_case(tail))
                        && t.get(..cut)
                            .is_some_and(|x| x.ends_with(char::is_whitespace))
                    {
                        let keep = t.get(..cut).unwrap_or_default().trim_end().len();
                        m.end = m.start.saturating_add(keep);
                        break;
                    }
                }
            }
            // a member that is only "bijvoorbeeld" / "for example" introduces the others
            let before_lead = members.len();
            members.retain(|m| {
                let t = st.get(m.clone()).unwrap_or_default();
                let t = t.trim().trim_end_matches([',', ':']);
                !example_lead(lex).iter().any(|w| w.eq_ignore_ascii_case(t))
            });
            let known = members
                .iter()
                .filter(|m| terms.any(st.get((*m).clone()).unwrap_or_default()))
                .count();
            let had_lead = members.len() < before_lead;
            if (members.len() >= 3 || had_lead && members.len() >= 2) && known >= 2 {
                for m in members {
                    let abs = sentence.start.saturating_add(m.start)
                        ..sentence.start.saturating_add(m.end);
                    if let Some((v, span)) = clean_item(text, abs) {
                        let v = strip_leading_article(&v, lex);
                        if matches!(
                            v.to_lowercase().as_str(),
                            "etc" | "enz" | "enzovoort" | "e.d" | "and so on"
                        ) || clause_piece(&v, lex)
                        {
                            continue;
                        }
                        let off = span.end.saturating_sub(v.len());
                        if text.get(off..span.end) == Some(v.as_str()) {
                            out.push((v, off..span.end));
                        } else {
                            out.push((v, span));
                        }
                    }
                }
            }
        }
        i = j.max(i.saturating_add(1));
    }
    out
}

/// The words that introduce examples (`data.example_lead`).
fn example_lead(lex: &Lexicon) -> &[String] {
    Lexicon::words(&lex.raw.data, "example_lead")
}

/// Whether a sentence starts with a word that introduces examples ("Bijvoorbeeld, ...").
fn starts_with_example(sentence: &str, lex: &Lexicon) -> bool {
    let t = sentence.trim_start();
    example_lead(lex).iter().any(|w| {
        t.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w))
            && t.get(w.len()..)
                .is_some_and(|r| r.is_empty() || r.starts_with(|c: char| !c.is_alphanumeric()))
    })
}

/// Whether an enumeration member is a piece of a clause rather than a kind of data: it starts
/// or ends with a word of the lexicon's `data.not_member_start` / `data.not_member_end`.
fn clause_piece(v: &str, lex: &Lexicon) -> bool {
    let lower = v.to_lowercase();
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let list = |key: &str| Lexicon::words(&lex.raw.data, key);
    let starts = list("not_member_start").iter().any(|p| {
        let p = p.to_lowercase();
        lower
            .strip_prefix(p.as_str())
            .is_some_and(|r| r.is_empty() || r.starts_with(|c: char| !c.is_alphanumeric()))
            || *first == p
    });
    starts
        || list("not_member_end")
            .iter()
            .any(|p| p.eq_ignore_ascii_case(last))
}

fn strip_leading_article(v: &str, lex: &Lexicon) -> String {
    let lead = lex.grammar("leading_words");
    let arts = lex.grammar("articles");
    let mut t = v;
    for list in [lead, arts] {
        for a in list {
            if t.len() > a.len()
                && t.get(..a.len()).is_some_and(|p| p.eq_ignore_ascii_case(a))
                && let Some(rest) = t.get(a.len()..)
            {
                t = rest;
                break;
            }
        }
    }
    t.to_owned()
}

fn without_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            c if depth <= 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a list's intro or heading names the people the data are about rather than the data
/// ("Categorieën betrokkenen:", "3.1 The processing concerns the following categories of
/// natural persons:"): a phrase for them ends nearer the end than any data intro word
/// ("Categorieën van betrokkenen en gegevens" names the data last).
fn names_subjects_only(intro: &str, lex: &Lexicon) -> bool {
    let last_end = |set: &PhraseSet<()>| set.find_iter(intro).map(|h| h.end).max();
    let Some(subjects_at) = last_end(&Lexicon::list(&lex.raw.data, "subjects")) else {
        return false;
    };
    last_end(&Lexicon::list(&lex.raw.data, "intro")).is_none_or(|d| d < subjects_at)
}

fn find_data_categories(
    text: &str,
    lex: &Lexicon,
    lists: &[ListBlock],
    kinds: &[Option<bool>],
    sents: &[Range<usize>],
    flags: &SentenceFlags,
    sections: &Sections,
) -> Vec<Found<String>> {
    let mut out = Unique::default();
    // "gevestigd te [adres]": a template's placeholder in square brackets names no data
    let push = |out: &mut Unique, (v, span): (String, Range<usize>)| {
        if word_count(&v) <= 16 && v.chars().count() >= 2 && !v.contains(['[', ']']) {
            out.push(v, span);
        }
    };
    let mut covered: Vec<Range<usize>> = Vec::new();
    let not_data = Lexicon::list(&lex.raw.data, "not_intro");
    let labels = Lexicon::list(&lex.raw.data, "subject_labels");
    for (b, &kind) in lists.iter().zip(kinds) {
        let intro = text.get(b.intro.clone()).unwrap_or_default();
        // "Categorieën betrokkenen:", "3. Categories of Data Subjects": the people, not the data
        if names_subjects_only(intro, lex) {
            continue;
        }
        let colon = intro.trim_end().ends_with(':');
        // "- Betrokkenen: klanten van de salon": an item labelled with the people
        let items: Vec<&Range<usize>> = sections
            .list_items(&b.items)
            .iter()
            .filter(|it| {
                let t = text.get((*it).clone()).unwrap_or_default();
                !t.split_once(':')
                    .is_some_and(|(label, _)| word_count(label) <= 4 && labels.any(label))
            })
            .collect();
        let under = || {
            kind.is_none()
                && !b.dotted
                && !not_data.any(intro)
                && items.first().and_then(|f| sections.topic_at(f.start)) == Some(Topic::Data)
        };
        if kind == Some(false) && list_items_short(text, b, if colon { 16 } else { 8 }) {
            for &it in &items {
                for x in split_enumeration(text, it.clone(), lex) {
                    push(&mut out, x);
                }
            }
        } else if kind == Some(false) && !b.dotted || under() {
            // a list introduced as data, or under a "which data" heading, with long items:
            // each item that is a short name of data
            // (only the items taken: the others are read as sentences below)
            for &it in &items {
                if short_item(text, it, 10, lex) {
                    for x in split_enumeration(text, it.clone(), lex) {
                        push(&mut out, x);
                    }
                    covered.push(it.clone());
                }
            }
            continue;
        } else {
            continue;
        }
        if let (Some(f), Some(l)) = (items.first(), items.last()) {
            covered.push(f.start..l.end);
        }
    }
    for t in &sections.tables {
        if t.columns.contains(&Some(Topic::Data)) {
            covered.push(t.span.clone());
        }
        for c in t.cells(Topic::Data) {
            if let Some(x) = clean_item(text, c.clone()) {
                push(&mut out, x);
            }
        }
    }
    let terms = Lexicon::list(&lex.raw.data, "terms");
    let covered = Cover::new(covered);
    for (i, s) in sents.iter().enumerate() {
        if !flags.has(i, K_DATA_TERM) || covered.contains(s.start) {
            continue;
        }
        let st = sent_text(text, s);
        // A sentence about data, the sentence after a data intro ending in ':', or a sentence
        // that names at least three kinds of data.
        let after_intro = i
            .checked_sub(1)
            .filter(|p| flags.has(*p, K_DATA_INTRO))
            .and_then(|p| sents.get(p))
            .is_some_and(|p| {
                // "... de volgende gegevens:" or "... gegevens. Bijvoorbeeld ..."
                sent_text(text, p).ends_with(':') || starts_with_example(st, lex)
            });
        let intro = flags.has(i, K_DATA_INTRO);
        if !intro && !after_intro && terms.find_iter(st).take(3).count() < 3 {
            continue;
        }
        let found = enumerations(text, s.clone(), lex, &terms);
        if found.is_empty() && intro {
            // Single known terms in sentences about collecting data; "een e-mail sturen", "per
            // e-mail", "by email" name a channel, not data.
            let channel = Lexicon::list(&lex.raw.data, "channel_terms");
            let lead = Lexicon::list(&lex.raw.data, "channel_lead");
            for h in terms.find_iter(st) {
                let a = s.start.saturating_add(h.start);
                let b = s.start.saturating_add(h.end);
                let prev = st
                    .get(..h.start)
                    .and_then(|x| x.split_whitespace().next_back())
                    .unwrap_or_default();
                if text.get(a..b).is_some_and(|v| channel.any(v)) && lead.any(prev) {
                    continue;
                }
                if let Some(v) = text.get(a..b) {
                    push(&mut out, (v.to_owned(), a..b));
                }
            }
        }
        for x in found {
            push(&mut out, x);
        }
    }
    out.items
}

fn find_purposes(
    text: &str,
    lex: &Lexicon,
    lists: &[ListBlock],
    kinds: &[Option<bool>],
    sents: &[Range<usize>],
    flags: &SentenceFlags,
    sections: &Sections,
) -> Vec<Found<String>> {
    let mut out = Unique::default();
    let push = |out: &mut Unique, (v, span): (String, Range<usize>)| {
        if word_count(&v) <= 30 && v.chars().count() >= 4 {
            out.push(v, span);
        }
    };
    let negations = Lexicon::list(&lex.raw.grammar, "negations");
    for (b, &kind) in lists.iter().zip(kinds) {
        // a list introduced as purposes, or any list under a purposes heading
        let items = sections.list_items(&b.items);
        let under = || {
            kind.is_none()
                && !b.dotted
                && items.first().and_then(|f| sections.topic_at(f.start)) == Some(Topic::Purposes)
        };
        if (kind == Some(true) || under()) && list_items_short(text, b, 30) {
            for it in items {
                let t = text.get(it.clone()).unwrap_or_default().trim_start();
                // "- 2.1 Je geeft toestemming ...": a numbered clause set as a bullet, not an
                // entry; "niet: het opslaan van ...": what is not done is no purpose
                let head: String = t.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
                if list_marker_len(t).is_some() || negations.any(&head) {
                    continue;
                }
                if let Some(x) = clean_item(text, it.clone()) {
                    push(&mut out, x);
                }
            }
        }
    }
    for t in &sections.tables {
        for c in t.cells(Topic::Purposes) {
            if let Some(x) = clean_item(text, c.clone()) {
                push(&mut out, x);
            }
        }
    }
    // "... voor de volgende doeleinden: X." (inline, after the colon)
    for (i, s) in sents.iter().enumerate() {
        if !flags.has(i, K_PURPOSE_INTRO) {
            continue;
        }
        let st = sent_text(text, s);
        let Some(colon) = st.find(": ") else { continue };
        let head = st.get(..colon).unwrap_or_default();
        // the intro phrase nearest the colon decides: "Ten behoeve van de administratie leggen
        // we de volgende gegevens vast: ..." introduces data, not purposes
        let last_end = |set: &PhraseSet<()>| set.find_iter(head).map(|h| h.end).max();
        let Some(purpose_at) = last_end(&Lexicon::list(&lex.raw.purposes, "intro")) else {
            continue;
        };
        // "... to the following categories of third parties for business purposes: ..."
        if Lexicon::list(&lex.raw.purposes, "not_intro").any(head) {
            continue;
        }
        if last_end(&Lexicon::list(&lex.raw.data, "intro")).is_some_and(|d| d > purpose_at) {
            continue;
        }
        let tail_start = s.start.saturating_add(colon).saturating_add(2);
        for part in split_on(text, tail_start..s.end, ';') {
            if let Some(x) = clean_item(text, part) {
                push(&mut out, x);
            }
        }
    }
    // "om ... te <verb>" / "in order to ..." in sentences about data.
    let ctx = Lexicon::list(&lex.raw.purposes, "clause_context");
    let self_ref = Lexicon::list(&lex.raw.purposes, "clause_self_reference");
    let person_aim = Lexicon::list(&lex.raw.purposes, "clause_person_aim");
    let stops: Vec<String> = lex
        .raw
        .purposes
        .get("clause_stops")
        .cloned()
        .unwrap_or_default();
    for r in patterns(lex, "purposes", "clause_patterns").iter() {
        for (i, s) in sents.iter().enumerate() {
            if !flags.has(i, K_PURPOSE_CTX)
                || !flags.has(i, K_PURPOSE_VERBS)
                || flags.has(i, K_PURPOSE_NOT)
            {
                continue;
            }
            let st = sent_text(text, s);
            // a pattern with a group named `purpose` gives the purpose itself ("... is used
            // only to <send the newsletter>"): no run-on, at least two words; the others are
            // read by their whole match, which `find_iter` gives without resolving groups
            if r.capture_names().any(|n| n == Some("purpose")) {
                for p in r.captures_iter(st).filter_map(|c| c.name("purpose")) {
                    let phrase = p.as_str();
                    if word_count(phrase) >= 2
                        && !ctx.any(phrase)
                        && !self_ref.any(phrase)
                        && !person_aim.any(phrase)
                    {
                        let a = s.start.saturating_add(p.start());
                        if let Some(x) = clean_item(text, a..a.saturating_add(phrase.len())) {
                            push(&mut out, x);
                        }
                    }
                }
                continue;
            }
            for m in r.find_iter(st) {
                // the clause runs on after its verb to the end of the phrase ("om je te
                // informeren over de inschrijving", "om de site goed te laten werken")
                let rest = st.get(m.end()..).unwrap_or_default();
                let lower_rest = rest.to_lowercase();
                let stop = stops
                    .iter()
                    .filter_map(|w| lower_rest.find(w.as_str()))
                    .chain(rest.find([',', '.', ';', ':', '(']))
                    .min()
                    .unwrap_or(rest.len());
                let tail = rest.get(..stop).unwrap_or_default();
                // a clause that opens the sentence ends at its verb: the main clause follows
                let fronted = st.get(..m.start()).is_some_and(|b| b.trim().is_empty());
                let end = if !fronted && word_count(tail) <= 8 {
                    m.end().saturating_add(stop)
                } else {
                    m.end()
                };
                let clause = st.get(m.start()..end).unwrap_or(m.as_str()).trim_end();
                let end = m.start().saturating_add(clause.len());
                // "om de doelen te bereiken" points at purposes named elsewhere
                // "In order to use our forum, you create an account": the person's aim
                if ctx.any(clause)
                    || word_count(clause) < 5
                    || self_ref.any(clause)
                    || person_aim.any(clause)
                {
                    continue;
                }
                let a = s.start.saturating_add(m.start());
                let b = s.start.saturating_add(end);
                if let Some(x) = clean_item(text, a..b) {
                    push(&mut out, x);
                }
            }
        }
    }
    // "We use the information you give us to A, B, C and D." (English has no "om ... te")
    for r in patterns(lex, "purposes", "use_to_patterns").iter() {
        for (i, s) in sents.iter().enumerate() {
            if flags.has(i, K_PURPOSE_NOT) {
                continue;
            }
            let st = sent_text(text, s);
            let Some(m) = r.find(st) else { continue };
            let tail = s.start.saturating_add(m.end())..s.end;
            let mut parts = split_on(text, tail, ',');
            // the last member after " and "
            if parts.len() >= 2
                && let Some(last) = parts.pop()
            {
                let lt = text.get(last.clone()).unwrap_or_default();
                match lt.rfind(" and ") {
                    Some(k) => {
                        let mid = last.start.saturating_add(k);
                        parts.push(last.start..mid);
                        parts.push(mid.saturating_add(5)..last.end);
                    }
                    None => parts.push(last),
                }
            }
            for mut part in parts {
                let raw = text.get(part.clone()).unwrap_or_default();
                // a member that opens a parenthesis the next ones go on with ends before it
                // ("fulfil orders (including processing your payment, ..."); one that closes
                // it ("... campaigns)") or goes on with "or"/"whether" ("a merger, or other
                // sale of assets, whether as a going concern") belongs to its neighbour
                let (open, close) = (raw.matches('(').count(), raw.matches(')').count());
                if close > open {
                    continue;
                }
                if open > close
                    && let Some(k) = raw.find('(')
                {
                    part = part.start..part.start.saturating_add(k);
                }
                let pt = text.get(part.clone()).unwrap_or_default().trim();
                let pt = pt.strip_prefix("and ").unwrap_or(pt);
                if Lexicon::words(&lex.raw.purposes, "use_to_continuations")
                    .iter()
                    .any(|w| {
                        pt.strip_prefix(w.as_str())
                            .is_some_and(|r| r.starts_with(' '))
                    })
                {
                    continue;
                }
                if word_count(pt) < 2
                    || word_count(pt) > 14
                    || ["such as ", "including ", "e.g", "for example"]
                        .iter()
                        .any(|w| pt.to_lowercase().starts_with(w))
                {
                    continue;
                }
                if let Some(x) = clean_item(text, part) {
                    let v = x.0.strip_prefix("and ").map(str::to_owned).unwrap_or(x.0);
                    push(&mut out, (v, x.1));
                }
            }
        }
    }
    out.items
}

// ---------------------------------------------------------------- retention and deadlines

fn sentence_of(sents: &[Range<usize>], offset: usize) -> Option<&Range<usize>> {
    let i = sents.partition_point(|s| s.end <= offset);
    sents.get(i).filter(|s| s.start <= offset)
}

fn find_retention(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    durations: &[Quantity],
    sections: &Sections,
) -> Vec<Retention> {
    let cues = Lexicon::list(&lex.raw.retention, "cues");
    // durations in a retention column of a table
    let column = Cover::new(
        sections
            .tables
            .iter()
            .flat_map(|t| t.cells(Topic::Retention))
            .cloned(),
    );
    let exclude = Lexicon::list(&lex.raw.retention, "exclude");
    let expiry = Lexicon::list(&lex.raw.retention, "expiry");
    let data_words = Lexicon::list(&lex.raw.retention, "data_words");
    let mut out: Vec<Retention> = Vec::new();
    for q in durations {
        let Some(s) = sentence_of(sents, q.span.start) else {
            continue;
        };
        // The clause around the duration: between separators , ; ( )
        let st = sent_text(text, s);
        let rel = q.span.start.saturating_sub(s.start);
        let clause_start = st
            .get(..rel)
            .and_then(|b| b.rfind([';']))
            .map_or(0, |i| i.saturating_add(1));
        let clause_end = st
            .get(rel..)
            .and_then(|a| a.find([';']))
            .map_or(st.len(), |i| rel.saturating_add(i));
        let clause = st.get(clause_start..clause_end).unwrap_or_default();
        // Dutch compounds ("advertentiecookies") hide the data word inside a longer word
        let expiring = expiry.any(clause)
            && (data_words.any(clause) || clause.to_lowercase().contains("cookie"));
        // under a "how long" heading or in a retention column no cue word is needed
        let placed = sections.topic_at(q.span.start) == Some(Topic::Retention)
            || column.contains(q.span.start);
        if !(cues.any(clause) || expiring || placed) || exclude.any(clause) {
            continue;
        }
        let what = retention_subject(clause, lex);
        out.push(Retention {
            what,
            period: Some(q.duration),
            span: s.clone(),
            period_span: Some(q.span.clone()),
        });
    }
    out
}

fn retention_subject(clause: &str, lex: &Lexicon) -> String {
    let data = lex.grammar("data_noun").first().map_or("", String::as_str);
    let lower = clause.to_lowercase();
    if let Some(i) = lower.find(data) {
        // "De gegevens van sollicitanten" → up to 8 words from the noun
        let start = lower
            .get(..i)
            .and_then(|b| b.rfind(['.', ',', ';', ':']))
            .map_or(0, |k| k.saturating_add(1));
        let words: Vec<&str> = clause
            .get(start..)
            .unwrap_or_default()
            .split_whitespace()
            .take(8)
            .collect();
        return words.join(" ");
    }
    crate::ingest::collapse_ws(clause)
        .chars()
        .take(80)
        .collect()
}

/// The deadline for answering a person's request: a period after a "within" word (`[grammar]
/// deadline_words`) in a
/// sentence that speaks of answering (`cues`) a request about the person's rights or data
/// (`rights_words`, in that sentence or the one before: "Send us a request. We answer within four
/// weeks."). Not read from a sentence about a processor's help to its customer (`not_cues`: that
/// deadline binds the processor, not the controller), nor from a document without a privacy part.
fn find_request_deadline(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    durations: &[Quantity],
    has_privacy: bool,
) -> Option<Found<Duration>> {
    if !has_privacy {
        return None;
    }
    let cues = Lexicon::list(&lex.raw.request, "cues");
    let words = Lexicon::list(&lex.raw.request, "rights_words");
    let within = Lexicon::list(&lex.raw.grammar, "deadline_words");
    let not_cues = Lexicon::list(&lex.raw.request, "not_cues");
    let exclude = Lexicon::tagged(&lex.raw.terms, &["payment", "breach"]);
    for q in durations {
        let i = sents.partition_point(|s| s.end <= q.span.start);
        let Some(s) = sents.get(i).filter(|s| s.start <= q.span.start) else {
            continue;
        };
        let st = sent_text(text, s);
        let before = text
            .get(q.span.start.saturating_sub(40)..q.span.start)
            .unwrap_or_default();
        if !within.any(before) {
            continue;
        }
        let about_request = words.any(st)
            || i.checked_sub(1)
                .and_then(|j| sents.get(j))
                .is_some_and(|p| words.any(sent_text(text, p)));
        if cues.any(st) && about_request && !exclude.any(st) && !not_cues.any(st) {
            return Some(Found::new(q.duration, q.span.clone()));
        }
    }
    None
}

// ---------------------------------------------------------------- recipients, transfers, rights

/// Service aliases and extra patterns, by index into the services list.
type ServiceMatchers = (PhraseSet<usize>, Vec<(usize, Regex)>);

/// The service aliases and patterns, compiled once.
fn service_matchers() -> &'static ServiceMatchers {
    static SERVICES: LazyLock<ServiceMatchers> = LazyLock::new(|| {
        let svc = services();
        let set = PhraseSet::new(
            svc.iter()
                .enumerate()
                .flat_map(|(i, s)| s.aliases.iter().map(move |a| (a.as_str(), i))),
        );
        let pats = svc
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.pattern.as_deref().and_then(re).map(|r| (i, r)))
            .collect();
        (set, pats)
    });
    &SERVICES
}

/// A tracker named at `span` is said to set cookies when its paragraph speaks of cookies, or
/// the heading of its section does ("Cookies" over a list or table of services). A tracker
/// named elsewhere in a text that mentions cookies (a social-media page to follow, a former
/// analytics service) is a recipient, not a cookie.
fn about_cookies(
    text: &str,
    span: &Range<usize>,
    cookie_sentences: &[Range<usize>],
    sections: &Sections,
    cookie_words: &PhraseSet<()>,
) -> bool {
    let Range { start, end } = paragraph(text, span);
    // the cookie sentences are sorted and apart: the first that ends after `start` is the
    // only one that can overlap the paragraph
    let i = cookie_sentences.partition_point(|s| s.end <= start);
    if cookie_sentences
        .get(i)
        .is_some_and(|s| s.start < end && s.end > start)
    {
        return true;
    }
    // the section bodies are sorted and apart: only one can hold the name
    let k = sections
        .sections
        .partition_point(|s| s.body.end <= span.start);
    sections
        .sections
        .get(k)
        .filter(|s| s.heading.start <= span.start && s.body.start <= span.start)
        .is_some_and(|s| cookie_words.any(text.get(s.heading.clone()).unwrap_or_default()))
}

type RecipientResult = (Vec<Found<String>>, Vec<Found<String>>, Vec<Range<usize>>);

fn find_recipients(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    lists: &[ListBlock],
    flags: &SentenceFlags,
    sections: &Sections,
    service_hits: &[RawHit],
) -> RecipientResult {
    let services_m = service_matchers();
    let svc = services();
    let mut hits: Vec<(usize, Range<usize>)> = Vec::new();
    for &(start, end, k) in service_hits {
        let Some(&value) = services_m.0.value(k) else {
            continue;
        };
        let first = text.get(start..).and_then(|s| s.chars().next());
        if first.is_some_and(char::is_uppercase) {
            hits.push((value, start..end));
        }
    }
    for (i, r) in &services_m.1 {
        for m in r.find_iter(text) {
            hits.push((*i, m.start()..m.end()));
        }
    }
    hits.sort_by_key(|(_, r)| r.start);
    let cookie_sentences: Vec<Range<usize>> = sents
        .iter()
        .enumerate()
        .filter(|(i, _)| flags.has(*i, K_COOKIES))
        .map(|(_, s)| s.clone())
        .collect();
    let mentions_cookies = !cookie_sentences.is_empty();
    let cookie_words = Lexicon::list(&lex.raw.cookies, "words");
    let mut recipients: Vec<Found<String>> = Vec::new();
    let mut cookies: Vec<Found<String>> = Vec::new();
    for (i, span) in hits {
        let Some(s) = svc.get(i) else { continue };
        if !recipients.iter().any(|f| f.value == s.name) {
            recipients.push(Found::new(s.name.clone(), span.clone()));
        }
        if s.tracker
            && mentions_cookies
            && !cookies.iter().any(|f| f.value == s.name)
            && about_cookies(text, &span, &cookie_sentences, sections, &cookie_words)
        {
            cookies.push(Found::new(s.name.clone(), span));
        }
    }
    // Recipient categories, in sentences or lists about sharing.
    let cats = Lexicon::list(&lex.raw.recipients, "categories");
    let ctx = Lexicon::list(&lex.raw.recipients, "context");
    let consider = |range: Range<usize>, recipients: &mut Vec<Found<String>>| {
        let st = text.get(range.clone()).unwrap_or_default();
        for h in cats.find_iter(st) {
            let a = range.start.saturating_add(h.start);
            let b = range.start.saturating_add(h.end);
            if let Some(v) = text.get(a..b)
                && !recipients.iter().any(|f| f.value.eq_ignore_ascii_case(v))
            {
                recipients.push(Found::new(v.to_owned(), a..b));
            }
        }
    };
    // A sentence about sharing, or the sentence right after one ("Of met onze boekhouder.").
    let mut prev_ctx = false;
    for (i, s) in sents.iter().enumerate() {
        let here = flags.has(i, K_RECIPIENTS);
        if here || prev_ctx {
            consider(s.clone(), &mut recipients);
        }
        prev_ctx = here;
    }
    for b in lists {
        if ctx.any(text.get(b.intro.clone()).unwrap_or_default()) {
            for it in &b.items {
                consider(it.clone(), &mut recipients);
            }
        }
    }
    // Under a "who we share with" heading: the name that heads each list item, table cell or
    // paragraph ("Mailgun (privacy policy). We use ...", "- Boekhouder: ...").
    let mut heads: Vec<(Range<usize>, bool)> = Vec::new();
    for b in lists {
        let items = sections.list_items(&b.items);
        if items.first().and_then(|f| sections.topic_at(f.start)) == Some(Topic::Recipients) {
            heads.extend(items.iter().map(|r| (r.clone(), false)));
        }
    }
    for t in &sections.tables {
        heads.extend(t.cells(Topic::Recipients).map(|r| (r.clone(), false)));
    }
    for sec in sections.about(Topic::Recipients) {
        let mut pos = sec.body.start;
        for (_, line) in split_lines(text.get(sec.body.clone()).unwrap_or_default()) {
            let start = pos;
            pos = pos.saturating_add(line.len()).saturating_add(1);
            let t = line.trim_start();
            if t.is_empty() || list_marker_len(t).is_some() || t.contains('|') {
                continue;
            }
            let lead = line.len().saturating_sub(t.len());
            heads.push((
                start.saturating_add(lead)..start.saturating_add(line.len()),
                true,
            ));
        }
    }
    // "- Twitter, Facebook, LinkedIn en GitHub": an item that enumerates names, one per name
    let conj = lex
        .grammar("last_conjunctions")
        .first()
        .map_or(" ", String::as_str);
    let mut split: Vec<(Range<usize>, bool)> = Vec::with_capacity(heads.len());
    for (h, paragraph) in heads {
        let t = text.get(h.clone()).unwrap_or_default();
        if paragraph
            || t.matches(',').count() < 2
            || t.contains(['(', ':', '.']) && !t.contains(", ")
        {
            split.push((h, paragraph));
            continue;
        }
        for part in split_on(text, h, ',') {
            let pt = text.get(part.clone()).unwrap_or_default();
            match pt.find(conj) {
                Some(i) => {
                    let mid = part.start.saturating_add(i);
                    split.push((part.start..mid, false));
                    split.push((mid.saturating_add(conj.len())..part.end, false));
                }
                None => split.push((part, false)),
            }
        }
    }
    for (h, paragraph) in split {
        if let Some((v, span)) = recipient_head(text, h, lex, paragraph)
            && !is_service_name(&v)
            && !recipients.iter().any(|f| f.value.eq_ignore_ascii_case(&v))
        {
            recipients.push(Found::new(v, span));
        }
    }
    (recipients, cookies, cookie_sentences)
}

/// The name that heads a list item, table cell or paragraph: the text before ` (`, `:`, ` – `,
/// ` - ` or the end of the first sentence, when it is at most five words, starts with a capital
/// and does not start with a function word ("We use ...", "De ..."). In a paragraph (no list
/// marker) the name must be followed by text and every word of it must start with a capital or
/// hold a dot or digit ("Signup Zone (privacy policy). We use ...", "dev.to: ...").
fn recipient_head(
    text: &str,
    r: Range<usize>,
    lex: &Lexicon,
    paragraph: bool,
) -> Option<(String, Range<usize>)> {
    let s = text.get(r.clone())?;
    let cut = [" (", ":", " – ", " - ", ". "]
        .iter()
        .filter_map(|sep| s.find(sep))
        .min();
    let head = match cut {
        Some(i) => s.get(..i)?,
        None if paragraph => return None,
        None => s.trim_end_matches(['.', ';', ',']),
    };
    let head = head.trim();
    let first = head.split_whitespace().next()?;
    let name_like = |w: &str| {
        w.chars().any(char::is_uppercase)
            || w.contains(['.', '&'])
            || w.chars().any(|c| c.is_ascii_digit())
    };
    if paragraph && !head.split_whitespace().all(name_like) {
        return None;
    }
    if word_count(head) > 5
        || head.chars().count() < 2
        || !name_like(first)
        || lex.stopwords.contains(&first.to_lowercase())
        || is_article(first)
        || is_generic_word(first, lex)
    {
        return None;
    }
    let start = r.start.saturating_add(s.find(head)?);
    Some((head.to_owned(), start..start.saturating_add(head.len())))
}

fn find_transfer(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    flags: &SentenceFlags,
) -> Transfer {
    let mentions = cached(&format!("transfer:{}", lex.language.code()), || {
        PhraseSet::new(lex.raw.transfer.mentions.iter().map(|p| (p.as_str(), ())))
    });
    let mechs = cached(&format!("mechanisms:{}", lex.language.code()), || {
        PhraseSet::new(
            lex.raw
                .transfer
                .mechanisms
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone())),
        )
    });
    let mut t = Transfer::default();
    let consent_names: Vec<&String> = lex
        .raw
        .transfer
        .mechanisms
        .iter()
        .filter(|(k, _)| lex.raw.transfer.consent.contains(k))
        .map(|(_, v)| v)
        .collect();
    let mut consent_mech: Option<Found<String>> = None;
    for (i, s) in sents.iter().enumerate() {
        if !flags.has(i, K_TRANSFER) {
            continue;
        }
        let st = sent_text(text, s);
        let hits: Vec<_> = mentions.find_iter(st).collect();
        if hits.is_empty() {
            continue;
        }
        for h in &hits {
            t.mentions
                .push(s.start.saturating_add(h.start)..s.start.saturating_add(h.end));
        }
        for m in mechs.find_iter(st) {
            let f = Found::new(
                m.value.clone(),
                s.start.saturating_add(m.start)..s.start.saturating_add(m.end),
            );
            if consent_names.contains(&m.value) {
                consent_mech = consent_mech.or(Some(f));
            } else if t.mechanism.is_none() {
                t.mechanism = Some(f);
            }
        }
    }
    t.mentioned = !t.mentions.is_empty();
    if t.mechanism.is_none() {
        t.mechanism = consent_mech;
    }
    t
}

fn find_rights(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    lists: &[ListBlock],
    flags: &SentenceFlags,
) -> Vec<Found<Right>> {
    // the complaint right has no list of its own: `complaint_authority`
    let set = keyed_set(
        lex,
        "rights",
        &lex.raw.rights,
        Right::ALL.map(|r| (r.key(), r)),
    );
    let ctx = Lexicon::list(&lex.raw.rights, "context");
    let mut out = Vec::new();
    let scan = |range: Range<usize>, out: &mut Vec<Found<Right>>| {
        let st = text.get(range.clone()).unwrap_or_default();
        for h in set.find_iter(st) {
            out.push(Found::new(
                *h.value,
                range.start.saturating_add(h.start)..range.start.saturating_add(h.end),
            ));
        }
    };
    for (i, s) in sents.iter().enumerate() {
        if flags.has(i, K_RIGHTS) {
            scan(s.clone(), &mut out);
        }
    }
    for b in lists {
        if ctx.any(text.get(b.intro.clone()).unwrap_or_default()) {
            for it in &b.items {
                scan(it.clone(), &mut out);
            }
        }
    }
    out.sort_by_key(|f| f.span.start);
    out
}

fn find_complaint(
    text: &str,
    sents: &[Range<usize>],
    flags: &SentenceFlags,
) -> Option<Found<String>> {
    sents
        .iter()
        .enumerate()
        .find(|(i, _)| flags.has(*i, K_COMPLAINT) && flags.has(*i, K_COMPLAINT_WORDS))
        .map(|(_, s)| Found::new(crate::ingest::collapse_ws(sent_text(text, s)), s.clone()))
}

// ---------------------------------------------------------------- dates and terms

fn find_last_updated(text: &str, lex: &Lexicon) -> Option<Found<String>> {
    let cues = Lexicon::list(&lex.raw.last_updated, "cues");
    let mut best: Option<Found<String>> = None;
    for h in cues.find_iter(text) {
        let window_end = text.get(h.end..).map_or(h.end, |s| {
            h.end
                .saturating_add(s.char_indices().nth(80).map_or(s.len(), |(i, _)| i))
        });
        let window = text.get(h.end..window_end).unwrap_or_default();
        let mut dated = first_date(window, lex).map(|(d, r)| {
            (
                d,
                h.end.saturating_add(r.start)..h.end.saturating_add(r.end),
            )
        });
        if dated.is_none() {
            // "per 25 mei 2018 van kracht": the date just before the cue, on the same line
            let from = text
                .get(..h.start)
                .map_or(0, |b| b.rfind('\n').map_or(0, |i| i.saturating_add(1)))
                .max(h.start.saturating_sub(40));
            let from = (from..h.start)
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(h.start);
            let before = text.get(from..h.start).unwrap_or_default();
            dated = first_date(before, lex)
                .map(|(d, r)| (d, from.saturating_add(r.start)..from.saturating_add(r.end)));
        }
        if let Some((date, span)) = dated {
            // Prefer explicit "last updated" over "versie"/"datum"
            let strong = text
                .get(h.start..h.end)
                .map(str::to_lowercase)
                .is_some_and(|c| !matches!(c.as_str(), "versie" | "datum" | "version" | "date"));
            if strong {
                return Some(Found::new(date, span));
            }
            best = best.or(Some(Found::new(date, span)));
        }
    }
    best
}

fn valid_date(y: u32, m: u32, d: u32) -> Option<String> {
    if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn first_date(window: &str, lex: &Lexicon) -> Option<(String, Range<usize>)> {
    let mut found: Vec<(usize, String, Range<usize>)> = Vec::new();
    if let Some(r) = DATE_NUMERIC.as_ref() {
        for c in r.captures_iter(window) {
            let Some(m) = c.get(0) else { continue };
            let n = |i: usize| c.get(i).and_then(|x| x.as_str().parse::<u32>().ok());
            let date = match (n(1), n(2), n(3), n(4), n(5), n(6)) {
                (Some(d), Some(mo), Some(y), _, _, _) => valid_date(y, mo, d),
                (_, _, _, Some(y), Some(mo), Some(d)) => valid_date(y, mo, d),
                _ => None,
            };
            if let Some(d) = date {
                found.push((m.start(), d, m.start()..m.end()));
            }
        }
    }
    if let Some(r) = DATE_WORDS.as_ref() {
        for c in r.captures_iter(window) {
            let Some(m) = c.get(0) else { continue };
            let n = |i: usize| c.get(i).and_then(|x| x.as_str().parse::<u32>().ok());
            let month = |i: usize| {
                c.get(i)
                    .and_then(|x| lex.months.get(&x.as_str().to_lowercase()))
                    .map(|v| u32::from(*v))
            };
            let date = if let (Some(d), Some(mo), Some(y)) = (n(1), month(2), n(3)) {
                valid_date(y, mo, d)
            } else if let (Some(mo), Some(d), Some(y)) = (month(4), n(5), n(6)) {
                valid_date(y, mo, d)
            } else if let (Some(mo), Some(y)) = (month(7), n(8)) {
                valid_date(y, mo, 1)
            } else {
                None
            };
            if let Some(d) = date {
                found.push((m.start(), d, m.start()..m.end()));
            }
        }
    }
    found.sort_by_key(|f| f.0);
    found.into_iter().next().map(|(_, d, r)| (d, r))
}

fn find_terms(
    text: &str,
    lex: &Lexicon,
    sents: &[Range<usize>],
    durations: &[Quantity],
    flags: &SentenceFlags,
) -> TermsFacts {
    let mut t = TermsFacts::default();
    let payment = Lexicon::list(&lex.raw.terms, "payment");
    let notice_strong = Lexicon::list(&lex.raw.terms, "notice_strong");
    let breach = Lexicon::list(&lex.raw.terms, "breach");
    let breach_verbs = Lexicon::list(&lex.raw.terms, "breach_verbs");
    let payment_strong = Lexicon::list(&lex.raw.terms, "payment_strong");
    let within = lex.grammar("deadline_words");
    for q in durations {
        let Some(s) = sentence_of(sents, q.span.start) else {
            continue;
        };
        let st = sent_text(text, s);
        let before = text
            .get(q.span.start.saturating_sub(40)..q.span.start)
            .unwrap_or_default()
            .to_lowercase();
        let is_within = within.iter().any(|w| before.contains(w.as_str()));
        let f = || Found::new(q.duration, q.span.clone());
        if t.breach_notification.is_none() && breach.any(st) && breach_verbs.any(st) {
            t.breach_notification = Some(f());
            continue;
        }
        let near = text
            .get(q.span.start.saturating_sub(60)..q.span.start)
            .unwrap_or_default();
        if t.payment_term.is_none()
            && payment.any(st)
            && (is_within || payment_strong.any(near))
            && matches!(
                q.duration.unit,
                super::Unit::Day | super::Unit::Week | super::Unit::Month
            )
        {
            t.payment_term = Some(f());
            continue;
        }
        if t.notice_period.is_none() && notice_strong.any(st) {
            // the notice cue just before ("opzegtermijn van één maand") or after ("three
            // months' written notice") the duration
            let mut from = q.span.start.saturating_sub(80);
            while from > 0 && !text.is_char_boundary(from) {
                from = from.saturating_sub(1);
            }
            let mut to = q.span.end.saturating_add(30).min(text.len());
            while to < text.len() && !text.is_char_boundary(to) {
                to = to.saturating_add(1);
            }
            let near = text.get(from..to).unwrap_or_default();
            if notice_strong.any(near) {
                t.notice_period = Some(f());
            }
        }
    }
    let renewal = Lexicon::list(&lex.raw.terms, "renewal");
    if let Some(h) = renewal.find_iter(text).next() {
        t.auto_renewal = Some(Found::new(true, h.start..h.end));
    }
    let cap = Lexicon::list(&lex.raw.terms, "liability_cap");
    for (i, s) in sents.iter().enumerate() {
        if !flags.has(i, K_LIABILITY) {
            continue;
        }
        let st = sent_text(text, s);
        if let Some(h) = cap.find_iter(st).next() {
            let rest = st.get(h.start..).unwrap_or_default();
            let end = rest.find(['.', ';', '\n']).unwrap_or(rest.len());
            let a = s.start.saturating_add(h.start);
            let b = a.saturating_add(end);
            if let Some(v) = text.get(a..b) {
                t.liability_cap = Some(Found::new(crate::ingest::collapse_ws(v), a..b));
                break;
            }
        }
    }
    for (i, s) in sents.iter().enumerate() {
        if !flags.has(i, K_JURISDICTION) {
            continue;
        }
        let st = sent_text(text, s);
        if let Some(m) = JURISDICTION.as_ref().and_then(|r| r.find(st)) {
            let a = s.start.saturating_add(m.start());
            let b = s.start.saturating_add(m.end());
            if let Some(v) = text.get(a..b) {
                t.jurisdiction = Some(Found::new(crate::ingest::collapse_ws(v.trim()), a..b));
                break;
            }
        }
    }
    if let Some(m) = GOVERNING_LAW.as_ref().and_then(|r| r.find(text)) {
        t.governing_law = Some(Found::new(
            crate::ingest::collapse_ws(m.as_str()),
            m.start()..m.end(),
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A labelled name on a line of its own, with the labels of either language in any
    /// document; a label inside a sentence is none.
    #[test]
    fn a_labelled_name_in_either_language() {
        let re = LABELLED_NAME.as_ref().unwrap();
        let name = |t: &str| {
            re.captures(t)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_owned())
        };
        assert_eq!(
            name("Gegevens\nFormele bedrijfsnaam: Tuinhulp B.V.\nAdres: ..."),
            Some("Tuinhulp B.V.".to_owned())
        );
        assert_eq!(
            name("Contact\nCompany name\tAcme Widgets Limited\n"),
            Some("Acme Widgets Limited".to_owned())
        );
        assert_eq!(name("Our company name: is not a label here"), None);
    }

    /// A heading without the numbering of an article or chapter, in the words of every
    /// language's data; a heading word without a number after it stays.
    #[test]
    fn heading_text_drops_the_numbering_of_either_language() {
        for (line, want) in [
            ("Artikel 9 - Persoonsgegevens", Some("Persoonsgegevens")),
            ("Bijlage A: Privacyverklaring", Some("Privacyverklaring")),
            ("Appendix 2 \u{2013} Privacy Policy", Some("Privacy Policy")),
            ("Section 3. Cookies", Some("Cookies")),
            ("12. Privacy Policy", Some("Privacy Policy")),
            ("Part of our service", Some("Part of our service")),
            ("Deel je gegevens niet", Some("Deel je gegevens niet")),
            ("- Privacy Policy", None),
        ] {
            assert_eq!(heading_text(line), want, "{line}");
        }
    }

    /// A number after a bank account, register or tax word is no phone number, in either
    /// language; a number after "telefoon" or "phone" is.
    #[test]
    fn phones_are_not_account_or_register_numbers() {
        let phones =
            |t: &str| -> Vec<String> { find_phones(t).into_iter().map(|f| f.value).collect() };
        assert_eq!(phones("Telefoon: 020 123 4567"), ["020 123 4567"]);
        assert_eq!(phones("Phone: +31 20 123 4567"), ["+31 20 123 4567"]);
        assert!(phones("Bankrekening: 0201234567").is_empty());
        assert!(phones("Our bank account: 0201234567").is_empty());
        assert!(phones("VAT number 0201234567").is_empty());
    }

    /// The clause patterns, with `(?i)` on their words only, are the very expressions the former
    /// patterns with `(?i)` over the whole of them gave.
    #[test]
    fn clause_pattern_scoped_case_folding() {
        let hir = |p: &str| regex_syntax::ParserBuilder::new().build().parse(p).unwrap();
        let whole = r"(?i)(?-u:\b)(?:om|teneinde)\s+((?:[\p{L}\p{N}’'/-]+\s+){1,18}?te\s+(?:kunnen\s+)?[\p{L}]+(?:\s+en\s+(?:[\p{L}]+\s+){0,6}?te\s+[\p{L}]+)?)";
        let en = [
            r"(?i)(?-u:\b)(?:in order to|so that we can|to help us)\s+((?:[\p{L}\p{N}’'/-]+\s*){2,18}?)(?:[.,;:]|$)",
            r"(?i)(?-u:\b)(?:is|are|be|been|being)\s+(?:also\s+|only\s+)?used\s+(?:only\s+|solely\s+|exclusively\s+)?to\s+(?P<purpose>(?:[\p{L}\p{N}’'/-]+\s*){2,14}?)(?:[.,;:(]|\s+and\s+(?:will|is|are)\b|$)",
        ];
        for (language, wholes) in [(Lang::Nl, &[whole][..]), (Lang::En, &en[..])] {
            let list = lexicon(language)
                .raw
                .section("purposes")
                .and_then(|s| s.get("clause_patterns"))
                .unwrap();
            assert_eq!(list.len(), wholes.len());
            for (w, p) in wholes.iter().zip(list) {
                assert_eq!(hir(w), hir(p), "{p}");
            }
        }
    }

    /// Where the stop-word count decides the language on its own, whatlang (the detector it
    /// saves) gives the same language: on every corpus document and fixture.
    #[test]
    fn clear_stopword_count_agrees_with_whatlang() {
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds"),
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus/dev/docs"
            ),
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus/gdpr-t200-dev/docs"
            ),
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"),
        ];
        let (mut clear, mut read) = (0, 0);
        for d in dirs {
            let entries = std::fs::read_dir(d).unwrap_or_else(|e| panic!("{d}: {e}"));
            for e in entries {
                let p = e.unwrap().path();
                let bytes = std::fs::read(&p).unwrap();
                let Ok(doc) = crate::ingest::ingest("x", &bytes, None) else {
                    continue;
                };
                read += 1;
                let sample: String = doc.text.chars().take(20_000).collect();
                let Some(lang) = clear_language(&stopword_counts(&sample)) else {
                    continue;
                };
                clear += 1;
                let det = whatlang::Detector::with_allowlist(vec![
                    whatlang::Lang::Nld,
                    whatlang::Lang::Eng,
                ]);
                let info = det.detect(&sample).unwrap();
                assert!(info.is_reliable(), "{}", p.display());
                let want = match info.lang() {
                    whatlang::Lang::Eng => Lang::En,
                    _ => Lang::Nl,
                };
                assert_eq!(lang, want, "{}", p.display());
            }
        }
        assert!(read > 100 && clear * 10 > read * 8, "{clear} of {read}");
    }

    #[test]
    fn names_data_parses() {
        let n: Names = toml::from_str(include_str!("../../data/names.toml")).unwrap();
        assert!(n.legal_forms.iter().any(|f| f == "B.V."));
        assert!(
            !n.not_names.is_empty() && !n.street_suffixes.is_empty() && !n.not_streets.is_empty()
        );
        assert!(LEGAL_FORM_NAME.is_some() && ADDRESS_TE.is_some() && ADDRESS.is_some());
    }
}
