//! Reads privacy statements, general terms and processor agreements (Dutch and English; txt, md,
//! html, pdf) into facts with spans and findings with exact quotes.
//!
//! Pipeline: [`ingest`] (bytes → normalised text with an offset map) → [`structure`] (sections
//! and clauses with their numbering) → [`facts`] (facts with spans) → [`problems`] (findings with
//! exact quotes) → [`summary`] (the JSON contract of `waarborg read --format json`) → [`output`]
//! (human, JSON, JSON Lines, SARIF, HTML, draft register).
#![warn(missing_docs)]

pub mod facts;
pub mod ingest;
pub mod output;
pub mod problems;
pub mod structure;
pub mod summary;
