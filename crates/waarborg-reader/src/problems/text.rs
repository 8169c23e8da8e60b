//! Text helpers for the detectors: sentences, headings and quotes over the normalised text.
//!
//! All positions are byte offsets into the text the detectors run on. Evidence quotes are exact
//! substrings of that text with runs of whitespace collapsed to one space (the schema's rule).

use std::ops::Range;

/// The longest quote we emit; longer sentences are cut around the match.
const MAX_QUOTE: usize = 420;

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
    // the line breaks found with `str::match_indices` (a memchr search), not byte by byte
    for (i, _) in text.match_indices('\n') {
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

/// A short line without closing punctuation: a heading.
#[must_use]
pub fn is_heading(line: &str) -> bool {
    let t = line.trim();
    let t = t.trim_matches(|c: char| c == '#' || c == '*' || c.is_whitespace());
    // a char is at most four bytes: a longer line has more than 110 chars (not counted)
    if t.len() > 4 * 110 {
        return false;
    }
    let n = t.chars().count();
    if !(3..=110).contains(&n) {
        return false;
    }
    if t.ends_with(['.', ',', ';']) {
        return false;
    }
    let words = t.split_whitespace().count();
    words <= 14 && t.chars().any(char::is_alphabetic)
}

fn starts_with_list_marker(line: &str) -> bool {
    let t = line.trim_start();
    let rest = marker_len(t);
    rest > 0
}

/// The length in bytes of a list marker (bullet, `1.`, `4.5`, `a)`, `(b)`) at the start of `t`,
/// including the whitespace after it; 0 when there is none.
fn marker_len(t: &str) -> usize {
    let mut chars = t.char_indices().peekable();
    let Some((_, first)) = chars.peek().copied() else {
        return 0;
    };
    let after_space = |end: usize| -> usize {
        let rest = t.get(end..).unwrap_or("");
        let ws = rest.len() - rest.trim_start().len();
        if ws == 0 && !rest.is_empty() {
            0
        } else {
            end + ws
        }
    };
    if matches!(
        first,
        '-' | '*' | '•' | '·' | '–' | '—' | '▪' | '◦' | '○' | '\u{f0b7}' | '>'
    ) {
        let end = first.len_utf8();
        // "-" directly followed by a digit is a minus sign, not a bullet
        return after_space(end);
    }
    // (a) / (1) / (iv)
    if first == '(' {
        if let Some(close) = t.get(..8).unwrap_or(t).find(')') {
            let inner = t.get(1..close).unwrap_or("");
            if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric()) {
                return after_space(close + 1);
            }
        }
        return 0;
    }
    // 1. / 1) / 4.5 / 4.5. / a. / b)
    let bytes = t.as_bytes();
    let mut i = 0;
    let mut dots = 0;
    let mut digits = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            digits += 1;
            i += 1;
        } else if b == b'.' && digits > 0 {
            dots += 1;
            i += 1;
        } else {
            break;
        }
    }
    if digits > 0 && digits <= 8 {
        let next = bytes.get(i).copied();
        if next == Some(b')') {
            return after_space(i + 1);
        }
        let ends_dot = bytes.get(i.wrapping_sub(1)) == Some(&b'.');
        if (ends_dot || dots > 0) && next.is_some_and(|b| b == b' ' || b == b'\t') {
            return after_space(i);
        }
        return 0;
    }
    if first.is_ascii_lowercase() {
        let next = bytes.get(1).copied();
        if matches!(next, Some(b'.' | b')')) && matches!(bytes.get(2), Some(b' ' | b'\t')) {
            return after_space(2);
        }
    }
    0
}

const ABBREVIATIONS: &[&str] = &[
    "o.a", "t.b.v", "bijv", "bv", "b.v", "n.v", "e.g", "i.e", "nr", "art", "jo", "mr", "dhr",
    "mevr", "ca", "vs", "incl", "excl", "m.b.t", "i.v.m", "t.a.v", "z.s.m", "d.w.z", "o.b.v",
    "etc", "resp", "st", "no", "p", "cf", "ex", "mw", "e.a", "ing", "drs", "prof", "dr", "a.s",
];

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let word = word.trim_end_matches('.');
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.contains(&word)
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
            && !starts_with_list_marker(line)
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
        // the sentence ends are ASCII, so a byte scan finds them (no char decoding)
        let ends = block
            .bytes()
            .enumerate()
            .filter(|(_, b)| matches!(b, b'.' | b'!' | b'?'));
        for (i, byte) in ends {
            let c = char::from(byte);
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
            if c == '.' && (is_abbreviation(so_far) || is_number_label(so_far)) {
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
        let m = marker_len(rest);
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

/// `text[r]` with runs of whitespace collapsed to one space; empty when out of range.
#[must_use]
pub fn quote(text: &str, r: &Range<usize>) -> String {
    let s = text.get(r.clone()).unwrap_or("");
    collapse(s)
}

/// Collapses runs of whitespace to one space and trims.
#[must_use]
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The part of sentence `sentence` to quote for a match at `hit`: the whole sentence when it is
/// short enough, else a window around the match cut at word boundaries.
#[must_use]
pub fn quote_range(text: &str, sentence: &Range<usize>, hit: &Range<usize>) -> Range<usize> {
    if sentence.end.saturating_sub(sentence.start) <= MAX_QUOTE {
        return sentence.clone();
    }
    let margin = MAX_QUOTE.saturating_sub(hit.end.saturating_sub(hit.start)) / 2;
    let mut start = hit.start.saturating_sub(margin).max(sentence.start);
    let mut end = (hit.end + margin).min(sentence.end);
    start = text.floor_char_boundary(start);
    end = text.ceil_char_boundary(end);
    // move to word boundaries
    if start > sentence.start
        && let Some(rest) = text.get(start..end)
        && let Some(sp) = rest.find(char::is_whitespace)
        && start + sp < hit.start
    {
        start += sp;
    }
    if end < sentence.end
        && let Some(head) = text.get(start..end)
        && let Some(sp) = head.rfind(char::is_whitespace)
        && start + sp > hit.end
    {
        end = start + sp;
    }
    let s = text.get(start..end).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    start + lead..start + lead + t.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<String> {
        let seg = Segments::new(text);
        seg.sentences.iter().map(|r| quote(text, r)).collect()
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
    fn joins_hard_wrapped_lines() {
        let t = "  1. This is a long clause that the author wrapped at a fixed width and\n   it continues on the next line.\n  2. Next.";
        let s = sents(t);
        assert_eq!(s.len(), 2);
        assert!(s[0].ends_with("next line."));
    }

    #[test]
    fn markers() {
        assert_eq!(marker_len("7 jaar bewaren"), 0);
        assert_eq!(marker_len("4.5 Indien"), 4);
        assert_eq!(marker_len("a. item"), 3);
        assert_eq!(marker_len("(b) item"), 4);
    }

    #[test]
    fn quote_window_is_exact_substring() {
        let long = "woord ".repeat(200) + "kern " + &"woord ".repeat(200);
        let s = 0..long.len();
        let pos = long.find("kern").unwrap();
        let q = quote_range(&long, &s, &(pos..pos + 4));
        assert!(q.end - q.start <= MAX_QUOTE + 10);
        assert!(long.get(q).unwrap().contains("kern"));
    }
}
