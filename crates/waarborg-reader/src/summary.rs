//! The summary: the JSON contract of `waarborg read --format json`, exactly as
//! `summary.schema.json` (field names, snake_case enums, nulls where the schema allows them).
//!
//! Build one with [`Summary::build`] from a document's [`Facts`] and problems; the pipeline
//! ([`crate::pipeline`]) does that for you.
//!
//! The vocabularies the register has as well are the register's types ([`LegalBasis`],
//! [`Right`]), so a summary turns into a draft register without translation.

use serde::{Deserialize, Serialize};

pub use waarborg_policy::{Lang, LegalBasis, Right};

use crate::facts::Facts;
use crate::ingest::Document;
use crate::problems::Problem;

/// The kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// A privacy statement / privacy policy.
    PrivacyStatement,
    /// General terms and conditions.
    Terms,
    /// A data processing (processor) agreement.
    Dpa,
    /// A cookie statement.
    Cookie,
    /// More than one of the above in one document.
    Mixed,
}

/// A special category of personal data (GDPR Art. 9 and 10, plus the Dutch BSN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialCategory {
    /// Health data.
    Health,
    /// The Dutch citizen service number (burgerservicenummer) or another national ID number.
    Bsn,
    /// Criminal convictions and offences (Art. 10).
    Criminal,
    /// Racial or ethnic origin.
    RacialEthnic,
    /// Political opinions.
    Political,
    /// Religious or philosophical beliefs.
    Religious,
    /// Trade union membership.
    TradeUnion,
    /// Genetic data.
    Genetic,
    /// Biometric data.
    Biometric,
    /// Sex life or sexual orientation.
    SexLifeOrientation,
}

/// The controller: who the document is from (in a processor agreement, the customer; empty when
/// the agreement does not name it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controller {
    /// Its name as written.
    pub name: Option<String>,
    /// Its Chamber of Commerce (KvK) number, digits only.
    pub kvk: Option<String>,
    /// Postal addresses as written.
    pub addresses: Vec<String>,
    /// E-mail addresses, lowercase.
    pub emails: Vec<String>,
    /// Phone numbers as written.
    pub phones: Vec<String>,
}

/// A retention period and what it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionItem {
    /// Which data or which people, as in the text.
    pub what: String,
    /// ISO 8601 duration, or `None` when the text gives no number.
    pub period: Option<String>,
    /// The exact quote (white space collapsed).
    pub evidence: String,
}

/// Transfers outside the EEA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdCountryTransfer {
    /// Whether the text mentions transfers outside the EEA.
    pub mentioned: bool,
    /// The transfer mechanism named (`Privacy Shield`, `standard contractual clauses`, ...).
    pub mechanism: Option<String>,
}

/// Value of `terms.auto_renewal`: a boolean, or the clause as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AutoRenewal {
    /// Whether the contract renews automatically.
    Bool(bool),
    /// The renewal clause as written.
    Text(String),
}

/// Contract terms (general terms and processor agreements).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    /// Payment term, ISO 8601 duration.
    pub payment_term: Option<String>,
    /// Notice period, ISO 8601 duration.
    pub notice_period: Option<String>,
    /// Automatic renewal.
    pub auto_renewal: Option<AutoRenewal>,
    /// Liability cap as written.
    pub liability_cap: Option<String>,
    /// Competent court as written.
    pub jurisdiction: Option<String>,
    /// Governing law as written.
    pub governing_law: Option<String>,
    /// Deadline for notifying a personal-data breach, ISO 8601 duration.
    pub breach_notification: Option<String>,
}

/// One document's summary, as in `summary.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The path as given on the command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The kind of document.
    pub doc_type: DocType,
    /// Its language.
    pub language: Lang,
    /// The controller.
    pub controller: Controller,
    /// DPO / privacy officer / FG mention.
    pub privacy_contact: Option<String>,
    /// Phrases naming personal data collected, as in the text.
    pub data_categories: Vec<String>,
    /// Special categories processed.
    pub special_categories: Vec<SpecialCategory>,
    /// Purposes as in the text.
    pub purposes: Vec<String>,
    /// Legal bases named.
    pub legal_bases: Vec<LegalBasis>,
    /// Retention periods.
    pub retention: Vec<RetentionItem>,
    /// Named third parties, processors, tools and recipient categories.
    pub recipients: Vec<String>,
    /// Transfers outside the EEA.
    pub third_country_transfer: ThirdCountryTransfer,
    /// Rights listed (the register's [`Right`]; the schema names
    /// [`Right::NoAutomatedDecision`] `automated_decision`, and the complaint right is
    /// `complaint_authority_mentioned`).
    #[serde(with = "schema_rights")]
    pub rights: Vec<Right>,
    /// Whether the right to complain to a supervisory authority is mentioned.
    pub complaint_authority_mentioned: bool,
    /// ISO 8601 duration within which data-subject requests are answered.
    pub request_deadline: Option<String>,
    /// Cookies and trackers named.
    pub cookies: Vec<String>,
    /// Last-updated (or in-force) date, `YYYY-MM-DD`.
    pub last_updated: Option<String>,
    /// Contract terms.
    pub terms: Terms,
    /// Problems found (see [`crate::problems`]).
    pub problems: Vec<Problem>,
}

