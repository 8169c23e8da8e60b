//! Evidence quotes: the part of a sentence to quote and its text.
//!
//! The lines and sentences themselves are the text layer's ([`crate::text::segments`]). All positions are byte offsets into the text the detectors run on. Evidence quotes are exact
//! substrings of that text with runs of whitespace collapsed to one space (the schema's rule).

use std::ops::Range;

/// The longest quote we emit; longer sentences are cut around the match.
const MAX_QUOTE: usize = 420;

/// `text[r]` with runs of whitespace collapsed to one space; empty when out of range.
#[must_use]
pub fn quote(text: &str, r: &Range<usize>) -> String {
    let s = text.get(r.clone()).unwrap_or("");
    crate::ingest::collapse_ws(s)
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
