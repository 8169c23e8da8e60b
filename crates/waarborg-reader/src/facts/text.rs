//! Text helpers: sentence splitting and list blocks, over byte ranges of the document text.

use std::ops::Range;

/// True when a trimmed line starts with a list marker (`•`, `-`, `*`, `1.`, `1)`, `a.`, `1.2`).
#[must_use]
pub fn list_marker_len(trimmed: &str) -> Option<usize> {
    let mut chars = trimmed.char_indices();
    let (_, first) = chars.next()?;
    if matches!(
        first,
        '•' | '-' | '*' | '–' | '·' | '▪' | '◦' | '○' | '■' | '►' | '✓' | '\u{f0b7}'
    ) {
        let rest = trimmed.get(first.len_utf8()..)?;
        if rest.starts_with(char::is_whitespace) {
            return Some(first.len_utf8());
        }
        return None;
    }
    // Numbers: "1.", "1)", "1.2", "1.2.", "(a)", "a.", "a)"
    let bytes = trimmed.as_bytes();
    let mut i = 0usize;
    if bytes.first() == Some(&b'(') {
        i = 1;
    }
    let start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i = i.saturating_add(1);
    }
    let digits = i.saturating_sub(start);
    if digits == 0 {
        // a single letter
        if bytes.get(i).is_some_and(u8::is_ascii_lowercase)
            && matches!(bytes.get(i.saturating_add(1)), Some(b'.' | b')'))
            && bytes
                .get(i.saturating_add(2))
                .is_some_and(u8::is_ascii_whitespace)
        {
            return Some(i.saturating_add(2));
        }
        return None;
    }
    if digits > 3 {
        return None;
    }
    // dotted continuation
    while bytes.get(i) == Some(&b'.')
        && bytes
            .get(i.saturating_add(1))
            .is_some_and(u8::is_ascii_digit)
    {
        i = i.saturating_add(1);
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i = i.saturating_add(1);
        }
    }
    if matches!(bytes.get(i), Some(b'.' | b')')) {
        i = i.saturating_add(1);
    }
    if bytes.get(i).is_some_and(u8::is_ascii_whitespace) && i > start {
        Some(i)
    } else {
        None
    }
}

/// What a run of [`char_runs`] is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOf {
    /// Letters only.
    Letters,
    /// Letters and digits.
    LettersAndDigits,
}

/// The byte ranges of the maximal runs of letters (or letters and digits) in `text`, in order.
/// ASCII bytes are tested without decoding a char, which keeps word scans over long texts cheap.
pub fn char_runs(text: &str, of: RunOf) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let ascii_inside = move |b: u8| match of {
        RunOf::Letters => b.is_ascii_alphabetic(),
        RunOf::LettersAndDigits => b.is_ascii_alphanumeric(),
    };
    // whether the char at `i` belongs to a run, and its length (a non-ASCII byte is decoded)
    let at = move |i: usize, b: u8| -> (bool, usize) {
        if b.is_ascii() {
            return (ascii_inside(b), 1);
        }
        let c = text.get(i..).and_then(|r| r.chars().next());
        let inside = match of {
            RunOf::Letters => c.is_some_and(char::is_alphabetic),
            RunOf::LettersAndDigits => c.is_some_and(char::is_alphanumeric),
        };
        (inside, c.map_or(1, char::len_utf8))
    };
    let mut i = 0usize;
    std::iter::from_fn(move || {
        // skip to the start of a run
        let start = loop {
            let &b = bytes.get(i)?;
            let (inside, len) = at(i, b);
            if inside {
                break i;
            }
            i = i.saturating_add(len);
        };
        // and to its end: the first char outside it, which is passed over as well
        loop {
            let Some(&b) = bytes.get(i) else {
                return Some(start..text.len());
            };
            let (inside, len) = at(i, b);
            let end = i;
            i = i.saturating_add(len);
            if !inside {
                return Some(start..end);
            }
        }
    })
}

