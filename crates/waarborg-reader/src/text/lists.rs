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

/// Finds lists of at least two items (bullets or numbered) and their intro lines.
#[must_use]
pub fn list_blocks(text: &str) -> Vec<ListBlock> {
    // the lines as `text.split('\n')` gives them, the line breaks found with a memchr search
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0usize;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        lines.push((pos, end));
        pos = end.saturating_add(1);
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
