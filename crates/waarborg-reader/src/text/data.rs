//! The text layer's language data, `data/<lang>/text.toml`: the abbreviations and company forms
//! whose dot does not end a sentence, the words after which a number is no phone number, and the
//! words of clause headings and cross-references ([`crate::structure`]).
//! Every language's lists apply to every text, since a text is split (and its numbers read)
//! before its language is known.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::languages::LANGUAGES;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextFile {
    abbreviations: Vec<String>,
    company_forms: Vec<String>,
    not_phone_after: Vec<String>,
    structure: StructureWords,
}

/// The words of clause headings and cross-references (`[structure]` of `text.toml`), lower case.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StructureWords {
    /// Words that open an article heading or reference ("artikel", "clause").
    pub article: Vec<String>,
    /// Words that open an article reference only ("artikelen").
    pub article_plural: Vec<String>,
    /// Words that open a chapter heading ("hoofdstuk", "schedule").
    pub chapter: Vec<String>,
    /// Words before a paragraph or point of an article ("lid", "paragraph").
    pub paragraph: Vec<String>,
    /// Words between a reference and the law it cites ("van de", "of the").
    pub of_the: Vec<String>,
    /// Law names after which a reference points outside the document ("avg", "gdpr").
    pub laws: Vec<String>,
}

impl StructureWords {
    /// The words that open a numbered heading, article or chapter ("artikel", "bijlage",
    /// "clause", "schedule"), lower case.
    pub fn heading_words(&self) -> impl Iterator<Item = &str> {
        self.article.iter().chain(&self.chapter).map(String::as_str)
    }

    fn extend(&mut self, other: Self) {
        let lower = |v: Vec<String>| v.into_iter().map(|a| a.to_lowercase());
        self.article.extend(lower(other.article));
        self.article_plural.extend(lower(other.article_plural));
        self.chapter.extend(lower(other.chapter));
        self.paragraph.extend(lower(other.paragraph));
        self.of_the.extend(lower(other.of_the));
        self.laws.extend(lower(other.laws));
    }
}

/// The rest of `t` after `word` and one space at its start, the word's ASCII case ignored
/// ("Artikel 5" after "artikel" → "5"); `None` when `t` does not start so.
pub(crate) fn after_word<'t>(t: &'t str, word: &str) -> Option<&'t str> {
    t.get(..word.len())
        .filter(|head| head.eq_ignore_ascii_case(word))
        .and_then(|_| t.get(word.len()..))
        .and_then(|rest| rest.strip_prefix(' '))
}

/// The lists of every language together, lower case.
#[derive(Default)]
pub(crate) struct TextData {
    /// Abbreviations without their final dot ("bijv", "e.g").
    pub abbreviations: HashSet<String>,
    /// Company forms without their final dot ("b.v", "inc").
    pub company_forms: HashSet<String>,
    /// The length in chars of the longest abbreviation or company form.
    pub longest: usize,
    /// Words shortly before a number that make it no phone number ("iban", "kvk").
    pub not_phone_after: Vec<String>,
    /// The words of clause headings and cross-references.
    pub structure: StructureWords,
}

/// The text-layer data of every language, or why a data file does not parse.
pub(crate) fn text_data() -> Result<&'static TextData, &'static str> {
    static DATA: LazyLock<Result<TextData, String>> = LazyLock::new(|| {
        let mut all = TextData::default();
        for l in LANGUAGES {
            let file: TextFile = toml::from_str(l.text)
                .map_err(|e| format!("data/{}/text.toml: {e}", l.lang.code()))?;
            let lower = |v: Vec<String>| v.into_iter().map(|a| a.to_lowercase());
            all.abbreviations.extend(lower(file.abbreviations));
            all.company_forms.extend(lower(file.company_forms));
            all.not_phone_after.extend(lower(file.not_phone_after));
            all.structure.extend(file.structure);
        }
        all.longest = all
            .abbreviations
            .iter()
            .chain(&all.company_forms)
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        Ok(all)
    });
    DATA.as_ref().map_err(String::as_str)
}

/// Checks that every language's `text.toml` parses and fills every list.
///
/// # Errors
/// The first file that does not parse, or the first empty list, as text.
pub fn check_data() -> Result<(), String> {
    for l in LANGUAGES {
        let file: TextFile =
            toml::from_str(l.text).map_err(|e| format!("data/{}/text.toml: {e}", l.lang.code()))?;
        for (name, list) in [
            ("abbreviations", &file.abbreviations),
            ("company_forms", &file.company_forms),
            ("not_phone_after", &file.not_phone_after),
            ("structure.article", &file.structure.article),
            ("structure.chapter", &file.structure.chapter),
            ("structure.paragraph", &file.structure.paragraph),
            ("structure.of_the", &file.structure.of_the),
            ("structure.laws", &file.structure.laws),
        ] {
            if list.is_empty() {
                return Err(format!(
                    "data/{}/text.toml: `{name}` is empty",
                    l.lang.code()
                ));
            }
        }
    }
    text_data().map(|_| ()).map_err(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_parses() {
        check_data().unwrap();
        let d = text_data().unwrap();
        assert!(d.abbreviations.contains("bijv") && d.abbreviations.contains("e.g"));
        assert!(d.not_phone_after.iter().any(|w| w == "iban"));
    }
}
