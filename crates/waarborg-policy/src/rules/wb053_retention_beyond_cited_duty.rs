//! ## What it does
//! For every retention rule of a purpose whose `legal_ground` cites a statutory duty to keep (from the table of legal retention periods), and every legal hold whose `law` cites one, checks that the period is not far longer than the longest duty cited: longer than the duty plus its tolerance (one year unless the table says otherwise). Duties the law itself lets run longer (the medical record "or as much longer as good care requires") are not checked.
//!
//! ## Why is this bad?
//! A legal duty justifies keeping data for the period the law sets, not beyond it (Art. 5(1)(e), storage limitation). Invoices kept ten years on a seven-year duty are kept three years without a ground, and the statement tells people the law requires it when it does not.
//!
//! ## Article
//! GDPR Art. 5(1)(e), Art. 6(1)(c)
//!
//! ## Nederlands
//! Een wettelijke bewaarplicht rechtvaardigt niet dat gegevens veel langer worden bewaard dan die plicht.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "invoicing"
//! name = "Facturatie"
//! legal_basis = "legal_obligation"
//! legal_ground = "AWR art. 52 lid 4"
//!
//! [[retention]]
//! id = "invoices"
//! purpose = "invoicing"
//! period = "P10Y"
//! from = "end_of_fiscal_year"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "invoicing"
//! name = "Facturatie"
//! legal_basis = "legal_obligation"
//! legal_ground = "AWR art. 52 lid 4"
//!
//! [[retention]]
//! id = "invoices"
//! purpose = "invoicing"
//! period = "P7Y"
//! from = "end_of_fiscal_year"
//! ```

use super::prelude::*;
use crate::legal_periods::{LegalPeriod, PeriodKind, table};

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB053",
    name: "retention-beyond-cited-duty",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(e), Art. 6(1)(c)",
    summary: "Data are kept far longer than the statutory duty the register cites for them.",
    summary_nl: "Gegevens worden veel langer bewaard dan de wettelijke bewaarplicht die wordt genoemd.",
};

/// The general duties (not tied to particular data) cited in `text`.
fn cited(text: &str) -> Vec<&'static LegalPeriod> {
    table()
        .iter()
        .filter(|e| e.kind == PeriodKind::Minimum && e.data_words.is_empty() && e.is_cited_in(text))
        .collect()
}

fn check_one(path: String, what: String, period: &IsoDuration, ground: &str, out: &mut Vec<Finding>) {
    let duties = cited(ground);
    if duties.is_empty() || duties.iter().any(|e| e.longer_allowed) {
        return;
    }
    if !duties.iter().all(|e| period.exceeds_by_more_than(&e.period, &e.tolerance())) {
        return;
    }
    let Some(longest) = duties.iter().max_by(|a, b| a.period.compare(&b.period)) else { return };
    out.push(
        Finding::new(
            path,
            format!(
                "{what} keeps data {} on {}, which requires {} for {}: far longer than the duty it cites",
                period.words(Lang::En), longest.law, longest.period.words(Lang::En), longest.what.en,
            ),
        )
        .help(format!(
            "keep them as long as the duty (`period = \"{}\"`); if another reason requires longer, name that law in the ground and say why in `note`",
            longest.period
        )),
    );
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.retention.iter().enumerate() {
        let Some(ground) = r
            .purpose
            .as_deref()
            .and_then(|id| p.purpose(id))
            .and_then(|pu| pu.legal_ground.as_deref())
        else {
            continue;
        };
        check_one(format!("retention[{i}].period"), format!("retention rule `{}`", r.id), &r.period, ground, out);
    }
    for (i, h) in p.legal_holds.iter().enumerate() {
        check_one(format!("legal_holds[{i}].period"), format!("legal hold `{}`", h.id), &h.period, &h.law, out);
    }
}

doc_tests!("WB053");
