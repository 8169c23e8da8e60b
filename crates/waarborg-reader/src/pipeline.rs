//! The pipeline: bytes or a path → [`Report`] (document, structure, facts, summary with problems).

use std::path::Path;

use thiserror::Error;

use crate::facts::{self, Facts};
use crate::ingest::{self, Document, Format, IngestError};
use crate::structure::Structure;
use crate::summary::Summary;
use crate::text::segments::Segments;

/// Why a document could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// The input could not be ingested (I/O, size, PDF, HTML).
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

impl ReadError {
    /// Whether the input was refused because it is no readable document (an image, binary
    /// data, an empty or near-empty file, a PDF without a text layer), as opposed to a file that
    /// could not be opened or parsed.
    #[must_use]
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            Self::Ingest(IngestError::Unreadable { .. } | IngestError::PdfNoText { .. })
        )
    }
}

/// Everything the reader knows about one document.
#[derive(Debug, Clone)]
pub struct Report {
    /// The normalised document.
    pub document: Document,
    /// Its clauses and cross-references.
    pub structure: Structure,
    /// Its lines and sentences, as the facts and the problems read them.
    pub segments: Segments,
    /// Its facts with spans.
    pub facts: Facts,
    /// The summary (the JSON contract), including problems from [`crate::problems::detect`].
    pub summary: Summary,
}

/// Reads a document from bytes. `source` names it in the report (usually the path as given);
/// `format_hint` is its format when known (otherwise sniffed from the content).
///
/// # Errors
/// [`ReadError::Ingest`] when the bytes cannot be turned into text, or the text is no readable
/// document ([`ReadError::is_unreadable`]).
pub fn read_bytes(
    source: &str,
    bytes: &[u8],
    format_hint: Option<Format>,
) -> Result<Report, ReadError> {
    let document = ingest::ingest(source, bytes, format_hint)?;
    ingest::check_readable(&document)?;
    Ok(read_document(document))
}

/// Reads a file (at most [`ingest::MAX_INPUT_BYTES`]); the format comes from its extension, else
/// from its content. The report's `source` is the path as given.
///
/// # Errors
/// [`ReadError::Ingest`] when the file cannot be read or turned into text, or the text is no
/// readable document ([`ReadError::is_unreadable`]).
pub fn read_path(path: impl AsRef<Path>) -> Result<Report, ReadError> {
    let document = ingest::ingest_path(path.as_ref())?;
    ingest::check_readable(&document)?;
    Ok(read_document(document))
}

/// Runs structure, facts, problems and summary on an ingested document.
#[must_use]
pub fn read_document(document: Document) -> Report {
    let structure = Structure::parse(&document);
    // one split into lines and sentences, read by the facts and the problems alike
    let segments = Segments::new(&document.text);
    let facts = facts::extract(&document, &structure, &segments);
    let problems = crate::problems::detect(&document, &structure, &facts, &segments);
    let summary = Summary::build(&document, &facts, problems);
    Report {
        document,
        structure,
        segments,
        facts,
        summary,
    }
}
