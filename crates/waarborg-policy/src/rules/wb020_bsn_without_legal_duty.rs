//! ## What it does
//! For every purpose that uses data with `national_id = true` (or the fideslang key for a national identification number), checks that `legal_ground` names the law that prescribes the number, and that the purpose does not rest on consent or legitimate interests. A contract purpose may use the BSN where a law prescribes it for that contract (a hospital under the WGBO and the Wabvpz, a payroll administration).
//!
//! ## Why is this bad?
//! UAVG art. 46 allows a number prescribed by law, such as the BSN, only to carry out that law or for purposes set by law. A private organisation needs a specific statutory provision (e.g. payroll tax, the Wabvpz in health care); consent or an interest of its own is not enough.
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
    summary: "The BSN is used without naming the law that prescribes it, or on consent or legitimate interests.",
    summary_nl: "Het BSN wordt gebruikt zonder wettelijke plicht die dat voorschrijft.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        let uses = purpose_data(p, pu).any(|d| d.national_id || crate::fideslang::implies_national_id(&d.category));
        if !uses {
            continue;
        }
        let own_choice = matches!(pu.legal_basis, None | Some(LegalBasis::Consent | LegalBasis::LegitimateInterests));
        let cited = pu.legal_ground.as_deref().is_some_and(|g| !g.trim().is_empty());
        if own_choice || !cited {
            let why = if cited { "rests on consent, legitimate interests or no legal basis" } else { "does not name the law that prescribes it" };
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` uses the BSN but {why}", pu.id))
                    .help("use the BSN only where a law prescribes it: name that law in `legal_ground` (with `legal_basis` legal_obligation, public_task or a contract the law governs), or stop collecting it"),
            );
        }
    }
}

doc_tests!("WB020");
