//! ## What it does
//! Checks that the register either describes its automated decisions (`[[automated_decisions]]`) or says in `[statement]` that it takes none (`no_automated_decisions = true`), and that it does not do both.
//!
//! ## Why is this bad?
//! The statement must say whether decisions are taken by computer alone, including profiling (GDPR Art. 13(2)(f), Art. 22). An empty list is silence: rendering it as "we take no automated decisions" would publish a claim nobody made.
//!
//! ## Article
//! GDPR Art. 13(2)(f), Art. 22
//!
//! ## Nederlands
//! Beschrijf de automatische besluiten, of zeg uitdrukkelijk dat er geen zijn (`no_automated_decisions = true`).
//!
//! ## Example
//! ```toml
//! [rights]
//! deadline = "P1M"
//! ```
//!
//! ## Use instead
//! ```toml
//! [statement]
//! no_automated_decisions = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB063",
    name: "silent-on-automated-decisions",
    severity: Severity::Error,
    article: "GDPR Art. 13(2)(f), Art. 22",
    summary: "The register neither describes automated decisions nor says there are none.",
    summary_nl: "Het register beschrijft geen automatische besluiten en zegt ook niet dat er geen zijn.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    match (p.automated_decisions.is_empty(), p.statement.no_automated_decisions) {
        (true, false) => out.push(
            Finding::new("statement", "the register describes no automated decisions and does not say there are none, so the statement cannot say either")
                .help("describe them as `[[automated_decisions]]`, or add `no_automated_decisions = true` to `[statement]`"),
        ),
        (false, true) => out.push(
            Finding::new("statement.no_automated_decisions", format!("`no_automated_decisions = true` contradicts the {} automated decision(s) the register describes", p.automated_decisions.len()))
                .help("remove `no_automated_decisions`"),
        ),
        _ => {}
    }
}

doc_tests!("WB063");
