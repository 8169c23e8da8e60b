//! What Waarborg says to people, as data: the words and phrases of the privacy statement and
//! the access letter, one file per language (`texts/nl.toml`, `texts/en.toml`). A key is a dotted
//! path (`right.access.name`, `units.month`); a value is a string with `{name}` placeholders, or
//! a pair `[one, many]` for a unit. An organisation adjusts the tone by overriding keys in its
//! own `texts.<lang>.toml` ([`Texts::with_overrides`]); a third language is a third file with
//! the same keys.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::model::Lang;

/// The embedded Dutch texts.
pub const NL_TOML: &str = include_str!("../texts/nl.toml");
/// The embedded English texts.
pub const EN_TOML: &str = include_str!("../texts/en.toml");

/// Why a texts file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TextsError {
    /// The override file could not be read.
    #[error("cannot read texts file `{path}`: {source}; check the --templates directory")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a value is neither a string nor a pair of strings.
    #[error(
        "texts file `{path}` is not valid: {detail}; every key must be a string or a pair [\"one\", \"many\"]"
    )]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        detail: String,
    },
}

/// The texts of one language.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    lang: Option<Lang>,
    map: BTreeMap<String, String>,
    plural: BTreeMap<String, String>,
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut Texts,
    path: &str,
) -> Result<(), TextsError> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.map.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out, path)?,
            toml::Value::Array(a) => match a.as_slice() {
                [toml::Value::String(one), toml::Value::String(many)] => {
                    out.map.insert(key.clone(), one.clone());
                    out.plural.insert(key, many.clone());
                }
                _ => {
                    return Err(TextsError::Invalid {
                        path: path.to_owned(),
                        detail: format!("`{key}` is a list but not [\"one\", \"many\"]"),
                    });
                }
            },
            other => {
                return Err(TextsError::Invalid {
                    path: path.to_owned(),
                    detail: format!("`{key}` is a {}, not a string", other.type_str()),
                });
            }
        }
    }
    Ok(())
}

impl Texts {
    /// Parses a texts file.
    pub fn parse(src: &str, path: &str) -> Result<Self, TextsError> {
        let table: toml::Table = toml::from_str(src).map_err(|e| TextsError::Invalid {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
        let mut t = Texts::default();
        flatten("", &table, &mut t, path)?;
        Ok(t)
    }

    /// The built-in texts of `lang`.
    pub fn builtin(lang: Lang) -> &'static Texts {
        static NL: OnceLock<Texts> = OnceLock::new();
        static EN: OnceLock<Texts> = OnceLock::new();
        let (cell, src, name) = match lang {
            Lang::Nl => (&NL, NL_TOML, "texts/nl.toml"),
            Lang::En => (&EN, EN_TOML, "texts/en.toml"),
        };
        cell.get_or_init(|| {
            // The embedded files are checked by the tests; an error here cannot reach a user.
            let mut t = Texts::parse(src, name).unwrap_or_default();
            t.lang = Some(lang);
            t
        })
    }

    /// The built-in texts of `lang` with the keys of `dir/texts.<lang>.toml` (when that file
    /// exists) put over them.
    pub fn with_overrides(lang: Lang, dir: Option<&Path>) -> Result<Texts, TextsError> {
        let mut t = Texts::builtin(lang).clone();
        let Some(dir) = dir else { return Ok(t) };
        let path = dir.join(format!("texts.{}.toml", lang.code()));
        if !path.exists() {
            return Ok(t);
        }
        let shown = path.display().to_string();
        let src = std::fs::read_to_string(&path).map_err(|source| TextsError::Read {
            path: shown.clone(),
            source,
        })?;
        let over = Texts::parse(&src, &shown)?;
        t.map.extend(over.map);
        t.plural.extend(over.plural);
        Ok(t)
    }

    /// The language of these texts.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or(Lang::Nl)
    }

