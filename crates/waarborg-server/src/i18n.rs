//! The dashboard's texts in Dutch and English, kept as data (`i18n/nl.toml`, `i18n/en.toml`):
//! a third language is a file, not code.

use std::collections::BTreeMap;

use waarborg_app::AppError;
use waarborg_policy::Lang;

const NL: &str = include_str!("../i18n/nl.toml");
const EN: &str = include_str!("../i18n/en.toml");
// The public portal's texts, kept apart from the dashboard's.
const PORTAL_NL: &str = include_str!("../i18n/portal_nl.toml");
const PORTAL_EN: &str = include_str!("../i18n/portal_en.toml");

/// The texts, by language and key.
#[derive(Debug, Clone)]
pub struct Messages {
    nl: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Messages {
    /// Loads the compiled-in texts; every key must exist in both languages.
    pub fn load() -> Result<Messages, AppError> {
        let parse = |name: &str, text: &str| -> Result<BTreeMap<String, String>, AppError> {
            toml::from_str(text)
                .map_err(|e| AppError::internal(format!("the {name} texts do not parse: {e}")))
        };
        let mut nl = parse("Dutch", NL)?;
        let mut en = parse("English", EN)?;
        nl.extend(parse("Dutch portal", PORTAL_NL)?);
        en.extend(parse("English portal", PORTAL_EN)?);
        let missing: Vec<&String> = nl
            .keys()
            .filter(|k| !en.contains_key(*k))
            .chain(en.keys().filter(|k| !nl.contains_key(*k)))
            .collect();
        if !missing.is_empty() {
            return Err(AppError::internal(format!(
                "texts missing in one language: {missing:?}"
            )));
        }
        Ok(Messages { nl, en })
    }

    /// The texts of `lang`.
    pub fn table(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// One text; the key itself when unknown (visible in tests, never a crash).
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.table(lang).get(key).map_or(key, String::as_str)
    }
}
