//! Identifiers that disagree: addresses, KvK numbers and e-mail/web domains.
//!
//! - `RD-CONTRA-ADDRESS`: the same street with another house number or postcode.
//! - `RD-CONTRA-KVK`: more than one Chamber of Commerce number.
//! - `RD-TYPO-DOMAIN`: two domains one or two letters apart (`leerwerkbuuro.nl` / `leerwerkburo.nl`).
//! - `RD-TYPO-NAME`: a capitalised name written two ways, a letter apart, next to the same
//!   capitalised word ("Breda Oost" / "Breda Ooost", "Zero Tolerance" / "Zero Telorance").

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::{Arg, Doc, Draft};
use crate::text::identifiers::{hosts, kvk_numbers, postcodes};
use crate::text::pattern::compile;
use crate::text::words::{RunOf, char_runs};

struct Patterns {
    address: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        Some(Patterns {
            // Street (capitalised words and Dutch particles), number, postcode (1234 AB), city.
            address: compile(
                r"(\p{Lu}[\p{L}'.-]+(?: (?:\p{Lu}[\p{L}'.-]*|van|de|der|den|het|aan|op|in|bij|la|le))*)[ \t]+(\d{1,5}[a-zA-Z]?(?:[-–/]\d{1,5}[a-zA-Z]?)?)[ \t]*,?[ \t\r\n]*(\d{4}[ \t]?[A-Z]{2})(?-u:\b)(?:[ \t]*,?[ \t]*(\p{Lu}[\p{L}-]+(?:[ -]\p{Lu}[\p{L}-]+)?))?",
            )
            .ok()?,
        })
    })
    .as_ref()
}

pub(crate) fn run(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let Some(p) = patterns() else {
        return;
    };
    addresses(doc, p, out);
    kvk(doc, out);
    domains(doc, out);
    names(doc, out);
}

/// One capitalised word with its capitalised neighbours, each joined to it by one space (kept
/// small: a long text has hundreds of thousands of them; their lower-case forms are read when
/// needed, see [`lower_run`]).
struct Word {
    range: Range<usize>,
    /// where the neighbour before starts (it ends one space before the word)
    prev_start: Option<usize>,
    /// where the neighbour after ends (it starts one space after the word)
    next_end: Option<usize>,
}

impl Word {
    fn prev(&self) -> Option<Range<usize>> {
        Some(self.prev_start?..self.range.start.saturating_sub(1))
    }

    fn next(&self) -> Option<Range<usize>> {
        Some(self.range.end.saturating_add(1)..self.next_end?)
    }
}

/// The end of the legal form that follows word `w` (B.V., GmbH, Ltd, ...), if one does.
fn legal_form(doc: &Doc<'_>, w: &Word) -> Option<usize> {
    let after = doc.lower.get(w.range.end..).unwrap_or("");
    let after = after.get(..after.floor_char_boundary(12)).unwrap_or("");
    doc.lex
        .group("legal_form")
        .and_then(|re| re.find(after))
        .map(|m| w.range.end + m.end())
}

/// The text of a run of letters lower cased: a slice of the ASCII-lower-cased text when the run
/// is ASCII (the same as `to_lowercase` there), else a new string.
fn lower_run<'t>(doc: &Doc<'t>, r: &Range<usize>) -> Cow<'t, str> {
    let word = doc.text.get(r.clone()).unwrap_or("");
    match doc.lower.get(r.clone()) {
        Some(l) if word.is_ascii() => Cow::Borrowed(l),
        _ => Cow::Owned(word.to_lowercase()),
    }
}

fn capitalised_words(doc: &Doc<'_>) -> Vec<Word> {
    // every run of letters, in order, read as a stream with one run of look-ahead (the runs of
    // a long text are not collected: most of them are not capitalised)
    let text = doc.text;
    let bytes = text.as_bytes();
    let cap = |r: &Range<usize>| match bytes.get(r.start) {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => text
            .get(r.clone())
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase),
    };
    let joined = |a: &Range<usize>, b: &Range<usize>| {
        b.start == a.end.saturating_add(1) && bytes.get(a.end) == Some(&b' ')
    };
    let mut runs = char_runs(text, RunOf::Letters);
    let mut prev: Option<Range<usize>> = None;
    let mut current = runs.next();
    let mut out = Vec::new();
    while let Some(r) = current {
        let next = runs.next();
        if cap(&r) && text.get(r.clone()).is_some_and(|w| w.chars().count() >= 4) {
            let neighbour = |o: Option<&Range<usize>>, before: bool| {
                let o = o?;
                let ok = if before { joined(o, &r) } else { joined(&r, o) };
                (ok && cap(o)).then_some((o.start, o.end))
            };
            out.push(Word {
                range: r.clone(),
                prev_start: neighbour(prev.as_ref(), true).map(|(start, _)| start),
                next_end: neighbour(next.as_ref(), false).map(|(_, end)| end),
            });
        }
        prev = Some(r);
        current = next;
    }
    out
}

