//! ## What it does
//! Checks that every purpose has a retention rule (`[[retention]]` with `purpose = "..."`), or that retention rules cover every data category it uses.
//!
//! ## Why is this bad?
//! Art. 5(1)(e) allows keeping data only as long as needed for the purpose, and Art. 13(2)(a) requires the statement to give the period or the criteria. Without a rule, nobody deletes the data.
//!
//! ## Article
//! GDPR Art. 13(2)(a), Art. 5(1)(e)
//!
//! ## Nederlands
//! Voor elk doel moet vastliggen hoe lang de gegevens bewaard worden, of welke criteria daarvoor gelden.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "email"
//! category = "user.contact.email"
//! label = { nl = "E-mailadres", en = "E-mail address" }
//!
//! [[purposes]]
//! id = "newsletter"
//! name = "Nieuwsbrief"
//! legal_basis = "consent"
//! data = ["email"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "email"
//! category = "user.contact.email"
//! label = { nl = "E-mailadres", en = "E-mail address" }
//!
//! [[purposes]]
//! id = "newsletter"
//! name = "Nieuwsbrief"
//! legal_basis = "consent"
//! data = ["email"]
//!
//! [[retention]]
//! id = "newsletter-end"
//! purpose = "newsletter"
//! period = "P1M"
//! from = "consent_withdrawn"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB010",
    name: "purpose-without-retention",
    severity: Severity::Error,
    article: "GDPR Art. 13(2)(a), Art. 5(1)(e)",
    summary: "A purpose has no retention rule.",
    summary_nl: "Voor een doel is niet vastgelegd hoe lang de gegevens bewaard blijven.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    // Sets built once: a check per purpose, not a scan of every rule per purpose.
    use std::collections::HashSet;
    let purposes: HashSet<&str> = p.retention.iter().filter_map(|r| r.purpose.as_deref()).collect();
    let data: HashSet<&str> = p.retention.iter().flat_map(|r| r.data.iter().map(String::as_str)).collect();
    for (i, pu) in p.purposes.iter().enumerate() {
        let by_purpose = purposes.contains(pu.id.as_str());
        let by_data = !pu.data.is_empty() && pu.data.iter().all(|d| data.contains(d.as_str()));
        if !by_purpose && !by_data {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` has no retention rule", pu.id))
                    .help(format!("add `[[retention]]` with `purpose = \"{}\"`, a `period` such as \"P2Y\" and `from`", pu.id)),
            );
        }
    }
}

doc_tests!("WB010");
