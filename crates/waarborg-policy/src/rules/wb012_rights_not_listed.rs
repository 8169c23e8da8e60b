//! ## What it does
//! Checks that `rights.offered` includes `access`, `rectification`, `erasure`, `restriction`, `objection` and `portability`.
//!
//! ## Why is this bad?
//! Art. 13(2)(b) requires the statement to tell people about each of these rights. A right that is not mentioned is a right people do not know they have.
//!
//! ## Article
//! GDPR Art. 13(2)(b)
//!
//! ## Nederlands
//! De privacyverklaring moet alle rechten noemen: inzage, rectificatie, wissen, beperking, bezwaar en overdraagbaarheid.
//!
//! ## Example
//! ```toml
//! [rights]
//! offered = ["access", "rectification", "erasure"]
//! ```
//!
//! ## Use instead
//! ```toml
//! [rights]
//! offered = ["access", "rectification", "erasure", "restriction", "objection", "portability"]
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB012",
    name: "rights-not-listed",
    severity: Severity::Error,
    article: "GDPR Art. 13(2)(b)",
    summary: "The statement does not name all of the rights of access, rectification, erasure, restriction, objection and portability.",
    summary_nl: "Niet alle rechten (inzage, rectificatie, wissen, beperking, bezwaar, overdraagbaarheid) worden genoemd.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let needed = [
        (Right::Access, "access"),
        (Right::Rectification, "rectification"),
        (Right::Erasure, "erasure"),
        (Right::Restriction, "restriction"),
        (Right::Objection, "objection"),
        (Right::Portability, "portability"),
    ];
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(r, _)| !p.rights.offered.contains(r))
        .map(|(_, n)| *n)
        .collect();
    if !missing.is_empty() {
        out.push(
            Finding::new("rights.offered", format!("the statement does not name the right(s) of {}", missing.join(", ")))
                .help(format!("add {} to `rights.offered`", missing.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", "))),
        );
    }
}

doc_tests!("WB012");
