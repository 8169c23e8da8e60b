//! The letter to send the person at each step of a case, from the register, in plain Dutch or
//! English: the receipt, the extension notice (Art. 12(3)), the answer, and the refusal with the
//! right to complain (Art. 12(4)). The wording is data (`letters/nl.toml`, `letters/en.toml`);
//! this module only chooses the letter and fills in the case.

use std::collections::BTreeMap;

use waarborg_policy::{Lang, Policy};
use waarborg_store::{Case, CaseKind, CaseStatus};

use crate::error::{AppError, Result};

const NL: &str = include_str!("../letters/nl.toml");
const EN: &str = include_str!("../letters/en.toml");

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// The request was received; when it will be answered.
    Receipt,
    /// The deadline was extended, with the reason.
    Extension,
    /// The request was carried out.
    Answer,
    /// The request was refused, with the reason and the right to complain.
    Refusal,
}

impl LetterKind {
    /// The letter a case in its current state calls for.
    pub fn for_case(c: &Case) -> LetterKind {
        match c.status {
            CaseStatus::Done => LetterKind::Answer,
            CaseStatus::Rejected => LetterKind::Refusal,
            _ if c.extended => LetterKind::Extension,
            _ => LetterKind::Receipt,
        }
    }
}

fn texts(lang: Lang) -> Result<BTreeMap<String, String>> {
    let src = match lang {
        Lang::Nl => NL,
        Lang::En => EN,
    };
    toml::from_str(src)
        .map_err(|e| AppError::internal(format!("the letter texts do not parse: {e}")))
}

fn fill(template: &str, values: &BTreeMap<&str, String>) -> String {
    waarborg_policy::texts::fill_map(template, values)
}

fn day(ts: jiff::Timestamp, tz: &jiff::tz::TimeZone, lang: Lang) -> String {
    waarborg_policy::render::date_words(ts.to_zoned(tz.clone()).date(), lang)
}

/// The words for a request kind (`access`, ..., `consent_withdrawal`) in `lang`, as the
/// letters name it (`access to your data`); the kind itself when unknown.
pub fn kind_words(kind: &str, lang: Lang) -> String {
    texts(lang)
        .ok()
        .and_then(|t| t.get(&format!("kind_{kind}")).cloned())
        .unwrap_or_else(|| kind.to_string())
}

/// The letter of `kind` for case `c`, with the controller and complaint authority from the
/// register (when given).
pub fn letter(
    c: &Case,
    kind: LetterKind,
    register: Option<&Policy>,
    lang: Lang,
    tz: &jiff::tz::TimeZone,
) -> Result<String> {
    let t = texts(lang)?;
    let get = |k: &str| t.get(k).cloned().unwrap_or_default();
    let controller = register
        .map(|p| p.controller.name.clone())
        .unwrap_or_default();
    let contact = register
        .and_then(|p| {
            p.controller
                .email
                .clone()
                .or_else(|| p.controller.website.clone())
        })
        .unwrap_or_default();
    let authority = register
        .and_then(|p| p.rights.complaint_authority.clone())
        .unwrap_or_else(|| get("authority_default"));
    let mut v: BTreeMap<&str, String> = BTreeMap::new();
    v.insert("kind", get(&format!("kind_{}", c.kind.as_str())));
    v.insert("received", day(c.received_at, tz, lang));
    // The last day to answer: the deadline instant is the end of that day.
    let due = c
        .due_at
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .unwrap_or(c.due_at);
    v.insert("due", day(due, tz, lang));
    let original = c
        .original_due_at
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .unwrap_or(c.original_due_at);
    v.insert("original_due", day(original, tz, lang));
    v.insert("reason", c.extension_reason.clone().unwrap_or_default());
    v.insert("outcome", c.outcome.clone().unwrap_or_default());
    v.insert("controller", controller);
    v.insert("contact", contact.clone());
    v.insert("authority", authority);
    let body = match kind {
        LetterKind::Receipt => get("receipt"),
        LetterKind::Extension => get("extension"),
        LetterKind::Answer => match c.kind {
            CaseKind::Access | CaseKind::Portability => get("answer_access"),
            CaseKind::Erasure => get("answer_erasure"),
            CaseKind::Rectification => get("answer_rectification"),
            _ => get("answer_other"),
        },
        LetterKind::Refusal => {
            v.insert("reason", c.outcome.clone().unwrap_or_default());
            format!("{}\n\n{}", get("refusal"), get("complaint"))
        }
    };
    let mut parts = vec![get("greeting"), fill(&body, &v)];
    if !contact.is_empty() {
        parts.push(fill(&get("questions"), &v));
    }
    parts.push(fill(&get("closing"), &v));
    Ok(parts.join("\n\n").trim_end().to_string() + "\n")
}
