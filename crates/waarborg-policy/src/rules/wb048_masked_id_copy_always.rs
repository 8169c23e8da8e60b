//! ## What it does
//! Flags `rights.identity_check = "masked_id_copy_always"`.
//!
//! ## Why is this bad?
//! Art. 12(6) allows asking for extra proof of identity only when there is reasonable doubt. A masked copy is better than a full one, but asking it by default still collects more data than needed (Art. 5(1)(c)) and makes requests harder (Art. 12(2)); the AP advises checking identity in a lighter way first.
//!
//! ## Article
//! GDPR Art. 12(2), Art. 12(6), Art. 5(1)(c); AP guidance on copies of identity documents
//!
//! ## Nederlands
//! Vraag alleen bij twijfel om een afgeschermde kopie van een identiteitsbewijs.
//!
//! ## Example
//! ```toml
//! [rights]
//! identity_check = "masked_id_copy_always"
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! identity_check = "masked_id_copy"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB048",
    name: "id-copy-asked-by-default",
    severity: Severity::Warning,
    article: "GDPR Art. 12(2), Art. 12(6), Art. 5(1)(c); AP guidance on copies of identity documents",
    summary: "A (masked) copy of an identity document is asked with every request.",
    summary_nl: "Bij elk verzoek wordt een (afgeschermde) kopie van een identiteitsbewijs gevraagd.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.rights.identity_check == Some(IdentityCheck::MaskedIdCopyAlways) {
        out.push(
            Finding::new("rights.identity_check", "every request requires a (masked) copy of an identity document")
                .help("check identity by `email_link` or `account` first; ask a masked copy only when in doubt (`masked_id_copy`)"),
        );
    }
}

doc_tests!("WB048");
