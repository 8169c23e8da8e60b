//! The mails of the data subject's portal: verification link, receipt, extension, answer,
//! refusal, preferences link and the confirmation of a consent with its one-click unsubscribe
//! link. The wording is data (`mail/nl.toml`, `mail/en.toml`, compiled in), which an
//! organisation overrides key by key with files of the same name in a folder of its own; the
//! letter bodies come from [`crate::letters`].

use std::collections::BTreeMap;
use std::path::Path;

use waarborg_policy::Lang;

use crate::error::{AppError, Result};

const NL: &str = include_str!("../mail/nl.toml");
const EN: &str = include_str!("../mail/en.toml");

/// The mail texts in Dutch and English.
#[derive(Debug, Clone)]
pub struct MailTemplates {
    nl: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

fn parse(name: &str, text: &str) -> Result<BTreeMap<String, String>> {
    toml::from_str(text)
        .map_err(|e| AppError::invalid(format!("the mail texts {name} do not parse: {e}")))
}

impl MailTemplates {
    /// The compiled-in texts, overridden by `dir/nl.toml` and `dir/en.toml` when `dir` is given
    /// (a file may hold only some keys; a key the compiled-in texts do not know is refused, so
    /// that a typo does not go unnoticed).
    pub fn load(dir: Option<&Path>) -> Result<MailTemplates> {
        let mut nl = parse("(built in, Dutch)", NL)?;
        let mut en = parse("(built in, English)", EN)?;
        if let Some(dir) = dir {
            for (file, table) in [("nl.toml", &mut nl), ("en.toml", &mut en)] {
                let path = dir.join(file);
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => {
                        return Err(AppError::from(e)
                            .context(format!("cannot read the mail texts {}", path.display())));
                    }
                };
                let over = parse(&path.display().to_string(), &text)?;
                for (k, v) in over {
                    if !table.contains_key(&k) {
                        return Err(AppError::invalid(format!(
                            "{}: unknown key `{k}`; the keys are those of crates/waarborg-app/mail/{file}",
                            path.display()
                        )));
                    }
                    table.insert(k, v);
                }
            }
        }
        Ok(MailTemplates { nl, en })
    }

    /// Text `key` in `lang` with `{name}` placeholders filled from `values`.
    pub fn fill(&self, lang: Lang, key: &str, values: &BTreeMap<&str, String>) -> String {
        let table = match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        };
        waarborg_policy::texts::fill_map(table.get(key).map_or("", String::as_str), values)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn override_replaces_one_key_and_refuses_unknown_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("en.toml"),
            "verification_subject = \"Please confirm ({controller})\"\n",
        )
        .unwrap();
        let t = MailTemplates::load(Some(dir.path())).unwrap();
        let mut v = BTreeMap::new();
        v.insert("controller", "Shop".to_string());
        assert_eq!(
            t.fill(Lang::En, "verification_subject", &v),
            "Please confirm (Shop)"
        );
        assert_eq!(
            t.fill(Lang::Nl, "verification_subject", &v),
            "Bevestig uw verzoek aan Shop"
        );
        std::fs::write(dir.path().join("nl.toml"), "verificatie = \"x\"\n").unwrap();
        let e = MailTemplates::load(Some(dir.path())).unwrap_err();
        assert!(e.message.contains("unknown key `verificatie`"), "{e}");
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let t = MailTemplates::load(None).unwrap();
        assert_eq!(
            t.nl.keys().collect::<Vec<_>>(),
            t.en.keys().collect::<Vec<_>>()
        );
    }
}
