//! References: cross-references that do not resolve, and law that no longer applies.
//!
//! - `RD-XREF-BROKEN`: "zie artikel 32.2" when article 32 has only 32.1.
//! - `RD-OUTDATED-*`: terms from the data files' `[[outdated]]` lists (Privacy Shield, Safe
//!   Harbor, Wbp, CBP, VAR-verklaring, ...), each with the date since which it no longer applies.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::data::Outdated;
use super::{Arg, Doc, Draft, RefStatus};

pub(crate) fn run(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    outdated(doc, out);
    cross_references(doc, out);
    annexes(doc, out);
    numbering_mismatch(doc, out);
}

/// The label of an annex reference ("bijlage 2" → ("bijlage", "2")), lower case.
fn annex_label(s: &str) -> Option<(String, String)> {
    let mut words = s.split_whitespace();
    let word = words.next()?.to_owned();
    let label = words
        .next()?
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_owned();
    (!label.is_empty()).then_some((word, label))
}

/// `RD-XREF-ANNEX`: the text refers to an annex of this document ("Appendix A to this
/// Agreement", "bijlage 3 bij deze overeenkomst", or any annex when the document holds other
/// annexes under the same word), but no line of the document starts with that annex's label.
fn annexes(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let Some(re) = doc.lex.group("annex_ref") else {
        return;
    };
    // the labels that head a line: the annexes the document holds
    let mut present: BTreeSet<(String, String)> = BTreeSet::new();
    for r in &doc.seg.lines {
        let line = doc.lower.get(r.clone()).unwrap_or("");
        let t = line.trim_start_matches(['-', '*', '•', '#', ' ', '\t', '_', '|']);
        if let Some(m) = re.find(t)
            && m.start() == 0
            && let Some(k) = annex_label(m.as_str())
        {
            present.insert(k);
        }
    }
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    // the group's matches in the whole text, from the shared literal pass
    for m in doc.matches("annex_ref") {
        let Some(key) = doc.lower.get(m.clone()).and_then(annex_label) else {
            continue;
        };
        if present.contains(&key) || reported.contains(&key) {
            continue;
        }
        let Some(i) = doc.seg.sentence_at(m.start) else {
            continue;
        };
        // a line that starts with the reference is a heading, not a reference
        let line_start = doc
            .lower
            .get(..m.start)
            .map_or(0, |b| b.rfind('\n').map_or(0, |p| p + 1));
        if doc.lower.get(line_start..m.start).is_some_and(|b| {
            b.trim_matches(['-', '*', '•', '#', ' ', '\t', '_', '|'])
                .is_empty()
        }) {
            continue;
        }
        let same_word = present.iter().any(|(w, _)| *w == key.0);
        if !same_word && !doc.sentence_has(i, "annex_attached") {
            continue;
        }
        reported.insert(key.clone());
        out.push(
            Draft::new("RD-XREF-ANNEX", vec![doc.evidence(i, &m)]).detail(
                "xref_annex",
                [
                    ("word", key.0.as_str().into()),
                    ("label", key.1.as_str().into()),
                ],
            ),
        );
    }
}

/// (first position, evidence, the outdated term)
type Found<'a> = (usize, Vec<Range<usize>>, &'a Outdated);

fn outdated(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let mut by_code: BTreeMap<&str, Found<'_>> = BTreeMap::new();
    for o in &doc.lex.outdated {
        for m in doc.matches(&o.key) {
            let Some(i) = doc.seg.sentence_at(m.start) else {
                continue;
            };
            if doc.sentence_has(i, &o.negation) {
                continue;
            }
            let e = by_code
                .entry(o.code.as_str())
                .or_insert((m.start, Vec::new(), o));
            let ev = doc.evidence(i, &m);
            if !e.1.contains(&ev) && e.1.len() < 4 {
                e.1.push(ev);
            }
        }
    }
    for (code, (_, evidence, o)) in by_code {
        out.push(Draft::new(code, evidence).detail(
            "outdated",
            [
                (
                    "explanation",
                    Arg::Both {
                        en: o.explanation.clone(),
                        nl: o.explanation_nl.clone(),
                    },
                ),
                ("since", o.since.as_str().into()),
                (
                    "law",
                    Arg::Both {
                        en: o.law.clone(),
                        nl: o.law_nl.clone(),
                    },
                ),
            ],
        ));
    }
}

