//! Lines, headings and sentences: one split of the normalised text that the facts and the
//! problems both read ([`Segments`]), and the list markers that end a sentence.
//!
//! The abbreviations that do not end a sentence are data, one list per language
//! (`data/<lang>/text.toml`); every language's list applies to every text, since a text is split
//! before its language is known.

use std::ops::Range;

use super::data::text_data;

/// Lines and sentences of a text, computed once.
#[derive(Debug, Clone, Default)]
pub struct Segments {
    /// Line ranges (without the line break).
    pub lines: Vec<Range<usize>>,
    /// Sentence ranges, sorted, trimmed of list markers and surrounding whitespace.
    pub sentences: Vec<Range<usize>>,
    /// Indices into `lines` of lines that look like headings.
    pub headings: Vec<usize>,
}

impl Segments {
    /// Splits `text` into lines, sentences and headings.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let lines = line_ranges(text);
        let headings = lines
            .iter()
            .enumerate()
            .filter(|(_, r)| is_heading(text.get((*r).clone()).unwrap_or("")))
            .map(|(i, _)| i)
            .collect();
        let sentences = sentence_ranges(text, &lines);
        Self {
            lines,
            sentences,
            headings,
        }
    }

    /// The index of the sentence that contains byte `pos`, or the next one after it.
    #[must_use]
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|r| r.end <= pos);
        if i < self.sentences.len() {
            Some(i)
        } else {
            None
        }
    }

    /// The index of the line that contains byte `pos`.
    #[must_use]
    pub fn line_at(&self, pos: usize) -> Option<usize> {
        let i = self.lines.partition_point(|r| r.end < pos);
        if i < self.lines.len() { Some(i) } else { None }
    }

    /// The sentence range with index `i`.
    #[must_use]
    pub fn sentence(&self, i: usize) -> Option<Range<usize>> {
        self.sentences.get(i).cloned()
    }

    /// The nearest heading line at or before byte `pos`, as a line index.
    #[must_use]
    pub fn heading_before(&self, pos: usize) -> Option<usize> {
        let line = self.line_at(pos)?;
        let k = self.headings.partition_point(|h| *h <= line);
        k.checked_sub(1).and_then(|k| self.headings.get(k)).copied()
    }
}

/// Byte ranges of the lines of `text`, without the `\n` (and a `\r` before it).
#[must_use]
pub fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // the line breaks found with a memchr search, not byte by byte
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let end = if i > start && text.as_bytes().get(i - 1) == Some(&b'\r') {
            i - 1
        } else {
            i
        };
        out.push(start..end);
        start = i + 1;
    }
    if start <= text.len() {
        out.push(start..text.len());
    }
    out
}

/// The lines of a text with their start offsets, as `text.split('\n')` gives them (the line
/// breaks found with a memchr search).
pub fn split_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    let mut pos = 0usize;
    ends.map(move |end| {
        let start = pos;
        pos = end.saturating_add(1);
        (start, text.get(start..end).unwrap_or_default())
    })
}

/// A short line without closing punctuation: a heading.
#[must_use]
pub fn is_heading(line: &str) -> bool {
    let t = line.trim();
    let t = t.trim_matches(|c: char| c == '#' || c == '*' || c.is_whitespace());
    // a char is at most four bytes: a longer line has more than 110 chars (not counted)
    if t.len() > 4 * 110 {
        return false;
    }
    if t.len() < 3 || t.ends_with(['.', ',', ';']) {
        return false;
    }
    let n = t.chars().count();
    if !(3..=110).contains(&n) {
        return false;
    }
    t.split_whitespace().nth(14).is_none() && t.chars().any(char::is_alphabetic)
}

/// Bullets that start a list item when white space follows them.
pub(crate) const BULLETS: &[char] = &[
    '-', '*', '•', '·', '–', '—', '▪', '◦', '○', '■', '►', '✓', '\u{f0b7}', '>',
];

