//! ## What it does
//! Checks that recipients outside the EEA using `standard_contractual_clauses` or `binding_corporate_rules` have a `safeguards_url`.
//!
//! ## Why is this bad?
//! For transfers under Art. 46 or 47, Art. 13(1)(f) requires the statement to say how people can get a copy of the safeguards or where they are available.
//!
//! ## Article
//! GDPR Art. 13(1)(f)
//!
//! ## Nederlands
//! Vermeld waar mensen een kopie van de waarborgen voor doorgifte kunnen krijgen.
//!
//! ## Example
//! ```toml
//! [[recipients]]
//! id = "support"
//! name = "Supportdienst"
//! role = "processor"
//! country = "IN"
//! transfer_mechanism = "standard_contractual_clauses"
//! processor_agreement = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "support"
//! name = "Supportdienst"
//! role = "processor"
//! country = "IN"
//! transfer_mechanism = "standard_contractual_clauses"
//! safeguards_url = "https://voorbeeld.example/scc"
//! processor_agreement = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB009",
    name: "transfer-safeguards-not-available",
    severity: Severity::Warning,
    article: "GDPR Art. 13(1)(f)",
    summary: "A transfer under contractual clauses or binding corporate rules does not say where to get a copy.",
    summary_nl: "Bij doorgifte met contractbepalingen of BCR staat niet waar u een kopie krijgt.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.recipients.iter().enumerate() {
        let needs = matches!(
            r.transfer_mechanism,
            Some(TransferMechanism::StandardContractualClauses | TransferMechanism::BindingCorporateRules)
        );
        if needs && !in_eea(&r.country) && r.safeguards_url.is_none() {
            out.push(
                Finding::new(format!("recipients[{i}]"), format!("recipient `{}`: the statement must say where to get a copy of the safeguards", r.id))
                    .help("add `safeguards_url = \"...\"` (a page or an address to ask for a copy)"),
            );
        }
    }
}

doc_tests!("WB009");
