//! ## What it does
//! Checks `rights.deadline <= P1M` and `rights.extension <= P2M` for every date of receipt: a deadline in days (`P30D`, `P31D`) is longer than one month for a request received in February, so only up to `P28D` (or `P4W`) is safe.
//!
//! ## Why is this bad?
//! Art. 12(3): requests must be answered without undue delay and at the latest within one month, which can be extended by two further months for complex or many requests.
//!
//! ## Article
//! GDPR Art. 12(3)
//!
//! ## Nederlands
//! Beantwoord verzoeken binnen een maand; verlengen kan met hooguit twee maanden.
//!
//! ## Example
//! ```toml
//! [rights]
//! deadline = "P30D"
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! deadline = "P4W"
//! extension = "P2M"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB030",
    name: "request-deadline-too-long",
    severity: Severity::Error,
    article: "GDPR Art. 12(3)",
    summary: "The deadline for answering requests is longer than one month, or the extension longer than two months.",
    summary_nl: "De termijn om verzoeken te beantwoorden is langer dan een maand, of de verlenging langer dan twee maanden.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let month = IsoDuration::parse("P1M");
    let two = IsoDuration::parse("P2M");
    if let (Some(d), Ok(m)) = (&p.rights.deadline, &month)
        && d.may_exceed(m)
    {
        out.push(
            Finding::new("rights.deadline", format!("the request deadline {d} is longer than one month (at least for requests received in some months, such as February)"))
                .help("set `deadline = \"P1M\"`, or a shorter period such as \"P4W\""),
        );
    }
    if let (Some(e), Ok(t)) = (&p.rights.extension, &two)
        && e.may_exceed(t)
    {
        out.push(
            Finding::new("rights.extension", format!("the extension {e} is longer than two months"))
                .help("set `extension = \"P2M\"` or shorter"),
        );
    }
}

doc_tests!("WB030");