/// The length in bytes of the list marker at the start of `t` (a bullet, `1.`, `4.5`, `1)`,
/// `a.`, `b)`, `(c)`, `(iv)`), without the white space after it; `None` when `t` starts with
/// none. A marker is followed by white space or ends the text: "7 jaar", "-5" and "2.5%" start
/// with none.
#[must_use]
pub fn list_marker_len(t: &str) -> Option<usize> {
    let first = t.chars().next()?;
    // white space (or nothing) must follow the marker
    let spaced = |end: usize| -> Option<usize> {
        let rest = t.get(end..)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some(end)
    };
    if BULLETS.contains(&first) {
        return spaced(first.len_utf8());
    }
    // (a) / (1) / (iv)
    if first == '(' {
        let close = t.get(..8).unwrap_or(t).find(')')?;
        let inner = t.get(1..close)?;
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric()) {
            return spaced(close.saturating_add(1));
        }
        return None;
    }
    // 1. / 1) / 4.5 / 4.5. (at most three digits before the first dot, eight in all)
    let bytes = t.as_bytes();
    let lead = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = 0usize;
    let mut dots = 0usize;
    let mut digits = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            digits = digits.saturating_add(1);
        } else if b == b'.' && digits > 0 {
            dots = dots.saturating_add(1);
        } else {
            break;
        }
        i = i.saturating_add(1);
    }
    if digits > 0 {
        if lead > 3 || digits > 8 {
            return None;
        }
        let next = bytes.get(i).copied();
        if next == Some(b')') {
            return spaced(i.saturating_add(1));
        }
        let ends_dot = i.checked_sub(1).and_then(|j| bytes.get(j)) == Some(&b'.');
        if (ends_dot || dots > 0) && matches!(next, Some(b' ' | b'\t')) {
            return Some(i);
        }
        return None;
    }
    // a. / b)
    if first.is_ascii_lowercase()
        && matches!(bytes.get(1), Some(b'.' | b')'))
        && matches!(bytes.get(2), Some(b' ' | b'\t'))
    {
        return Some(2);
    }
    None
}

/// The length in bytes of the list marker at the start of `t` and the white space after it; 0
/// when there is none.
fn marker_with_space(t: &str) -> usize {
    list_marker_len(t).map_or(0, |n| {
        let rest = t.get(n..).unwrap_or("");
        n.saturating_add(rest.len().saturating_sub(rest.trim_start().len()))
    })
}

/// Whether the word that ends `before` is an abbreviation whose dot does not end the sentence.
/// A company form ("Inc.", "B.V.") ends one before a capital (`capital_next`): "offered by
/// Google Inc. Google uses ...", but not before a bracket: "Google Inc. (“Google”)".
fn is_abbreviation(before: &str, capital_next: bool) -> bool {
    let raw = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let Ok(data) = text_data() else {
        return false;
    };
    // lower case has at least as many chars: a word longer than every listed one (and longer
    // than one char) is none of them, without lower-casing it
    if raw
        .trim_end_matches('.')
        .chars()
        .nth(data.longest.max(1))
        .is_some()
    {
        return false;
    }
    let word = raw.to_lowercase();
    let word = word.trim_end_matches('.');
    if data.company_forms.contains(word) {
        return !capital_next;
    }
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return true;
    }
    data.abbreviations.contains(word)
}

/// The sentences of `text` (as [`Segments::new`] splits them), for a text that is not the whole
/// document (a line, a list's intro).
#[must_use]
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    sentence_ranges(text, &line_ranges(text))
}

/// Sentence ranges: paragraphs (blank lines, list items, headings and short lines end them)
/// split at `.`, `!` and `?` followed by whitespace and an upper-case letter, digit or quote.
fn sentence_ranges(text: &str, lines: &[Range<usize>]) -> Vec<Range<usize>> {
    // 1. blocks of lines
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut prev_line = "";
    for r in lines {
        let line = text.get(r.clone()).unwrap_or("");
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(c) = current.take() {
                blocks.push(c);
            }
            prev_line = "";
            continue;
        }
        let prev_t = prev_line.trim();
        let continues = current.is_some()
            && (prev_t.len() >= 4 * 60 || prev_t.chars().count() >= 60)
            && !prev_t.ends_with(['.', ':', ';', '!', '?'])
            && list_marker_len(line.trim_start()).is_none()
            && !is_heading_like_break(prev_t);
        match (&mut current, continues) {
            (Some(c), true) => c.end = r.end,
            _ => {
                if let Some(c) = current.take() {
                    blocks.push(c);
                }
                current = Some(r.clone());
            }
        }
        prev_line = line;
    }
    if let Some(c) = current.take() {
        blocks.push(c);
    }
    // 2. sentences within blocks
    let mut out = Vec::new();
    for b in blocks {
        let block = text.get(b.clone()).unwrap_or("");
        let mut start = 0;
        // the sentence ends are ASCII, so a byte search finds them (no char decoding)
        for i in memchr::memchr3_iter(b'.', b'!', b'?', block.as_bytes()) {
            let c = char::from(block.as_bytes().get(i).copied().unwrap_or(b'.'));
            let after = i + 1;
            let rest = block.get(after..).unwrap_or("");
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() || trimmed.is_empty() {
                continue;
            }
            let next = trimmed.chars().next().unwrap_or(' ');
            if !(next.is_uppercase()
                || next.is_ascii_digit()
                || matches!(next, '"' | '\'' | '‘' | '“' | '(' | '•' | '-' | '*'))
            {
                continue;
            }
            let so_far = block.get(start..i).unwrap_or("");
            if c == '.' && (is_abbreviation(so_far, next.is_uppercase()) || is_number_label(so_far))
            {
                continue;
            }
            push_trimmed(text, b.start + start..b.start + after, &mut out);
            start = after;
        }
        push_trimmed(text, b.start + start..b.end, &mut out);
    }
    out
}

