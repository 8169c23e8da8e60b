//! ## What it does
//! When `controller.public_authority = true`, checks for `[privacy_officer]` with `formal_dpo = true`.
//!
//! ## Why is this bad?
//! Art. 37(1)(a) requires every public authority or body (except courts acting judicially) to designate a data protection officer.
//!
//! ## Article
//! GDPR Art. 37(1)(a)
//!
//! ## Nederlands
//! Een overheidsorgaan moet een functionaris gegevensbescherming aanstellen.
//!
//! ## Example
//! ```toml
//! [controller]
//! public_authority = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [controller]
//! public_authority = true
//!
//! [privacy_officer]
//! name = "Functionaris gegevensbescherming"
//! email = "fg@gemeente.example"
//! formal_dpo = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB043",
    name: "dpo-required",
    severity: Severity::Error,
    article: "GDPR Art. 37(1)(a)",
    summary: "A public authority has no formally appointed DPO.",
    summary_nl: "Een overheidsorgaan heeft geen functionaris gegevensbescherming.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.controller.public_authority && !p.privacy_officer.as_ref().is_some_and(|o| o.formal_dpo) {
        out.push(
            Finding::new("controller.public_authority", "a public authority must designate a data protection officer")
                .help("add `[privacy_officer]` with `formal_dpo = true` and contact details"),
        );
    }
}

doc_tests!("WB043");
