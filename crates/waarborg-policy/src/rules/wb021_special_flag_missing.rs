//! ## What it does
//! Compares each data category's `category` key with its flags: `user.health_and_medical...` needs `special = "health"`, `user.criminal_history` needs `criminal = true`, the national identification number needs `national_id = true`, and so on.
//!
//! ## Why is this bad?
//! The flags drive the stricter rules (WB018–WB020) and the statement's special-data section; an unflagged category silently escapes them.
//!
//! ## Article
//! GDPR Art. 9(1), Art. 10; UAVG art. 46
//!
//! ## Nederlands
//! Geef bijzondere gegevens, strafrechtelijke gegevens en het BSN altijd als zodanig aan.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "health"
//! category = "user.health_and_medical"
//! label = "Gezondheid"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "health"
//! category = "user.health_and_medical"
//! label = { nl = "Gezondheidsgegevens", en = "Health data" }
//! special = "health"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB021",
    name: "special-flag-missing",
    severity: Severity::Warning,
    article: "GDPR Art. 9(1), Art. 10; UAVG art. 46",
    summary: "A data category's fideslang key implies special, criminal or BSN data, but its flag is not set.",
    summary_nl: "Het soort gegevens is bijzonder, strafrechtelijk of een BSN, maar dat is niet aangegeven.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, d) in p.data.iter().enumerate() {
        let mut missing = Vec::new();
        if d.special.is_none() && let Some(k) = crate::fideslang::implied_special(&d.category) {
            missing.push(format!("special = \"{}\"", serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()));
        }
        if !d.criminal && crate::fideslang::implies_criminal(&d.category) {
            missing.push("criminal = true".to_owned());
        }
        if !d.national_id && crate::fideslang::implies_national_id(&d.category) {
            missing.push("national_id = true".to_owned());
        }
        if !missing.is_empty() {
            out.push(
                Finding::new(format!("data[{i}].category"), format!("data category `{}` (`{}`) is not flagged as such", d.id, d.category))
                    .help(format!("add `{}`", missing.join("` and `"))),
            );
        }
    }
}

doc_tests!("WB021");
