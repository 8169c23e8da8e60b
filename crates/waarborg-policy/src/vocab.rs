//! Words in Dutch and English that the register and the statement use, kept as data in
//! `data/vocabulary.toml`: retention events, the Art. 9(2) exceptions by letter, and the three
//! kinds of sensitive data (Art. 9 special categories, Art. 10 criminal data, the BSN).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::Lang;

/// The embedded vocabulary file.
pub const VOCABULARY_TOML: &str = include_str!("../data/vocabulary.toml");

/// A word or phrase in both languages.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

impl Words {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// One exception of GDPR Art. 9(2).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Art9Ground {
    /// The letter, `a` to `j`.
    pub letter: String,
    /// What it allows, completing "we use these data ...".
    pub nl: String,
    /// The same in English.
    pub en: String,
}

/// The name, article and statement introduction of one kind of sensitive data.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindWords {
    /// Heading in Dutch.
    pub nl: String,
    /// Heading in English.
    pub en: String,
    /// The article, Dutch citation style.
    pub article_nl: String,
    /// The article, English citation style.
    pub article_en: String,
    /// Introduction in the Dutch statement.
    pub intro_nl: String,
    /// Introduction in the English statement.
    pub intro_en: String,
}

/// The whole vocabulary.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// Built-in retention events by key.
    #[serde(default)]
    pub events: BTreeMap<String, Words>,
    /// Art. 9(2) exceptions by their snake_case key.
    #[serde(default)]
    pub art9: BTreeMap<String, Art9Ground>,
    /// `special`, `criminal`, `national_id`.
    #[serde(default)]
    pub kinds: BTreeMap<String, KindWords>,
    /// Cookie categories by their TOML key.
    #[serde(default)]
    pub cookie_categories: BTreeMap<String, Words>,
    /// Other labels by key, e.g. `lookup.provider`.
    #[serde(default)]
    pub labels: BTreeMap<String, Words>,
}

/// The vocabulary, parsed once. A broken file (caught by the tests) gives an empty vocabulary
/// rather than a panic; callers fall back to plain keys.
pub fn vocabulary() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| parse(VOCABULARY_TOML).unwrap_or_default())
}

/// Parses a vocabulary file.
pub fn parse(text: &str) -> Result<Vocabulary, toml::de::Error> {
    toml::from_str(text)
}

/// The words for a built-in retention event, if it is one.
pub fn event_words(key: &str, lang: Lang) -> Option<&'static str> {
    vocabulary().events.get(key).map(|w| w.get(lang))
}

/// A label by key (e.g. `lookup.provider`), or the key itself when the vocabulary lacks it.
pub fn label(key: &str, lang: Lang) -> String {
    vocabulary()
        .labels
        .get(key)
        .map(|w| w.get(lang).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

/// A cookie category in words, e.g. `analytisch` / `analytics`.
pub fn cookie_category(category: crate::model::CookieCategory, lang: Lang) -> String {
    let key = serde_json::to_value(category)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    vocabulary()
        .cookie_categories
        .get(&key)
        .map(|w| w.get(lang).to_owned())
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_embedded_vocabulary_parses_and_is_complete() {
        let v = parse(VOCABULARY_TOML).unwrap();
        assert!(v.events.len() >= 15);
        let letters: Vec<&str> = v.art9.values().map(|g| g.letter.as_str()).collect();
        for l in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            assert!(letters.contains(&l), "letter {l} missing");
        }
        for k in ["special", "criminal", "national_id"] {
            assert!(v.kinds.contains_key(k), "{k}");
        }
        for w in v.events.values() {
            assert!(!w.nl.is_empty() && !w.en.is_empty());
        }
        assert_eq!(
            event_words("invoice_date", Lang::Nl),
            Some("de factuurdatum")
        );
    }
}
