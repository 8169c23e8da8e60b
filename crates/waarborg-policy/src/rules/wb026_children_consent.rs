//! ## What it does
//! For consent-based purposes (Art. 6(1)(a), or explicit consent under Art. 9(2)(a)): flags `minimum_age` below 16, and, when a subject category has `may_include_children = true`, requires `minimum_age >= 16` or `parental_consent = true`.
//!
//! ## Why is this bad?
//! In the Netherlands a child under 16 cannot consent alone; the parent or guardian (wettelijk vertegenwoordiger) must give or authorise consent (UAVG art. 5, GDPR Art. 8).
//!
//! ## Article
//! UAVG art. 5; GDPR Art. 8(1)
//!
//! ## Nederlands
//! Onder de 16 jaar moet een ouder of voogd toestemming geven.
//!
//! ## Example
//! ```toml
//! [[subjects]]
//! id = "pupils"
//! label = "Leerlingen"
//! may_include_children = true
//!
//! [[purposes]]
//! id = "app"
//! name = "Oefenapp"
//! legal_basis = "consent"
//! subjects = ["pupils"]
//! consent = { withdrawal = [{ kind = "portal" }] }
//! ```
//!
//! ## Use instead
//! ```toml
//! [[subjects]]
//! id = "pupils"
//! label = "Leerlingen"
//! may_include_children = true
//!
//! [[purposes]]
//! id = "app"
//! name = "Oefenapp"
//! legal_basis = "consent"
//! subjects = ["pupils"]
//! consent = { minimum_age = 16, parental_consent = true, withdrawal = [{ kind = "portal" }] }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB026",
    name: "children-consent-under-16",
    severity: Severity::Error,
    article: "UAVG art. 5; GDPR Art. 8(1)",
    summary: "Consent may come from children under 16 without parental consent.",
    summary_nl: "Kinderen onder de 16 kunnen toestemming geven zonder toestemming van een ouder.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if !relies_on_consent(pu) {
            continue;
        }
        let consent = pu.consent.clone().unwrap_or_default();
        if let Some(age) = consent.minimum_age
            && age < 16
            && !consent.parental_consent
        {
            out.push(
                Finding::new(format!("purposes[{i}].consent"), format!("purpose `{}` accepts consent from age {age}; in the Netherlands that is 16", pu.id))
                    .help("set `minimum_age = 16`, or get parental consent (`parental_consent = true`)"),
            );
            continue;
        }
        let children = pu.subjects.iter().filter_map(|s| p.subject(s)).any(|s| s.may_include_children);
        let adults_only = consent.minimum_age.is_some_and(|a| a >= 16);
        if children && !consent.parental_consent && !adults_only {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` asks consent from a group that can include children under 16, without parental consent", pu.id))
                    .help("check the age and get consent from a parent or guardian below 16: `parental_consent = true`, `minimum_age = 16`"),
            );
        }
    }
}

doc_tests!("WB026");