/// Splits text into sentence-like ranges: at `.`, `?`, `!` followed by white space and a capital,
/// digit, quote or bullet; at blank lines; at line breaks before list items; after lines ending in
/// `:` or `;`; and after short heading-like lines.
#[must_use]
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let push = |s: usize, e: usize, out: &mut Vec<Range<usize>>| {
        let seg = text.get(s..e).unwrap_or_default();
        let lead = seg.len().saturating_sub(seg.trim_start().len());
        let trail = seg.len().saturating_sub(seg.trim_end().len());
        let (mut a, b) = (s.saturating_add(lead), e.saturating_sub(trail));
        // A list marker is not part of the sentence.
        let rest = text.get(a..b).unwrap_or_default();
        if let Some(n) = list_marker_len(rest) {
            let after = rest.get(n..).unwrap_or_default();
            a = a
                .saturating_add(n)
                .saturating_add(after.len().saturating_sub(after.trim_start().len()));
        }
        if a < b {
            out.push(a..b);
        }
    };
    let bytes = text.as_bytes();
    let mut line_start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        // jump to the next byte that can end a sentence
        let Some(skip) = bytes.get(i..).and_then(|r| {
            r.iter()
                .position(|b| matches!(b, b'\n' | b'.' | b'?' | b'!'))
        }) else {
            break;
        };
        i = i.saturating_add(skip);
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'\n' {
            let line = text.get(line_start..i).unwrap_or_default().trim();
            let next_line_end = text
                .get(i.saturating_add(1)..)
                .and_then(|r| r.find('\n'))
                .map_or(text.len(), |p| i.saturating_add(1).saturating_add(p));
            let next = text
                .get(i.saturating_add(1)..next_line_end)
                .unwrap_or_default()
                .trim();
            let heading_like = !line.is_empty()
                && line.len() < 90
                && !line.ends_with([',', '(', '-'])
                && !line.ends_with(char::is_lowercase)
                || line.is_empty()
                || line.ends_with(['.', ':', ';', '!', '?'])
                || line.chars().filter(|c| *c == '\t').count() > 0;
            let boundary = next.is_empty()
                || list_marker_len(next).is_some()
                || heading_like
                || line.len() < 60 && next.starts_with(char::is_uppercase);
            if boundary {
                push(start, i, &mut out);
                start = i.saturating_add(1);
            }
            line_start = i.saturating_add(1);
        } else if matches!(b, b'.' | b'?' | b'!') {
            let after = text.get(i.saturating_add(1)..).unwrap_or_default();
            let ws = after
                .len()
                .saturating_sub(after.trim_start_matches([' ', '\t']).len());
            let next_char = after.get(ws..).and_then(|s| s.chars().next());
            if ws > 0
                && next_char.is_some_and(|c| {
                    c.is_uppercase()
                        || c.is_ascii_digit()
                        || matches!(c, '"' | '“' | '‘' | '•' | '(')
                })
                && !is_abbreviation(text.get(start..i).unwrap_or_default())
            {
                push(start, i.saturating_add(1), &mut out);
                start = i.saturating_add(1);
            }
        }
        i = i.saturating_add(1);
    }
    push(start, text.len(), &mut out);
    out
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    matches!(
        word.as_str(),
        "bijv"
            | "bv"
            | "b.v"
            | "n.v"
            | "nr"
            | "art"
            | "o.a"
            | "m.b.t"
            | "t.b.v"
            | "i.v.m"
            | "e.g"
            | "i.e"
            | "etc"
            | "incl"
            | "excl"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "no"
            | "vs"
            | "jo"
            | "ca"
            | "resp"
            | "evt"
            | "dhr"
            | "mevr"
            | "mw"
            | "st"
            | "p"
            | "z.s.m"
            | "d.w.z"
            | "a.s"
            | "m.a.w"
            | "e.d"
            | "o.b.v"
            | "ivm"
            | "tbv"
            | "www"
            | "inc"
            | "ltd"
            | "co"
            | "corp"
    ) || word.len() == 1 && word.chars().all(|c| c.is_alphabetic())
}

