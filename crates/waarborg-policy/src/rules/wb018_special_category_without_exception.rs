//! ## What it does
//! For every purpose that uses data with `special` set (or a fideslang key that implies it, such as `user.health_and_medical`), checks for `art9_exception`.
//!
//! ## Why is this bad?
//! Art. 9(1) forbids processing health, biometric, genetic and other special data unless one of the ten exceptions of Art. 9(2) applies, in addition to an Art. 6 basis.
//!
//! ## Article
//! GDPR Art. 9(1)–(2)
//!
//! ## Nederlands
//! Bijzondere persoonsgegevens (zoals gezondheid) mogen alleen verwerkt worden als een uitzondering uit de wet geldt.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "health"
//! category = "user.health_and_medical"
//! label = { nl = "Gezondheidsgegevens", en = "Health data" }
//! special = "health"
//!
//! [[purposes]]
//! id = "absence"
//! name = "Verzuim"
//! legal_basis = "legal_obligation"
//! legal_ground = "Wet verbetering poortwachter"
//! data = ["health"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "health"
//! category = "user.health_and_medical"
//! label = { nl = "Gezondheidsgegevens", en = "Health data" }
//! special = "health"
//!
//! [[purposes]]
//! id = "absence"
//! name = "Verzuim"
//! legal_basis = "legal_obligation"
//! legal_ground = "Wet verbetering poortwachter"
//! art9_exception = "employment"
//! data = ["health"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB018",
    name: "special-category-without-exception",
    severity: Severity::Error,
    article: "GDPR Art. 9(1)–(2)",
    summary: "Special-category data are used without an Art. 9(2) exception.",
    summary_nl: "Bijzondere persoonsgegevens worden gebruikt zonder uitzondering uit art. 9 lid 2.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.art9_exception.is_some() {
            continue;
        }
        let special: Vec<&str> = purpose_data(p, pu)
            .filter(|d| d.special.or_else(|| crate::fideslang::implied_special(&d.category)).is_some())
            .map(|d| d.id.as_str())
            .collect();
        if !special.is_empty() {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` uses special-category data ({}) without an Art. 9(2) exception", pu.id, special.join(", ")))
                    .help("add `art9_exception = \"...\"`, e.g. explicit_consent, employment, health_care, legal_claims"),
            );
        }
    }
}

doc_tests!("WB018");
