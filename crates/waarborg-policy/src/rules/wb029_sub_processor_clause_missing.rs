//! ## What it does
//! For `[[processor_activities]]`, checks `sub_processor_clause = true`; when sub-processors are listed, that is required.
//!
//! ## Why is this bad?
//! Art. 28(2) forbids engaging another processor without the controller's prior written authorisation, and Art. 28(4) requires passing on the same obligations. A processor agreement without such a clause leaves the controller blind to who handles its data.
//!
//! ## Article
//! GDPR Art. 28(2), Art. 28(4)
//!
//! ## Nederlands
//! Regel in de verwerkersovereenkomst of en hoe subverwerkers ingeschakeld mogen worden.
//!
//! ## Example
//! ```toml
//! [[processor_activities]]
//! id = "customer-staff"
//! controller = "Klanten"
//! description = "Roosters"
//! agreement = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [[processor_activities]]
//! id = "customer-staff"
//! controller = "Klanten"
//! description = "Roosters"
//! agreement = true
//! sub_processor_clause = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB029",
    name: "sub-processor-clause-missing",
    severity: Severity::Warning,
    article: "GDPR Art. 28(2), Art. 28(4)",
    summary: "A processor agreement does not regulate sub-processors.",
    summary_nl: "Een verwerkersovereenkomst regelt niets over subverwerkers.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, a) in p.processor_activities.iter().enumerate() {
        if !a.sub_processor_clause {
            out.push(
                Finding::new(format!("processor_activities[{i}]"), format!("the processor agreement for `{}` does not regulate sub-processors", a.id))
                    .help("add a clause on prior written authorisation of sub-processors and set `sub_processor_clause = true`"),
            );
        }
    }
}

doc_tests!("WB029");
