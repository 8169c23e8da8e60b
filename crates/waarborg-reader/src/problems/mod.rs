//! Findings: problems in a document, each with a stable rule code, the law it rests on and exact quotes.

use serde::{Deserialize, Serialize};

/// The kind of a problem, as in `summary.schema.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The same quantity or identifier stated twice with different values.
    Contradiction,
    /// A cross-reference to a clause that does not exist.
    BrokenReference,
    /// A reference to law or a mechanism that no longer holds.
    OutdatedReference,
    /// A GDPR Art. 13/14 item missing from a privacy statement.
    MissingArt13Item,
    /// A GDPR Art. 28(3) item missing from a processor agreement.
    MissingArt28Item,
    /// A clause that is questionable under the law.
    QuestionableClause,
    /// A misspelt identifier (domain, name, number).
    TypoInIdentifier,
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What kind of problem this is.
    pub kind: ProblemKind,
    /// The project's own stable rule code.
    pub rule: String,
    /// Exact quotes from the document.
    pub evidence: Vec<String>,
    /// Why this is a problem.
    pub explanation: String,
    /// For missing items: the GDPR item, e.g. `13(1)(c)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// Detects problems in a read document.
#[must_use]
pub fn detect(
    doc: &crate::ingest::Document,
    structure: &crate::structure::Structure,
    facts: &crate::facts::Facts,
) -> Vec<Problem> {
    let _ = (doc, structure, facts);
    Vec::new()
}
