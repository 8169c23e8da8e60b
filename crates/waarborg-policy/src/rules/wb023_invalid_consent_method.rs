//! ## What it does
//! Flags `consent.method = "implied"` or `"pre_ticked"`.
//!
//! ## Why is this bad?
//! Consent must be a clear affirmative act (Art. 4(11)). Using a service, supplying data or leaving a pre-ticked box is not consent (EDPB Guidelines 05/2020; Planet49).
//!
//! ## Article
//! GDPR Art. 4(11), Art. 7; CJEU C-673/17 (Planet49)
//!
//! ## Nederlands
//! Toestemming moet een actieve handeling zijn; 'door gebruik gaat u akkoord' of een vooraf aangevinkt vakje telt niet.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "marketing"
//! name = "Marketing"
//! legal_basis = "consent"
//! consent = { method = "implied", withdrawal = [{ kind = "email" }] }
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "marketing"
//! name = "Marketing"
//! legal_basis = "consent"
//! consent = { method = "opt_in", withdrawal = [{ kind = "email" }] }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB023",
    name: "invalid-consent-method",
    severity: Severity::Error,
    article: "GDPR Art. 4(11), Art. 7; CJEU C-673/17 (Planet49)",
    summary: "Consent is implied from use or given with a pre-ticked box.",
    summary_nl: "Toestemming wordt afgeleid uit gebruik of via een vooraf aangevinkt vakje gegeven.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        let Some(c) = &pu.consent else { continue };
        let how = match c.method {
            ConsentMethod::Implied => "is implied from use or from supplying data",
            ConsentMethod::PreTicked => "is given with a pre-ticked box",
            ConsentMethod::OptIn => continue,
        };
        out.push(
            Finding::new(format!("purposes[{i}].consent.method"), format!("consent for purpose `{}` {how}, which is not valid consent", pu.id))
                .help("ask for an active opt-in and set `method = \"opt_in\"`"),
        );
    }
}

doc_tests!("WB023");
