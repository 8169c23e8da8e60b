//! What the engine needs from the register (the policy): purposes, retention rules, legal holds,
//! recipients and the controller. Plain input structs, so that the engine does not depend on
//! the register's file format; `from_policy` adapts the policy crate's types.

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// The register facts the engine uses.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The controller (verwerkingsverantwoordelijke).
    #[serde(default)]
    pub controller: Controller,
    /// Purposes of processing.
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// Retention rules.
    #[serde(default)]
    pub retention_rules: Vec<RetentionRule>,
    /// Legal holds (duties to keep data, Art. 17(3)).
    #[serde(default)]
    pub legal_holds: Vec<LegalHold>,
    /// Recipients (processors, third parties).
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// The supervisory authority a person can complain to.
    #[serde(default)]
    pub complaint_authority: Option<String>,
}

/// The controller.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    /// Legal name.
    #[serde(default)]
    pub name: String,
    /// How to reach the controller for privacy questions.
    #[serde(default)]
    pub contact: Option<String>,
    /// The data protection officer, if any.
    #[serde(default)]
    pub dpo: Option<String>,
}

/// One purpose of processing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Stable id (referred to by dataset tables).
    pub id: String,
    /// Dutch name.
    #[serde(default)]
    pub name_nl: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Legal basis (GDPR Art. 6(1) key: `consent`, `contract`, ...).
    #[serde(default)]
    pub legal_basis: String,
    /// Recipient ids.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Retention rule ids.
    #[serde(default)]
    pub retention: Vec<String>,
    /// Where the data come from when not from the person (Art. 14 / 15(1)(g)).
    #[serde(default)]
    pub source: Option<String>,
}

/// What happens when a retention period has passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// Delete.
    #[default]
    Delete,
    /// Anonymise (mask the personal columns).
    Anonymise,
}

/// A retention rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// Stable id (referred to by dataset tables).
    pub id: String,
    /// The period (ISO 8601, e.g. `P4W`, `P7Y`).
    #[serde(with = "span_iso")]
    pub duration: jiff::Span,
    /// The event it counts from, in words (e.g. "end of the contract").
    #[serde(default)]
    pub from: String,
    /// What happens afterwards.
    #[serde(default)]
    pub action: RetentionAction,
    /// The legal source of the period, if any (e.g. "AWR art. 52(4)").
    #[serde(default)]
    pub article: Option<String>,
}

/// A legal hold: a duty to keep data that erasure must respect (Art. 17(3)).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalHold {
    /// Stable id (referred to by dataset tables).
    pub id: String,
    /// How long the data must be kept (ISO 8601).
    #[serde(with = "span_iso")]
    pub duration: jiff::Span,
    /// The law that imposes the duty (e.g. "AWR art. 52(4)").
    #[serde(default)]
    pub article: String,
    /// The GDPR exception it falls under (default "GDPR Art. 17(3)(b)").
    #[serde(default)]
    pub exception: Option<String>,
    /// A short description.
    #[serde(default)]
    pub description: String,
    /// fideslang categories the duty needs; columns of these categories are kept unmasked
    /// (besides the dataset's `keep` columns).
    #[serde(default)]
    pub keep_categories: Vec<String>,
}

impl LegalHold {
    /// Whether a column of this category is needed by the duty.
    pub fn keeps_category(&self, category: Option<&str>) -> bool {
        category.is_some_and(|c| {
            self.keep_categories
                .iter()
                .any(|k| c == k || c.starts_with(&format!("{k}.")))
        })
    }
}

/// A recipient.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Stable id.
    pub id: String,
    /// Name or category of recipients.
    #[serde(default)]
    pub name: String,
    /// Country (ISO code), for third-country transfers.
    #[serde(default)]
    pub country: Option<String>,
}

