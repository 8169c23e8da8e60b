//! ## What it does
//! Flags recipients with `transfer_mechanism = "privacy_shield"` or `"safe_harbor"`.
//!
//! ## Why is this bad?
//! The Court of Justice invalidated the EU-US Privacy Shield on 16 July 2020 (Schrems II) and Safe Harbor on 6 October 2015 (Schrems I). Transfers that still rely on them have no legal ground. Since 10 July 2023, certified US organisations can be reached under the Data Privacy Framework; others need standard contractual clauses.
//!
//! ## Article
//! GDPR Art. 45; CJEU C-311/18 (Schrems II) and C-362/14 (Schrems I)
//!
//! ## Nederlands
//! Het Privacy Shield geldt sinds 16 juli 2020 niet meer. Gebruik het Data Privacy Framework (alleen voor gecertificeerde Amerikaanse bedrijven) of standaardcontractbepalingen.
//!
//! ## Example
//! ```toml
//! [[recipients]]
//! id = "mailer"
//! name = "Mailchimp"
//! role = "processor"
//! country = "US"
//! transfer_mechanism = "privacy_shield"
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
    code: "WB007",
    name: "invalid-transfer-mechanism",
    severity: Severity::Error,
    article: "GDPR Art. 45; CJEU C-311/18 (Schrems II) and C-362/14 (Schrems I)",
    summary: "A transfer relies on the EU-US Privacy Shield or Safe Harbor, both invalidated.",
    summary_nl: "Een doorgifte steunt op het EU-VS Privacy Shield of Safe Harbor; beide zijn ongeldig verklaard.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.recipients.iter().enumerate() {
        let which = match r.transfer_mechanism {
            Some(TransferMechanism::PrivacyShield) => "the EU-US Privacy Shield, invalid since 16 July 2020",
            Some(TransferMechanism::SafeHarbor) => "Safe Harbor, invalid since 6 October 2015",
            _ => continue,
        };
        out.push(
            Finding::new(format!("recipients[{i}].transfer_mechanism"), format!("recipient `{}` relies on {which}", r.id))
                .help("use `data_privacy_framework` if the recipient is certified, otherwise `standard_contractual_clauses`"),
        );
    }
}

doc_tests!("WB007");
