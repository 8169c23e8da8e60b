//! Structure: sections and clauses with their numbering as written (`Artikel 5`, `5.4`, `1.`,
//! `a.`, nested lists by indentation, Markdown `#` headings), and cross-references resolved
//! against them.
//!
//! Every numbered clause gets a *full number*: its own number joined with its ancestors'
//! (`Artikel 32` → `1.` below it is `32.1`; `5.4` written as such is `5.4`; `a.` below `5.4` is
//! `5.4.a`). [`Structure::resolve`] looks a reference up by that full number, and
//! [`Structure::references`] lists every cross-reference in the text with its resolution, so that
//! a broken reference is simply one whose `target` is `None` while `external_law` is `None` too.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::Document;
use crate::text::data::{StructureWords, text_data};
use crate::text::segments::BULLETS;

/// What kind of marker opened a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// A chapter heading (`Hoofdstuk 2`, `Chapter 2`).
    Chapter,
    /// An article heading (`Artikel 5 – Betaling`, `ARTICLE 5.`).
    Article,
    /// A Markdown heading (`## Cookies`) or an unnumbered heading-like line.
    Heading,
    /// A clause numbered with dots as written (`5.4`, `1.2.3`).
    Dotted,
    /// A list item numbered `1.` or `1)`.
    Numbered,
    /// A list item lettered `a.` or `a)`.
    Lettered,
    /// A bullet (`•`, `-`, `*`).
    Bullet,
}

/// A section or clause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    /// The kind of marker.
    pub kind: ClauseKind,
    /// The number exactly as written (`Artikel 5`, `5.4`, `1.`, `a)`), if any.
    pub label: Option<String>,
    /// The full number (`32.1`, `5.4.a`), lowercase, dot-separated; `None` for bullets and
    /// unnumbered headings.
    pub number: Option<String>,
    /// The heading's title, or the clause's first line after its marker.
    pub title: String,
    /// Nesting depth (0 = top level).
    pub depth: usize,
    /// The byte range of the whole clause in [`Document::text`], up to the next clause at the same
    /// or a lower depth.
    pub span: Range<usize>,
    /// The 1-based line on which it starts.
    pub line: usize,
    /// The index of the parent clause in [`Structure::clauses`].
    pub parent: Option<usize>,
}

/// A cross-reference in the text ("zie artikel 32.2", "article 5(2)").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CrossReference {
    /// The reference as written (`artikel 32.2`).
    pub text: String,
    /// Its byte range in [`Document::text`].
    pub span: Range<usize>,
    /// The normalised full number it points to (`32.2`).
    pub number: String,
    /// The law it points into when it is not internal (`AVG`, `GDPR`, `BW`, ...).
    pub external_law: Option<String>,
    /// The index of the clause it resolves to, if internal and found.
    pub target: Option<usize>,
}

impl CrossReference {
    /// True for an internal reference that does not resolve (a broken reference), provided the
    /// document numbers its clauses at all (see [`Structure::is_numbered`]).
    #[must_use]
    pub fn is_broken(&self) -> bool {
        self.external_law.is_none() && self.target.is_none()
    }
}

/// The clause tree of a document and its cross-references.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Structure {
    /// All clauses in document order.
    pub clauses: Vec<Clause>,
    /// All cross-references in document order.
    pub references: Vec<CrossReference>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// The words of `[structure]` in every language's `text.toml` (empty when the data does not load).
fn words() -> Option<&'static StructureWords> {
    text_data().ok().map(|d| &d.structure)
}

/// An alternation of `words` (longest first, a space matching any white space); `None` for no
/// words, so that a broken data file finds nothing rather than everything.
fn alternation<'a>(words: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let mut words: Vec<&String> = words.into_iter().collect();
    if words.is_empty() {
        return None;
    }
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.dedup();
    Some(
        words
            .iter()
            .map(|w| regex::escape(w).replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|"),
    )
}

