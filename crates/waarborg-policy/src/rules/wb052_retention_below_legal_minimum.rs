//! ## What it does
//! Compares the longest period the register keeps data for with the statutory minimum those data fall under, from the table of legal retention periods (`data/legal-periods.toml`): the accounts under BW 2:10 (seven years), payroll under the Wet op de loonbelasting 1964 with AWR art. 52 (seven years), an employee's identity-document copy (five years), Wwft due-diligence records (five years), and the medical record of a treatment contract under BW 7:454 (twenty years). A minimum applies when the purpose's `legal_ground` or a legal hold on the data cites its law, or, for the medical record, to the health data of a purpose on a treatment contract (`legal_basis = "contract"` with `art9_exception = "health_care"`). Data kept by no rule at all are left to WB010/WB011; the AWR hold itself to WB038.
//!
//! ## Why is this bad?
//! Deleting data the law obliges the organisation to keep breaks that law, and the statement then promises a deletion the organisation may not carry out. A legal duty to keep is also what lets it refuse an erasure request (Art. 17(3)(b)): the register must carry it as a retention period or a legal hold.
//!
//! ## Article
//! GDPR Art. 5(1)(e), Art. 17(3)(b); BW 2:10, 7:454; Wet op de loonbelasting 1964; Wwft art. 33
//!
//! ## Nederlands
//! Bewaar gegevens minstens zo lang als de wet voorschrijft (zoals 20 jaar voor het medisch dossier, 7 jaar voor de administratie).
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "dossier"
//! category = "user.health_and_medical"
//! label = { nl = "Behandeldossier", en = "Treatment record" }
//! special = "health"
//!
//! [[purposes]]
//! id = "treatment"
//! name = "Tandheelkundige behandeling"
//! legal_basis = "contract"
//! art9_exception = "h"
//! data = ["dossier"]
//!
//! [[retention]]
//! id = "dossier-5y"
//! purpose = "treatment"
//! period = "P5Y"
//! from = "end_of_treatment"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "dossier"
//! category = "user.health_and_medical"
//! label = { nl = "Behandeldossier", en = "Treatment record" }
//! special = "health"
//!
//! [[purposes]]
//! id = "treatment"
//! name = "Tandheelkundige behandeling"
//! legal_basis = "contract"
//! legal_ground = "BW 7:454 lid 3 (WGBO)"
//! art9_exception = "h"
//! data = ["dossier"]
//!
//! [[retention]]
//! id = "dossier-20y"
//! purpose = "treatment"
//! period = "P20Y"
//! from = "last_change"
//! ```

use super::prelude::*;
use crate::legal_periods::minimums_for;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB052",
    name: "retention-below-legal-minimum",
    severity: Severity::Error,
    article: "GDPR Art. 5(1)(e), Art. 17(3)(b); BW 2:10, 7:454; Wet op de loonbelasting 1964; Wwft art. 33",
    summary: "Data are kept shorter than a statutory minimum they fall under.",
    summary_nl: "Gegevens worden korter bewaard dan de wettelijke bewaarplicht die ervoor geldt.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for pu in &p.purposes {
        // One finding per purpose and legal period, naming all its data that are kept too short.
        let mut short: Vec<(&crate::legal_periods::LegalPeriod, Vec<&str>, String, String)> = Vec::new();
        for d in purpose_data(p, pu) {
            for entry in minimums_for(p, pu, d) {
                if entry.covered_by.is_some() {
                    continue;
                }
                let keeps = keeping(p, pu, &d.id);
                let Some(longest) = keeps.iter().max_by(|a, b| a.period.compare(b.period)) else {
                    continue;
                };
                if !entry.period.may_exceed(longest.period) {
                    continue;
                }
                let shown = format!("{} (`{}`)", longest.period, longest.id);
                match short.iter_mut().find(|(e, ..)| e.id == entry.id) {
                    Some((_, data, ..)) => data.push(&d.id),
                    None => short.push((entry, vec![&d.id], longest.path.clone(), shown)),
                }
            }
        }
        for (entry, data, path, shown) in short {
            out.push(
                Finding::new(
                    path,
                    format!(
                        "purpose `{}` keeps `{}` at most {shown}, but {} requires keeping {} for {} after {}",
                        pu.id, data.join("`, `"), entry.law, entry.what.en, entry.period.words(Lang::En), entry.from.en,
                    ),
                )
                .help(format!(
                    "keep them at least `{}`: lengthen the retention rule, or add a `[[legal_holds]]` with `law = \"{}\"`, `period = \"{}\"` and these data",
                    entry.period, entry.law, entry.period
                )),
            );
        }
    }
}

doc_tests!("WB052");
