//! Sections and tables: what a part of the document is about, read from its heading or from a
//! table's header row.
//!
//! A *heading* is a heading clause of the [`Structure`] (Markdown `#`, `Artikel 5 – ...`,
//! `Hoofdstuk 2`), a numbered clause whose line is a short title (`3. Doeleinden`, `4) Aan wie
//! verstrekken we de gegevens?`), or an unnumbered short line after a blank line that does not
//! end like a sentence ("Hoe lang bewaren wij je gegevens?"). A section runs from its heading to
//! the next heading. Its [`Topic`] comes from the heading words in `data/<lang>/lexicon.toml`
//! (`[headings]`); a table column's topic from its header cell (`<topic>_column`).

use std::ops::Range;

use super::lexicon::Lexicon;
use crate::structure::{ClauseKind, Structure};
use crate::text::segments::list_marker_len;

/// What a section or table column is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// Which personal data are processed.
    Data,
    /// Why they are processed.
    Purposes,
    /// Who receives them.
    Recipients,
    /// How long they are kept.
    Retention,
}

impl Topic {
    /// Every topic, in the order of its key in the lexicon.
    pub const ALL: [Self; 4] = [
        Self::Data,
        Self::Purposes,
        Self::Recipients,
        Self::Retention,
    ];

    /// The list name in `[headings]`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Data => "data",
            Self::Purposes => "purposes",
            Self::Recipients => "recipients",
            Self::Retention => "retention",
        }
    }

    fn from_key(k: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == k)
    }
}

/// A heading and the text under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading line (numbering included).
    pub heading: Range<usize>,
    /// From the end of the heading line to the next heading (or the end of the text).
    pub body: Range<usize>,
    /// What the heading says the section is about, when it says one thing.
    pub topic: Option<Topic>,
}

/// A table written as `cell | cell` rows under a header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The byte range of the whole table, header included.
    pub span: Range<usize>,
    /// The topic of each header cell (a table without any, under a heading about data,
    /// purposes or recipients, has that topic in its first column).
    pub columns: Vec<Option<Topic>>,
    /// The body rows (header excluded): each cell's byte range, trimmed.
    pub rows: Vec<Vec<Range<usize>>>,
}

impl Table {
    /// The cells of the first column about `topic`, one per row.
    pub fn cells(&self, topic: Topic) -> impl Iterator<Item = &Range<usize>> {
        let col = self.columns.iter().position(|c| *c == Some(topic));
        self.rows
            .iter()
            .filter_map(move |r| col.and_then(|c| r.get(c)))
            .filter(|r| !r.is_empty())
    }
}

/// The sections and tables of a document.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    /// Sections in document order (text before the first heading belongs to none).
    pub sections: Vec<Section>,
    /// Tables in document order.
    pub tables: Vec<Table>,
}

/// A short line that reads as a title, not as a sentence, list intro or table row.
fn title_like(t: &str) -> bool {
    let t = t.trim();
    // the cheap tests first; a char is at most four bytes (a longer line has more than 90)
    !t.is_empty()
        && t.len() <= 4 * 90
        && !t.ends_with(['.', ',', ';', ':'])
        && t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '#')
        && !t.contains('|')
        && t.chars().count() <= 90
        && t.split_whitespace().nth(16).is_none()
}

/// The shape of a number marker: how many dot-separated groups and the closing character
/// (`3.` → (1, '.'), `3.1` → (2, ' '), `2)` → (1, ')')); `None` for other lines.
fn number_shape(t: &str) -> Option<(usize, char)> {
    let t = t.trim();
    if !t
        .trim_start_matches('(')
        .starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let marker = t.get(..list_marker_len(t)?)?.trim_end();
    let close = marker
        .chars()
        .next_back()
        .filter(|c| !c.is_ascii_digit())
        .unwrap_or(' ');
    let groups = marker.trim_end_matches(['.', ')']).split('.').count();
    Some((groups, close))
}