/// The words that head an article line ("Artikel 5", "Article 5"): the `article` words of every
/// language's `[structure]` in `text.toml`, lower case.
fn article_words() -> &'static [String] {
    crate::text::data::text_data().map_or(&[], |d| d.structure.article.as_slice())
}

/// The rest of `t` after an article word and a space at its start, the word's case ignored
/// ("Artikel 5" → "5").
fn after_article_word(t: &str) -> Option<&str> {
    article_words()
        .iter()
        .find_map(|w| crate::text::data::after_word(t, w))
}

/// The number after an article word at the start of `lower` ("artikel 8." → 8).
fn article_number(lower: &str) -> Option<u32> {
    let rest = after_article_word(lower)?;
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The first part of a clause number at the start of `t` ("6.1. Op ..." → 6), when the line
/// starts with a number of the form N.M.
fn clause_parent(t: &str) -> Option<u32> {
    let (head, rest) = t.split_once('.')?;
    if head.is_empty() || head.len() > 3 || !head.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.chars().next().filter(char::is_ascii_digit)?;
    head.parse().ok()
}

/// An article heading and its clauses: (article number, heading line, number of clause lines
/// that carry the article's number, clause lines that carry another).
type Article = (u32, Range<usize>, usize, Vec<Range<usize>>);

/// `RD-XREF-NUMBERING`: the clauses under an article heading all carry another article's number
/// ("Artikel 8" with 6.1-6.4 below it), in a document whose other articles number their clauses
/// after themselves (at least two do).
fn numbering_mismatch(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let mut articles: Vec<Article> = Vec::new();
    for r in &doc.seg.lines {
        let line = doc.lower.get(r.clone()).unwrap_or("");
        let lead = line.len()
            - line
                .trim_start_matches(['-', '*', '•', '#', ' ', '\t'])
                .len();
        let t = line.get(lead..).unwrap_or("");
        if let Some(n) = article_number(t) {
            let start = r.start + lead;
            articles.push((n, start..r.end, 0, Vec::new()));
            continue;
        }
        let (Some(parent), Some(last)) = (clause_parent(t), articles.last_mut()) else {
            continue;
        };
        if parent == last.0 {
            last.2 += 1;
        } else {
            last.3.push(r.start + lead..r.end);
        }
    }
    let consistent = articles
        .iter()
        .filter(|a| a.2 > 0 && a.3.is_empty())
        .count();
    if consistent < 2 {
        return;
    }
    for (n, heading, matched, wrong) in &articles {
        if *matched > 0 || wrong.is_empty() {
            continue;
        }
        let mut evidence = vec![heading.clone()];
        for r in [wrong.first(), wrong.last()].into_iter().flatten() {
            if let Some(i) = doc.seg.sentence_at(r.start)
                && let Some(e) = doc.sentence_evidence(i)
                && !evidence.contains(&e)
            {
                evidence.push(e);
            }
        }
        out.push(
            Draft::new("RD-XREF-NUMBERING", evidence)
                .detail("xref_numbering", [("article", n.to_string().into())]),
        );
        return;
    }
}

/// The clause numbers a document has, from its own numbering: "Artikel 5", "5.4", and nested
/// numbered lists ("32." with "1." indented below it is 32.1).
pub(crate) fn numbering(doc: &Doc<'_>) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for r in &doc.seg.lines {
        let line = doc.text.get(r.clone()).unwrap_or("");
        let indent = line.len() - line.trim_start().len();
        let t = line
            .trim_start()
            .trim_start_matches(['-', '*', '•', '#', ' ', '\t']);
        // "Artikel 5", "ARTIKEL 5.", "Article 5 -", "Hoofdstuk"-less numbering (the article
        // words are ASCII: compared without lower-casing the line)
        let after_word = after_article_word(t);
        let (body, explicit_article) = match after_word {
            Some(b) => (b.trim_start(), true),
            None => (t, false),
        };
        let num: String = body
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let num = num.trim_end_matches('.').to_owned();
        if num.is_empty() || num.starts_with('.') || num.len() > 12 {
            continue;
        }
        let rest = body.get(num.len()..).unwrap_or("");
        // a marker is followed by "." / ")" / whitespace, not by more digits or letters directly
        if !explicit_article && !rest.starts_with(['.', ')', ' ', '\t']) {
            continue;
        }
        if !explicit_article && !num.contains('.') && !rest.starts_with(['.', ')']) {
            continue;
        }
        if explicit_article {
            stack.clear();
            stack.push((indent, num.clone()));
            set.insert(num);
            continue;
        }
        if num.contains('.') {
            // written in full: 4.5, 18.13
            let mut prefix = String::new();
            for part in num.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                set.insert(prefix.clone());
            }
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let full = match stack.last() {
            Some((_, parent)) => format!("{parent}.{num}"),
            None => num.clone(),
        };
        set.insert(full.clone());
        stack.push((indent, full));
    }
    set
}

