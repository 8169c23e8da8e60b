//! Reads privacy statements, general terms and processor agreements (Dutch and English; txt, md,
//! html, pdf) into facts with spans and findings with exact quotes.
//!
//! Pipeline: [`ingest`] (bytes → normalised text with an offset map) → [`structure`] (sections
//! and clauses with their numbering) → [`text`] (lines and sentences, split once) → [`facts`] (facts with spans) → [`problems`] (findings with
//! exact quotes) → [`summary`] (the JSON contract of `waarborg read --format json`) → [`output`]
//! (human, JSON, JSON Lines, SARIF, HTML, draft register).
//!
//! # Public API
//! - [`read_path`]`(path) -> Result<`[`Report`]`, `[`ReadError`]`>` and
//!   [`read_bytes`]`(source, bytes, Option<`[`ingest::Format`]`>) -> Result<Report, ReadError>`;
//!   [`pipeline::read_document`] for an already ingested [`ingest::Document`].
//! - [`Report`] holds the [`ingest::Document`] (normalised `text`, `offsets` back to the original
//!   bytes, `lines`), the [`structure::Structure`] (clauses with their numbering,
//!   [`structure::Structure::resolve`] for a reference as written, `references` with each
//!   cross-reference's resolution), the [`facts::Facts`] (every fact with its byte span in the
//!   text) and the [`summary::Summary`] (serialises exactly as `summary.schema.json`).
//! - Quotes: [`ingest::Document::quote`] gives the text of a span with white space collapsed,
//!   which is always a verbatim quote of the input.
//!
//! ```
//! let report = waarborg_reader::read_bytes(
//!     "example.txt",
//!     "Privacyverklaring\n\nWij bewaren uw gegevens 7 jaar.".as_bytes(),
//!     None,
//! )?;
//! assert_eq!(report.summary.retention[0].period.as_deref(), Some("P7Y"));
//! # Ok::<(), waarborg_reader::ReadError>(())
//! ```
#![warn(missing_docs)]

pub mod facts;
pub mod ingest;
mod languages;
pub mod output;
pub mod pipeline;
pub mod problems;
pub mod structure;
pub mod summary;
pub mod text;

pub use pipeline::{ReadError, Report, read_bytes, read_path};
