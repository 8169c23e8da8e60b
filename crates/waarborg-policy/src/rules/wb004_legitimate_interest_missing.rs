//! ## What it does
//! Checks that every purpose with `legal_basis = "legitimate_interests"` has a non-empty `legitimate_interest`.
//!
//! ## Why is this bad?
//! Art. 13(1)(d) requires the statement to say which legitimate interest is pursued. Without it, people cannot judge whether to object (Art. 21), and the balancing test has no subject.
//!
//! ## Article
//! GDPR Art. 13(1)(d), Art. 6(1)(f)
//!
//! ## Nederlands
//! Bij een gerechtvaardigd belang moet de privacyverklaring zeggen welk belang dat is.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "fraud"
//! name = "Fraude voorkomen"
//! legal_basis = "legitimate_interests"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "fraud"
//! name = "Fraude voorkomen"
//! legal_basis = "legitimate_interests"
//! legitimate_interest = { nl = "Wij willen fraude met betalingen voorkomen.", en = "We want to prevent payment fraud." }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB004",
    name: "legitimate-interest-not-stated",
    severity: Severity::Error,
    article: "GDPR Art. 13(1)(d), Art. 6(1)(f)",
    summary: "A purpose based on legitimate interests does not state the interest.",
    summary_nl: "Een doel met gerechtvaardigd belang als grondslag noemt dat belang niet.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.legal_basis == Some(LegalBasis::LegitimateInterests)
            && pu.legitimate_interest.as_ref().is_none_or(Text::is_empty)
        {
            out.push(
                Finding::new(format!("purposes[{i}].legal_basis"), format!("purpose `{}` relies on legitimate interests but does not say which interest", pu.id))
                    .help("add `legitimate_interest = { nl = \"...\", en = \"...\" }`"),
            );
        }
    }
}

doc_tests!("WB004");
