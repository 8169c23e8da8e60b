//! ## What it does
//! For retention rules with `extendable = true`, checks for `extension`.
//!
//! ## Why is this bad?
//! Storage limitation (Art. 5(1)(e)) also applies to data kept longer with the person's consent: the register should say for how long, so that the extended data are still swept.
//!
//! ## Article
//! GDPR Art. 5(1)(e)
//!
//! ## Nederlands
//! Leg vast hoe lang een verlengde bewaartermijn maximaal duurt.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "cv"
//! category = "user.content.private"
//! label = "Cv"
//!
//! [[retention]]
//! id = "cv-4w"
//! data = ["cv"]
//! period = "P4W"
//! from = "end_of_application"
//! extendable = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "cv"
//! category = "user.content.private"
//! label = "Cv"
//!
//! [[retention]]
//! id = "cv-4w"
//! data = ["cv"]
//! period = "P4W"
//! from = "end_of_application"
//! extendable = true
//! extension = "P1Y"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB039",
    name: "unbounded-retention-extension",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(e)",
    summary: "A retention rule can be extended on request without a limit.",
    summary_nl: "Een bewaartermijn kan op verzoek verlengd worden zonder maximum.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.retention.iter().enumerate() {
        if r.extendable && r.extension.is_none() {
            out.push(
                Finding::new(format!("retention[{i}]"), format!("retention rule `{}` can be extended without a limit", r.id))
                    .help("add `extension = \"P1Y\"` (the longest extension people can agree to)"),
            );
        }
    }
}

doc_tests!("WB039");
