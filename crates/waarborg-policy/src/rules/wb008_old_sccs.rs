//! ## What it does
//! Flags recipients with `transfer_mechanism = "old_standard_contractual_clauses"` (decisions 2001/497, 2004/915, 2010/87).
//!
//! ## Why is this bad?
//! The old clauses were repealed by Decision (EU) 2021/914; contracts had to move to the new clauses by 27 December 2022.
//!
//! ## Article
//! GDPR Art. 46(2)(c); Commission Implementing Decision (EU) 2021/914
//!
//! ## Nederlands
//! De oude standaardcontractbepalingen zijn vervangen; gebruik de bepalingen uit 2021.
//!
//! ## Example
//! ```toml
//! [[recipients]]
//! id = "support"
//! name = "Supportdienst"
//! role = "processor"
//! country = "IN"
//! transfer_mechanism = "old_standard_contractual_clauses"
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
    code: "WB008",
    name: "outdated-standard-clauses",
    severity: Severity::Warning,
    article: "GDPR Art. 46(2)(c); Commission Implementing Decision (EU) 2021/914",
    summary: "A transfer relies on the old standard contractual clauses.",
    summary_nl: "Een doorgifte steunt op de oude standaardcontractbepalingen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.recipients.iter().enumerate() {
        if r.transfer_mechanism == Some(TransferMechanism::OldStandardContractualClauses) {
            out.push(
                Finding::new(format!("recipients[{i}].transfer_mechanism"), format!("recipient `{}` relies on standard contractual clauses that were replaced by Decision 2021/914", r.id))
                    .help("sign the 2021 clauses and set `transfer_mechanism = \"standard_contractual_clauses\"`"),
            );
        }
    }
}

doc_tests!("WB008");