/// Whether `a` and `b` (lower case, different) look like one word with a typo: one letter
/// replaced, two letters swapped, or a letter doubled inside the word. A letter added at the end
/// (a plural, an inflection) only counts in a company name (`plural_ok`).
fn typo_pair(a: &str, b: &str, plural_ok: bool) -> bool {
    // ASCII words compare as bytes (the same as chars there), without collecting them
    if a.is_ascii() && b.is_ascii() {
        return typo_pair_of(a.as_bytes(), b.as_bytes(), plural_ok);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    typo_pair_of(&a, &b, plural_ok)
}

/// [`typo_pair`] over the letters of two words.
fn typo_pair_of<T: PartialEq>(a: &[T], b: &[T], plural_ok: bool) -> bool {
    if a.len() == b.len() {
        // the positions where the words differ, up to three (more is no typo)
        let mut diffs = [0usize; 3];
        let mut n = 0;
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            if x != y {
                if let Some(d) = diffs.get_mut(n) {
                    *d = i;
                }
                n += 1;
                if n > 2 {
                    return false;
                }
            }
        }
        return match (n, diffs) {
            (1, _) => true,
            (2, [i, j, _]) => a.get(i) == b.get(j) && a.get(j) == b.get(i),
            _ => false,
        };
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let k = (0..short.len())
        .find(|i| long.get(*i) != short.get(*i))
        .unwrap_or(short.len());
    if long.get(k + 1..) != short.get(k..) {
        return false;
    }
    if k + 1 == long.len() {
        return plural_ok;
    }
    let c = long.get(k);
    k > 0 && (k.checked_sub(1).and_then(|p| long.get(p)) == c || long.get(k + 1) == c)
}

/// A neighbouring word: (before the word?, its lower-case text).
type Neighbour<'t> = (bool, Cow<'t, str>);
/// The forms next to one neighbour, each with the index of its first word.
type Forms<'t> = Vec<(Cow<'t, str>, usize)>;

