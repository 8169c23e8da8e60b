//! ## What it does
//! For purposes with `legal_basis = "legal_obligation"` and a `legal_ground`, checks that the ground names a law: a statute or regulation (a word such as *wet*, *besluit*, *verordening*, *Act*, or an abbreviation such as AWR, BW, Wwft) with its article (`art. 52`, `artikel 10`, `7:454`). The organisation's own statutes, terms, rules or contracts are no law; a ground that names no law is flagged, and so is a law without an article. The words are data (`data/legal-citations.toml`). A missing ground is WB042.
//!
//! ## Why is this bad?
//! Art. 6(1)(c) covers only obligations laid down by Union or Member State law (Art. 6(3)). An obligation an organisation sets itself in its statutes or terms is no legal obligation: processing for it rests on the contract (Art. 6(1)(b)) or a legitimate interest (Art. 6(1)(f)), with the right to object that comes with the latter. Without an article, neither people nor the AP can check the claim.
//!
//! ## Article
//! GDPR Art. 6(1)(c), Art. 6(3)
//!
//! ## Nederlands
//! Een wettelijke plicht moet uit een wet komen (met artikel); statuten of algemene voorwaarden zijn geen wet.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "membership"
//! name = "Ledenadministratie"
//! legal_basis = "legal_obligation"
//! legal_ground = "Statuten van de vereniging, artikel 5"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "membership"
//! name = "Ledenadministratie"
//! legal_basis = "contract"
//!
//! [[purposes]]
//! id = "books"
//! name = "Boekhouding"
//! legal_basis = "legal_obligation"
//! legal_ground = "BW 2:10 lid 3"
//! ```

use std::sync::OnceLock;

use serde::Deserialize;

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB055",
    name: "legal-obligation-not-a-law",
    severity: Severity::Warning,
    article: "GDPR Art. 6(1)(c), Art. 6(3)",
    summary: "A legal obligation cites no law and article, or cites the organisation's own statutes or terms.",
    summary_nl: "Bij een wettelijke plicht staat geen wet met artikel, of staan eigen statuten of voorwaarden.",
};

#[derive(Default, Deserialize)]
struct Words {
    law_word_endings: Vec<String>,
    law_abbreviations: Vec<String>,
    article_words: Vec<String>,
    own_rules: Vec<String>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| toml::from_str(include_str!("../../data/legal-citations.toml")).unwrap_or_default())
}

/// What a legal ground cites.
#[derive(Debug, PartialEq, Eq)]
enum Citation {
    /// A law with an article.
    Law,
    /// A law without an article.
    LawWithoutArticle,
    /// The organisation's own rules, and no law.
    OwnRules(String),
    /// Nothing recognisable as a law.
    NoLaw,
}

fn classify(ground: &str) -> Citation {
    let w = words();
    let lower = ground.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '§'))
        .filter(|t| !t.is_empty())
        .collect();
    let civil_code = tokens.iter().any(|t| {
        t.split_once(':').is_some_and(|(a, b)| {
            a.chars().next().is_some_and(|c| c.is_ascii_digit()) && b.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
    });
    let law = civil_code
        || tokens.iter().any(|t| {
            w.law_abbreviations.iter().any(|a| a == t) || w.law_word_endings.iter().any(|e| t.ends_with(e.as_str()))
        });
    let article = civil_code || tokens.iter().any(|t| w.article_words.iter().any(|a| a == t));
    if law && article {
        return Citation::Law;
    }
    let folded = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    match w.own_rules.iter().find(|o| folded.contains(o.as_str())) {
        Some(o) => Citation::OwnRules(o.clone()),
        None if law => Citation::LawWithoutArticle,
        None => Citation::NoLaw,
    }
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.legal_basis != Some(LegalBasis::LegalObligation) {
            continue;
        }
        let Some(ground) = pu.legal_ground.as_deref().filter(|g| !g.trim().is_empty()) else {
            continue;
        };
        let path = format!("purposes[{i}].legal_ground");
        let finding = match classify(ground) {
            Citation::Law => continue,
            Citation::OwnRules(what) => Finding::new(path, format!("purpose `{}` rests on a legal obligation, but its ground `{ground}` is the organisation's own {what}, not a law", pu.id))
                .help("use `legal_basis = \"contract\"` when the processing is needed for the agreement with the person (membership, terms), or `legitimate_interests` with the interest stated; keep `legal_obligation` only for a duty a law imposes, named with its article"),
            Citation::NoLaw => Finding::new(path, format!("purpose `{}` rests on a legal obligation, but its ground `{ground}` names no law", pu.id))
                .help("name the statute or regulation and its article, e.g. `legal_ground = \"AWR art. 52 lid 4\"`; if no law imposes the processing, use `contract` or `legitimate_interests`"),
            Citation::LawWithoutArticle => Finding::new(path, format!("purpose `{}` names the law `{ground}` but not the article that imposes the obligation", pu.id))
                .help("add the article, e.g. `Wet op de loonbelasting 1964, art. 28`"),
        };
        out.push(finding);
    }
}

doc_tests!("WB055");

#[cfg(test)]
mod classify_tests {
    use super::{Citation, classify};

    #[test]
    fn tells_laws_from_own_rules() {
        assert_eq!(classify("AWR art. 52"), Citation::Law);
        assert_eq!(classify("Burgerlijk Wetboek boek 7, art. 454 (WGBO)"), Citation::Law);
        assert_eq!(classify("BW 2:10"), Citation::Law);
        assert_eq!(classify("Zorgverzekeringswet art. 87"), Citation::Law);
        assert_eq!(classify("Regulation (EU) 2016/679, Article 30"), Citation::Law);
        assert_eq!(classify("Wet op de loonbelasting 1964"), Citation::LawWithoutArticle);
        assert_eq!(
            classify("Statuten art. 4 en huishoudelijk reglement"),
            Citation::OwnRules("statuten".into())
        );
        assert_eq!(
            classify("Our general terms and conditions"),
            Citation::OwnRules("terms and conditions".into())
        );
        assert_eq!(
            classify("Besluit van het bestuur"),
            Citation::OwnRules("besluit van het bestuur".into())
        );
        assert_eq!(classify("Dutch Civil Code 2:10"), Citation::Law);
        assert_eq!(classify("Boekhouding"), Citation::NoLaw);
    }
}
