//! The register's source text: byte spans of keys, line/column positions and rustc-style snippets.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The text of one register file and its name (usually the path as given).
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    text: Arc<str>,
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
        }
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
        let mut line = 1;
        let mut col = 1;
        for (i, c) in self.text.char_indices() {
            if i >= offset {
                break;
            }
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        (line, col)
    }

    /// The span of the item at `path` (e.g. `purposes[2].legal_basis`): for a key, from the key to
    /// the end of its value. When the path does not exist in full (a missing key), the span of the
    /// deepest existing ancestor. `None` when the text is not valid TOML.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let root = DeTable::parse(&self.text).ok()?;
        let segs = parse_path(path);
        let mut best: Option<Range<usize>> = None;
        let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
        let mut value: Option<&Spanned<DeValue<'_>>> = None;
        for seg in &segs {
            match seg {
                PathSeg::Key(k) => {
                    let t = match (table, value) {
                        (Some(t), None) => t,
                        (_, Some(v)) => match v.get_ref().as_table() {
                            Some(t) => t,
                            None => break,
                        },
                        (None, None) => break,
                    };
                    let Some((key, v)) = t.iter().find(|(key, _)| key.get_ref() == k) else {
                        break;
                    };
                    let ks = key.span();
                    let vs = v.span();
                    best = Some(if vs.start >= ks.start && vs.end > ks.start {
                        ks.start..vs.end
                    } else {
                        ks
                    });
                    table = None;
                    value = Some(v);
                }
                PathSeg::Index(i) => {
                    let Some(arr) = value.and_then(|v| v.get_ref().as_array()) else {
                        break;
                    };
                    let Some(item) = arr.get(*i) else { break };
                    best = Some(item.span());
                    value = Some(item);
                }
            }
        }
        best
    }

    /// The location of the item at `path` (see [`Source::span_of`]).
    pub fn locate(&self, path: &str) -> Option<Location> {
        self.span_of(path).map(|s| self.location(s))
    }

    /// The text of line `n` (1-based), without its line end.
    pub fn line_text(&self, n: usize) -> &str {
        self.text
            .lines()
            .nth(n.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// A rustc-style snippet: the first line of the location with `^^^` under the span.
    pub fn snippet(&self, loc: &Location, label: &str) -> String {
        let line = self.line_text(loc.line);
        let width = loc.line.to_string().len();
        let pad = " ".repeat(width);
        let start_col = loc.column.saturating_sub(1);
        let line_chars = line.chars().count();
        let end_col = if loc.end_line == loc.line {
            loc.end_column.saturating_sub(1)
        } else {
            line_chars
        };
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