fn names(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let words = capitalised_words(doc);
    let lower = |w: &Word| lower_run(doc, &w.range);
    // (neighbour before?, neighbour) -> form -> its first occurrence: only forms next to the same
    // word are compared, so the work grows with the forms per neighbour, not the words squared
    let mut by_neighbour: FxHashMap<(bool, Cow<'_, str>), FxHashMap<Cow<'_, str>, usize>> =
        FxHashMap::default();
    for (k, w) in words.iter().enumerate() {
        if w.prev_start.is_none() && w.next_end.is_none() {
            continue;
        }
        let form = lower(w);
        for (before, n) in [(true, w.prev()), (false, w.next())] {
            if let Some(n) = n {
                by_neighbour
                    .entry((before, lower_run(doc, &n)))
                    .or_default()
                    .entry(form.clone())
                    .or_insert(k);
            }
        }
    }
    // in key order, each with its forms in text order (as a sorted map would give them); a
    // neighbour with one form has no pair to compare
    let mut buckets: Vec<(Neighbour<'_>, Forms<'_>)> = by_neighbour
        .into_iter()
        .filter(|(_, forms)| forms.len() > 1)
        .map(|(key, forms)| {
            let mut forms: Forms<'_> = forms.into_iter().collect();
            forms.sort_unstable();
            (key, forms)
        })
        .collect();
    buckets.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut found: Vec<(usize, usize, bool)> = Vec::new();
    for ((before, _), forms) in &buckets {
        if forms.len() > MAX_FORMS {
            continue;
        }
        let list: Vec<usize> = forms.iter().map(|(_, k)| *k).collect();
        for (x, ka) in list.iter().enumerate() {
            for kb in list.iter().skip(x + 1) {
                let (Some(a), Some(b)) = (words.get(*ka), words.get(*kb)) else {
                    continue;
                };
                let (la, lb) = (lower(a), lower(b));
                // the legal forms matter only to a pair that is a typo when a plural counts
                if typo_pair(&la, &lb, true)
                    && typo_pair(
                        &la,
                        &lb,
                        legal_form(doc, a).is_some() && legal_form(doc, b).is_some(),
                    )
                    && !found.iter().any(|(p, q, _)| {
                        let (p, q) = (words.get(*p).map(&lower), words.get(*q).map(&lower));
                        (p.as_ref() == Some(&la) && q.as_ref() == Some(&lb))
                            || (p.as_ref() == Some(&lb) && q.as_ref() == Some(&la))
                    })
                {
                    found.push((*ka, *kb, *before));
                }
            }
        }
    }
    found.sort_unstable();
    found.truncate(3);
    // how often each form of the pairs occurs (counted for the few pairs found, in one pass
    // over the words)
    let mut counts: Vec<(Cow<'_, str>, usize)> = found
        .iter()
        .flat_map(|(ka, kb, _)| [*ka, *kb])
        .filter_map(|k| words.get(k).map(|w| (lower(w), 0)))
        .collect();
    if !counts.is_empty() {
        for w in &words {
            let form = lower(w);
            for (f, n) in &mut counts {
                if *f == form {
                    *n += 1;
                }
            }
        }
    }
    let count = |form: &str| {
        counts
            .iter()
            .find(|(f, _)| f == form)
            .map_or(0, |(_, n)| *n)
    };
    for (ka, kb, before) in found {
        let (Some(a), Some(b)) = (words.get(ka), words.get(kb)) else {
            continue;
        };
        let neighbour =
            |w: &Word| if before { w.prev() } else { w.next() }.unwrap_or_else(|| w.range.clone());
        let phrase = |w: &Word| {
            let n = neighbour(w);
            w.range.start.min(n.start)..w.range.end.max(n.end).max(legal_form(doc, w).unwrap_or(0))
        };
        let (ra, rb) = (phrase(a), phrase(b));
        let (ca, cb) = (count(&lower(a)), count(&lower(b)));
        // the rarer form first: it is the likely typo
        let (rare, common) = if cb < ca { (rb, ra) } else { (ra, rb) };
        let shown = |r: &Range<usize>| doc.text.get(r.clone()).unwrap_or("").to_owned();
        out.push(
            Draft::new("RD-TYPO-NAME", vec![rare.clone(), common.clone()]).detail(
                "typo_name",
                [
                    ("first", shown(&rare).into()),
                    ("second", shown(&common).into()),
                ],
            ),
        );
    }
}

/// Neighbours followed by more distinct capitalised forms than this are common words ("De",
/// "The"), not parts of a name; their forms are not compared.
const MAX_FORMS: usize = 300;

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

fn addresses(doc: &Doc<'_>, p: &Patterns, out: &mut Vec<Draft>) {
    // street -> [(number, postcode, range)]
    let mut by_street: BTreeMap<String, Vec<(String, String, Range<usize>)>> = BTreeMap::new();
    // the address pattern is slow; run it only around postcodes
    let mut seen_end = 0;
    let mut caps = Vec::new();
    let pcs: Vec<Range<usize>> = match doc.postcodes {
        Some(known) => known.iter().map(|f| f.span.clone()).collect(),
        None => postcodes(doc.text),
    };
    for pc in pcs {
        let from = doc
            .text
            .floor_char_boundary(pc.start.saturating_sub(120).max(seen_end));
        let to = doc
            .text
            .ceil_char_boundary((pc.end + 60).min(doc.text.len()));
        let Some(window) = doc.text.get(from..to) else {
            continue;
        };
        for c in p.address.captures_iter(window) {
            let end = c.get(0).map_or(0, |all| from + all.end());
            if end > seen_end {
                seen_end = end;
                caps.push((from, c));
            }
        }
    }
    for (offset, c) in caps {
        let (Some(street), Some(num), Some(pc), Some(all)) =
            (c.get(1), c.get(2), c.get(3), c.get(0))
        else {
            continue;
        };
        let key = street.as_str().to_lowercase();
        // the street must look like one: not a sentence's capitalised first word plus a count
        if key.chars().count() < 4 {
            continue;
        }
        by_street.entry(key).or_default().push((
            norm(num.as_str()),
            norm(pc.as_str()),
            offset + street.start()..offset + all.end(),
        ));
    }
    for (street, list) in by_street {
        let Some(first) = list.first() else {
            continue;
        };
        let Some(other) = list
            .iter()
            .find(|(n, pc, _)| *n != first.0 || *pc != first.1)
        else {
            continue;
        };
        let q1 = super::quote::quote(doc.text, &first.2);
        let q2 = super::quote::quote(doc.text, &other.2);
        let mut what = Vec::new();
        if other.0 != first.0 {
            what.push(Arg::Word("house_number"));
        }
        if other.1 != first.1 {
            what.push(Arg::Word("postcode"));
        }
        out.push(
            Draft::new("RD-CONTRA-ADDRESS", vec![first.2.clone(), other.2.clone()]).detail(
                "contra_address",
                [
                    ("street", street.into()),
                    ("what", Arg::List(what, "and_sep")),
                    ("first", q1.into()),
                    ("second", q2.into()),
                ],
            ),
        );
    }
}

fn kvk(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    let mut add = |digits: &str, span: &Range<usize>| {
        if !seen.iter().any(|(d, _)| d == digits) {
            seen.push((digits.to_owned(), span.clone()));
        }
    };
    match doc.kvk {
        Some(known) => known.iter().for_each(|k| add(&k.value, &k.span)),
        None => kvk_numbers(doc.text)
            .iter()
            .for_each(|k| add(&k.digits, &k.span)),
    }
    if seen.len() == 2 {
        let evidence = seen
            .iter()
            .filter_map(|(_, r)| doc.seg.sentence_at(r.start).map(|i| doc.evidence(i, r)))
            .collect();
        let nums: Vec<Arg> = seen.iter().map(|(d, _)| d.as_str().into()).collect();
        out.push(
            Draft::new("RD-CONTRA-KVK", evidence)
                .detail("contra_kvk", [("numbers", Arg::List(nums, "and_sep"))]),
        );
    }
}

/// The registrable domain of a host or e-mail address: (second-level label, top-level domain).
fn registrable(s: &str) -> Option<(String, String)> {
    let host = s.rsplit('@').next().unwrap_or(s).to_lowercase();
    let host = host
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    let tld = labels.get(n - 1)?;
    let (sld, tld) = if *tld == "uk" && n >= 3 {
        (labels.get(n - 3)?, format!("{}.uk", labels.get(n - 2)?))
    } else {
        (labels.get(n - 2)?, (*tld).to_owned())
    };
    Some(((*sld).to_owned(), tld))
}

/// Levenshtein distance on characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(c0) = cur.get_mut(0) {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX - 1) + cost;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(0)
}

/// (second-level label, top-level domain)
type Domain = (String, String);

fn domains(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    // (sld, tld) -> occurrences
    let mut by_domain: Vec<(Domain, Vec<Range<usize>>)> = Vec::new();
    for m in hosts(doc.text) {
        let Some(key) = registrable(doc.text.get(m.clone()).unwrap_or("")) else {
            continue;
        };
        match by_domain.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(m),
            None => by_domain.push((key, vec![m])),
        }
    }
    let mut reported: Vec<(usize, usize)> = Vec::new();
    for (ai, (a, ra)) in by_domain.iter().enumerate() {
        for (bi, (b, rb)) in by_domain.iter().enumerate().skip(ai + 1) {
            if a.1 != b.1 {
                continue;
            }
            let len = a.0.chars().count().min(b.0.chars().count());
            let d = distance(&a.0, &b.0);
            let limit = if len >= 8 { 2 } else { 1 };
            if len < 5 || d == 0 || d > limit || reported.contains(&(ai, bi)) {
                continue;
            }
            reported.push((ai, bi));
            let mut evidence: Vec<Range<usize>> = Vec::new();
            let mut shown: Vec<String> = Vec::new();
            let mut all: Vec<&Range<usize>> = ra.iter().chain(rb.iter()).collect();
            all.sort_by_key(|r| r.start);
            for r in all {
                let q = doc.text.get(r.clone()).unwrap_or("").to_lowercase();
                if !shown.contains(&q) && evidence.len() < 6 {
                    shown.push(q);
                    evidence.push(r.clone());
                }
            }
            out.push(Draft::new("RD-TYPO-DOMAIN", evidence).detail(
                "typo_domain",
                [
                    ("first", format!("{}.{}", a.0, a.1).into()),
                    ("second", format!("{}.{}", b.0, b.1).into()),
                    ("letters", d.to_string().into()),
                ],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein() {
        assert_eq!(distance("leerwerkbuuro", "leerwerkburo"), 1);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(
            registrable("info@mail.example.nl"),
            Some(("example".into(), "nl".into()))
        );
        assert_eq!(
            registrable("www.shop.co.uk"),
            Some(("shop".into(), "co.uk".into()))
        );
    }
}