mod span_iso {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(s: &jiff::Span, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&s.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<jiff::Span, D::Error> {
        let s = String::deserialize(de)?;
        s.parse::<jiff::Span>().map_err(|e| {
            serde::de::Error::custom(format!("`{s}` is not an ISO 8601 duration: {e}"))
        })
    }
}

impl Register {
    /// Adapts the register of the policy crate (`waarborg_policy::Policy`).
    pub fn from_policy(p: &waarborg_policy::Policy) -> Register {
        use waarborg_policy::{DataSource, Lang};
        let category_of = |id: &str| {
            p.data
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.category.clone())
        };
        let purposes = p
            .purposes
            .iter()
            .map(|pp| {
                let sources: Vec<&str> = pp
                    .data
                    .iter()
                    .filter_map(|id| p.data.iter().find(|d| &d.id == id))
                    .filter_map(|d| match d.source {
                        DataSource::DataSubject => None,
                        DataSource::ThirdParty => Some("derden / third parties"),
                        DataSource::Public => Some("openbare bronnen / public sources"),
                        DataSource::Observed => {
                            Some("waargenomen door onze systemen / observed by our systems")
                        }
                    })
                    .collect();
                Purpose {
                    id: pp.id.clone(),
                    name_nl: pp.name.get(Lang::Nl).to_string(),
                    name_en: pp.name.get(Lang::En).to_string(),
                    legal_basis: pp
                        .legal_basis
                        .map(|b| format!("{} ({})", b.key(), b.article()))
                        .unwrap_or_default(),
                    recipients: pp.recipients.clone(),
                    retention: p
                        .retention
                        .iter()
                        .filter(|r| r.purpose.as_deref() == Some(pp.id.as_str()))
                        .map(|r| r.id.clone())
                        .collect(),
                    source: if sources.is_empty() {
                        None
                    } else {
                        Some(sources.join("; "))
                    },
                }
            })
            .collect();
        Register {
            controller: Controller {
                name: p.controller.name.clone(),
                contact: p.controller.email.clone(),
                dpo: p.privacy_officer.as_ref().map(|o| match &o.email {
                    Some(e) => format!("{} <{e}>", o.name),
                    None => o.name.clone(),
                }),
            },
            purposes,
            retention_rules: p
                .retention
                .iter()
                .map(|r| RetentionRule {
                    id: r.id.clone(),
                    duration: r.period.span(),
                    from: r.from.words(Lang::Nl),
                    action: match r.action {
                        waarborg_policy::RetentionAction::Delete => RetentionAction::Delete,
                        waarborg_policy::RetentionAction::Anonymise => RetentionAction::Anonymise,
                    },
                    article: None,
                })
                .collect(),
            legal_holds: p
                .legal_holds
                .iter()
                .map(|h| LegalHold {
                    id: h.id.clone(),
                    duration: h.period.span(),
                    article: h.law.clone(),
                    exception: Some("GDPR Art. 17(3)(b)".into()),
                    description: h
                        .note
                        .as_ref()
                        .map(|n| n.get(Lang::Nl).to_string())
                        .unwrap_or_default(),
                    keep_categories: h.data.iter().filter_map(|id| category_of(id)).collect(),
                })
                .collect(),
            recipients: p
                .recipients
                .iter()
                .map(|r| Recipient {
                    id: r.id.clone(),
                    name: r.name.get(Lang::Nl).to_string(),
                    country: Some(r.country.clone()),
                })
                .collect(),
            complaint_authority: p.rights.complaint_authority.clone(),
        }
    }

    /// Loads a register file: the policy crate's register TOML (`waarborg lint` format).
    pub fn load(path: &std::path::Path) -> Result<Register> {
        let policy = waarborg_policy::load_file(path).map_err(|e| EngineError::File {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Register::from_policy(&policy))
    }

    /// Parses the engine's own register TOML (the fields of this struct).
    pub fn from_toml(text: &str) -> Result<Register> {
        toml::from_str(text).map_err(|e| EngineError::File {
            path: "<register>".into(),
            message: e.to_string(),
        })
    }

    /// The retention rule with this id.
    pub fn rule(&self, id: &str) -> Option<&RetentionRule> {
        self.retention_rules.iter().find(|r| r.id == id)
    }

    /// The legal hold with this id.
    pub fn hold(&self, id: &str) -> Option<&LegalHold> {
        self.legal_holds.iter().find(|h| h.id == id)
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// Checks that every id the datasets use exists in the register.
    pub fn check_datasets(&self, ds: &crate::model::Datasets) -> Result<()> {
        let mut missing = Vec::new();
        for db in &ds.databases {
            for t in &db.tables {
                for p in &t.purposes {
                    if self.purpose(p).is_none() {
                        missing.push(format!("{}.{}: purpose `{p}`", db.name, t.name));
                    }
                }
                if let Some(r) = &t.retention
                    && self.rule(&r.rule).is_none()
                {
                    missing.push(format!(
                        "{}.{}: retention rule `{}`",
                        db.name, t.name, r.rule
                    ));
                }
                if let Some(h) = &t.hold
                    && self.hold(&h.hold).is_none()
                {
                    missing.push(format!("{}.{}: legal hold `{}`", db.name, t.name, h.hold));
                }
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(EngineError::Register(format!(
                "the datasets refer to ids the register does not have: {}",
                missing.join("; ")
            )))
        }
    }
}

/// Adds months/years-aware spans to civil date-times (calendar arithmetic, clamped at month
/// ends).
pub(crate) fn add_span(
    dt: jiff::civil::DateTime,
    span: jiff::Span,
) -> Result<jiff::civil::DateTime> {
    dt.checked_add(span)
        .map_err(|e| EngineError::Time(e.to_string()))
}

/// Subtracts a span from a civil date-time.
pub(crate) fn sub_span(
    dt: jiff::civil::DateTime,
    span: jiff::Span,
) -> Result<jiff::civil::DateTime> {
    dt.checked_sub(span)
        .map_err(|e| EngineError::Time(e.to_string()))
}