impl Sections {
    /// Finds the sections and tables of a text, with the clause tree parsed from it and its
    /// lines (as [`crate::text::segments::line_ranges`] gives them: the document's
    /// [`crate::text::segments::Segments::lines`]).
    #[must_use]
    pub fn find(text: &str, structure: &Structure, lex: &Lexicon, lines: &[Range<usize>]) -> Self {
        let line_text = |i: usize| -> &str {
            lines
                .get(i)
                .and_then(|r| text.get(r.clone()))
                .unwrap_or_default()
        };
        let blank = |i: usize| line_text(i).trim().is_empty();
        // Structure clauses by the byte offset of their line (the first clause at an offset),
        // read in line order with a cursor.
        let mut clause_kind: Vec<(usize, ClauseKind)> = structure
            .clauses
            .iter()
            .map(|c| (c.span.start, c.kind))
            .collect();
        clause_kind.sort_by_key(|c| c.0);
        clause_kind.dedup_by_key(|c| c.0);
        let mut next_clause = 0usize;
        let mut heads: Vec<Range<usize>> = Vec::new();
        for (i, r) in lines.iter().enumerate() {
            let l = line_text(i);
            let t = l.trim();
            if t.is_empty() {
                continue;
            }
            while clause_kind.get(next_clause).is_some_and(|c| c.0 < r.start) {
                next_clause = next_clause.saturating_add(1);
            }
            let kind = clause_kind
                .get(next_clause)
                .filter(|c| c.0 == r.start)
                .map(|c| c.1);
            // the neighbouring non-blank lines matter only to a numbered line
            let prev = || (0..i).rev().find(|&k| !blank(k));
            let next = || (i.saturating_add(1)..lines.len()).find(|&k| !blank(k));
            let after_blank = i == 0 || blank(i.saturating_sub(1));
            let is_head = match kind {
                Some(ClauseKind::Heading | ClauseKind::Chapter | ClauseKind::Article) => true,
                Some(ClauseKind::Bullet) => false,
                Some(ClauseKind::Dotted | ClauseKind::Numbered | ClauseKind::Lettered) => {
                    // "3. Doeleinden", not "3. Naam" in a numbered list of short items
                    // (a neighbour numbered the same way makes it a list; "8." above "8.1"
                    // does not)
                    let body = list_marker_len(t).and_then(|n| t.get(n..)).unwrap_or(t);
                    let shape = number_shape(t);
                    let same = |k: usize| shape.is_some() && number_shape(line_text(k)) == shape;
                    title_like(body) && !prev().is_some_and(same) && !next().is_some_and(same)
                }
                None => after_blank && list_marker_len(t).is_none() && title_like(t),
            };
            if is_head {
                heads.push(r.clone());
            }
        }
        let headings = Lexicon::tagged(&lex.raw.headings, &Topic::ALL.map(Topic::key));
        let mut sections = Vec::with_capacity(heads.len());
        for (k, h) in heads.iter().enumerate() {
            let end = heads
                .get(k.saturating_add(1))
                .map_or(text.len(), |n| n.start);
            let title = text.get(h.clone()).unwrap_or_default();
            let title = super::extract::heading_text(title).unwrap_or(title);
            let mut found = [false; 4];
            for hit in headings.find_iter(title) {
                if let Some(t) = Topic::from_key(hit.value)
                    && let Some(f) = found.get_mut(t as usize)
                {
                    *f = true;
                }
            }
            let [data, purposes, recipients, retention] = found;
            let strong = [
                (purposes, Topic::Purposes),
                (recipients, Topic::Recipients),
                (retention, Topic::Retention),
            ];
            let on: Vec<Topic> = strong.iter().filter(|(b, _)| *b).map(|(_, t)| *t).collect();
            let topic = match on.as_slice() {
                [] if data => Some(Topic::Data),
                [Topic::Purposes] if data => None,
                [one] => Some(*one),
                _ => None,
            };
            sections.push(Section {
                heading: h.clone(),
                body: h.end.min(end)..end,
                topic,
            });
        }
        let mut out = Self {
            sections,
            tables: find_tables(text, lines, lex),
        };
        let topics: Vec<Option<Topic>> = out
            .tables
            .iter()
            .map(|t| out.topic_at(t.span.start))
            .collect();
        for (t, topic) in out.tables.iter_mut().zip(topics) {
            if t.columns.iter().all(Option::is_none)
                && topic != Some(Topic::Retention)
                && let Some(first) = t.columns.first_mut()
            {
                *first = topic;
            }
        }
        out
    }

    /// Whether a byte offset lies on a heading line.
    #[must_use]
    pub fn is_heading(&self, offset: usize) -> bool {
        let i = self.sections.partition_point(|s| s.heading.end < offset);
        self.sections
            .get(i)
            .is_some_and(|s| s.heading.start <= offset && offset <= s.heading.end)
    }

    /// The items of a list up to the first one that is a heading ("- export.\n\n3. Soorten
    /// gegevens" ends the list before "3.").
    #[must_use]
    pub fn list_items<'a>(&self, items: &'a [Range<usize>]) -> &'a [Range<usize>] {
        let n = items
            .iter()
            .position(|r| self.is_heading(r.start))
            .unwrap_or(items.len());
        items.get(..n).unwrap_or_default()
    }

    /// The topic of the section that holds a byte offset.
    #[must_use]
    pub fn topic_at(&self, offset: usize) -> Option<Topic> {
        let i = self.sections.partition_point(|s| s.body.end <= offset);
        self.sections
            .get(i)
            .filter(|s| s.body.start <= offset)
            .and_then(|s| s.topic)
    }

    /// The sections about a topic.
    pub fn about(&self, topic: Topic) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(move |s| s.topic == Some(topic))
    }
}

