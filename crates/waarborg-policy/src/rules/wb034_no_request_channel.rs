//! ## What it does
//! Checks that `rights.channels` has at least one channel (e-mail, web form, portal, post...).
//!
//! ## Why is this bad?
//! Art. 12(2) requires the controller to facilitate the exercise of rights; people must know where to send a request.
//!
//! ## Article
//! GDPR Art. 12(2), Art. 13(1)(a)
//!
//! ## Nederlands
//! Vermeld waar mensen hun verzoek kunnen indienen.
//!
//! ## Example
//! ```toml
//! [rights]
//! deadline = "P1M"
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! deadline = "P1M"
//! channels = [{ kind = "email", address = "privacy@voorbeeld.example" }]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB034",
    name: "no-request-channel",
    severity: Severity::Error,
    article: "GDPR Art. 12(2), Art. 13(1)(a)",
    summary: "The register names no channel for requests.",
    summary_nl: "Er is geen kanaal om een verzoek in te dienen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.rights.channels.is_empty() {
        out.push(
            Finding::new("rights", "no channel for requests is named")
                .help("add `channels = [{ kind = \"email\", address = \"...\" }]` to `[rights]`"),
        );
    }
}

doc_tests!("WB034");
