//! Contradictions: the text says two incompatible things.
//!
//! - `RD-CONTRA-NUMBER-WORDS`: "veertien (30) dagen", "fourteen (30) days".
//! - `RD-CONTRA-PERIOD`: the same period (deletion after the end of the contract, payment term,
//!   breach notice, request deadline, notice period) stated with different values.
//! - `RD-CONTRA-EU-ONLY`: "only inside the EU/EEA" while US services are named.
//! - `RD-CONTRA-COOKIES`: "only functional cookies" while advertising/social trackers are named.
//! - `RD-CONTRA-RETENTION` / `RD-RETENTION-INDEFINITE`: "no longer than necessary" and "until you
//!   ask us to delete".
//! - `RD-CONTRA-AMENDMENT` / `RD-TERMS-UNILATERAL`: changes need both parties vs one party may
//!   change the terms alone.
//! - `RD-CONTRA-NO-COOKIES`: "we use no cookies" while other sentences say cookies are set.
//! - `RD-CONTRA-CONSENT-ONLY`: "all data only with your consent" while a legal duty or a contract
//!   is relied on.
//! - `RD-CONTRA-AUTO-SUBSCRIBE`: consent for the newsletter, yet addresses are added automatically.
//! - `RD-CONTRA-COOKIE-PERSONAL`: cookie data called no personal data, while cookies recognise
//!   the person or device.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::data::Topic;
use super::{Arg, Doc, Draft};
use crate::text::{DurationReader, Quantity};

pub(crate) fn run(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    // problems are language-independent: a duration in any language is read
    let quantities = DurationReader::all().find(doc.text);
    number_words(doc, &quantities, out);
    periods(doc, &quantities, out);
    eu_only(doc, out);
    cookies_only(doc, out);
    retention(doc, out);
    amendment(doc, out);
    sharing(doc, out);
    no_cookies(doc, out);
    pair(
        doc,
        out,
        "consent_only_claim",
        "non_consent_basis",
        "RD-CONTRA-CONSENT-ONLY",
        None,
    );
    auto_subscribe(doc, out);
    pair(
        doc,
        out,
        "cookie_not_personal",
        "cookie_identifies",
        "RD-CONTRA-COOKIE-PERSONAL",
        Some("cookie_word"),
    );
}

/// A claim (`claim`) and, in other sentences that deny nothing, what contradicts it (`against`,
/// with `with` in the same sentence when given).
fn pair(
    doc: &Doc<'_>,
    out: &mut Vec<Draft>,
    claim: &str,
    against: &str,
    code: &str,
    with: Option<&str>,
) {
    let claims = doc.sentences_with(claim);
    let Some(first) = claims.first() else {
        return;
    };
    let hits: Vec<(usize, Range<usize>)> = doc
        .sentences_with(against)
        .into_iter()
        .filter(|(i, _)| {
            !claims.iter().any(|(j, _)| j == i)
                && !doc.sentence_has(*i, "negation")
                && with.is_none_or(|g| doc.sentence_has(*i, g))
        })
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut evidence = vec![doc.evidence(first.0, &first.1)];
    evidence.extend(first_n(doc, &hits, 2));
    out.push(Draft::new(code, evidence));
}

/// Consent is named for the newsletter, yet addresses are put on the list automatically.
fn auto_subscribe(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let auto = doc.sentences_with("auto_subscribe");
    let Some(a) = auto.first() else {
        return;
    };
    let consent = doc
        .sentences_with("consent_used")
        .into_iter()
        .find(|(i, _)| {
            (i.saturating_sub(1)..=*i).any(|j| doc.sentence_has(j, "newsletter_word"))
                && !doc.sentence_has(*i, "negation")
                && *i != a.0
        });
    let Some(c) = consent else {
        return;
    };
    let mut evidence = vec![doc.evidence(c.0, &c.1)];
    evidence.push(doc.evidence(a.0, &a.1));
    out.push(Draft::new("RD-CONTRA-AUTO-SUBSCRIBE", evidence));
}

/// "The site uses no cookies" and, in another sentence that denies nothing, cookies that are set.
fn no_cookies(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let claims = doc.sentences_with("no_cookies_claim");
    let Some(claim) = claims.first() else {
        return;
    };
    let set: Vec<(usize, Range<usize>)> = doc
        .sentences_with("cookies_set")
        .into_iter()
        .filter(|(i, _)| !claims.iter().any(|(j, _)| j == i) && !doc.sentence_has(*i, "negation"))
        .collect();
    if set.is_empty() {
        return;
    }
    let mut evidence = vec![doc.evidence(claim.0, &claim.1)];
    evidence.extend(first_n(doc, &set, 2));
    out.push(Draft::new("RD-CONTRA-NO-COOKIES", evidence));
}

