//! The register's source text: byte spans of keys, line/column positions and rustc-style snippets.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The text of one register file and its name (usually the path as given).
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    text: Arc<str>,
    /// Byte offsets of line starts, and the span of every path; built on first use.
    index: Arc<OnceLock<Index>>,
}

#[derive(Debug, Default)]
struct Index {
    line_starts: Vec<usize>,
    spans: HashMap<String, Range<usize>>,
}

fn index_table(prefix: &str, table: &DeTable<'_>, spans: &mut HashMap<String, Range<usize>>) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        let ks = key.span();
        let vs = value.span();
        let span = if vs.start >= ks.start && vs.end > ks.start {
            ks.start..vs.end
        } else {
            ks
        };
        spans.insert(path.clone(), span);
        index_value(&path, value, spans);
    }
}

fn index_value(
    path: &str,
    value: &Spanned<DeValue<'_>>,
    spans: &mut HashMap<String, Range<usize>>,
) {
    match value.get_ref() {
        DeValue::Table(t) => index_table(path, t, spans),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                spans.insert(p.clone(), item.span());
                index_value(&p, item, spans);
            }
        }
        _ => {}
    }
}

/// A position in a source file (1-based line and column, columns counted in characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// File name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// 1-based line where the span ends.
    pub end_line: usize,
    /// 1-based column just after the span's end (characters).
    pub end_column: usize,
    /// Byte range in the file.
    #[serde(skip)]
    pub span: Range<usize>,
}

/// One step of a path into the TOML document: a key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Parses a path like `purposes[2].consent.withdrawal` into segments.
pub fn parse_path(path: &str) -> Vec<PathSeg> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(bracket) = rest.find('[') {
            let (key, idx) = rest.split_at(bracket);
            if !key.is_empty() {
                segs.push(PathSeg::Key(key.to_owned()));
            }
            rest = idx;
            for piece in rest.split('[').filter(|p| !p.is_empty()) {
                if let Ok(i) = piece.trim_end_matches(']').parse::<usize>() {
                    segs.push(PathSeg::Index(i));
                }
            }
        } else if !rest.is_empty() {
            segs.push(PathSeg::Key(rest.to_owned()));
        }
    }
    segs
}

