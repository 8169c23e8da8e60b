//! Statutory and supervisory retention periods as data (`data/legal-periods.toml`): the legal
//! minimum periods (AWR art. 52, BW 2:10, the payroll tax act, the Wwft, BW 7:454 for medical
//! records) and the AP's maximum periods (camera images, applicants), each with its article and
//! source. Lint compares the register's retention with them (WB052–WB054).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::duration::IsoDuration;
use crate::model::{
    Art9Exception, Art9Kind, DataCategory, LegalBasis, Policy, Purpose, RetentionEvent,
    Sensitivity, Text,
};

/// The embedded table.
pub const LEGAL_PERIODS_TOML: &str = include_str!("../data/legal-periods.toml");

/// Whether a period is a duty to keep at least so long, or guidance to keep at most so long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A legal duty to keep the data at least this long.
    Minimum,
    /// The supervisory authority's guidance: at most this long.
    Maximum,
}

/// One statutory or supervisory period.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalPeriod {
    /// Stable id, e.g. `medical-record`.
    pub id: String,
    /// Minimum or maximum.
    pub kind: PeriodKind,
    /// The period.
    pub period: IsoDuration,
    /// What it covers.
    pub what: Text,
    /// When it starts.
    pub from: Text,
    /// The law or guidance with its article.
    pub law: String,
    /// How much longer than a minimum is still not "far longer" (default one year).
    #[serde(default)]
    pub tolerance: Option<IsoDuration>,
    /// The law itself allows keeping longer (no "far longer" warning).
    #[serde(default)]
    pub longer_allowed: bool,
    /// A rule that already checks this minimum.
    #[serde(default)]
    pub covered_by: Option<String>,
    /// For a maximum: the longest period with the person's consent.
    #[serde(default)]
    pub consent_max: Option<IsoDuration>,
    /// Texts whose mention in a legal ground or hold makes it apply.
    #[serde(default)]
    pub cites: Vec<String>,
    /// Applies to the health data of a treatment contract under Art. 9(2)(h).
    #[serde(default)]
    pub health_record: bool,
    /// Words in a data category's id, label or key that make it apply to that category.
    #[serde(default)]
    pub data_words: Vec<String>,
    /// Retention events that make it apply.
    #[serde(default)]
    pub events: Vec<String>,
    /// With `events`: words in the id or label of a subject category of the purpose (a purpose
    /// that names no subjects is not held back).
    #[serde(default)]
    pub subject_words: Vec<String>,
    /// Where the fact was checked.
    pub source: String,
    /// confirmed / partly confirmed / unconfirmed.
    pub status: String,
}

#[derive(Deserialize)]
struct Table {
    period: Vec<LegalPeriod>,
}

/// Parses a table of periods.
pub fn parse(text: &str) -> Result<Vec<LegalPeriod>, toml::de::Error> {
    toml::from_str::<Table>(text).map(|t| t.period)
}

/// The embedded table, parsed once (empty when broken; a test keeps it readable).
pub fn table() -> &'static [LegalPeriod] {
    static TABLE: OnceLock<Vec<LegalPeriod>> = OnceLock::new();
    TABLE.get_or_init(|| parse(LEGAL_PERIODS_TOML).unwrap_or_default())
}

