//! ## What it does
//! Flags `rights.fee.policy = "repeat"` or `"always"`. Allowed: `free`, `excessive_only` (manifestly unfounded or excessive requests) and `extra_copies` (Art. 15(3)).
//!
//! ## Why is this bad?
//! Art. 12(5): information and actions on requests are free. Only for manifestly unfounded or excessive requests may a reasonable, cost-based fee be asked, and the controller must prove that character. A fixed fee for any second request is not allowed.
//!
//! ## Article
//! GDPR Art. 12(5)
//!
//! ## Nederlands
//! Verzoeken zijn gratis. Alleen bij kennelijk ongegronde of buitensporige verzoeken mag een redelijke vergoeding gevraagd worden.
//!
//! ## Example
//! ```toml
//! [rights]
//! fee = { policy = "repeat", amount_cents = 7800, within = "P6M" }
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! fee = { policy = "excessive_only" }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB032",
    name: "request-fee",
    severity: Severity::Error,
    article: "GDPR Art. 12(5)",
    summary: "A fee is asked for requests that must be free.",
    summary_nl: "Er wordt een vergoeding gevraagd voor verzoeken die gratis moeten zijn.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let f = &p.rights.fee;
    let what = match f.policy {
        FeePolicy::Repeat => "for repeated requests",
        FeePolicy::Always => "for every request",
        _ => return,
    };
    let amount = f
        .amount_cents
        .map(|c| format!(" of €{}.{:02}", c / 100, c % 100))
        .unwrap_or_default();
    out.push(
        Finding::new("rights.fee", format!("a fee{amount} is asked {what}; requests must be free"))
            .help("set `fee = { policy = \"free\" }` or `\"excessive_only\"` (only manifestly unfounded or excessive requests)"),
    );
}

doc_tests!("WB032");
