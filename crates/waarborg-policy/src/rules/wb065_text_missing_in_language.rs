//! ## What it does
//! For every language the statement is published in (`statement.languages`), checks that the register's texts people read (purpose names and descriptions, data and group labels, recipient names, legitimate interests) exist in that language.
//!
//! ## Why is this bad?
//! Information must be given in clear and plain language (GDPR Art. 12(1)): a Dutch statement with English purpose names, or an English one with Dutch labels, is not. Waarborg marks such a text ("(in Dutch only)") rather than mixing it in unannounced; this rule says where to add the translation.
//!
//! ## Article
//! GDPR Art. 12(1)
//!
//! ## Nederlands
//! Geef elke tekst in elke taal waarin de verklaring verschijnt, of publiceer de verklaring alleen in de talen die er zijn.
//!
//! ## Example
//! ```toml
//! [statement]
//! languages = ["nl", "en"]
//!
//! [[purposes]]
//! id = "orders"
//! name = { nl = "Bestellingen" }
//! ```
//!
//! ## Use instead
//! ```toml
//! [statement]
//! languages = ["nl", "en"]
//!
//! [[purposes]]
//! id = "orders"
//! name = { nl = "Bestellingen", en = "Orders" }
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB065",
    name: "text-missing-in-language",
    severity: Severity::Warning,
    article: "GDPR Art. 12(1)",
    summary: "A text people read is missing in a language the statement is published in.",
    summary_nl: "Een tekst die mensen lezen ontbreekt in een taal waarin de verklaring verschijnt.",
};

fn missing(t: &Text, lang: Lang) -> bool {
    !t.is_empty() && t.get_exact(lang).trim().is_empty()
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for &lang in &p.statement.languages {
        let mut texts: Vec<(String, &Text)> = Vec::new();
        for (i, pu) in p.purposes.iter().enumerate() {
            texts.push((format!("purposes[{i}].name"), &pu.name));
            texts.push((format!("purposes[{i}].description"), &pu.description));
            if let Some(li) = &pu.legitimate_interest {
                texts.push((format!("purposes[{i}].legitimate_interest"), li));
            }
        }
        for (i, d) in p.data.iter().enumerate() {
            texts.push((format!("data[{i}].label"), &d.label));
        }
        for (i, s) in p.subjects.iter().enumerate() {
            texts.push((format!("subjects[{i}].label"), &s.label));
        }
        for (i, r) in p.recipients.iter().enumerate() {
            texts.push((format!("recipients[{i}].name"), &r.name));
        }
        for (path, t) in texts {
            if missing(t, lang) {
                out.push(
                    Finding::new(path.clone(), format!("`{path}` has no {} text, while the statement is published in {}", lang.code(), lang.code()))
                        .help(format!("add `{} = \"...\"` to it, or remove \"{}\" from `statement.languages`", lang.code(), lang.code())),
                );
            }
        }
    }
}

doc_tests!("WB065");
