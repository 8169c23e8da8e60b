//! ## What it does
//! Checks that a data protection officer marked `formal_dpo = true` has an e-mail address or phone number.
//!
//! ## Why is this bad?
//! When there is a DPO, Art. 13(1)(b) requires its contact details in the statement, and Art. 37(7) requires them to be published.
//!
//! ## Article
//! GDPR Art. 13(1)(b), Art. 37(7)
//!
//! ## Nederlands
//! Heeft de organisatie een functionaris gegevensbescherming (FG), dan moeten de contactgegevens van de FG in de privacyverklaring staan.
//!
//! ## Example
//! ```toml
//! [privacy_officer]
//! name = "Functionaris gegevensbescherming"
//! formal_dpo = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [privacy_officer]
//! name = "Functionaris gegevensbescherming"
//! email = "fg@voorbeeld.example"
//! formal_dpo = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB002",
    name: "dpo-contact-missing",
    severity: Severity::Error,
    article: "GDPR Art. 13(1)(b), Art. 37(7)",
    summary: "A formally appointed DPO has no contact details.",
    summary_nl: "Er is een functionaris gegevensbescherming, maar zonder contactgegevens.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if let Some(o) = &p.privacy_officer
        && o.formal_dpo
        && o.email.is_none()
        && o.phone.is_none()
    {
        out.push(
            Finding::new("privacy_officer", format!("the DPO `{}` has no e-mail address or phone number", o.name))
                .help("add `email = \"...\"` to `[privacy_officer]`"),
        );
    }
}

doc_tests!("WB002");
