//! ## What it does
//! Checks every data category that a purpose uses: some retention rule must cover it (by naming it, or by covering all data of a purpose that uses it), or a legal hold must keep it.
//!
//! ## Why is this bad?
//! Art. 30(1)(f) asks for the time limits for erasure of the different categories of data. A category without any rule is kept forever in practice.
//!
//! ## Article
//! GDPR Art. 30(1)(f), Art. 5(1)(e)
//!
//! ## Nederlands
//! Leg per soort gegevens vast wanneer die gewist worden.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "email"
//! category = "user.contact.email"
//! label = { nl = "E-mailadres", en = "E-mail address" }
//!
//! [[data]]
//! id = "phone"
//! category = "user.contact.phone_number"
//! label = "Telefoon"
//!
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! data = ["email", "phone"]
//!
//! [[retention]]
//! id = "email-2y"
//! purpose = "orders"
//! data = ["email"]
//! period = "P2Y"
//! from = "last_contact"
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
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! data = ["email"]
//!
//! [[retention]]
//! id = "email-2y"
//! purpose = "orders"
//! data = ["email"]
//! period = "P2Y"
//! from = "last_contact"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB011",
    name: "data-without-retention",
    severity: Severity::Warning,
    article: "GDPR Art. 30(1)(f), Art. 5(1)(e)",
    summary: "A data category used by a purpose is covered by no retention rule or legal hold.",
    summary_nl: "Voor een soort gegevens geldt geen bewaartermijn.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    // One pass over purposes, rules and holds (the same answers as `retention_for_data` and
    // `holds_for_data` per data category, without scanning them for every category).
    use std::collections::HashSet;
    let purpose_data = |id: &str| p.purpose(id).map(|pu| pu.data.as_slice()).unwrap_or(&[]);
    let used: HashSet<&str> = p.purposes.iter().flat_map(|pu| pu.data.iter().map(String::as_str)).collect();
    let mut covered: HashSet<&str> = HashSet::new();
    for r in &p.retention {
        covered.extend(r.data.iter().map(String::as_str));
        if r.data.is_empty()
            && let Some(pu) = r.purpose.as_deref()
        {
            covered.extend(purpose_data(pu).iter().map(String::as_str));
        }
    }
    for h in &p.legal_holds {
        covered.extend(h.data.iter().map(String::as_str));
        for pu in &h.purposes {
            covered.extend(purpose_data(pu).iter().map(String::as_str));
        }
    }
    for (i, d) in p.data.iter().enumerate() {
        if used.contains(d.id.as_str()) && !covered.contains(d.id.as_str()) {
            out.push(
                Finding::new(format!("data[{i}]"), format!("data category `{}` is covered by no retention rule", d.id))
                    .help(format!("name `\"{}\"` in the `data` of a `[[retention]]` rule, or leave that rule's `data` empty to cover all data of its purpose", d.id)),
            );
        }
    }
}

doc_tests!("WB011");
