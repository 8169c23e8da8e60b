//! ## What it does
//! For consent with `scope = "single_use"`, checks for `object` or `recipient`.
//!
//! ## Why is this bad?
//! Consent must be specific. A single-use consent (for example sharing data with one whitepaper's sponsor) only makes sense when the register says what it is for; otherwise the ledger cannot tell one use from the next.
//!
//! ## Article
//! GDPR Art. 4(11), Art. 6(1)(a)
//!
//! ## Nederlands
//! Leg bij eenmalige toestemming vast waarvoor die geldt.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "whitepaper"
//! name = "Whitepaper"
//! legal_basis = "consent"
//! consent = { scope = "single_use", withdrawal = [{ kind = "email" }] }
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "sponsor"
//! name = "Sponsor van de whitepaper"
//! role = "controller"
//! country = "NL"
//!
//! [[purposes]]
//! id = "whitepaper"
//! name = "Whitepaper"
//! legal_basis = "consent"
//! recipients = ["sponsor"]
//! consent = { scope = "single_use", object = "whitepaper_download", recipient = "sponsor", withdrawal = [{ kind = "email" }] }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB025",
    name: "single-use-consent-unbound",
    severity: Severity::Warning,
    article: "GDPR Art. 4(11), Art. 6(1)(a)",
    summary: "A single-use consent is not tied to an object or recipient.",
    summary_nl: "Eenmalige toestemming is niet gekoppeld aan een download, gebeurtenis of ontvanger.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        let Some(c) = &pu.consent else { continue };
        if c.scope == ConsentScope::SingleUse && c.object.is_none() && c.recipient.is_none() {
            out.push(
                Finding::new(format!("purposes[{i}].consent"), format!("single-use consent of purpose `{}` is not tied to an object or recipient", pu.id))
                    .help("add `object = \"...\"` (e.g. whitepaper_download) and/or `recipient = \"<recipient id>\"`"),
            );
        }
    }
}

doc_tests!("WB025");
