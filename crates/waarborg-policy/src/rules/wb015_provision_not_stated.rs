//! ## What it does
//! Checks that every purpose has `provision` (statutory, contractual, prerequisite_for_contract or voluntary) and, unless voluntary, `consequence_if_not_provided`.
//!
//! ## Why is this bad?
//! Art. 13(2)(e) requires the statement to say whether providing the data is a legal or contractual requirement, whether people must provide it, and the consequences of not doing so.
//!
//! ## Article
//! GDPR Art. 13(2)(e)
//!
//! ## Nederlands
//! Vermeld of het geven van de gegevens verplicht is en wat de gevolgen zijn als iemand dat niet doet.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! provision = "prerequisite_for_contract"
//! consequence_if_not_provided = "Zonder deze gegevens kunnen we niet leveren."
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB015",
    name: "provision-requirement-not-stated",
    severity: Severity::Warning,
    article: "GDPR Art. 13(2)(e)",
    summary: "A purpose does not say whether people must provide the data and what happens if they do not.",
    summary_nl: "Bij een doel staat niet of mensen de gegevens moeten geven en wat er gebeurt als ze dat niet doen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        match pu.provision {
            None => out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` does not say whether people must provide the data", pu.id))
                    .help("add `provision = \"...\"`: statutory, contractual, prerequisite_for_contract or voluntary"),
            ),
            Some(Provision::Voluntary) => {}
            Some(_) if pu.consequence_if_not_provided.as_ref().is_none_or(Text::is_empty) => out.push(
                Finding::new(format!("purposes[{i}].provision"), format!("purpose `{}` requires the data but does not say what happens without them", pu.id))
                    .help("add `consequence_if_not_provided = { nl = \"...\", en = \"...\" }`"),
            ),
            Some(_) => {}
        }
    }
}

doc_tests!("WB015");
