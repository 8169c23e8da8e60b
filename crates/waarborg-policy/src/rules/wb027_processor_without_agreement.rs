//! ## What it does
//! Checks that every recipient with `role = "processor"` or `"sub_processor"` has `processor_agreement = true`.
//!
//! ## Why is this bad?
//! Art. 28(3) requires a contract or other binding act with every processor, setting out what it may do with the data. Without it, the processor acts without instructions.
//!
//! ## Article
//! GDPR Art. 28(3)
//!
//! ## Nederlands
//! Sluit met elke verwerker een verwerkersovereenkomst.
//!
//! ## Example
//! ```toml
//! [[recipients]]
//! id = "hosting"
//! name = "Hostingbedrijf"
//! role = "processor"
//! country = "NL"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "hosting"
//! name = "Hostingbedrijf"
//! role = "processor"
//! country = "NL"
//! processor_agreement = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB027",
    name: "processor-without-agreement",
    severity: Severity::Error,
    article: "GDPR Art. 28(3)",
    summary: "A processor has no processor agreement.",
    summary_nl: "Met een verwerker is geen verwerkersovereenkomst gesloten.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.recipients.iter().enumerate() {
        if is_processor(r.role) && r.processor_agreement != Some(true) {
            let state = if r.processor_agreement == Some(false) { "has no" } else { "is not recorded to have a" };
            out.push(
                Finding::new(format!("recipients[{i}]"), format!("processor `{}` {state} processor agreement", r.id))
                    .help("sign a processor agreement (Art. 28(3)) and set `processor_agreement = true`"),
            );
        }
    }
}

doc_tests!("WB027");
