//! The languages the reader reads. Each is one folder `data/<code>/` with four files, embedded at
//! build time, and one line in [`LANGUAGES`]:
//!
//! - `lexicon.toml`: the facts' phrases and patterns ([`crate::facts::lexicon`]);
//! - `problems.toml`: the problem rules' pattern groups, period topics and outdated terms
//!   ([`crate::problems::data`]);
//! - `numbers.toml`: number words, units of time and KvK cue words ([`crate::text::numbers`]);
//! - `text.toml`: the abbreviations that do not end a sentence ([`crate::text::segments`]).
//!
//! `LANGUAGES.md` in the crate's folder says how to add one.

use waarborg_policy::Lang;

/// One language's data files.
pub(crate) struct LanguageData {
    /// The language.
    pub lang: Lang,
    /// `data/<code>/lexicon.toml`.
    pub lexicon: &'static str,
    /// `data/<code>/problems.toml`.
    pub problems: &'static str,
    /// `data/<code>/numbers.toml`.
    pub numbers: &'static str,
    /// `data/<code>/text.toml`.
    pub text: &'static str,
}

/// The data files of the language `$lang` from the folder `data/$code/`.
macro_rules! language {
    ($lang:expr, $code:literal) => {
        LanguageData {
            lang: $lang,
            lexicon: include_str!(concat!("../data/", $code, "/lexicon.toml")),
            problems: include_str!(concat!("../data/", $code, "/problems.toml")),
            numbers: include_str!(concat!("../data/", $code, "/numbers.toml")),
            text: include_str!(concat!("../data/", $code, "/text.toml")),
        }
    };
}

/// Every language the reader reads, in the order of [`Lang::ALL`].
pub(crate) const LANGUAGES: &[LanguageData] =
    &[language!(Lang::Nl, "nl"), language!(Lang::En, "en")];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language of the register has its folder here, and every folder with a lexicon is
    /// registered: a folder cannot be added and forgotten.
    #[test]
    fn every_language_folder_is_registered() {
        let registered: Vec<Lang> = LANGUAGES.iter().map(|l| l.lang).collect();
        assert_eq!(registered, Lang::ALL);
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
        let mut folders: Vec<String> = std::fs::read_dir(data)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.path().join("lexicon.toml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        folders.sort();
        let mut codes: Vec<&str> = LANGUAGES.iter().map(|l| l.lang.code()).collect();
        codes.sort_unstable();
        assert_eq!(folders, codes);
    }
}
