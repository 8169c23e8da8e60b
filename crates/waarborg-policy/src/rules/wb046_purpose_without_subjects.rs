//! ## What it does
//! Checks that every purpose lists at least one subject category in `subjects`.
//!
//! ## Why is this bad?
//! Art. 30(1)(c) requires describing the categories of data subjects per processing; the statement also tells each group what happens to their data.
//!
//! ## Article
//! GDPR Art. 30(1)(c)
//!
//! ## Nederlands
//! Vermeld per doel van welke groep mensen u gegevens verwerkt.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[subjects]]
//! id = "customers"
//! label = "Klanten"
//!
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! subjects = ["customers"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB046",
    name: "purpose-without-subjects",
    severity: Severity::Warning,
    article: "GDPR Art. 30(1)(c)",
    summary: "A purpose does not say whose data it uses.",
    summary_nl: "Bij een doel staat niet van wie de gegevens zijn.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.subjects.is_empty() {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` does not say whose data it uses", pu.id))
                    .help("add `subjects = [\"...\"]` with ids from `[[subjects]]`"),
            );
        }
    }
}

doc_tests!("WB046");