/// A list: an intro line (ending in `:` or heading-like) and the items under it.
#[derive(Debug, Clone)]
pub struct ListBlock {
    /// The intro's byte range (the last sentence before the items).
    pub intro: Range<usize>,
    /// Each item's byte range, marker excluded, continuation lines included.
    pub items: Vec<Range<usize>>,
    /// Whether the items are numbered like clauses (`2.1`, `2.2`) rather than list entries.
    pub dotted: bool,
}

/// The kind of a list marker: a bullet, a letter (`a.`, `(b)`), or a number with its count of
/// dot-separated groups (`3.` is 1, `3.1` is 2). Items of one list share a kind, so lettered
/// items under a numbered clause ("3.1 ... voor de volgende doeleinden:" followed by "a.", "b.")
/// form a list of their own, and a clause numbered "3.2" after them ends it.
fn marker_kind(trimmed: &str) -> Option<(u8, usize)> {
    let n = list_marker_len(trimmed)?;
    let m = trimmed.get(..n)?.trim_start_matches('(');
    let m = m.trim_end_matches(['.', ')', ' ', '\t']);
    if m.is_empty() || !m.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return Some((0, 0));
    }
    if m.chars().all(|c| c.is_ascii_lowercase()) {
        return Some((1, 0));
    }
    Some((2, m.split('.').filter(|g| !g.is_empty()).count()))
}

