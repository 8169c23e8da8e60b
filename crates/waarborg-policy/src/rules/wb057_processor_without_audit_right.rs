//! ## What it does
//! For processing done as a processor under an agreement (`[[processor_activities]]` with `agreement = true`), checks that the agreement gives the controller the right to audit (`audits = true`).
//!
//! ## Why is this bad?
//! Art. 28(3)(h) requires every processor agreement to oblige the processor to make available all information needed to show compliance and to allow for and contribute to audits, including inspections, by the controller or an auditor it mandates. An agreement without it lacks a mandatory term, and the controller cannot check the processor as Art. 28(1) requires.
//!
//! ## Article
//! GDPR Art. 28(3)(h)
//!
//! ## Nederlands
//! Een verwerkersovereenkomst moet de verwerkingsverantwoordelijke het recht op audits en inspecties geven.
//!
//! ## Example
//! ```toml
//! [[processor_activities]]
//! id = "payroll-saas"
//! controller = "Klanten (werkgevers)"
//! description = "Salarisverwerking voor klanten"
//! agreement = true
//! audits = false
//! ```
//!
//! ## Use instead
//! ```toml
//! [[processor_activities]]
//! id = "payroll-saas"
//! controller = "Klanten (werkgevers)"
//! description = "Salarisverwerking voor klanten"
//! agreement = true
//! audits = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB057",
    name: "processor-without-audit-right",
    severity: Severity::Error,
    article: "GDPR Art. 28(3)(h)",
    summary: "A processor agreement does not allow the controller to audit.",
    summary_nl: "De verwerkersovereenkomst geeft de verwerkingsverantwoordelijke geen recht op audits.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, a) in p.processor_activities.iter().enumerate() {
        // Without an agreement at all, WB028 already reports it.
        if a.agreement && !a.audits {
            out.push(
                Finding::new(
                    format!("processor_activities[{i}]"),
                    format!("the processor agreement of `{}` gives the controller no right to audit", a.id),
                )
                .help("add an audit clause (information to show compliance, audits and inspections by the controller or its auditor) and set `audits = true`"),
            );
        }
    }
}

doc_tests!("WB057");