/// An article heading: "Artikel 5 – Betaling", "ARTICLE 5.".
static ARTICLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let article = alternation(&words()?.article)?;
    crate::text::pattern::compile(&format!(
        r"^(?:#{{1,6}}\s*)?(?i:({article}))\s+(\d{{1,3}}[a-z]?)(?-u:\b)\.?\s*(?:[-–—:.]\s*)?(.*)$"
    ))
    .ok()
});
/// A chapter heading: "Hoofdstuk 2", "Schedule A", "Part IV".
static CHAPTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let chapter = alternation(&words()?.chapter)?;
    crate::text::pattern::compile(&format!(
        r"^(?:#{{1,6}}\s*)?(?i:({chapter}))\s+(\d{{1,3}}|[IVXLC]{{1,6}}|[A-Z])(?-u:\b)\.?\s*(?:[-–—:.]\s*)?(.*)$"
    ))
    .ok()
});
static MD_HEADING: LazyLock<Option<Regex>> =
    LazyLock::new(|| crate::text::pattern::compile(r"^(#{1,6})\s+(.*)$").ok());
/// A cross-reference: "artikel 5.2", "article 6 paragraph 1 of the GDPR".
static REFERENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let w = words()?;
    let article = alternation(w.article.iter().chain(&w.article_plural))?;
    let paragraph = alternation(&w.paragraph)?;
    let of_the = alternation(&w.of_the)?;
    crate::text::pattern::compile(&format!(
        r"(?i)(?-u:\b)(?:{article})\s*(\d{{1,3}}[a-z]?(?:\.\d{{1,3}})*(?:\s*\(\d{{1,2}}\))*(?:\s*\([a-z]\))?(?:\s+(?:{paragraph})\s+(?:\d{{1,2}}|[a-z])(?-u:\b))?)(?:\s*(?:,\s*)?(?:(?:{of_the})\s+)?([A-Za-z][\w.-]*))?"
    ))
    .ok()
});

fn depth_of_indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

#[derive(Clone)]
struct Open {
    indent: usize,
    kind: ClauseKind,
    clause: usize,
}