fn sharing(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let claims = doc.sentences_with("no_sharing");
    let Some(claim) = claims.first() else {
        return;
    };
    let shares: Vec<(usize, Range<usize>)> = doc
        .sentences_with("sharing")
        .into_iter()
        .filter(|(i, _)| {
            !claims.iter().any(|(j, _)| j == i)
                && !doc.sentence_has(*i, "negation")
                && (doc.sentence_has(*i, "sharing_recipient")
                    || (i.saturating_sub(3)..=*i).any(|j| doc.sentence_has(j, "ad_tracker")))
        })
        .collect();
    if shares.is_empty() {
        return;
    }
    let mut evidence = vec![doc.evidence(claim.0, &claim.1)];
    evidence.extend(first_n(doc, &shares, 2));
    out.push(Draft::new("RD-CONTRA-SHARING", evidence).detail("contra_sharing", []));
}

/// "veertien (30) dagen": a number in words with other digits in brackets (either way round).
fn number_words(doc: &Doc<'_>, quantities: &[Quantity], out: &mut Vec<Draft>) {
    for q in quantities {
        let (Some(word_value), Some(digits), Some(paren)) = (q.words, q.digits, &q.paren) else {
            continue;
        };
        if word_value == digits {
            continue;
        }
        let written = |r: &Range<usize>| doc.text.get(r.clone()).unwrap_or_default();
        let (w, d) = if q.number.start < paren.start && written(&q.number).parse::<u32>().is_ok() {
            (written(paren), written(&q.number))
        } else {
            (written(&q.number), written(paren))
        };
        // up to the closing bracket
        let close = doc
            .text
            .get(paren.end..q.unit.start)
            .and_then(|t| t.find(')'))
            .map_or(paren.end, |k| paren.end.saturating_add(k).saturating_add(1));
        let all = q.number.start..close;
        let Some(i) = doc.seg.sentence_at(all.start) else {
            continue;
        };
        out.push(
            Draft::new("RD-CONTRA-NUMBER-WORDS", vec![doc.evidence(i, &all)]).detail(
                "number_words",
                [
                    ("words", w.into()),
                    ("digits", d.into()),
                    ("word_value", word_value.to_string().into()),
                    ("digit_value", digits.to_string().into()),
                ],
            ),
        );
    }
}

/// A duration found in the text.
struct Found {
    sentence: usize,
    hours: u64,
    shown: String,
    hit: Range<usize>,
}

fn durations(doc: &Doc<'_>, quantities: &[Quantity]) -> Vec<Found> {
    let written = |r: &Range<usize>| doc.text.get(r.clone()).unwrap_or_default();
    quantities
        .iter()
        .filter_map(|q| {
            let sentence = doc.seg.sentence_at(q.span.start)?;
            Some(Found {
                sentence,
                hours: q.duration.hours(),
                shown: format!(
                    "{} {} ({})",
                    written(&q.number),
                    written(&q.unit),
                    q.duration.iso()
                ),
                hit: q.span.clone(),
            })
        })
        .collect()
}

fn periods(doc: &Doc<'_>, quantities: &[Quantity], out: &mut Vec<Draft>) {
    let found = durations(doc, quantities);
    if found.is_empty() {
        return;
    }
    // topic key -> label and the durations in sentences about it
    let mut by_topic: BTreeMap<&str, (&Topic, Vec<&Found>)> = BTreeMap::new();
    // which topics each sentence is about, computed once per sentence
    let mut topics_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for f in &found {
        let ts = topics_of.entry(f.sentence).or_insert_with(|| {
            let s = doc.lower_sentence(f.sentence);
            // the sentence before often says what "hiervoor" / "this" refers to
            let prev = f
                .sentence
                .checked_sub(1)
                .map_or("", |p| doc.lower_sentence(p));
            doc.lex
                .topics
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    t.all.iter().all(|r| r.is_match(s))
                        && !t
                            .none
                            .as_ref()
                            .is_some_and(|r| r.is_match(s) || r.is_match(prev))
                })
                .map(|(k, _)| k)
                .collect()
        });
        for k in ts.iter() {
            let Some(t) = doc.lex.topics.get(*k) else {
                continue;
            };
            let e = by_topic.entry(t.key.as_str()).or_insert((t, Vec::new()));
            e.1.push(f);
        }
    }
    for (_, (topic, fs)) in by_topic {
        // values per sentence
        let mut per_sentence: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
        for f in &fs {
            per_sentence.entry(f.sentence).or_default().push(f.hours);
        }
        let mut pair: Option<(&Found, &Found)> = None;
        'outer: for a in &fs {
            for b in &fs {
                if a.sentence < b.sentence
                    && a.hours != b.hours
                    && !per_sentence
                        .get(&b.sentence)
                        .is_some_and(|v| v.contains(&a.hours))
                    && !per_sentence
                        .get(&a.sentence)
                        .is_some_and(|v| v.contains(&b.hours))
                {
                    pair = Some((a, b));
                    break 'outer;
                }
            }
        }
        let Some((a, b)) = pair else {
            continue;
        };
        let mut evidence = vec![
            doc.evidence(a.sentence, &a.hit),
            doc.evidence(b.sentence, &b.hit),
        ];
        // other sentences that repeat one of the two values
        for f in &fs {
            if f.sentence != a.sentence && f.sentence != b.sentence && evidence.len() < 4 {
                evidence.push(doc.evidence(f.sentence, &f.hit));
            }
        }
        out.push(Draft::new("RD-CONTRA-PERIOD", evidence).detail(
            "contra_period",
            [
                (
                    "topic",
                    Arg::Both {
                        en: topic.label.clone(),
                        nl: topic.label_nl.clone(),
                    },
                ),
                ("first", a.shown.as_str().into()),
                ("second", b.shown.as_str().into()),
            ],
        ));
    }
}

