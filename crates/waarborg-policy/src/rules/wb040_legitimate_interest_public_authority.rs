//! ## What it does
//! When `controller.public_authority = true`, flags purposes with `legal_basis = "legitimate_interests"`.
//!
//! ## Why is this bad?
//! Art. 6(1)(f) does not apply to processing by public authorities in the performance of their tasks; they must rely on a legal obligation or a public task.
//!
//! ## Article
//! GDPR Art. 6(1), second subparagraph
//!
//! ## Nederlands
//! Een overheidsorgaan kan zich voor zijn taken niet op gerechtvaardigd belang beroepen.
//!
//! ## Example
//! ```toml
//! [controller]
//! public_authority = true
//!
//! [[purposes]]
//! id = "permits"
//! name = "Vergunningen"
//! legal_basis = "legitimate_interests"
//! legitimate_interest = "Efficiënte afhandeling"
//! ```
//!
//! ## Use instead
//! ```toml
//! [controller]
//! public_authority = true
//!
//! [[purposes]]
//! id = "permits"
//! name = "Vergunningen"
//! legal_basis = "public_task"
//! legal_ground = "Wet algemene bepalingen omgevingsrecht"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB040",
    name: "public-authority-legitimate-interest",
    severity: Severity::Error,
    article: "GDPR Art. 6(1), second subparagraph",
    summary: "A public authority relies on legitimate interests.",
    summary_nl: "Een overheidsorgaan beroept zich op gerechtvaardigd belang.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if !p.controller.public_authority {
        return;
    }
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.legal_basis == Some(LegalBasis::LegitimateInterests) {
            out.push(
                Finding::new(format!("purposes[{i}].legal_basis"), format!("public authority relies on legitimate interests for purpose `{}`", pu.id))
                    .help("use `public_task` or `legal_obligation` with the law in `legal_ground`"),
            );
        }
    }
}

doc_tests!("WB040");
