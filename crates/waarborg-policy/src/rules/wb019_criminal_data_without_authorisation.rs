//! ## What it does
//! For every purpose that uses data with `criminal = true` (or the key `user.criminal_history`), checks for `legal_ground`.
//!
//! ## Why is this bad?
//! Art. 10 allows data on criminal convictions and offences only under official authority or when Union or Member State law authorises it with safeguards. The register must name that law.
//!
//! ## Article
//! GDPR Art. 10; UAVG chapter 3
//!
//! ## Nederlands
//! Strafrechtelijke gegevens (zoals een VOG) mogen alleen verwerkt worden als een wet dat toestaat; noem die wet.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "vog"
//! category = "user.criminal_history"
//! label = { nl = "Verklaring omtrent het gedrag", en = "Certificate of conduct" }
//! criminal = true
//!
//! [[purposes]]
//! id = "screening"
//! name = "Screening"
//! legal_basis = "legitimate_interests"
//! legitimate_interest = "Veilige plaatsing"
//! data = ["vog"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "vog"
//! category = "user.criminal_history"
//! label = { nl = "Verklaring omtrent het gedrag", en = "Certificate of conduct" }
//! criminal = true
//!
//! [[purposes]]
//! id = "screening"
//! name = "Screening"
//! legal_basis = "legitimate_interests"
//! legitimate_interest = "Veilige plaatsing"
//! legal_ground = "UAVG art. 33 lid 5 (VOG bij een sollicitatie)"
//! data = ["vog"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB019",
    name: "criminal-data-without-authorisation",
    severity: Severity::Error,
    article: "GDPR Art. 10; UAVG chapter 3",
    summary: "Criminal-offence data are used without citing the law that allows it.",
    summary_nl: "Strafrechtelijke gegevens worden gebruikt zonder de wet te noemen die dat toestaat.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.legal_ground.as_deref().is_some_and(|g| !g.trim().is_empty()) {
            continue;
        }
        let crim: Vec<&str> = purpose_data(p, pu)
            .filter(|d| d.criminal || crate::fideslang::implies_criminal(&d.category))
            .map(|d| d.id.as_str())
            .collect();
        if !crim.is_empty() {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` uses criminal-offence data ({}) without naming the law that allows it", pu.id, crim.join(", ")))
                    .help("add `legal_ground = \"...\"` naming the statutory authorisation"),
            );
        }
    }
}

doc_tests!("WB019");
