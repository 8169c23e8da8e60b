//! ## What it does
//! For purposes with `legal_basis = "legal_obligation"` or `"public_task"`, checks for `legal_ground`.
//!
//! ## Why is this bad?
//! Art. 6(3) requires the basis for (c) and (e) to be laid down by Union or Member State law. Naming the law lets people and the AP check the claim, and lets the engine justify legal holds.
//!
//! ## Article
//! GDPR Art. 6(3)
//!
//! ## Nederlands
//! Noem de wet waaruit de plicht of taak volgt.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "invoices"
//! name = "Facturen"
//! legal_basis = "legal_obligation"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "invoices"
//! name = "Facturen"
//! legal_basis = "legal_obligation"
//! legal_ground = "AWR art. 52"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB042",
    name: "legal-ground-not-cited",
    severity: Severity::Warning,
    article: "GDPR Art. 6(3)",
    summary: "A legal obligation or public task does not name the law it comes from.",
    summary_nl: "Bij een wettelijke plicht of publieke taak staat niet welke wet het is.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        let needs = matches!(pu.legal_basis, Some(LegalBasis::LegalObligation | LegalBasis::PublicTask));
        if needs && pu.legal_ground.as_deref().is_none_or(|g| g.trim().is_empty()) {
            out.push(
                Finding::new(format!("purposes[{i}].legal_basis"), format!("purpose `{}` does not name the law it relies on", pu.id))
                    .help("add `legal_ground = \"<law and article>\"`"),
            );
        }
    }
}

doc_tests!("WB042");