/// Finds lists of at least two items (bullets or numbered) and their intro lines.
#[must_use]
pub fn list_blocks(text: &str) -> Vec<ListBlock> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0usize;
    for l in text.split('\n') {
        lines.push((pos, pos.saturating_add(l.len())));
        pos = pos.saturating_add(l.len()).saturating_add(1);
    }
    let line_text = |i: usize| -> &str {
        lines
            .get(i)
            .and_then(|&(a, b)| text.get(a..b))
            .unwrap_or_default()
    };
    let indent = |s: &str| s.len().saturating_sub(s.trim_start().len());
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < lines.len() {
        let l = line_text(i);
        let t = l.trim();
        if t.is_empty() {
            i = i.saturating_add(1);
            continue;
        }
        let intro_is_item = list_marker_len(t).is_some();
        // Candidate intro: find the next non-blank line and check it is a list item.
        let mut j = i.saturating_add(1);
        while j < lines.len() && line_text(j).trim().is_empty() {
            j = j.saturating_add(1);
        }
        let first_item = line_text(j);
        if j >= lines.len() || list_marker_len(first_item.trim()).is_none() {
            i = i.saturating_add(1);
            continue;
        }
        let item_indent = indent(first_item);
        let kind = marker_kind(first_item.trim());
        // A list item is the intro of a nested list only when the next items are indented deeper
        // or have markers of another kind.
        if intro_is_item && item_indent <= indent(l) && marker_kind(t) == kind {
            i = i.saturating_add(1);
            continue;
        }
        let dotted = list_marker_len(first_item.trim())
            .and_then(|n| first_item.trim().get(..n))
            .is_some_and(|m| m.trim_end_matches(['.', ')']).contains('.'));
        let (mut ls, le) = lines.get(i).copied().unwrap_or((0, 0));
        if intro_is_item {
            ls = ls
                .saturating_add(indent(l))
                .saturating_add(list_marker_len(t).unwrap_or(0));
        }
        // The intro is the last sentence of the intro line.
        let intro = sentences(text.get(ls..le).unwrap_or_default())
            .last()
            .map_or(ls..le, |r| {
                ls.saturating_add(r.start)..ls.saturating_add(r.end)
            });
        let mut items: Vec<Range<usize>> = Vec::new();
        let mut k = j;
        while k < lines.len() {
            let lt = line_text(k);
            let tt = lt.trim();
            let (a, b) = lines.get(k).copied().unwrap_or((0, 0));
            if tt.is_empty() {
                // A blank line ends the list unless another item of the same indent follows.
                let mut m = k.saturating_add(1);
                while m < lines.len() && line_text(m).trim().is_empty() {
                    m = m.saturating_add(1);
                }
                let nl = line_text(m);
                if m < lines.len()
                    && list_marker_len(nl.trim()).is_some()
                    && indent(nl) == item_indent
                    && marker_kind(nl.trim()) == kind
                {
                    k = m;
                    continue;
                }
                break;
            }
            if let Some(ml) = list_marker_len(tt) {
                let ind = indent(lt);
                if ind < item_indent {
                    break;
                }
                if ind == item_indent && marker_kind(tt) != kind {
                    break;
                }
                if ind == item_indent {
                    let start = a.saturating_add(ind).saturating_add(ml);
                    let body = text.get(start..b).unwrap_or_default();
                    let lead = body.len().saturating_sub(body.trim_start().len());
                    items.push(start.saturating_add(lead)..b);
                } else if let Some(last) = items.last_mut() {
                    // nested item: part of the current item
                    last.end = b;
                }
            } else if indent(lt) > item_indent {
                if let Some(last) = items.last_mut() {
                    last.end = b;
                }
            } else {
                break;
            }
            k = k.saturating_add(1);
        }
        if items.len() >= 2 {
            out.push(ListBlock {
                intro,
                items,
                dotted,
            });
        }
        let _ = k;
        i = i.saturating_add(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        let t =
            "Wij bewaren dit. Zie bijv. art. 5 hier.\nKop\nTekst die doorloopt\nover twee regels.";
        let s: Vec<_> = sentences(t)
            .into_iter()
            .map(|r| t.get(r).unwrap())
            .collect();
        assert_eq!(s[0], "Wij bewaren dit.");
        assert_eq!(s[1], "Zie bijv. art. 5 hier.");
        assert_eq!(s[2], "Kop");
    }

    #[test]
    fn finds_lists() {
        let t = "Wij verwerken:\n  • naam\n  • e-mailadres;\n    met vervolg\n\nDaarna tekst.";
        let b = list_blocks(t);
        assert_eq!(b.len(), 1);
        assert_eq!(t.get(b[0].intro.clone()).unwrap(), "Wij verwerken:");
        assert_eq!(t.get(b[0].items[0].clone()).unwrap(), "naam");
        assert!(
            t.get(b[0].items[1].clone())
                .unwrap()
                .ends_with("met vervolg")
        );
    }

    #[test]
    fn lettered_items_under_a_numbered_clause_are_a_list_of_their_own() {
        let t = "3.1 Wij verwerken de gegevens voor deze doelen:\na. facturen sturen;\nb. de dienst beveiligen.\n\n3.2 Wij verwerken niets anders.\n\n3.3 Slot.";
        let b = list_blocks(t);
        let lettered = b
            .iter()
            .find(|x| t.get(x.intro.clone()) == Some("Wij verwerken de gegevens voor deze doelen:"))
            .expect("the lettered list");
        let items: Vec<_> = lettered
            .items
            .iter()
            .map(|r| t.get(r.clone()).unwrap())
            .collect();
        assert_eq!(items, ["facturen sturen;", "de dienst beveiligen."]);
        assert_eq!(marker_kind("a. x"), marker_kind("(b) y"));
        assert_ne!(marker_kind("3.2 x"), marker_kind("3. y"));
        assert_ne!(marker_kind("- x"), marker_kind("1. y"));
    }

    #[test]
    fn char_runs_split_on_anything_else() {
        let t = "Één café, 2 keer: B.V.";
        let words = |of| {
            char_runs(t, of)
                .map(|r| t.get(r).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(words(RunOf::Letters), ["Één", "café", "keer", "B", "V"]);
        assert_eq!(
            words(RunOf::LettersAndDigits),
            ["Één", "café", "2", "keer", "B", "V"]
        );
        assert_eq!(char_runs("", RunOf::Letters).count(), 0);
        assert_eq!(char_runs("abc", RunOf::Letters).next(), Some(0..3));
    }
}