impl Structure {
    /// Parses the clause tree and the cross-references of a document.
    #[must_use]
    pub fn parse(doc: &Document) -> Self {
        let mut s = Self::default();
        let text = &doc.text;
        // Stack of open clauses (for nesting by indentation).
        let mut stack: Vec<Open> = Vec::new();
        for (line_no, (start, raw)) in line_iter(text).enumerate() {
            let line = raw.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            let indent = depth_of_indent(line);
            let Some((kind, label, own, title)) = classify(trimmed) else {
                continue;
            };
            // Find the parent.
            let parent_pos = match kind {
                ClauseKind::Chapter => {
                    stack.clear();
                    None
                }
                ClauseKind::Article => {
                    stack.retain(|o| o.kind == ClauseKind::Chapter);
                    stack.len().checked_sub(1)
                }
                ClauseKind::Heading => {
                    let level = label.as_deref().map_or(7, |l| l.len());
                    stack.retain(|o| {
                        o.kind == ClauseKind::Chapter
                            || (o.kind == ClauseKind::Heading
                                && s.clauses
                                    .get(o.clause)
                                    .and_then(|c| c.label.as_deref())
                                    .is_some_and(|l| l.len() < level))
                    });
                    stack.len().checked_sub(1)
                }
                ClauseKind::Dotted => {
                    // Absolute: its parent is the clause numbered with its prefix, if open.
                    let own_num = own.clone().unwrap_or_default();
                    let prefix = own_num.rsplit_once('.').map(|(p, _)| p.to_owned());
                    let pos = stack.iter().rposition(|o| {
                        s.clauses
                            .get(o.clause)
                            .and_then(|c| c.number.as_deref())
                            .is_some_and(|n| Some(n) == prefix.as_deref())
                    });
                    match pos {
                        Some(p) => {
                            stack.truncate(p.saturating_add(1));
                            Some(p)
                        }
                        None => {
                            stack.retain(|o| {
                                matches!(
                                    o.kind,
                                    ClauseKind::Chapter | ClauseKind::Article | ClauseKind::Heading
                                ) && !s
                                    .clauses
                                    .get(o.clause)
                                    .and_then(|c| c.number.as_deref())
                                    .is_some_and(|n| {
                                        prefix.as_deref().is_some_and(|p| !p.starts_with(n))
                                    })
                            });
                            stack.len().checked_sub(1)
                        }
                    }
                }
                ClauseKind::Numbered | ClauseKind::Lettered | ClauseKind::Bullet => {
                    while let Some(top) = stack.last() {
                        let structural = matches!(
                            top.kind,
                            ClauseKind::Chapter | ClauseKind::Article | ClauseKind::Heading
                        );
                        if structural
                            || (top.indent < indent)
                            || (top.indent == indent
                                && top.kind != kind
                                && top.kind == ClauseKind::Dotted)
                        {
                            break;
                        }
                        stack.pop();
                    }
                    stack.len().checked_sub(1)
                }
            };
            let parent = parent_pos.and_then(|p| stack.get(p)).map(|o| o.clause);
            let parent_number = parent
                .and_then(|p| s.clauses.get(p))
                .and_then(|c| c.number.clone());
            let number = match kind {
                ClauseKind::Dotted | ClauseKind::Article => own.clone(),
                ClauseKind::Chapter => own.clone().map(|n| format!("h{n}")),
                ClauseKind::Numbered | ClauseKind::Lettered => own.as_ref().map(|o| {
                    match parent_number.as_deref().filter(|p| !p.starts_with('h')) {
                        Some(p) => format!("{p}.{o}"),
                        None => o.clone(),
                    }
                }),
                ClauseKind::Bullet | ClauseKind::Heading => None,
            };
            let depth = parent_pos.map_or(0, |p| p.saturating_add(1));
            let idx = s.clauses.len();
            if let Some(n) = &number {
                s.index.entry(n.clone()).or_insert(idx);
            }
            s.clauses.push(Clause {
                kind,
                label,
                number,
                title,
                depth,
                span: start..text.len(),
                line: line_no.saturating_add(1),
                parent,
            });
            stack.push(Open {
                indent,
                kind,
                clause: idx,
            });
        }
        // Close spans: a clause ends where the next clause at the same or a lower depth starts.
        let mut open: Vec<usize> = Vec::new();
        let starts: Vec<(usize, usize)> =
            s.clauses.iter().map(|c| (c.depth, c.span.start)).collect();
        for (i, &(depth, start)) in starts.iter().enumerate() {
            while let Some(&top) = open.last() {
                let top_depth = starts.get(top).map_or(0, |t| t.0);
                if top_depth >= depth {
                    if let Some(c) = s.clauses.get_mut(top) {
                        c.span.end = start;
                    }
                    open.pop();
                } else {
                    break;
                }
            }
            open.push(i);
        }
        s.references = find_references(text, &s.index);
        s
    }

    /// Looks a clause up by a reference as written: `artikel 32.2`, `32.2`, `art. 5 lid 2`,
    /// `article 5(2)`, `5.4 sub b`, `Artikel 7`. `None` when the reference cannot be parsed or
    /// no clause has that number.
    #[must_use]
    pub fn resolve(&self, reference: &str) -> Option<&Clause> {
        let number = normalise_reference(reference)?;
        self.index.get(&number).and_then(|&i| self.clauses.get(i))
    }

    /// True when the document numbers its clauses (at least three numbered clauses), i.e. when an
    /// unresolved internal reference is worth reporting.
    #[must_use]
    pub fn is_numbered(&self) -> bool {
        self.clauses
            .iter()
            .filter(|c| c.number.is_some())
            .take(3)
            .count()
            >= 3
    }

    /// The innermost clause containing a byte offset.
    #[must_use]
    pub fn clause_at(&self, offset: usize) -> Option<&Clause> {
        self.clauses
            .iter()
            .filter(|c| c.span.contains(&offset))
            .max_by_key(|c| (c.depth, c.span.start))
    }

    /// The clause with a given full number (`32.1`).
    #[must_use]
    pub fn by_number(&self, number: &str) -> Option<&Clause> {
        self.index
            .get(&number.to_ascii_lowercase())
            .and_then(|&i| self.clauses.get(i))
    }
}

