//! ## What it does
//! Checks that every recipient is named by a purpose (`recipients`), a consent, a cookie (`recipient`) or a processing activity (`sub_processors`).
//!
//! ## Why is this bad?
//! Art. 13(1)(e) and Art. 30(1)(d) tie recipients to the processing: people must know which data go where, and why. An unlinked recipient usually means a purpose is missing from the register.
//!
//! ## Article
//! GDPR Art. 13(1)(e), Art. 30(1)(d)
//!
//! ## Nederlands
//! Bij elke ontvanger moet duidelijk zijn voor welk doel die gegevens krijgt.
//!
//! ## Example
//! ```toml
//! [[recipients]]
//! id = "crm"
//! name = "CRM-leverancier"
//! role = "processor"
//! country = "NL"
//! processor_agreement = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "crm"
//! name = "CRM-leverancier"
//! role = "processor"
//! country = "NL"
//! processor_agreement = true
//!
//! [[purposes]]
//! id = "sales"
//! name = "Verkoop"
//! legal_basis = "contract"
//! recipients = ["crm"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB005",
    name: "recipient-not-linked",
    severity: Severity::Warning,
    article: "GDPR Art. 13(1)(e), Art. 30(1)(d)",
    summary: "A recipient is not linked to any purpose, cookie or processing activity.",
    summary_nl: "Een ontvanger hoort bij geen enkel doel, cookie of verwerking.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.recipients.iter().enumerate() {
        let id = r.id.as_str();
        let used = p.purposes.iter().any(|pu| {
            pu.recipients.iter().any(|x| x == id)
                || pu.consent.as_ref().and_then(|c| c.recipient.as_deref()) == Some(id)
        }) || p.cookies.iter().any(|c| c.recipient.as_deref() == Some(id))
            || p.processor_activities.iter().any(|a| a.sub_processors.iter().any(|x| x == id));
        if !used {
            out.push(
                Finding::new(format!("recipients[{i}]"), format!("recipient `{id}` is not linked to any purpose, cookie or processing activity"))
                    .help(format!("add `\"{id}\"` to the `recipients` of the purpose it serves")),
            );
        }
    }
}

doc_tests!("WB005");