/// "1", "- 4", "Artikel 4", "ARTICLE 12": a list or article number, not the end of a sentence.
fn is_number_label(so_far: &str) -> bool {
    // at most two words, the last a number (without collecting every word of a long sentence)
    let mut words = so_far.split_whitespace();
    let (first, second) = (words.next(), words.next());
    if words.next().is_some() {
        return false;
    }
    second
        .or(first)
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_heading_like_break(prev: &str) -> bool {
    // a line of a table ("Label<TAB>value") ends at the line break
    prev.contains('\t')
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = text.get(r.clone()).unwrap_or("");
    let lead_ws = s.len() - s.trim_start().len();
    let mut start = r.start + lead_ws;
    // strip list markers (possibly nested: "- 4.5 ") and markdown emphasis at the start
    for _ in 0..3 {
        let rest = text.get(start..r.end).unwrap_or("");
        let m = marker_with_space(rest);
        if m == 0 {
            break;
        }
        start += m;
    }
    let rest = text.get(start..r.end).unwrap_or("");
    let t = rest.trim_end();
    if t.trim().is_empty() {
        return;
    }
    out.push(start..start + t.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<String> {
        let seg = Segments::new(text);
        seg.sentences
            .iter()
            .map(|r| {
                text.get(r.clone())
                    .unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn abbreviations() {
        assert!(is_abbreviation("zie bijv", true));
        assert!(is_abbreviation("see e.g.", true));
        assert!(!is_abbreviation("wij bewaren", true));
        assert!(is_abbreviation("offered by Google Inc", false));
        assert!(!is_abbreviation("offered by Google Inc", true));
    }

    #[test]
    fn splits_sentences_and_strips_markers() {
        let t = "Kop\n\n- 4.5 Wij doen dit. Daarna dat o.a. voor u.\n  • Punt een\n1. Eerste item.";
        assert_eq!(
            sents(t),
            vec![
                "Kop",
                "Wij doen dit.",
                "Daarna dat o.a. voor u.",
                "Punt een",
                "Eerste item."
            ]
        );
    }

    #[test]
    fn abbreviations_and_number_labels_do_not_end_a_sentence() {
        let t =
            "Wij bewaren dit. Zie bijv. art. 5 hier.\nKop\n8.2 Gegevens worden 12 maanden bewaard.";
        assert_eq!(
            sents(t),
            vec![
                "Wij bewaren dit.",
                "Zie bijv. art. 5 hier.",
                "Kop",
                "Gegevens worden 12 maanden bewaard."
            ]
        );
    }

    #[test]
    fn a_company_form_ends_a_sentence_before_a_capital() {
        let t = "Offered by Example Inc. (the provider). Example Inc. Then we go on.";
        assert_eq!(
            sents(t),
            vec![
                "Offered by Example Inc. (the provider).",
                "Example Inc.",
                "Then we go on."
            ]
        );
    }

    #[test]
    fn joins_hard_wrapped_lines() {
        let t = "  1. This is a long clause that the author wrapped at a fixed width and\n   it continues on the next line.\n  2. Next.";
        let s = sents(t);
        assert_eq!(s.len(), 2);
        assert!(s[0].ends_with("next line."));
    }

    #[test]
    fn markers() {
        assert_eq!(list_marker_len("7 jaar bewaren"), None);
        assert_eq!(list_marker_len("2024. Daarna"), None);
        assert_eq!(list_marker_len("-5 graden"), None);
        assert_eq!(list_marker_len("4.5 Indien"), Some(3));
        assert_eq!(list_marker_len("a. item"), Some(2));
        assert_eq!(list_marker_len("(b) item"), Some(3));
        assert_eq!(list_marker_len("(iv) item"), Some(4));
        assert_eq!(list_marker_len("3) item"), Some(2));
        assert_eq!(list_marker_len("• item"), Some("•".len()));
        assert_eq!(list_marker_len("-"), Some(1));
        assert_eq!(marker_with_space("4.5  Indien"), 5);
        assert_eq!(marker_with_space("geen"), 0);
    }
}