fn own_status(set: &BTreeSet<String>, number: &str) -> RefStatus {
    if set.contains(number) {
        return RefStatus::Exists;
    }
    let Some((parent, _)) = number.rsplit_once('.') else {
        return RefStatus::Unknown;
    };
    let has_children = set
        .iter()
        .any(|n| n.strip_prefix(parent).is_some_and(|r| r.starts_with('.')));
    if set.contains(parent) && has_children {
        RefStatus::Missing
    } else {
        RefStatus::Unknown
    }
}

fn cross_references(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let Some(re) = doc.lex.group("xref") else {
        return;
    };
    let external = doc.lex.group("xref_external");
    let mut own: Option<BTreeSet<String>> = None;
    let mut reported: Vec<String> = Vec::new();
    // the group's matches from the shared literal pass, each read again for its groups
    for c in doc
        .matches("xref")
        .into_iter()
        .filter_map(|m| re.captures_at(doc.lower, m.start))
    {
        let Some(num) = c.iter().skip(1).flatten().next() else {
            continue;
        };
        let after = doc.lower.get(num.end()..).unwrap_or("");
        let window = after.get(..after.floor_char_boundary(80)).unwrap_or(after);
        if window.starts_with([':', '/']) || external.is_some_and(|r| r.is_match(window)) {
            continue;
        }
        let number = num.as_str().to_owned();
        // the structure's lookup when there is one, checked against the reader's own index
        let given = doc.resolve.map_or(RefStatus::Unknown, |f| f(&number));
        let set = own.get_or_insert_with(|| numbering(doc));
        let status = match (given, own_status(set, &number)) {
            (RefStatus::Exists, _) | (_, RefStatus::Exists) => RefStatus::Exists,
            (RefStatus::Missing, _) | (RefStatus::Unknown, RefStatus::Missing) => {
                RefStatus::Missing
            }
            (RefStatus::Unknown, RefStatus::Unknown) => RefStatus::Unknown,
        };
        if status != RefStatus::Missing || reported.contains(&number) {
            continue;
        }
        let Some(i) = doc.seg.sentence_at(num.start()) else {
            continue;
        };
        let Some(all) = c.get(0) else {
            continue;
        };
        reported.push(number.clone());
        out.push(
            Draft::new("RD-XREF-BROKEN", vec![doc.evidence(i, &all.range())]).detail(
                "xref_broken",
                [
                    (
                        "word",
                        all.as_str()
                            .split_whitespace()
                            .next()
                            .map_or(Arg::Word("article_word"), Arg::from),
                    ),
                    ("number", number.as_str().into()),
                ],
            ),
        );
    }
}
