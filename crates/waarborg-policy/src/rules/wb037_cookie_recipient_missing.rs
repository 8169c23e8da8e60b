//! ## What it does
//! For cookies whose `provider` is not the controller (by name or trade name) and that are not necessary, checks for `recipient`.
//!
//! ## Why is this bad?
//! A third party that places or reads a cookie receives personal data (an identifier, an IP address). Art. 13(1)(e) requires naming recipients, and transfers outside the EEA need a mechanism (WB006), which can only be checked when the cookie names its recipient.
//!
//! ## Article
//! GDPR Art. 13(1)(e)
//!
//! ## Nederlands
//! Koppel cookies van derden aan de ontvanger die de gegevens krijgt.
//!
//! ## Example
//! ```toml
//! [[cookies]]
//! id = "ga"
//! name = "_ga"
//! provider = "Google Analytics"
//! category = "analytics"
//! consent = "opt_in"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "google"
//! name = "Google"
//! role = "controller"
//! country = "US"
//! transfer_mechanism = "data_privacy_framework"
//!
//! [[cookies]]
//! id = "ga"
//! name = "_ga"
//! provider = "Google Analytics"
//! category = "analytics"
//! consent = "opt_in"
//! recipient = "google"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB037",
    name: "cookie-recipient-missing",
    severity: Severity::Warning,
    article: "GDPR Art. 13(1)(e)",
    summary: "A third-party cookie is not linked to a recipient.",
    summary_nl: "Een cookie van een derde partij is niet gekoppeld aan een ontvanger.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let own = |provider: &str| {
        let pr = provider.to_lowercase();
        std::iter::once(&p.controller.name)
            .chain(p.controller.trade_names.iter())
            .any(|n| pr.contains(&n.to_lowercase()))
    };
    for (i, c) in p.cookies.iter().enumerate() {
        if c.category != CookieCategory::Necessary && c.recipient.is_none() && !own(&c.provider) {
            out.push(
                Finding::new(format!("cookies[{i}]"), format!("third-party cookie `{}` of {} is not linked to a recipient", c.id, c.provider))
                    .help("add the provider to `[[recipients]]` and set `recipient = \"<id>\"`"),
            );
        }
    }
}

doc_tests!("WB037");