fn line_iter(text: &str) -> impl Iterator<Item = (usize, &str)> {
    crate::text::segments::split_lines(text)
}

type Classified = (ClauseKind, Option<String>, Option<String>, String);

fn cap(c: &regex::Captures<'_>, i: usize) -> String {
    c.get(i).map_or("", |m| m.as_str()).trim().to_owned()
}

/// Cheap test before the regular expressions: can this line start a clause at all?
fn may_be_clause(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if first.is_ascii_digit() || matches!(first, '#' | '(') || BULLETS.contains(&first) {
        return true;
    }
    if first.is_ascii_lowercase() && matches!(chars.next(), Some('.' | ')')) {
        return true;
    }
    let first_word = line
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default();
    // the words that open an article or chapter heading (`[structure]` of every language),
    // lower case: an ASCII word is compared as it is, another lower-cased
    let Some(words) = words() else {
        return false;
    };
    if first_word.is_ascii() {
        return words
            .heading_words()
            .any(|w| first_word.eq_ignore_ascii_case(w));
    }
    if first_word.chars().nth(24).is_some() {
        return false;
    }
    let word: String = first_word.chars().flat_map(char::to_lowercase).collect();
    words.heading_words().any(|w| w == word)
}

/// The first `n` chars of `s` (all of it when it is shorter), as a slice.
fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices()
        .nth(n)
        .and_then(|(i, _)| s.get(..i))
        .unwrap_or(s)
}

fn classify(line: &str) -> Option<Classified> {
    if !may_be_clause(line) {
        return None;
    }
    let title_of = |s: String| first_chars(&s, 120).to_owned();
    // CHAPTER and ARTICLE start with `#` or a keyword, MD_HEADING with `#`: skip their
    // captures (costly) on list lines.
    let first = line.chars().next().unwrap_or(' ');
    if first != '#' && !first.is_alphabetic() {
        return classify_numbered(line);
    }
    if let Some(c) = CHAPTER.as_ref().and_then(|r| r.captures(line)) {
        let title = cap(&c, 3);
        // "Deel 2 van ..." in running text is not a chapter: require a short line.
        if line.len() < 120 {
            let kw = cap(&c, 1);
            let n = cap(&c, 2);
            return Some((
                ClauseKind::Chapter,
                Some(format!("{kw} {n}")),
                Some(n.to_ascii_lowercase()),
                title_of(title),
            ));
        }
    }
    if let Some(c) = ARTICLE.as_ref().and_then(|r| r.captures(line)) {
        let title = cap(&c, 3);
        // A heading, not a sentence that starts with "Artikel 5 bepaalt ...": short or titled.
        if line.len() < 140 && !title.ends_with(['.', ';', ',']) || title.is_empty() {
            let kw = cap(&c, 1);
            let n = cap(&c, 2);
            return Some((
                ClauseKind::Article,
                Some(format!("{kw} {n}")),
                Some(n.to_ascii_lowercase()),
                title_of(title),
            ));
        }
    }
    if let Some(c) = MD_HEADING.as_ref().and_then(|r| r.captures(line)) {
        let hashes = cap(&c, 1);
        let rest = cap(&c, 2);
        if let Some((kind, label, own, title)) = classify_numbered(&rest)
            && kind == ClauseKind::Dotted
        {
            return Some((kind, label, own, title));
        }
        return Some((ClauseKind::Heading, Some(hashes), None, title_of(rest)));
    }
    classify_numbered(line)
}