    /// The text under `key`; an unknown key gives the empty string (the tests check that every
    /// key the code uses exists in every language).
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map(String::as_str).unwrap_or("")
    }

    /// `true` when `key` exists.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The unit word under `key` for `n` (`1 maand`, `2 maanden`).
    pub fn unit(&self, key: &str, n: i64) -> &str {
        if n == 1 {
            self.get(key)
        } else {
            self.plural
                .get(key)
                .map(String::as_str)
                .unwrap_or_else(|| self.get(key))
        }
    }

    /// The text under `key` with `{name}` replaced by the values given.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// A list in words: `a`, `a en b`, `a, b en c` (`or`: `a, b of c`).
    pub fn list(&self, items: &[String], or: bool) -> String {
        let items: Vec<&str> = items
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        let conj = self.get(if or { "list.or" } else { "list.and" });
        match items.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} {conj} {last}", init.join(", ")),
        }
    }

    /// A country by its ISO 3166-1 alpha-2 code, in words (`US` → `de Verenigde Staten`); an
    /// unknown code is given as it is.
    pub fn country(&self, code: &str) -> String {
        let key = format!("countries.{}", code.trim().to_ascii_uppercase());
        match self.map.get(&key) {
            Some(name) => name.clone(),
            None => code.trim().to_owned(),
        }
    }

    /// All keys (for the completeness test).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// Replaces each `{name}` in `template` by its value; a placeholder without a value stays.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// [`fill`] with the values in a map (`{name}` → value).
pub fn fill_map<V: AsRef<str>>(
    template: &str,
    values: &std::collections::BTreeMap<&str, V>,
) -> String {
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    fill(template, &pairs)
}

/// `base` made unique among the ids `taken` reports: `base`, then `base-2`, `base-3`, ...; an
/// empty `base` becomes `fallback`.
pub fn unique_id(base: &str, fallback: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { fallback } else { base };
    let mut id = base.to_owned();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Upper-cases the first letter (for a phrase that starts a sentence).
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_complete() {
        let nl = Texts::builtin(Lang::Nl);
        let en = Texts::builtin(Lang::En);
        assert!(nl.keys().count() > 100, "nl texts did not load");
        let missing_en: Vec<&str> = nl.keys().filter(|k| !en.has(k)).collect();
        let missing_nl: Vec<&str> = en.keys().filter(|k| !nl.has(k)).collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_nl.is_empty(), "missing in nl.toml: {missing_nl:?}");
    }

    #[test]
    fn lists_and_units() {
        let nl = Texts::builtin(Lang::Nl);
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(nl.list(&v(&["a", "b", "c"]), false), "a, b en c");
        assert_eq!(nl.list(&v(&["a", "b"]), true), "a of b");
        assert_eq!(nl.unit("units.month", 2), "maanden");
        assert_eq!(nl.unit("units.month", 1), "maand");
        assert_eq!(nl.country("us"), "de Verenigde Staten");
        let en = Texts::builtin(Lang::En);
        assert_eq!(en.list(&v(&["a", "b", "c"]), true), "a, b or c");
        assert_eq!(en.country("US"), "the United States");
    }

    #[test]
    fn unique_ids_get_a_number() {
        let taken = ["a", "a-2"];
        assert_eq!(unique_id("a", "x", |id| taken.contains(&id)), "a-3");
        assert_eq!(unique_id("b", "x", |id| taken.contains(&id)), "b");
        assert_eq!(unique_id("", "x", |_| false), "x");
    }

    #[test]
    fn overrides_replace_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("texts.nl.toml"),
            "[fee]\nfree = \"Gratis!\"\n",
        )
        .unwrap();
        let t = Texts::with_overrides(Lang::Nl, Some(dir.path())).unwrap();
        assert_eq!(t.get("fee.free"), "Gratis!");
        assert_eq!(t.get("list.and"), "en");
        std::fs::write(dir.path().join("texts.nl.toml"), "x = 3\n").unwrap();
        assert!(Texts::with_overrides(Lang::Nl, Some(dir.path())).is_err());
    }
}
