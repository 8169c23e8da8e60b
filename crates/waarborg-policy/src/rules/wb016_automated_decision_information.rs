//! ## What it does
//! Checks that every `[[automated_decisions]]` item has `logic` and `consequences`.
//!
//! ## Why is this bad?
//! Art. 13(2)(f) requires meaningful information about the logic involved and the significance and expected consequences of automated decision-making, including profiling.
//!
//! ## Article
//! GDPR Art. 13(2)(f), Art. 22
//!
//! ## Nederlands
//! Leg bij geautomatiseerde besluiten uit hoe ze werken en wat de gevolgen zijn.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "credit"
//! name = "Kredietcontrole"
//! legal_basis = "contract"
//!
//! [[automated_decisions]]
//! id = "credit-check"
//! purpose = "credit"
//! description = "Achteraf betalen wordt automatisch goedgekeurd of afgewezen."
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "credit"
//! name = "Kredietcontrole"
//! legal_basis = "contract"
//!
//! [[automated_decisions]]
//! id = "credit-check"
//! purpose = "credit"
//! description = "Achteraf betalen wordt automatisch goedgekeurd of afgewezen."
//! logic = "We kijken naar openstaande betalingen en het bestelbedrag."
//! consequences = "Bij afwijzing kunt u vooraf betalen."
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB016",
    name: "automated-decision-not-explained",
    severity: Severity::Error,
    article: "GDPR Art. 13(2)(f), Art. 22",
    summary: "An automated decision lacks meaningful information on its logic or consequences.",
    summary_nl: "Bij een geautomatiseerd besluit ontbreekt uitleg over de logica of de gevolgen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, a) in p.automated_decisions.iter().enumerate() {
        let mut missing = Vec::new();
        if a.logic.as_ref().is_none_or(Text::is_empty) {
            missing.push("logic");
        }
        if a.consequences.as_ref().is_none_or(Text::is_empty) {
            missing.push("consequences");
        }
        if !missing.is_empty() {
            out.push(
                Finding::new(format!("automated_decisions[{i}]"), format!("automated decision `{}` does not explain its {}", a.id, missing.join(" and ")))
                    .help(format!("add {}", missing.iter().map(|m| format!("`{m} = {{ nl = \"...\", en = \"...\" }}`")).collect::<Vec<_>>().join(" and "))),
            );
        }
    }
}

doc_tests!("WB016");
