//! ## What it does
//! Checks that `rights.deadline` is set.
//!
//! ## Why is this bad?
//! Waarborg's case store computes due dates from the deadline; without it, people are not told when to expect an answer and requests can drift past the one-month limit of Art. 12(3).
//!
//! ## Article
//! GDPR Art. 12(3)
//!
//! ## Nederlands
//! Vermeld binnen welke termijn u verzoeken beantwoordt.
//!
//! ## Example
//! ```toml
//! [rights]
//! offered = ["access"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! offered = ["access"]
//! deadline = "P1M"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB031",
    name: "request-deadline-missing",
    severity: Severity::Warning,
    article: "GDPR Art. 12(3)",
    summary: "The register does not say within which time requests are answered.",
    summary_nl: "Er staat niet binnen welke termijn verzoeken beantwoord worden.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.rights.deadline.is_none() {
        out.push(
            Finding::new("rights", "the register does not say within which time requests are answered")
                .help("add `deadline = \"P1M\"` to `[rights]`"),
        );
    }
}

doc_tests!("WB031");
