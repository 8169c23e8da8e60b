//! ## What it does
//! Flags `statement.effective_date` before 2018-05-25.
//!
//! ## Why is this bad?
//! The GDPR applies since 25 May 2018 and replaced the Dutch Wbp. A statement from before that date was written for the old law and misses the Art. 13 items.
//!
//! ## Article
//! GDPR Art. 99(2); Wbp repealed 25 May 2018
//!
//! ## Nederlands
//! Een privacyverklaring van voor 25 mei 2018 is geschreven voor de oude wet (Wbp).
//!
//! ## Example
//! ```toml
//! [statement]
//! effective_date = 2017-01-01
//! ```
//!
//! ## Use instead
//! ```toml
//! [statement]
//! effective_date = 2026-01-01
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB045",
    name: "statement-predates-gdpr",
    severity: Severity::Warning,
    article: "GDPR Art. 99(2); Wbp repealed 25 May 2018",
    summary: "The statement's effective date is before the GDPR applied.",
    summary_nl: "De verklaring is van voor de AVG.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let gdpr = jiff::civil::date(2018, 5, 25);
    if p.statement.effective_date.0 < gdpr {
        out.push(
            Finding::new("statement.effective_date", format!("the statement dates from {}, before the GDPR applied (25 May 2018)", p.statement.effective_date))
                .help("review the statement against the GDPR and set a new `version` and `effective_date`"),
        );
    }
}

doc_tests!("WB045");