fn first_n(doc: &Doc<'_>, hits: &[(usize, Range<usize>)], n: usize) -> Vec<Range<usize>> {
    hits.iter()
        .take(n)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect()
}

fn eu_only(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let claims = doc.sentences_with("eu_only");
    if claims.is_empty() {
        return;
    }
    let mut us: Vec<(usize, Range<usize>)> = doc.sentences_with("us_service");
    us.extend(doc.sentences_with("us_company"));
    us.sort_by_key(|(i, _)| *i);
    us.dedup_by_key(|(i, _)| *i);
    us.retain(|(i, _)| !claims.iter().any(|(j, _)| j == i));
    if us.is_empty() {
        return;
    }
    let names = named(doc, &us, &["us_service", "us_company"]);
    let mut evidence = first_n(doc, &claims, 1);
    evidence.extend(first_n(doc, &us, 2));
    out.push(
        Draft::new("RD-CONTRA-EU-ONLY", evidence).detail("contra_eu_only", [("names", names)]),
    );
}

/// The distinct names matched by `groups` in the given sentences, as a readable list (the words
/// "US services" when none is found).
pub(crate) fn named(doc: &Doc<'_>, sentences: &[(usize, Range<usize>)], groups: &[&str]) -> Arg {
    let mut names: Vec<String> = Vec::new();
    for (i, _) in sentences {
        let lower = doc.lower_sentence(*i);
        let s = doc.sentence_text(*i);
        for g in groups {
            if let Some(r) = doc.lex.group(g) {
                for m in r.find_iter(lower) {
                    // the name as written
                    let n = s.get(m.range()).unwrap_or(m.as_str()).trim().to_owned();
                    if !names.iter().any(|x| x.eq_ignore_ascii_case(&n)) {
                        names.push(n);
                    }
                }
            }
        }
    }
    names.truncate(6);
    if names.is_empty() {
        Arg::Word("us_services")
    } else {
        Arg::Text(names.join(", "))
    }
}

pub(crate) fn tracker_sentences(doc: &Doc<'_>) -> Vec<(usize, Range<usize>)> {
    let mut t = doc.sentences_with("ad_tracker");
    t.extend(doc.sentences_with("ad_cookie"));
    t.sort_by_key(|(i, _)| *i);
    t.dedup_by_key(|(i, _)| *i);
    t
}

fn cookies_only(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let claims = doc.sentences_with("only_functional_cookies");
    if claims.is_empty() {
        return;
    }
    let mut trackers = tracker_sentences(doc);
    trackers.retain(|(i, _)| !claims.iter().any(|(j, _)| j == i));
    if trackers.is_empty() {
        return;
    }
    let names = named(doc, &trackers, &["ad_tracker", "ad_cookie"]);
    let mut evidence = first_n(doc, &claims, 1);
    for (i, h) in trackers.iter().take(2) {
        evidence.push(doc.evidence(*i, h));
        // "These buttons ... This code places a cookie."
        let next = i + 1;
        if doc.sentence_has(next, "cookie_word")
            && let Some(r) = doc.sentence_evidence(next)
        {
            evidence.push(r);
        }
    }
    out.push(
        Draft::new("RD-CONTRA-COOKIES", evidence).detail("contra_cookies", [("names", names)]),
    );
}

fn retention(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let indefinite = doc.sentences_with("until_deletion_request");
    if indefinite.is_empty() {
        return;
    }
    let limited = doc.sentences_with("not_longer_than_necessary");
    if let Some(first) = limited.first() {
        let mut evidence = vec![doc.evidence(first.0, &first.1)];
        evidence.extend(first_n(doc, &indefinite, 3));
        out.push(Draft::new("RD-CONTRA-RETENTION", evidence).detail("contra_retention", []));
    } else {
        out.push(Draft::new(
            "RD-RETENTION-INDEFINITE",
            first_n(doc, &indefinite, 3),
        ));
    }
}

fn amendment(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let unilateral = doc.sentences_with("unilateral_amendment");
    if unilateral.is_empty() {
        return;
    }
    let mutual = doc.sentences_with("mutual_amendment");
    if let Some(m) = mutual
        .iter()
        .find(|(i, _)| !unilateral.iter().any(|(j, _)| j == i))
    {
        let mut evidence = vec![doc.evidence(m.0, &m.1)];
        evidence.extend(first_n(doc, &unilateral, 2));
        out.push(Draft::new("RD-CONTRA-AMENDMENT", evidence).detail("contra_amendment", []));
    } else if doc.parts.terms || doc.parts.dpa {
        let mut d = Draft::new("RD-TERMS-UNILATERAL", first_n(doc, &unilateral, 2));
        if doc.parts.dpa {
            d = d.detail("terms_unilateral_dpa", []);
        }
        out.push(d);
    }
}
