//! Output formats: human report, JSON / JSON Lines, SARIF 2.1.0, self-contained HTML, draft register.
//!
//! Every format is a pure function from one or more [`Report`]s to a `String`; the CLI decides
//! where it goes. Evidence quotes are located in the normalised text with [`locate`] so that every
//! format can show line numbers.
//!
//! The human and HTML reports are written for a person, in Dutch or English (a
//! [`waarborg_policy::Lang`]; [`report_lang`] gives the document's own language): their labels
//! are data (`data/report.toml`), rule titles and explanations come in both languages. JSON,
//! JSON Lines and SARIF are for machines and stay in English.

use std::ops::Range;

use waarborg_policy::Lang;

use crate::Report;
use crate::ingest::Document;

mod draft;
mod html;
mod human;
mod labels;
mod sarif;

pub use draft::{DraftError, draft_policy, fideslang_for, slug, split_address};
pub use html::html;
pub use human::human;
pub use sarif::sarif;

/// An output format of `waarborg read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human report grouped by kind, with quotes and line numbers.
    Human,
    /// One JSON object per document, exactly as `summary.schema.json`.
    Json,
    /// One JSON object per line, one line per document.
    Jsonl,
    /// SARIF 2.1.0: one log with one run for all documents.
    Sarif,
    /// One self-contained HTML page per document.
    Html,
}

/// The language a report is written in by default: the document's own (`summary.language`).
#[must_use]
pub fn report_lang(report: &Report) -> Lang {
    report.summary.language
}

/// The summary of one report as pretty-printed JSON (the schema's object).
#[must_use]
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(&report.summary).unwrap_or_else(|e| error_json(&e))
}

/// The summaries of several reports as one pretty-printed JSON array.
#[must_use]
pub fn json_array(reports: &[&Report]) -> String {
    let all: Vec<_> = reports.iter().map(|r| &r.summary).collect();
    serde_json::to_string_pretty(&all).unwrap_or_else(|e| error_json(&e))
}

/// The summary of one report as one line of JSON (no trailing newline).
#[must_use]
pub fn jsonl(report: &Report) -> String {
    serde_json::to_string(&report.summary).unwrap_or_else(|e| error_json(&e))
}

fn error_json(e: &serde_json::Error) -> String {
    serde_json::json!({ "error": e.to_string() }).to_string()
}

/// Where a quote occurs in the document's normalised text: the first occurrence, with any run of
/// white space in the text matching one space of the quote.
#[must_use]
pub fn locate(text: &str, quote: &str) -> Option<Range<usize>> {
    let mut words = quote.split_whitespace();
    let first = words.next()?;
    let rest: Vec<&str> = words.collect();
    'candidates: for (start, _) in text.match_indices(first) {
        let mut pos = start + first.len();
        for w in &rest {
            let tail = text.get(pos..)?;
            let trimmed = tail.trim_start();
            let ws = tail.len() - trimmed.len();
            if ws == 0 || !trimmed.starts_with(w) {
                continue 'candidates;
            }
            pos += ws + w.len();
        }
        return Some(start..pos);
    }
    None
}

/// A located quote: 1-based start line and column, end line and column (exclusive, as SARIF
/// wants) in the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First line (1-based).
    pub start_line: usize,
    /// First column (1-based, in characters).
    pub start_column: usize,
    /// Last line (1-based).
    pub end_line: usize,
    /// Column after the last character (1-based, in characters).
    pub end_column: usize,
}

/// The region of a byte range of the document's text.
#[must_use]
pub fn region(doc: &Document, range: &Range<usize>) -> Region {
    let (start_line, start_column) = doc.line_col(range.start);
    let (end_line, end_column) = doc.line_col(range.end);
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_across_line_breaks() {
        let text = "Eerste regel.\nWij bewaren uw\n   gegevens 7 jaar.";
        let r = locate(text, "bewaren uw gegevens 7 jaar.").unwrap();
        assert_eq!(text.get(r), Some("bewaren uw\n   gegevens 7 jaar."));
        assert!(locate(text, "niet aanwezig").is_none());
    }
}
