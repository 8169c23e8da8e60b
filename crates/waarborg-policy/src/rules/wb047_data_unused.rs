//! ## What it does
//! Checks that every data category is named by a purpose or a processing activity.
//!
//! ## Why is this bad?
//! Data may only be collected for specified purposes (Art. 5(1)(b)) and must be limited to what they need (Art. 5(1)(c)). A category without a purpose should not be collected, or a purpose is missing from the register.
//!
//! ## Article
//! GDPR Art. 5(1)(b)–(c)
//!
//! ## Nederlands
//! Verzamel geen gegevens zonder doel.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "birthdate"
//! category = "user.demographic.date_of_birth"
//! label = "Geboortedatum"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "birthdate"
//! category = "user.demographic.date_of_birth"
//! label = "Geboortedatum"
//!
//! [[purposes]]
//! id = "age-check"
//! name = "Leeftijdscontrole"
//! legal_basis = "legal_obligation"
//! legal_ground = "Alcoholwet art. 20"
//! data = ["birthdate"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB047",
    name: "data-not-used",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(b)–(c)",
    summary: "A data category is used by no purpose.",
    summary_nl: "Een soort gegevens wordt voor geen enkel doel gebruikt.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    // One set of the data in use, not a scan of every purpose per data category.
    let in_use: std::collections::HashSet<&str> = p
        .purposes
        .iter()
        .flat_map(|pu| pu.data.iter())
        .chain(p.processor_activities.iter().flat_map(|a| a.data.iter()))
        .map(String::as_str)
        .collect();
    for (i, d) in p.data.iter().enumerate() {
        let used = in_use.contains(d.id.as_str());
        if !used {
            out.push(
                Finding::new(format!("data[{i}]"), format!("data category `{}` is used by no purpose", d.id))
                    .help(format!("add `\"{}\"` to the `data` of the purpose that needs it, or remove it", d.id)),
            );
        }
    }
}

doc_tests!("WB047");
