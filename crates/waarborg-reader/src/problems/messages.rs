//! Per-finding explanations in English and Dutch. The texts are data
//! (`data/problems/messages.toml`, embedded at compile time); a detector names a message by its key
//! and gives the values of its named placeholders (`{name}`), and the message is rendered in each
//! language when the finding is finished.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use waarborg_policy::Lang;

const MESSAGES: &str = include_str!("../../data/problems/messages.toml");

/// Why a message could not be rendered (a defect of the embedded data that the crate's tests
/// catch; the finding then explains itself with its rule's help text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// `messages.toml` does not parse.
    #[error("messages.toml: {0}")]
    Data(String),
    /// No message has this key.
    #[error("no message `{0}` in messages.toml")]
    Unknown(String),
    /// The message has a placeholder the detector gave no value for.
    #[error("message `{key}`: no value for {{{name}}}")]
    Missing {
        /// The message's key.
        key: String,
        /// The placeholder's name.
        name: String,
    },
    /// A `{` without a closing `}`, or a placeholder name that is not `[a-z0-9_]+`.
    #[error("message `{0}`: a malformed placeholder")]
    Malformed(String),
}

/// One message in both languages.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// English.
    pub en: String,
    /// Dutch.
    pub nl: String,
}

impl Entry {
    /// The text in one language.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

static MESSAGE_TABLE: OnceLock<Result<BTreeMap<String, Entry>, MessageError>> = OnceLock::new();

/// Every message by key.
pub fn messages() -> Result<&'static BTreeMap<String, Entry>, MessageError> {
    MESSAGE_TABLE
        .get_or_init(|| toml::from_str(MESSAGES).map_err(|e| MessageError::Data(e.to_string())))
        .as_ref()
        .map_err(Clone::clone)
}

/// The placeholders of a template, in order of appearance (with repeats).
pub fn placeholders(template: &str) -> Result<Vec<&str>, MessageError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let close = after
            .find('}')
            .ok_or_else(|| MessageError::Malformed(template.to_owned()))?;
        let name = after.get(..close).unwrap_or("");
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(MessageError::Malformed(template.to_owned()));
        }
        out.push(name);
        rest = after.get(close + 1..).unwrap_or("");
    }
    Ok(out)
}

/// Fills the placeholders `{name}` of `template` with `value(name)`; `key` names the message in
/// errors.
pub fn fill(
    key: &str,
    template: &str,
    value: impl Fn(&str) -> Option<String>,
) -> Result<String, MessageError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let close = after
            .find('}')
            .ok_or_else(|| MessageError::Malformed(key.to_owned()))?;
        let name = after.get(..close).unwrap_or("");
        let v = value(name).ok_or_else(|| MessageError::Missing {
            key: key.to_owned(),
            name: name.to_owned(),
        })?;
        out.push_str(&v);
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// A value put into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    /// The same in every language: a quote, a number, a name as the document writes it.
    Text(String),
    /// Another message (a word or phrase of `messages.toml`), in the report's language.
    Word(&'static str),
    /// A text that a data file gives in both languages.
    Both {
        /// English.
        en: String,
        /// Dutch.
        nl: String,
    },
    /// A list: its items joined with the message `sep` (`list_sep`, `and_sep`).
    List(Vec<Arg>, &'static str),
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl Arg {
    fn render(&self, lang: Lang, table: &BTreeMap<String, Entry>) -> Result<String, MessageError> {
        Ok(match self {
            Self::Text(s) => s.clone(),
            Self::Word(k) => table
                .get(*k)
                .ok_or_else(|| MessageError::Unknown((*k).to_owned()))?
                .get(lang)
                .to_owned(),
            Self::Both { en, nl } => match lang {
                Lang::Nl => nl.clone(),
                Lang::En => en.clone(),
            },
            Self::List(items, sep) => {
                let sep = table
                    .get(*sep)
                    .ok_or_else(|| MessageError::Unknown((*sep).to_owned()))?
                    .get(lang);
                items
                    .iter()
                    .map(|a| a.render(lang, table))
                    .collect::<Result<Vec<_>, _>>()?
                    .join(sep)
            }
        })
    }
}

/// A message to render: its key and the values of its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    /// The key in `messages.toml`.
    pub key: &'static str,
    /// Placeholder name → value.
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    /// The message in one language, its placeholders filled.
    pub(crate) fn render(&self, lang: Lang) -> Result<String, MessageError> {
        let table = messages()?;
        let entry = table
            .get(self.key)
            .ok_or_else(|| MessageError::Unknown(self.key.to_owned()))?;
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        for (name, arg) in &self.args {
            values.insert(name, arg.render(lang, table)?);
        }
        fill(self.key, entry.get(lang), |name| values.get(name).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        let table = messages().unwrap();
        assert!(table.len() >= 30, "{}", table.len());
        for (key, e) in table {
            assert!(!e.en.trim().is_empty() && !e.nl.trim().is_empty(), "{key}");
            let mut en = placeholders(&e.en).unwrap();
            let mut nl = placeholders(&e.nl).unwrap();
            en.sort_unstable();
            nl.sort_unstable();
            assert_eq!(en, nl, "{key}: placeholders differ between en and nl");
        }
    }

    #[test]
    fn fill_replaces_named_placeholders_and_reports_missing_ones() {
        let v = |n: &str| (n == "name").then(|| "Acme".to_owned());
        assert_eq!(
            fill("k", "Hi {name}, {name}!", v).unwrap(),
            "Hi Acme, Acme!"
        );
        assert_eq!(fill("k", "no placeholders", v).unwrap(), "no placeholders");
        assert_eq!(
            fill("k", "{other}", v),
            Err(MessageError::Missing {
                key: "k".to_owned(),
                name: "other".to_owned()
            })
        );
        assert!(matches!(
            fill("k", "open {name", v),
            Err(MessageError::Malformed(_))
        ));
        assert!(placeholders("{Bad Name}").is_err());
    }

    #[test]
    fn render_fills_words_lists_and_both() {
        let m = Message {
            key: "contra_address",
            args: vec![
                ("street", "Kerkstraat".into()),
                (
                    "what",
                    Arg::List(
                        vec![Arg::Word("house_number"), Arg::Word("postcode")],
                        "and_sep",
                    ),
                ),
                ("first", "Kerkstraat 1".into()),
                ("second", "Kerkstraat 3".into()),
            ],
        };
        let en = m.render(Lang::En).unwrap();
        let nl = m.render(Lang::Nl).unwrap();
        assert!(en.contains("different house number and postcode"), "{en}");
        assert!(nl.contains("ander huisnummer en postcode"), "{nl}");
        let unknown = Message {
            key: "no_such_message",
            args: Vec::new(),
        };
        assert!(matches!(
            unknown.render(Lang::Nl),
            Err(MessageError::Unknown(_))
        ));
        let both = Message {
            key: "contra_period",
            args: vec![
                (
                    "topic",
                    Arg::Both {
                        en: "the notice period".to_owned(),
                        nl: "de opzegtermijn".to_owned(),
                    },
                ),
                ("first", "1 month".into()),
                ("second", "2 months".into()),
            ],
        };
        assert!(both.render(Lang::Nl).unwrap().contains("de opzegtermijn"));
        assert!(both.render(Lang::En).unwrap().contains("the notice period"));
    }
}
