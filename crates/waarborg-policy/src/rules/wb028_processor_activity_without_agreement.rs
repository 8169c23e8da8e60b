//! ## What it does
//! Checks that every `[[processor_activities]]` item has `agreement = true`.
//!
//! ## Why is this bad?
//! When we process data for a customer (as a SaaS provider does), Art. 28(3) requires a written agreement that binds us to the customer's instructions.
//!
//! ## Article
//! GDPR Art. 28(3), Art. 28(9)
//!
//! ## Nederlands
//! Verwerkt u gegevens voor een klant, leg dat dan vast in een verwerkersovereenkomst.
//!
//! ## Example
//! ```toml
//! [[processor_activities]]
//! id = "customer-staff"
//! controller = "Klanten (werkgevers)"
//! description = "Roosters en uren van medewerkers van klanten"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[processor_activities]]
//! id = "customer-staff"
//! controller = "Klanten (werkgevers)"
//! description = "Roosters en uren van medewerkers van klanten"
//! agreement = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB028",
    name: "processing-for-controller-without-agreement",
    severity: Severity::Error,
    article: "GDPR Art. 28(3), Art. 28(9)",
    summary: "Processing done as a processor has no processor agreement with the controller.",
    summary_nl: "Verwerking als verwerker gebeurt zonder verwerkersovereenkomst met de verantwoordelijke.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, a) in p.processor_activities.iter().enumerate() {
        if !a.agreement {
            out.push(
                Finding::new(format!("processor_activities[{i}]"), format!("processing `{}` for another controller has no processor agreement", a.id))
                    .help("sign a processor agreement with the controller and set `agreement = true`"),
            );
        }
    }
}

doc_tests!("WB028");
