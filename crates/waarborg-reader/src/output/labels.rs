//! The labels, titles and headings of the human and HTML reports in English and Dutch: data in
//! `data/report.toml`, embedded at compile time.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use waarborg_policy::{IsoDuration, Lang};

use crate::problems::messages::{Entry, fill};
use crate::problems::{ProblemKind, RuleInfo};
use crate::summary::DocType;

const LABELS: &str = include_str!("../../data/report.toml");

static TABLE: OnceLock<BTreeMap<String, Entry>> = OnceLock::new();

/// The label table; empty when the embedded data do not parse (a defect the crate's tests catch;
/// the reports then show the keys).
pub(crate) fn table() -> &'static BTreeMap<String, Entry> {
    TABLE.get_or_init(|| toml::from_str(LABELS).unwrap_or_default())
}

/// The reports' words in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Labels {
    pub lang: Lang,
}

impl Labels {
    /// The label `key`, or the key itself when there is none.
    pub fn get(self, key: &str) -> &str {
        table().get(key).map_or(key, |e| e.get(self.lang))
    }

    /// "1 problem", "N problems".
    pub fn problems(self, n: usize) -> String {
        if n == 1 {
            return self.get("problems_one").to_owned();
        }
        let t = self.get("problems_many");
        fill("problems_many", t, |name| {
            (name == "n").then(|| n.to_string())
        })
        .unwrap_or_else(|_| format!("{n} {t}"))
    }

    /// The heading of a kind of problem.
    pub fn kind(self, kind: ProblemKind) -> String {
        self.get(&format!("kind_{}", kind.as_str())).to_owned()
    }

    /// The name of a kind of document.
    pub fn doc_type(self, t: DocType) -> String {
        let key = serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(|s| format!("doc_{s}")))
            .unwrap_or_default();
        self.get(&key).to_owned()
    }

    /// An ISO 8601 period in words in the report's language ("P14M": "14 maanden", "14
    /// months"), through the register's own [`IsoDuration::words`]; a value that is no ISO 8601
    /// period as it is.
    pub fn duration(self, iso: &str) -> String {
        IsoDuration::parse(iso).map_or_else(|_| iso.to_owned(), |d| d.words(self.lang))
    }

    /// A rule's title.
    pub fn title(self, rule: &RuleInfo) -> &str {
        match self.lang {
            Lang::Nl => &rule.title_nl,
            Lang::En => &rule.title,
        }
    }

    /// The law a rule rests on.
    pub fn law(self, rule: &RuleInfo) -> &str {
        match self.lang {
            Lang::Nl => &rule.law_nl,
            Lang::En => &rule.law,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label the reports ask for exists in both languages, and every kind of problem and
    /// of document has one.
    #[test]
    fn every_label_used_exists_in_both_languages() {
        let parsed: BTreeMap<String, Entry> = toml::from_str(LABELS).unwrap();
        assert_eq!(&parsed, table());
        for (k, e) in table() {
            assert!(!e.en.trim().is_empty() && !e.nl.trim().is_empty(), "{k}");
        }
        let mut used: Vec<String> = Vec::new();
        // l.get("key"), row("key", ..), add(&span, "key"), (&f.list, "key"), "retention_period"
        let call = regex::Regex::new(
            r#"(?:\.get\(|row\(|add\([^,()]+,|\(&f\.\w+,)\s*"([a-z0-9_]+)"|^\s*"([a-z0-9_]+)",$"#,
        )
        .unwrap();
        for src in [include_str!("human.rs"), include_str!("html.rs")] {
            for line in src.lines() {
                for c in call.captures_iter(line) {
                    if let Some(k) = c.get(1).or_else(|| c.get(2)) {
                        used.push(k.as_str().to_owned());
                    }
                }
            }
        }
        assert!(used.len() >= 20, "{used:?}");
        for k in [
            ProblemKind::Contradiction,
            ProblemKind::BrokenReference,
            ProblemKind::OutdatedReference,
            ProblemKind::MissingArt13Item,
            ProblemKind::MissingArt28Item,
            ProblemKind::QuestionableClause,
            ProblemKind::TypoInIdentifier,
        ] {
            used.push(format!("kind_{}", k.as_str()));
        }
        for t in [
            DocType::PrivacyStatement,
            DocType::Terms,
            DocType::Dpa,
            DocType::Cookie,
            DocType::Mixed,
        ] {
            let v = serde_json::to_value(t).unwrap();
            used.push(format!("doc_{}", v.as_str().unwrap()));
        }
        for k in &used {
            assert!(
                table().contains_key(k),
                "label `{k}` missing from report.toml"
            );
        }
        let nl = Labels { lang: Lang::Nl };
        let en = Labels { lang: Lang::En };
        assert_eq!(nl.duration("P14M"), "14 maanden");
        assert_eq!(nl.duration("P1Y"), "1 jaar");
        assert_eq!(en.duration("P1Y"), "1 year");
        assert_eq!(en.duration("PT48H"), "48 hours");
        assert_eq!(nl.duration("P4W"), "4 weken");
        assert_eq!(en.duration("P1Y6M"), "1 year and 6 months");
        for odd in ["P", "PX", "7 jaar", "?"] {
            assert_eq!(nl.duration(odd), odd);
        }
        assert_eq!(nl.problems(1), "1 probleem");
        assert_eq!(nl.problems(3), "3 problemen");
        assert_eq!(Labels { lang: Lang::En }.problems(2), "2 problems");
    }
}