impl Source {
    /// A source from its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            index: Arc::new(OnceLock::new()),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut line_starts = vec![0];
            line_starts.extend(
                self.text
                    .char_indices()
                    .filter(|(_, c)| *c == '\n')
                    .map(|(i, _)| i + 1),
            );
            let mut spans = HashMap::new();
            if let Ok(root) = DeTable::parse(&self.text) {
                index_table("", root.get_ref(), &mut spans);
            }
            Index { line_starts, spans }
        })
    }

    /// The file name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The location of a byte span.
    pub fn location(&self, span: Range<usize>) -> Location {
        let (line, column) = self.line_col(span.start);
        let (end_line, end_column) = self.line_col(span.end.max(span.start));
        Location {
            file: self.name.clone(),
            line,
            column,
            end_line,
            end_column,
            span,
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = &self.index().line_starts;
        let line_idx = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = starts.get(line_idx).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        (line_idx + 1, col + 1)
    }

    /// The span of the item at `path` (e.g. `purposes[2].legal_basis`): for a key, from the key to
    /// the end of its value. When the path does not exist in full (a missing key), the span of the
    /// deepest existing ancestor. `None` when the text is not valid TOML.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let spans = &self.index().spans;
        let mut p = path;
        loop {
            if let Some(span) = spans.get(p) {
                return Some(span.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = p.get(..cut)?;
        }
    }

    /// The location of the item at `path` (see [`Source::span_of`]).
    pub fn locate(&self, path: &str) -> Option<Location> {
        self.span_of(path).map(|s| self.location(s))
    }

    /// The text of line `n` (1-based), without its line end.
    pub fn line_text(&self, n: usize) -> &str {
        // Through the line index: one lookup per snippet, not a scan of the file (a report
        // with a finding on every line of a large register was quadratic).
        let starts = &self.index().line_starts;
        let Some(&start) = n.checked_sub(1).and_then(|i| starts.get(i)) else {
            return "";
        };
        let end = starts.get(n).copied().unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\n')
            .trim_end_matches('\r')
    }

    /// A rustc-style snippet: the first line of the location with `^^^` under the span. A
    /// long line (minified or generated TOML) is cut to a window around the span, marked `…`.
    pub fn snippet(&self, loc: &Location, label: &str) -> String {
        const WINDOW: usize = 160;
        let full = self.line_text(loc.line);
        let width = loc.line.to_string().len();
        let pad = " ".repeat(width);
        let full_chars = full.chars().count();
        let full_start = loc.column.saturating_sub(1);
        let full_end = if loc.end_line == loc.line {
            loc.end_column.saturating_sub(1)
        } else {
            full_chars
        };
        let (line, start_col, end_col) = if full_chars <= WINDOW {
            (full.to_owned(), full_start, full_end)
        } else {
            let from = full_start.saturating_sub(WINDOW / 3);
            let to = (from + WINDOW).min(full_chars);
            let mut cut: String = full.chars().skip(from).take(to - from).collect();
            let mut shift = from;
            if from > 0 {
                cut.insert(0, '…');
                shift = shift.saturating_sub(1);
            }
            if to < full_chars {
                cut.push('…');
            }
            let end = full_end.saturating_sub(shift).min(cut.chars().count());
            (cut, full_start.saturating_sub(shift), end)
        };
        let line = line.as_str();
        let line_chars = line.chars().count();
        let end_col = end_col.min(line_chars.max(start_col + 1));
        let carets = end_col.saturating_sub(start_col).max(1);
        let indent: String = line
            .chars()
            .take(start_col)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let mut out = String::new();
        out.push_str(&format!(
            "{pad}--> {}:{}:{}\n",
            loc.file, loc.line, loc.column
        ));
        out.push_str(&format!("{pad} |\n"));
        out.push_str(&format!("{} | {}\n", loc.line, line));
        out.push_str(&format!(
            "{pad} | {indent}{}{}{}\n",
            "^".repeat(carets),
            if label.is_empty() { "" } else { " " },
            label
        ));
        out.push_str(&format!("{pad} |"));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "[controller]\nname = \"X\"\n\n[[purposes]]\nid = \"a\"\n\n[[purposes]]\nid = \"b\"\nlegal_basis = \"consent\"\n";

    #[test]
    fn finds_nested_keys() {
        let s = Source::new("p.toml", SRC);
        let loc = s.locate("purposes[1].legal_basis").unwrap();
        assert_eq!((loc.line, loc.column), (9, 1));
        assert_eq!(loc.end_line, 9);
        let loc = s.locate("controller.name").unwrap();
        assert_eq!((loc.line, loc.column), (2, 1));
    }

    #[test]
    fn falls_back_to_ancestor() {
        let s = Source::new("p.toml", SRC);
        let loc = s.locate("purposes[0].legal_basis").unwrap();
        assert!(loc.line >= 4 && loc.line <= 5, "{loc:?}");
    }

    #[test]
    fn snippet_points_at_the_span() {
        let s = Source::new("p.toml", SRC);
        let loc = s.locate("controller.name").unwrap();
        let snip = s.snippet(&loc, "here");
        assert!(snip.contains("--> p.toml:2:1"), "{snip}");
        assert!(snip.contains("2 | name = \"X\""), "{snip}");
        assert!(snip.contains("^^^^^^^^^^ here"), "{snip}");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("a = [{}\"x\"{}]\n", "1, ".repeat(200), ", 2".repeat(200));
        let s = Source::new("p.toml", text.as_str());
        let at = text.find("\"x\"").unwrap();
        let loc = s.location(at..at + 3);
        let snip = s.snippet(&loc, "");
        for line in snip.lines() {
            assert!(line.chars().count() < 190, "{line}");
        }
        let lines: Vec<&str> = snip.lines().collect();
        let code = lines[2];
        let carets = lines[3];
        let caret_at = carets.find('^').unwrap();
        // The carets stand under the `"x"` in the cut line.
        assert_eq!(code.chars().nth(caret_at), Some('"'), "{snip}");
        assert!(code.contains('…'), "{snip}");
    }

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse_path("a[2].b"),
            vec![
                PathSeg::Key("a".into()),
                PathSeg::Index(2),
                PathSeg::Key("b".into())
            ]
        );
    }
}
