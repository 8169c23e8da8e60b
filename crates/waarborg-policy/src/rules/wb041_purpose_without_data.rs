//! ## What it does
//! Checks that every purpose has at least one data category in `data`.
//!
//! ## Why is this bad?
//! Art. 30(1)(c) requires describing the categories of personal data per processing; data minimisation (Art. 5(1)(c)) can only be judged when the data are known. The engine also needs the link to find and erase data.
//!
//! ## Article
//! GDPR Art. 30(1)(c), Art. 5(1)(c)
//!
//! ## Nederlands
//! Vermeld per doel welke gegevens u gebruikt.
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
//! [[data]]
//! id = "email"
//! category = "user.contact.email"
//! label = "E-mail"
//!
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! data = ["email"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB041",
    name: "purpose-without-data",
    severity: Severity::Warning,
    article: "GDPR Art. 30(1)(c), Art. 5(1)(c)",
    summary: "A purpose does not list the data it uses.",
    summary_nl: "Bij een doel staat niet welke gegevens gebruikt worden.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.data.is_empty() {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` does not list the data it uses", pu.id))
                    .help("add `data = [\"...\"]` with ids from `[[data]]`"),
            );
        }
    }
}

doc_tests!("WB041");
