//! ## What it does
//! For every purpose with `legal_basis = "consent"` or `art9_exception = "explicit_consent"`, checks for `[purposes.consent]` with at least one `withdrawal` channel.
//!
//! ## Why is this bad?
//! Art. 7(3): people may withdraw consent at any time, and withdrawing must be as easy as giving it. Without a channel, the consent ledger cannot record a withdrawal and processing goes on.
//!
//! ## Article
//! GDPR Art. 7(3)
//!
//! ## Nederlands
//! Intrekken van toestemming moet net zo makkelijk zijn als geven; leg vast hoe dat kan.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "newsletter"
//! name = "Nieuwsbrief"
//! legal_basis = "consent"
//! consent = { scope = "standing" }
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "newsletter"
//! name = "Nieuwsbrief"
//! legal_basis = "consent"
//! consent = { scope = "standing", withdrawal = [{ kind = "link", address = "Afmeldlink in elke nieuwsbrief" }] }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB022",
    name: "consent-without-withdrawal",
    severity: Severity::Error,
    article: "GDPR Art. 7(3)",
    summary: "A purpose based on consent has no way to withdraw it.",
    summary_nl: "Bij een doel op basis van toestemming staat niet hoe mensen die intrekken.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if !relies_on_consent(pu) {
            continue;
        }
        if pu.consent.as_ref().is_none_or(|c| c.withdrawal.is_empty()) {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` is based on consent but has no way to withdraw it", pu.id))
                    .help("add `consent = { withdrawal = [{ kind = \"link\" }] }` (or email, portal, cookie_settings)"),
            );
        }
    }
}

doc_tests!("WB022");