/// Cells of a `a | b | c` line, trimmed, as byte ranges.
fn cells(text: &str, line: &Range<usize>) -> Vec<Range<usize>> {
    let l = text.get(line.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut push = |a: usize, b: usize| {
        let c = l.get(a..b).unwrap_or_default();
        let lead = c.len().saturating_sub(c.trim_start().len());
        let t = c.trim();
        let s = line.start.saturating_add(a).saturating_add(lead);
        out.push(s..s.saturating_add(t.len()));
    };
    for (i, _) in l.match_indices('|') {
        push(start, i);
        start = i.saturating_add(1);
    }
    push(start, l.len());
    out
}

/// Tables: runs of at least three consecutive lines with the same number of `|`, the first
/// being the header.
fn find_tables(text: &str, lines: &[Range<usize>], lex: &Lexicon) -> Vec<Table> {
    // the bars of the whole text, found once; a line's count is the number inside its range
    let pipes: Vec<usize> = memchr::memchr_iter(b'|', text.as_bytes()).collect();
    if pipes.is_empty() {
        return Vec::new();
    }
    let bars = |r: &Range<usize>| {
        pipes
            .partition_point(|&p| p < r.end)
            .saturating_sub(pipes.partition_point(|&p| p < r.start))
    };
    let columns: Vec<(Topic, std::sync::Arc<super::lexicon::PhraseSet<()>>)> = Topic::ALL
        .iter()
        .map(|t| {
            (
                *t,
                Lexicon::list(&lex.raw.headings, &format!("{}_column", t.key())),
            )
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < lines.len() {
        let n = lines.get(i).map_or(0, bars);
        if n == 0 {
            i = i.saturating_add(1);
            continue;
        }
        let mut j = i.saturating_add(1);
        while lines.get(j).is_some_and(|r| bars(r) == n) {
            j = j.saturating_add(1);
        }
        if j.saturating_sub(i) >= 3
            && let Some(header) = lines.get(i)
        {
            let cols = cells(text, header)
                .iter()
                .map(|c| {
                    let cell = text.get(c.clone()).unwrap_or_default();
                    if cell.split_whitespace().count() > 4 {
                        return None;
                    }
                    columns
                        .iter()
                        .find(|(_, set)| set.find_iter(cell).any(|h| h.start == 0))
                        .map(|(t, _)| *t)
                })
                .collect();
            let rows = lines
                .get(i.saturating_add(1)..j)
                .unwrap_or_default()
                .iter()
                .map(|r| cells(text, r))
                .collect();
            let end = lines.get(j.saturating_sub(1)).map_or(header.end, |r| r.end);
            out.push(Table {
                span: header.start..end,
                columns: cols,
                rows,
            });
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, ingest};
    use crate::summary::Lang;
    use crate::text::segments::line_ranges;

    fn parse(t: &str, lang: Lang) -> (String, Sections) {
        let doc = ingest("t", t.as_bytes(), Some(Format::Txt)).unwrap();
        let st = Structure::parse(&doc);
        let lines = line_ranges(&doc.text);
        let s = Sections::find(&doc.text, &st, super::super::lexicon::lexicon(lang), &lines);
        (doc.text, s)
    }

    #[test]
    fn headings_name_topics() {
        let t = "Privacyverklaring\n\nWelke gegevens verzamelen wij?\n\n- naam\n- adres\n\n3. Met wie delen wij uw gegevens\nMet onze boekhouder.\n\nHoe lang bewaren wij uw gegevens?\n\nZeven jaar.\n\nWelke gegevens gebruiken wij en waarom?\n\nTekst.";
        let (text, s) = parse(t, Lang::Nl);
        let topics: Vec<_> = s.sections.iter().map(|x| x.topic).collect();
        assert_eq!(
            topics,
            vec![
                None,
                Some(Topic::Data),
                Some(Topic::Recipients),
                Some(Topic::Retention),
                None
            ]
        );
        let at = text.find("adres").unwrap();
        assert_eq!(s.topic_at(at), Some(Topic::Data));
        let at = text.find("boekhouder").unwrap();
        assert_eq!(s.topic_at(at), Some(Topic::Recipients));
        assert_eq!(s.topic_at(0), None);
    }

    #[test]
    fn short_numbered_list_items_are_no_headings() {
        let t = "What data we collect\n\n1. Name\n2. Address\n3. Email\n\nMore text here.\n\n8. Sharing\n\n8.1 Processing\n\n8.1.1 We share nothing.";
        let (text, s) = parse(t, Lang::En);
        assert_eq!(s.sections.len(), 3);
        assert_eq!(s.topic_at(text.find("Email").unwrap()), Some(Topic::Data));
        assert_eq!(s.topic_at(text.find("8.1 Pro").unwrap()), None);
    }

    #[test]
    fn table_columns_by_header() {
        let t = "Gegeven | Doel | Bewaartermijn\nNaam | Contact opnemen | 2 jaar\nE-mailadres | Nieuwsbrief | 1 jaar\n";
        let (text, s) = parse(t, Lang::Nl);
        let table = s.tables.first().unwrap();
        assert_eq!(
            table.columns,
            vec![
                Some(Topic::Data),
                Some(Topic::Purposes),
                Some(Topic::Retention)
            ]
        );
        let data: Vec<_> = table
            .cells(Topic::Data)
            .map(|r| text.get(r.clone()).unwrap())
            .collect();
        assert_eq!(data, vec!["Naam", "E-mailadres"]);
    }
}
