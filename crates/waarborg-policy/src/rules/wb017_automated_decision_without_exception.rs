//! ## What it does
//! For automated decisions with `significant_effect = true`, checks for an `exception` (contract, law, explicit_consent) and `human_review = true`.
//!
//! ## Why is this bad?
//! Art. 22(1) gives people the right not to be subject to such decisions. They are allowed only under an Art. 22(2) exception, and then Art. 22(3) requires at least the right to human intervention and to contest the decision.
//!
//! ## Article
//! GDPR Art. 22(2)–(3)
//!
//! ## Nederlands
//! Een besluit met grote gevolgen mag alleen volledig automatisch als de wet dat toelaat, en mensen moeten dan om een menselijke beoordeling kunnen vragen.
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
//! description = "Automatische afwijzing van achteraf betalen."
//! significant_effect = true
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
//! description = "Automatische afwijzing van achteraf betalen."
//! significant_effect = true
//! exception = "contract"
//! human_review = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB017",
    name: "automated-decision-without-safeguards",
    severity: Severity::Error,
    article: "GDPR Art. 22(2)–(3)",
    summary: "A solely automated decision with significant effects has no Art. 22(2) exception or no human review.",
    summary_nl: "Een geautomatiseerd besluit met grote gevolgen heeft geen wettelijke uitzondering of geen menselijke blik.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, a) in p.automated_decisions.iter().enumerate() {
        if a.significant_effect && (a.exception.is_none() || !a.human_review) {
            out.push(
                Finding::new(format!("automated_decisions[{i}]"), format!("automated decision `{}` has significant effects but no Art. 22(2) exception or no human review", a.id))
                    .help("set `exception = \"contract\" | \"law\" | \"explicit_consent\"` and `human_review = true`"),
            );
        }
    }
}

doc_tests!("WB017");