fn fold(text: &str) -> String {
    text.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl LegalPeriod {
    /// `true` when `text` (a legal ground or a hold's law) cites this period's law.
    pub fn is_cited_in(&self, text: &str) -> bool {
        let t = fold(text);
        self.cites.iter().any(|c| t.contains(&fold(c)))
    }

    /// `true` when a data category's id, labels or key contain one of `data_words`.
    pub fn covers_data(&self, d: &DataCategory) -> bool {
        let hay = fold(&format!(
            "{} {} {} {}",
            d.id.replace(['_', '-'], " "),
            d.label.nl,
            d.label.en,
            d.category
        ));
        self.data_words.iter().any(|w| hay.contains(&fold(w)))
    }

    /// `true` when a retention rule of `purpose` running from `e` falls under this entry: the
    /// event is one of `events` and, when `subject_words` are given, the purpose concerns such
    /// subjects (or names none).
    pub fn covers_event(
        &self,
        policy: &Policy,
        purpose: Option<&Purpose>,
        e: &RetentionEvent,
    ) -> bool {
        if !self.events.iter().any(|k| k == e.key()) {
            return false;
        }
        let Some(pu) =
            purpose.filter(|pu| !pu.subjects.is_empty() && !self.subject_words.is_empty())
        else {
            return true;
        };
        pu.subjects.iter().any(|id| {
            let hay = match policy.subject(id) {
                Some(s) => fold(&format!("{} {} {}", s.id, s.label.nl, s.label.en)),
                None => fold(id),
            };
            self.subject_words.iter().any(|w| hay.contains(&fold(w)))
        })
    }

    /// The tolerance before "far longer" (default one year).
    pub fn tolerance(&self) -> IsoDuration {
        self.tolerance
            .clone()
            .or_else(|| IsoDuration::parse("P1Y").ok())
            .unwrap_or_else(|| self.period.clone())
    }
}

/// The minimum periods that apply to data category `d` as used for `purpose`: cited in the
/// purpose's legal ground or in a legal hold on the data, or the medical record of a treatment
/// contract. An entry naming the data (`data_words`) takes the place of a general entry for the
/// same data.
pub fn minimums_for(
    policy: &Policy,
    purpose: &Purpose,
    d: &DataCategory,
) -> Vec<&'static LegalPeriod> {
    let grounds: Vec<&str> = purpose
        .legal_ground
        .iter()
        .map(String::as_str)
        .chain(
            policy
                .legal_holds
                .iter()
                .filter(|h| h.data.contains(&d.id) || h.purposes.contains(&purpose.id))
                .map(|h| h.law.as_str()),
        )
        .collect();
    let health = d
        .sensitivities()
        .contains(&Sensitivity::Special(Art9Kind::Health));
    let treatment = purpose.art9_exception == Some(Art9Exception::HealthCare)
        && purpose.legal_basis == Some(LegalBasis::Contract);
    let found: Vec<&'static LegalPeriod> = table()
        .iter()
        .filter(|e| e.kind == PeriodKind::Minimum)
        .filter(|e| e.data_words.is_empty() || e.covers_data(d))
        .filter(|e| {
            grounds.iter().any(|g| e.is_cited_in(g)) || (e.health_record && health && treatment)
        })
        .collect();
    if found.iter().any(|e| !e.data_words.is_empty()) {
        found
            .into_iter()
            .filter(|e| !e.data_words.is_empty())
            .collect()
    } else {
        found
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_table_parses_and_each_entry_has_a_law_a_source_and_a_trigger() {
        let t = parse(LEGAL_PERIODS_TOML).unwrap();
        assert!(t.len() >= 8);
        for e in &t {
            assert!(!e.law.is_empty() && !e.source.is_empty() && !e.status.is_empty());
            assert!(
                !e.cites.is_empty()
                    || e.health_record
                    || !e.data_words.is_empty()
                    || !e.events.is_empty(),
                "{} can never apply",
                e.id
            );
            assert!(!e.what.nl.is_empty() && !e.what.en.is_empty(), "{}", e.id);
        }
        let ids: Vec<&str> = t.iter().map(|e| e.id.as_str()).collect();
        for id in [
            "fiscal-records",
            "civil-records",
            "payroll",
            "wwft",
            "medical-record",
            "camera-images",
            "applicants",
        ] {
            assert!(ids.contains(&id), "{id}");
        }
    }

    #[test]
    fn citations_are_found_in_free_text() {
        let t = table();
        let find = |id: &str| t.iter().find(|e| e.id == id).unwrap();
        assert!(find("medical-record").is_cited_in("Burgerlijk Wetboek boek 7,  art. 454 (WGBO)"));
        assert!(find("civil-records").is_cited_in("BW 2:10 lid 3"));
        assert!(!find("civil-records").is_cited_in("BW 7:454"));
        assert!(
            find("wwft")
                .is_cited_in("Wet ter voorkoming van witwassen en financieren van terrorisme")
        );
    }
}