/// Parses a list or clause marker by hand (`5.4`, `1.`, `1)`, `(a)`, `a.`, `•`), optionally after
/// a bullet: faster than regular expressions on every line.
fn classify_numbered(line: &str) -> Option<Classified> {
    let title = |s: &str| first_chars(s.trim(), 120).to_owned();
    let mut rest = line;
    let mut bulleted = false;
    if let Some(c) = rest.chars().next()
        && BULLETS.contains(&c)
    {
        bulleted = true;
        rest = rest.get(c.len_utf8()..)?.trim_start();
    }
    let body = rest.strip_prefix('(').unwrap_or(rest);
    let paren = body.len() != rest.len();
    let bytes = body.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        // dotted: 1.2, 1.2.3 (not after an opening parenthesis)
        let mut i = digits;
        let mut groups = 1usize;
        let mut parts_ok = true;
        while !paren
            && bytes.get(i) == Some(&b'.')
            && bytes
                .get(i.saturating_add(1))
                .is_some_and(u8::is_ascii_digit)
        {
            let start = i.saturating_add(1);
            let n = bytes
                .get(start..)
                .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
            if n > 3 {
                parts_ok = false;
            }
            if bytes.get(start) == Some(&b'0') || n > 2 {
                parts_ok = false;
            }
            i = start.saturating_add(n);
            groups = groups.saturating_add(1);
        }
        if groups > 1 {
            let number = body.get(..i)?.to_owned();
            let mut j = i;
            if bytes.get(j) == Some(&b'.') {
                j = j.saturating_add(1);
            }
            let after = body.get(j..)?;
            if parts_ok && (after.is_empty() || after.starts_with(char::is_whitespace)) {
                return Some((
                    ClauseKind::Dotted,
                    Some(number.clone()),
                    Some(number),
                    title(after),
                ));
            }
            return None;
        }
        if matches!(bytes.get(digits), Some(b'.' | b')')) {
            let after = body.get(digits.saturating_add(1)..)?;
            if after.starts_with(char::is_whitespace) {
                let n = body.get(..digits)?;
                let label = rest
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
                    .filter(|l| l.len() < 8);
                return Some((
                    ClauseKind::Numbered,
                    label,
                    Some(n.trim_start_matches('0').to_owned()).filter(|s| !s.is_empty()),
                    title(after),
                ));
            }
        }
        return None;
    }
    if let Some(&l) = bytes.first()
        && l.is_ascii_lowercase()
        && matches!(bytes.get(1), Some(b'.' | b')'))
        && let Some(after) = body.get(2..)
        && after.starts_with(char::is_whitespace)
    {
        let label = rest.split_whitespace().next().map(str::to_owned);
        return Some((
            ClauseKind::Lettered,
            label,
            Some(char::from(l).to_string()),
            title(after),
        ));
    }
    if bulleted && line.len() > rest.len() && !rest.is_empty() {
        let first = line.chars().next().map_or(1, char::len_utf8);
        if line
            .get(first..)
            .is_some_and(|r| r.starts_with(char::is_whitespace))
        {
            return Some((ClauseKind::Bullet, None, None, title(rest)));
        }
    }
    None
}

/// `artikel 32.2.` → `32.2`; `article 5(2)(a)` → `5.2.a`; `art. 5 lid 2` → `5.2`.
fn normalise_reference(reference: &str) -> Option<String> {
    let lower = reference.trim().to_lowercase();
    // the longest article word that starts the reference ("artikelen" before "artikel")
    let rest = words()
        .into_iter()
        .flat_map(|w| w.article.iter().chain(&w.article_plural))
        .filter_map(|kw| lower.strip_prefix(kw.as_str()).map(|r| (kw.len(), r)))
        .max_by_key(|(n, _)| *n)
        .map_or(lower.as_str(), |(_, r)| r);
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, parts: &mut Vec<String>| {
        if !cur.is_empty() {
            parts.push(std::mem::take(cur));
        }
    };
    for word in rest.split_whitespace() {
        if matches!(word, "lid" | "sub" | "onder" | "paragraph") {
            flush(&mut cur, &mut parts);
            continue;
        }
        for ch in word.chars() {
            match ch {
                '0'..='9' => cur.push(ch),
                'a'..='z' if cur.is_empty() || cur.chars().all(|c| c.is_ascii_digit()) => {
                    if cur.chars().all(|c| c.is_ascii_digit()) && !cur.is_empty() {
                        // "5a" is an article number of its own.
                        cur.push(ch);
                    } else {
                        cur.push(ch);
                    }
                }
                '.' | '(' | ')' => flush(&mut cur, &mut parts),
                _ => flush(&mut cur, &mut parts),
            }
        }
        flush(&mut cur, &mut parts);
    }
    flush(&mut cur, &mut parts);
    if parts.is_empty() || !parts.first()?.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(parts.join("."))
}

