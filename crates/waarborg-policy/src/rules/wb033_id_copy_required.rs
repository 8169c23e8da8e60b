//! ## What it does
//! Flags `rights.identity_check = "id_copy"`. Use `email_link`, `account`, `show_document`, or `masked_id_copy` only when in doubt.
//!
//! ## Why is this bad?
//! Art. 12(6) allows asking for more information only when there is reasonable doubt about identity, and Art. 12(2) requires making requests easy. The Dutch AP fined a publisher €525,000 (2022) for demanding ID copies for access and erasure requests. Without a legal duty a copy must at least have the BSN and photo masked.
//!
//! ## Article
//! GDPR Art. 12(2), Art. 12(6); AP guidance on copies of identity documents
//!
//! ## Nederlands
//! Vraag niet standaard een kopie van een identiteitsbewijs; controleer identiteit via e-mail of het account.
//!
//! ## Example
//! ```toml
//! [rights]
//! identity_check = "id_copy"
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! identity_check = "email_link"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB033",
    name: "id-copy-required",
    severity: Severity::Error,
    article: "GDPR Art. 12(2), Art. 12(6); AP guidance on copies of identity documents",
    summary: "A copy of an identity document is required to exercise rights.",
    summary_nl: "Voor een verzoek moet een kopie van een identiteitsbewijs worden gestuurd.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.rights.identity_check == Some(IdentityCheck::IdCopy) {
        out.push(
            Finding::new("rights.identity_check", "requests require a copy of an identity document")
                .help("verify identity with `email_link` or `account`; ask a masked copy only when in doubt (`masked_id_copy`)"),
        );
    }
}

doc_tests!("WB033");
