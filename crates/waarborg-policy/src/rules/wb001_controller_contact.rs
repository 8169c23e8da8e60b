//! ## What it does
//! Checks that `[controller]` gives a way to reach the organisation: an e-mail address or phone number, and a postal address.
//!
//! ## Why is this bad?
//! Art. 13(1)(a) requires the identity **and contact details** of the controller at the moment data are collected. People cannot exercise their rights or ask questions without them.
//!
//! ## Article
//! GDPR Art. 13(1)(a)
//!
//! ## Nederlands
//! De privacyverklaring moet vermelden wie de verwerkingsverantwoordelijke is en hoe u die bereikt.
//!
//! ## Example
//! ```toml
//! [controller]
//! name = "Voorbeeld B.V."
//! ```
//!
//! ## Use instead
//! ```toml
//! [controller]
//! name = "Voorbeeld B.V."
//! email = "privacy@voorbeeld.example"
//! addresses = [{ street = "Voorbeeldstraat 1", postcode = "1000 AA", city = "Amsterdam" }]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB001",
    name: "controller-contact-missing",
    severity: Severity::Error,
    article: "GDPR Art. 13(1)(a)",
    summary: "The controller has no e-mail address or phone number, or no postal address.",
    summary_nl: "De verwerkingsverantwoordelijke heeft geen e-mailadres of telefoonnummer, of geen postadres.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let c = &p.controller;
    if c.email.is_none() && c.phone.is_none() {
        out.push(
            Finding::new("controller", format!("controller `{}` has no e-mail address or phone number", c.name))
                .help("add `email = \"privacy@...\"` or `phone = \"...\"` to `[controller]`"),
        );
    }
    if c.addresses.is_empty() {
        out.push(
            Finding::new("controller", format!("controller `{}` has no postal address", c.name))
                .help("add `[[controller.addresses]]` with street, postcode and city"),
        );
    }
}

doc_tests!("WB001");