fn find_references(text: &str, index: &HashMap<String, usize>) -> Vec<CrossReference> {
    let (Some(re), Some(w)) = (REFERENCE.as_ref(), words()) else {
        return Vec::new();
    };
    let laws = &w.laws;
    let mut out = Vec::new();
    // The next word is `[\w.-]{0,40}` after its first letter; the pattern says `*` (one copy of
    // the large Unicode class instead of 40 keeps captures cheap) and the word is cut here, and
    // the next search starts where the cut word ends, as `captures_iter` would.
    let mut at = 0;
    while let Some(c) = re.captures_at(text, at) {
        let (Some(whole), Some(num)) = (c.get(0), c.get(1)) else {
            break;
        };
        let next_word = c.get(2).map(|m| {
            let w = m.as_str();
            w.get(..w.char_indices().nth(41).map_or(w.len(), |(i, _)| i))
                .unwrap_or(w)
        });
        let end_of_match = match (c.get(2), next_word) {
            (Some(m), Some(w)) => m.start().saturating_add(w.len()),
            _ => whole.end(),
        };
        // a match is never empty (it starts with a keyword)
        at = end_of_match.max(whole.start().saturating_add(1));
        let num_text = num.as_str().trim_end_matches('.');
        let Some(number) = normalise_reference(num_text) else {
            continue;
        };
        let external_law = next_word
            .filter(|w| {
                let l = w.trim_end_matches(['.', ',', ';', ':']).to_lowercase();
                laws.iter()
                    .any(|law| l == *law || l.starts_with(law.as_str()) && law.len() >= 4)
                    || w.chars().filter(char::is_ascii_uppercase).count() >= 2
            })
            .map(|w| w.trim_end_matches(['.', ',', ';', ':']).to_owned());
        // The reference text ends with the number (not the law word).
        let end = num.start().saturating_add(num_text.len());
        let span = whole.start()..end;
        let target = if external_law.is_none() {
            index.get(&number).copied()
        } else {
            None
        };
        out.push(CrossReference {
            text: text.get(span.clone()).unwrap_or_default().to_owned(),
            span,
            number,
            external_law,
            target,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, ingest};

    fn parse(s: &str) -> Structure {
        Structure::parse(&ingest("t", s.as_bytes(), Some(Format::Txt)).unwrap())
    }

    #[test]
    fn articles_and_nested_numbers() {
        let s = parse(
            "Artikel 1 – Begrippen\n1.1 Klant: wie koopt.\n1.2 Wij: de leverancier.\n\nArtikel 2 – Betaling\n1. Betaal binnen 14 dagen.\n2. Zie artikel 1.2 en artikel 3.1.\n  a. alleen per bank.\n",
        );
        assert!(s.resolve("artikel 1.2").is_some());
        assert!(s.resolve("2.2").is_some());
        assert!(s.resolve("2.2.a").is_some());
        assert!(s.resolve("artikel 2 lid 1").is_some());
        assert!(s.resolve("artikel 3.1").is_none());
        let broken: Vec<_> = s.references.iter().filter(|r| r.is_broken()).collect();
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].text, "artikel 3.1");
        assert!(s.is_numbered());
    }

    #[test]
    fn indented_lists_nest() {
        let s = parse(" 1. Definities\n  1. Eerste.\n  2. Tweede.\n 2. Algemeen\n  1. Iets.\n");
        assert!(s.by_number("1.2").is_some());
        assert!(s.by_number("2.1").is_some());
        assert!(s.by_number("2.2").is_none());
    }

    #[test]
    fn external_law_is_not_broken() {
        let s = parse(
            "Artikel 1\n1.1 Wij verwerken op grond van artikel 6 AVG en article 28(3) GDPR.\n",
        );
        assert!(
            s.references.iter().all(|r| !r.is_broken()),
            "{:?}",
            s.references
        );
        assert_eq!(
            normalise_reference("article 5(2)(a)").as_deref(),
            Some("5.2.a")
        );
    }
}
