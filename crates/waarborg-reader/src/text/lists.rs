//! Lists: an intro line and the items under it (bullets, numbers, letters).

use std::ops::Range;

use super::segments::{list_marker_len, sentences};

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

/// A line of the text, read once: its range, its trimmed text's range, its indent and its list
/// marker.
struct Line {
    /// From its start to its end (without the line break).
    range: (usize, usize),
    /// The trimmed text (empty for a blank line).
    trimmed: (usize, usize),
    /// The bytes of white space before its text.
    indent: usize,
    /// [`list_marker_len`] of the trimmed text.
    marker: Option<usize>,
    /// [`marker_kind`] of the trimmed text.
    kind: Option<(u8, usize)>,
}

impl Line {
    fn read(text: &str, start: usize, end: usize) -> Self {
        let l = text.get(start..end).unwrap_or_default();
        let t = l.trim();
        let indent = l.len().saturating_sub(l.trim_start().len());
        let t_start = start.saturating_add(indent);
        let marker = list_marker_len(t);
        Self {
            range: (start, end),
            trimmed: (t_start, t_start.saturating_add(t.len())),
            indent,
            marker,
            kind: if marker.is_some() {
                marker_kind(t)
            } else {
                None
            },
        }
    }

    fn is_blank(&self) -> bool {
        self.trimmed.0 == self.trimmed.1
    }
}

/// Finds lists of at least two items (bullets or numbered) and their intro lines.
#[must_use]
pub fn list_blocks(text: &str) -> Vec<ListBlock> {
    // the lines as `text.split('\n')` gives them, the line breaks found with a memchr search
    let mut lines: Vec<Line> = Vec::new();
    let mut pos = 0usize;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        lines.push(Line::read(text, pos, end));
        pos = end.saturating_add(1);
    }
    let blank = |i: usize| lines.get(i).is_none_or(Line::is_blank);
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(line) = lines.get(i) {
        if line.is_blank() {
            i = i.saturating_add(1);
            continue;
        }
        let intro_is_item = line.marker.is_some();
        // Candidate intro: find the next non-blank line and check it is a list item.
        let mut j = i.saturating_add(1);
        while j < lines.len() && blank(j) {
            j = j.saturating_add(1);
        }
        let Some(first) = lines.get(j).filter(|f| f.marker.is_some()) else {
            i = i.saturating_add(1);
            continue;
        };
        let item_indent = first.indent;
        let kind = first.kind;
        // A list item is the intro of a nested list only when the next items are indented deeper
        // or have markers of another kind.
        if intro_is_item && item_indent <= line.indent && line.kind == kind {
            i = i.saturating_add(1);
            continue;
        }
        let dotted = first
            .marker
            .and_then(|n| text.get(first.trimmed.0..first.trimmed.0.saturating_add(n)))
            .is_some_and(|m| m.trim_end_matches(['.', ')']).contains('.'));
        let (mut ls, le) = line.range;
        if intro_is_item {
            ls = ls
                .saturating_add(line.indent)
                .saturating_add(line.marker.unwrap_or(0));
        }
        // The intro is the last sentence of the intro line.
        let intro = sentences(text.get(ls..le).unwrap_or_default())
            .last()
            .map_or(ls..le, |r| {
                ls.saturating_add(r.start)..ls.saturating_add(r.end)
            });
        let mut items: Vec<Range<usize>> = Vec::new();
        let mut k = j;
        while let Some(lk) = lines.get(k) {
            let (a, b) = lk.range;
            if lk.is_blank() {
                // A blank line ends the list unless another item of the same indent follows.
                let mut m = k.saturating_add(1);
                while m < lines.len() && blank(m) {
                    m = m.saturating_add(1);
                }
                if lines.get(m).is_some_and(|n| {
                    n.marker.is_some() && n.indent == item_indent && n.kind == kind
                }) {
                    k = m;
                    continue;
                }
                break;
            }
            if let Some(ml) = lk.marker {
                let ind = lk.indent;
                if ind < item_indent {
                    break;
                }
                if ind == item_indent && lk.kind != kind {
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
            } else if lk.indent > item_indent {
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
        i = i.saturating_add(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
