//! ## What it does
//! Checks that every purpose has a `legal_basis`: one of `consent`, `contract`, `legal_obligation`, `vital_interests`, `public_task`, `legitimate_interests`.
//!
//! ## Why is this bad?
//! Processing is only lawful on one of the six bases of Art. 6(1), and Art. 13(1)(c) requires the statement to name the basis for each purpose. A purpose without one is unlawful processing.
//!
//! ## Article
//! GDPR Art. 6(1), Art. 13(1)(c)
//!
//! ## Nederlands
//! Voor elk doel moet de privacyverklaring de grondslag noemen (toestemming, overeenkomst, wettelijke plicht, vitaal belang, algemeen belang of gerechtvaardigd belang).
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "marketing"
//! name = { nl = "Marketing", en = "Marketing" }
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "marketing"
//! name = { nl = "Marketing", en = "Marketing" }
//! legal_basis = "consent"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB003",
    name: "purpose-without-legal-basis",
    severity: Severity::Error,
    article: "GDPR Art. 6(1), Art. 13(1)(c)",
    summary: "A purpose has no legal basis.",
    summary_nl: "Een doel heeft geen rechtsgrond.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.legal_basis.is_none() {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` has no legal basis", pu.id))
                    .help("add `legal_basis = \"...\"`: consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests"),
            );
        }
    }
}

doc_tests!("WB003");
