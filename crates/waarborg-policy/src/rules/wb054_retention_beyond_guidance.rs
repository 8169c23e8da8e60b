//! ## What it does
//! Compares retention rules with the maximum periods the Autoriteit Persoonsgegevens gives in its guidance, from the table of legal retention periods: camera images (data whose id, label or key speaks of camera or CCTV images) at most four weeks, and data of rejected applicants (rules running from `end_of_application` for a purpose about applicants, or about no subjects in particular) at most four weeks after the procedure, or up to a year when the purpose rests on the applicant's consent.
//!
//! ## Why is this bad?
//! Storage limitation (Art. 5(1)(e)) means keeping data no longer than needed. For these two kinds of data the AP has said how long that is; a longer period needs a reason the register should state (an incident under investigation, the applicant's consent to a talent pool).
//!
//! ## Article
//! GDPR Art. 5(1)(e); AP guidance on camera surveillance and on applicants
//!
//! ## Nederlands
//! Bewaar camerabeelden en gegevens van sollicitanten niet langer dan vier weken, tenzij daar een reden voor is (een incident, toestemming van de sollicitant).
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "camera"
//! category = "user.behavior"
//! label = { nl = "Camerabeelden van de kantine", en = "Camera images of the clubhouse" }
//!
//! [[purposes]]
//! id = "security"
//! name = "Beveiliging"
//! legal_basis = "legitimate_interests"
//! legitimate_interest = "Inbraak en vernieling voorkomen"
//! data = ["camera"]
//!
//! [[retention]]
//! id = "camera-3m"
//! purpose = "security"
//! period = "P3M"
//! from = "recording"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "camera"
//! category = "user.behavior"
//! label = { nl = "Camerabeelden van de kantine", en = "Camera images of the clubhouse" }
//!
//! [[purposes]]
//! id = "security"
//! name = "Beveiliging"
//! legal_basis = "legitimate_interests"
//! legitimate_interest = "Inbraak en vernieling voorkomen"
//! data = ["camera"]
//!
//! [[retention]]
//! id = "camera-4w"
//! purpose = "security"
//! period = "P28D"
//! from = "recording"
//! ```

use super::prelude::*;
use crate::legal_periods::{PeriodKind, table};

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB054",
    name: "retention-beyond-guidance",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(e); AP guidance on camera surveillance and on applicants",
    summary: "Camera images or applicants' data are kept longer than the AP's guidance allows.",
    summary_nl: "Camerabeelden of sollicitatiegegevens worden langer bewaard dan de AP aanhoudt.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.retention.iter().enumerate() {
        let purpose = r.purpose.as_deref().and_then(|id| p.purpose(id));
        let data: Vec<&DataCategory> = if r.data.is_empty() {
            purpose.map(|pu| purpose_data(p, pu).collect()).unwrap_or_default()
        } else {
            r.data.iter().filter_map(|d| p.data_category(d)).collect()
        };
        let consent = purpose.is_some_and(relies_on_consent);
        for e in table().iter().filter(|e| e.kind == PeriodKind::Maximum) {
            let applies = e.covers_event(p, purpose, &r.from) || data.iter().any(|d| e.covers_data(d));
            if !applies || !r.period.may_exceed(&e.period) {
                continue;
            }
            let max = match (&e.consent_max, consent) {
                (Some(with_consent), true) => with_consent,
                _ => &e.period,
            };
            if !r.period.may_exceed(max) {
                continue;
            }
            let consent_note = match &e.consent_max {
                Some(c) if !consent => format!(", or up to {} with the person's consent", c.words(Lang::En)),
                _ => String::new(),
            };
            out.push(
                Finding::new(
                    format!("retention[{i}].period"),
                    format!(
                        "retention rule `{}` keeps {} {} after {}; {} says at most {}{consent_note}",
                        r.id, e.what.en, r.period.words(Lang::En), p.event_words(&r.from, Lang::En), e.law, max.words(Lang::En),
                    ),
                )
                .help(format!(
                    "set `period = \"{max}\"`; keep data longer only for a stated reason (a legal hold for an incident, or consent for a longer period)"
                )),
            );
        }
    }
}

doc_tests!("WB054");