impl Summary {
    /// Builds the summary of a document from its facts and problems. Every quote is taken from
    /// [`Document::text`] with white space collapsed.
    #[must_use]
    pub fn build(doc: &Document, facts: &Facts, problems: Vec<Problem>) -> Self {
        let q = |r: &std::ops::Range<usize>| doc.quote(r.clone());
        // First occurrence of each value, case-insensitively, in linear time.
        let dedup = |found: &[crate::facts::Found<String>], lower: bool| -> Vec<String> {
            let mut seen = std::collections::HashSet::new();
            found
                .iter()
                .map(|f| {
                    if lower {
                        f.value.to_lowercase()
                    } else {
                        f.value.clone()
                    }
                })
                .filter(|v| seen.insert(v.to_lowercase()))
                .collect()
        };
        let emails = dedup(&facts.emails, true);
        let addresses = dedup(&facts.addresses, false);
        let phones = dedup(&facts.phones, false);
        let data_categories = dedup(&facts.data_categories, false);
        let purposes = dedup(&facts.purposes, false);
        let recipients = dedup(&facts.recipients, false);
        let cookies = dedup(&facts.cookies, false);
        let mut special: Vec<SpecialCategory> = Vec::new();
        for s in &facts.special_categories {
            if !special.contains(&s.value) {
                special.push(s.value);
            }
        }
        let mut bases: Vec<LegalBasis> = Vec::new();
        for b in &facts.legal_bases {
            if !bases.contains(&b.value) {
                bases.push(b.value);
            }
        }
        let mut rights: Vec<Right> = Vec::new();
        for r in &facts.rights {
            if !rights.contains(&r.value) {
                rights.push(r.value);
            }
        }
        let retention = facts
            .retention
            .iter()
            .map(|r| RetentionItem {
                what: r.what.clone(),
                period: r.period.map(|p| p.iso()),
                evidence: q(&r.span),
            })
            .collect();
        let t = &facts.terms;
        Self {
            source: Some(doc.source.clone()),
            doc_type: facts.doc_type,
            language: facts.language,
            // A processor agreement that does not name the controller (the customer) gives the
            // processor's contact details, which are not the controller's.
            controller: if facts.doc_type == DocType::Dpa && facts.controller_name.is_none() {
                Controller::default()
            } else {
                Controller {
                    name: facts.controller_name.as_ref().map(|n| n.value.clone()),
                    kvk: facts.kvk.first().map(|k| k.value.clone()),
                    addresses,
                    emails,
                    phones,
                }
            },
            privacy_contact: facts.privacy_contact.as_ref().map(|c| c.value.clone()),
            data_categories,
            special_categories: special,
            purposes,
            legal_bases: bases,
            retention,
            recipients,
            third_country_transfer: ThirdCountryTransfer {
                mentioned: facts.transfer.mentioned,
                mechanism: facts.transfer.mechanism.as_ref().map(|m| m.value.clone()),
            },
            rights,
            complaint_authority_mentioned: facts.complaint_authority.is_some(),
            request_deadline: facts.request_deadline.as_ref().map(|d| d.value.iso()),
            cookies,
            last_updated: facts.last_updated.as_ref().map(|d| d.value.clone()),
            terms: Terms {
                payment_term: t.payment_term.as_ref().map(|d| d.value.iso()),
                notice_period: t.notice_period.as_ref().map(|d| d.value.iso()),
                auto_renewal: t.auto_renewal.as_ref().map(|b| AutoRenewal::Bool(b.value)),
                liability_cap: t.liability_cap.as_ref().map(|s| s.value.clone()),
                jurisdiction: t.jurisdiction.as_ref().map(|s| s.value.clone()),
                governing_law: t.governing_law.as_ref().map(|s| s.value.clone()),
                breach_notification: t.breach_notification.as_ref().map(|d| d.value.iso()),
            },
            problems,
        }
    }
}

/// The schema's names of the rights: the register's keys, except `automated_decision` for
/// [`Right::NoAutomatedDecision`]. [`Right::Complaint`] has no name in the list (the schema has
/// `complaint_authority_mentioned` for it): it is left out when written and refused when read.
mod schema_rights {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use waarborg_policy::Right;

    /// Every name the schema allows, for the error on another one.
    const NAMES: &[&str] = &[
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
        "withdraw_consent",
        "automated_decision",
    ];

    fn name(r: Right) -> Option<&'static str> {
        match r {
            Right::NoAutomatedDecision => Some("automated_decision"),
            Right::Complaint => None,
            other => Some(other.key()),
        }
    }

    pub(super) fn serialize<S: Serializer>(rights: &[Right], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(rights.iter().filter_map(|r| name(*r)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Right>, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        names
            .iter()
            .map(|n| {
                Right::ALL
                    .into_iter()
                    .find(|r| name(*r) == Some(n.as_str()))
                    .ok_or_else(|| D::Error::unknown_variant(n, NAMES))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Rights {
        #[serde(with = "schema_rights")]
        rights: Vec<Right>,
    }

    #[test]
    fn rights_carry_the_schema_names() {
        let r = Rights {
            rights: vec![Right::Access, Right::NoAutomatedDecision, Right::Complaint],
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"rights":["access","automated_decision"]}"#);
        let back: Rights = serde_json::from_str(&json).unwrap();
        assert_eq!(back.rights, [Right::Access, Right::NoAutomatedDecision]);
        assert!(serde_json::from_str::<Rights>(r#"{"rights":["complaint"]}"#).is_err());
        assert!(serde_json::from_str::<Rights>(r#"{"rights":["no_automated_decision"]}"#).is_err());
    }
}
