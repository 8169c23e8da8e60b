//! ## What it does
//! Flags legal holds whose `law` cites the AWR (art. 52) with a `period` shorter than `P7Y`, and purposes whose `legal_ground` cites it without a retention rule or hold of at least seven years.
//!
//! ## Why is this bad?
//! Art. 52(4) AWR obliges keeping the accounts (invoices, ledger, payroll) for seven years. Deleting earlier breaks a legal duty; the hold is also what blocks erasure requests under Art. 17(3)(b) GDPR.
//!
//! ## Article
//! AWR art. 52(4)
//!
//! ## Nederlands
//! De administratie moet zeven jaar bewaard worden (art. 52 AWR).
//!
//! ## Example
//! ```toml
//! [[legal_holds]]
//! id = "fiscal"
//! law = "AWR art. 52"
//! period = "P5Y"
//! from = "invoice_date"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[legal_holds]]
//! id = "fiscal"
//! law = "AWR art. 52"
//! period = "P7Y"
//! from = "invoice_date"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB038",
    name: "fiscal-hold-too-short",
    severity: Severity::Error,
    article: "AWR art. 52(4)",
    summary: "A fiscal legal hold is shorter than seven years.",
    summary_nl: "De fiscale bewaarplicht is korter dan zeven jaar vastgelegd.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let Ok(seven) = IsoDuration::parse("P7Y") else { return };
    let fiscal = |t: &str| {
        let t = t.to_lowercase();
        t.contains("awr") || t.contains("rijksbelastingen")
    };
    for (i, h) in p.legal_holds.iter().enumerate() {
        if fiscal(&h.law) && seven.may_exceed(&h.period) {
            out.push(
                Finding::new(format!("legal_holds[{i}].period"), format!("fiscal hold `{}` keeps data for {} instead of seven years", h.id, h.period))
                    .help("set `period = \"P7Y\"`"),
            );
        }
    }
    for (i, pu) in p.purposes.iter().enumerate() {
        if !pu.legal_ground.as_deref().is_some_and(fiscal) {
            continue;
        }
        let long_enough = p
            .retention_for_purpose(&pu.id)
            .iter()
            .any(|r| !seven.may_exceed(&r.period))
            || p.legal_holds.iter().any(|h| h.purposes.contains(&pu.id) && !seven.may_exceed(&h.period));
        if !long_enough {
            out.push(
                Finding::new(format!("purposes[{i}]"), format!("purpose `{}` cites the fiscal duty but nothing keeps its data for seven years", pu.id))
                    .help("add a `[[legal_holds]]` item with `period = \"P7Y\"` and `purposes = [...]`"),
            );
        }
    }
}

doc_tests!("WB038");
