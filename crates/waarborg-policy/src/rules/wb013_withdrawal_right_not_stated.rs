//! ## What it does
//! When any purpose is based on consent (`legal_basis = "consent"`, or `art9_exception = "explicit_consent"` for special-category data), checks that `rights.offered` includes `withdraw_consent`.
//!
//! ## Why is this bad?
//! Art. 13(2)(c) requires telling people they can withdraw consent at any time, both for consent under Art. 6(1)(a) and for explicit consent under Art. 9(2)(a), and Art. 7(3) requires telling them before they consent.
//!
//! ## Article
//! GDPR Art. 13(2)(c), Art. 7(3)
//!
//! ## Nederlands
//! Vraagt u toestemming, vermeld dan dat mensen die altijd kunnen intrekken.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "newsletter"
//! name = "Nieuwsbrief"
//! legal_basis = "consent"
//!
//! [rights]
//! offered = ["access"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "newsletter"
//! name = "Nieuwsbrief"
//! legal_basis = "consent"
//!
//! [rights]
//! offered = ["access", "withdraw_consent"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB013",
    name: "withdrawal-right-not-stated",
    severity: Severity::Error,
    article: "GDPR Art. 13(2)(c), Art. 7(3)",
    summary: "Consent is used, but the right to withdraw it is not stated.",
    summary_nl: "Er wordt toestemming gevraagd, maar het recht om die in te trekken staat er niet in.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if uses_consent(p) && !p.rights.offered.contains(&Right::WithdrawConsent) {
        out.push(
            Finding::new("rights.offered", "consent is used, but the right to withdraw consent is not stated")
                .help("add \"withdraw_consent\" to `rights.offered`"),
        );
    }
}

doc_tests!("WB013");
