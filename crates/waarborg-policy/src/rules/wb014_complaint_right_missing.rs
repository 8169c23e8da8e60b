//! ## What it does
//! Checks that `rights.offered` includes `complaint` and that `rights.complaint_authority` names the authority.
//!
//! ## Why is this bad?
//! Art. 13(2)(d) requires the statement to tell people they can lodge a complaint with a supervisory authority; in the Netherlands that is the Autoriteit Persoonsgegevens.
//!
//! ## Article
//! GDPR Art. 13(2)(d), Art. 77
//!
//! ## Nederlands
//! Vermeld dat mensen een klacht kunnen indienen bij de Autoriteit Persoonsgegevens.
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
//! offered = ["access", "complaint"]
//! complaint_authority = "Autoriteit Persoonsgegevens"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB014",
    name: "complaint-right-missing",
    severity: Severity::Error,
    article: "GDPR Art. 13(2)(d), Art. 77",
    summary: "The right to complain to the supervisory authority is not stated.",
    summary_nl: "Het recht om te klagen bij de Autoriteit Persoonsgegevens ontbreekt.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if !p.rights.offered.contains(&Right::Complaint) || p.rights.complaint_authority.is_none() {
        out.push(
            Finding::new("rights", "the right to complain to the supervisory authority is not stated")
                .help("add \"complaint\" to `rights.offered` and `complaint_authority = \"Autoriteit Persoonsgegevens\"`"),
        );
    }
}

doc_tests!("WB014");
