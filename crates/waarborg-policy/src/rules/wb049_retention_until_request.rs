//! ## What it does
//! Flags retention rules whose `from` event is an erasure request (`erasure_request`, `deletion_request`, `request`).
//!
//! ## Why is this bad?
//! Storage limitation is the controller's duty: data must be deleted when no longer needed, without waiting for a request. A rule that runs from an erasure request means the data are in practice kept forever.
//!
//! ## Article
//! GDPR Art. 5(1)(e), Art. 13(2)(a)
//!
//! ## Nederlands
//! De organisatie moet zelf bepalen wanneer gegevens weg moeten; wachten op een verzoek betekent eindeloos bewaren.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "email"
//! category = "user.contact.email"
//! label = "E-mail"
//!
//! [[retention]]
//! id = "relations"
//! data = ["email"]
//! period = "P0D"
//! from = "erasure_request"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "email"
//! category = "user.contact.email"
//! label = "E-mail"
//!
//! [[retention]]
//! id = "relations"
//! data = ["email"]
//! period = "P2Y"
//! from = "last_contact"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB049",
    name: "retention-until-request",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(e), Art. 13(2)(a)",
    summary: "Data are kept until the person asks for deletion.",
    summary_nl: "Gegevens worden bewaard tot iemand vraagt ze te verwijderen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.retention.iter().enumerate() {
        if matches!(r.from.key(), "erasure_request" | "deletion_request" | "request") {
            out.push(
                Finding::new(format!("retention[{i}].from"), format!("retention rule `{}` keeps data until the person asks for deletion", r.id))
                    .help("set a period from an event you control, e.g. `from = \"last_contact\"`, `period = \"P2Y\"`"),
            );
        }
    }
}

doc_tests!("WB049");
