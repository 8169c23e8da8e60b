//! ## What it does
//! For every purpose that uses data with `national_id = true` (or the fideslang key for a national identification number), checks that `legal_basis` is `legal_obligation` or `public_task` and that `legal_ground` names the law.
//!
//! ## Why is this bad?
//! UAVG art. 46 allows a number prescribed by law, such as the BSN, only to carry out that law or for purposes set by law. A private organisation needs a specific statutory provision (e.g. payroll tax).
//!
//! ## Article
//! UAVG art. 46; GDPR Art. 87
//!
//! ## Nederlands
//! Het burgerservicenummer mag alleen gebruikt worden als een wet dat voorschrijft.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "bsn"
//! category = "user.government_id.national_identification_number"
//! label = { nl = "BSN", en = "Citizen service number" }
//! national_id = true
//!
//! [[purposes]]
//! id = "registration"
//! name = "Inschrijving"
//! legal_basis = "contract"
//! data = ["bsn"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "bsn"
//! category = "user.government_id.national_identification_number"
//! label = { nl = "BSN", en = "Citizen service number" }
//! national_id = true
//!
//! [[purposes]]
//! id = "payroll"
//! name = "Salarisadministratie"
//! legal_basis = "legal_obligation"
//! legal_ground = "Wet op de loonbelasting 1964"
//! data = ["bsn"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB020",
    name: "bsn-without-legal-duty",
    severity: Severity::Error,
    article: "UAVG art. 46; GDPR Art. 87",
    summary: "The BSN is used for a purpose that is not a legal duty naming its law.",
    summary_nl: "Het BSN wordt gebruikt zonder wettelijke plicht die dat voorschrijft.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        let uses = purpose_data(p, pu).any(|d| d.national_id || crate::fideslang::implies_national_id(&d.category));
        if !uses {
            continue;
        }
        let duty = matches!(pu.legal_basis, Some(LegalBasis::LegalObligation | LegalBasis::PublicTask));
        let cited = pu.legal_ground.as_deref().is_some_and(|g| !g.trim().is_empty());
        if !duty || !cited {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` uses the BSN without a legal duty that names its law", pu.id))
                    .help("use the BSN only for a legal obligation: set `legal_basis = \"legal_obligation\"` and `legal_ground = \"<the law>\"`, or stop collecting it"),
            );
        }
    }
}

doc_tests!("WB020");
