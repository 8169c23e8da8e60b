//! ## What it does
//! Compares retention rules that cover the same purpose and data from the same `from` event; different periods are flagged.
//!
//! ## Why is this bad?
//! When the register (and so the statement) promises two periods for the same data, at least one promise is broken, and people cannot know which applies (Art. 13(2)(a)). The engine would delete at the shorter one.
//!
//! ## Article
//! GDPR Art. 5(1)(e), Art. 13(2)(a)
//!
//! ## Nederlands
//! Geef per soort gegevens één bewaartermijn.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "service"
//! name = "Dienst"
//! legal_basis = "contract"
//!
//! [[retention]]
//! id = "after-end-48h"
//! purpose = "service"
//! period = "PT48H"
//! from = "end_of_contract"
//!
//! [[retention]]
//! id = "after-end-7d"
//! purpose = "service"
//! period = "P7D"
//! from = "end_of_contract"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "service"
//! name = "Dienst"
//! legal_basis = "contract"
//!
//! [[retention]]
//! id = "after-end-7d"
//! purpose = "service"
//! period = "P7D"
//! from = "end_of_contract"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB050",
    name: "conflicting-retention",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(e), Art. 13(2)(a)",
    summary: "Two retention rules give different periods for the same data from the same event.",
    summary_nl: "Twee bewaarregels geven verschillende termijnen voor dezelfde gegevens vanaf hetzelfde moment.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let sorted_data = |r: &RetentionRule| {
        let mut d = r.data.clone();
        d.sort();
        d
    };
    for (i, a) in p.retention.iter().enumerate() {
        for b in p.retention.iter().take(i) {
            let same_scope = a.purpose == b.purpose && sorted_data(a) == sorted_data(b);
            if same_scope && a.from == b.from && a.period != b.period {
                out.push(
                    Finding::new(format!("retention[{i}].period"), format!("retention rules `{}` ({}) and `{}` ({}) give different periods for the same data", b.id, b.period, a.id, a.period))
                        .help("keep one period and remove or change the other rule"),
                );
            }
        }
    }
}

doc_tests!("WB050");
