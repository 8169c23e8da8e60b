//! ## What it does
//! Checks every recipient outside the EEA (and not in a country with an EU adequacy decision) for a `transfer_mechanism`: `data_privacy_framework` (US, certified recipients only), `standard_contractual_clauses`, `binding_corporate_rules`, `adequacy` or `derogation`. `adequacy` is only accepted for a country that has a country-wide adequacy decision (not the US: there only DPF-certified organisations are covered).
//!
//! ## Why is this bad?
//! Chapter V forbids transfers outside the EEA unless the country is adequate or appropriate safeguards apply, and Art. 13(1)(f) requires the statement to say which. The EU-US Data Privacy Framework (since 10 July 2023) only covers US organisations that are certified.
//!
//! ## Article
//! GDPR Art. 44–46, Art. 13(1)(f)
//!
//! ## Nederlands
//! Gaan gegevens naar een land buiten de EER, dan moet er een geldige grondslag voor die doorgifte zijn en moet de verklaring die noemen.
//!
//! ## Example
//! ```toml
//! [[recipients]]
//! id = "mailer"
//! name = "Mailchimp"
//! role = "processor"
//! country = "US"
//! processor_agreement = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "mailer"
//! name = "Mailchimp"
//! role = "processor"
//! country = "US"
//! transfer_mechanism = "data_privacy_framework"
//! processor_agreement = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB006",
    name: "transfer-without-mechanism",
    severity: Severity::Error,
    article: "GDPR Art. 44–46, Art. 13(1)(f)",
    summary: "Data go to a country outside the EEA without a valid transfer mechanism.",
    summary_nl: "Gegevens gaan naar een land buiten de EER zonder geldige doorgifteregeling.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.recipients.iter().enumerate() {
        if in_eea(&r.country) {
            continue;
        }
        let path = format!("recipients[{i}]");
        match r.transfer_mechanism {
            None | Some(TransferMechanism::None) | Some(TransferMechanism::Unknown) if !adequate(&r.country) => {
                out.push(
                    Finding::new(path, format!("recipient `{}` in {} (outside the EEA) has no transfer mechanism", r.id, r.country))
                        .help("add `transfer_mechanism = \"...\"`: data_privacy_framework (certified US recipients), standard_contractual_clauses, binding_corporate_rules or derogation"),
                );
            }
            Some(TransferMechanism::Adequacy) if !adequate(&r.country) => {
                out.push(
                    Finding::new(format!("{path}.transfer_mechanism"), format!("recipient `{}` relies on an adequacy decision, but {} has no country-wide adequacy decision", r.id, r.country))
                        .help("for a certified US organisation use `data_privacy_framework`; otherwise `standard_contractual_clauses`, `binding_corporate_rules` or `derogation`"),
                );
            }
            Some(TransferMechanism::DataPrivacyFramework) if !r.country.eq_ignore_ascii_case("US") => {
                out.push(
                    Finding::new(format!("{path}.transfer_mechanism"), format!("recipient `{}` is in {}, but the Data Privacy Framework only covers certified US organisations", r.id, r.country))
                        .help("use standard_contractual_clauses or another mechanism for this country"),
                );
            }
            _ => {}
        }
    }
}

doc_tests!("WB006");
