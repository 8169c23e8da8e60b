//! The cookie banner of the organisation's own website, as use cases: what the banner shows
//! (built from the register's cookie table, in Dutch or English) and recording a visitor's
//! choice in the consent ledger.
//!
//! - A cookie category is *chosen* by the visitor when it is not `necessary` and at least one of
//!   its cookies is not `exempt`; the other categories are shown as always on.
//! - A chosen category is recorded under the register's purpose whose id is the category key
//!   (`functional`, `analytics`, `advertising`); that purpose must rest on consent (checked like
//!   every other consent, [`crate::consent::check_purpose`]).
//! - The subject in the ledger is `visitor:<32 hex digits>`, an anonymous id the banner script
//!   makes in the browser; the wording of each category as shown is kept with its grant.
//! - "Yes" to a category is a grant; "no" is a withdrawal (recorded also when nothing was in
//!   force, so that a refusal is evidence too). A refusal because the browser sends Global
//!   Privacy Control is recorded with the source [`SOURCE_GPC`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use waarborg_policy::{CookieCategory, CookieConsent, Lang, LegalBasis, Policy};
use waarborg_store::{ConsentEvent, Store};

use crate::consent::{self, Grant};
use crate::error::{AppError, Result};
use crate::register::LoadedRegister;

const NL: &str = include_str!("../banner/nl.toml");
const EN: &str = include_str!("../banner/en.toml");

/// The ledger source of a choice the visitor made in the banner.
pub const SOURCE: &str = "cookie-banner";
/// The ledger source of a refusal made for the visitor because the browser sends Global
/// Privacy Control (`Sec-GPC: 1` / `navigator.globalPrivacyControl`).
pub const SOURCE_GPC: &str = "cookie-banner (Global Privacy Control)";
/// The prefix of a visitor's subject key in the ledger.
pub const VISITOR_PREFIX: &str = "visitor:";

/// The texts of the banner and the cookie page in one language, by key.
pub type Texts = BTreeMap<String, String>;

fn parse_texts(name: &str, text: &str) -> Result<Texts> {
    toml::from_str(text)
        .map_err(|e| AppError::internal(format!("the banner texts ({name}) do not parse: {e}")))
}

/// The banner's texts in `lang` (`banner/nl.toml`, `banner/en.toml`, compiled in).
pub fn texts(lang: Lang) -> Result<&'static Texts> {
    static CELL: OnceLock<std::result::Result<(Texts, Texts), String>> = OnceLock::new();
    let both = CELL.get_or_init(|| {
        let nl = parse_texts("nl", NL).map_err(|e| e.message)?;
        let en = parse_texts("en", EN).map_err(|e| e.message)?;
        let missing: Vec<&String> = nl
            .keys()
            .filter(|k| !en.contains_key(*k))
            .chain(en.keys().filter(|k| !nl.contains_key(*k)))
            .collect();
        if missing.is_empty() {
            Ok((nl, en))
        } else {
            Err(format!("banner texts missing in one language: {missing:?}"))
        }
    });
    match both {
        Ok((nl, en)) => Ok(match lang {
            Lang::Nl => nl,
            Lang::En => en,
        }),
        Err(e) => Err(AppError::internal(e.clone())),
    }
}

fn text<'a>(t: &'a Texts, key: &'a str) -> &'a str {
    t.get(key).map_or(key, String::as_str)
}

/// A cookie as the banner and the cookie page show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BannerCookie {
    /// Its name, e.g. `_stats_id`.
    pub name: String,
    /// Who places or reads it.
    pub provider: String,
    /// How long it stays, in words (`13 maanden`, `until you close the browser`).
    pub lifetime: String,
    /// What it is for.
    pub purpose: String,
}

/// A cookie category of the banner.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BannerCategory {
    /// The category key: `necessary`, `functional`, `analytics`, `advertising`.
    pub key: String,
    /// Its name in words.
    pub name: String,
    /// What its cookies do (the register purpose's description, or a general text).
    pub description: String,
    /// `true`: always on, no choice (necessary, or only exempt cookies).
    pub required: bool,
    /// For a category the visitor chooses: the register purpose the choice is recorded under.
    pub purpose: Option<String>,
    /// Its cookies.
    pub cookies: Vec<BannerCookie>,
    /// The wording of this category as shown, kept with a grant (Art. 7(1)).
    pub wording: String,
}

/// Everything the banner script shows, from the register.
#[derive(Debug, Clone, Serialize)]
pub struct BannerConfig {
    /// `nl` or `en`.
    pub lang: &'static str,
    /// The organisation.
    pub controller: String,
    /// The register version (its digest) the banner is built from.
    pub register_version: String,
    /// SHA-256 of everything shown; a choice must name it, so that the wording recorded is
    /// the wording the visitor saw.
    pub version: String,
    /// The categories, necessary first.
    pub categories: Vec<BannerCategory>,
    /// The texts of the banner.
    pub texts: Texts,
}

impl BannerConfig {
    /// The categories the visitor chooses.
    pub fn choosable(&self) -> impl Iterator<Item = &BannerCategory> {
        self.categories.iter().filter(|c| !c.required)
    }
}

const ORDER: [CookieCategory; 4] = [
    CookieCategory::Necessary,
    CookieCategory::Functional,
    CookieCategory::Analytics,
    CookieCategory::Advertising,
];

fn key_of(c: CookieCategory) -> &'static str {
    match c {
        CookieCategory::Necessary => "necessary",
        CookieCategory::Functional => "functional",
        CookieCategory::Analytics => "analytics",
        CookieCategory::Advertising => "advertising",
    }
}

/// `analytics` → `Analytics` (the vocabulary's words are for use inside a sentence; the banner
/// uses them as headings).
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn consent_purpose<'a>(policy: &'a Policy, key: &str) -> Option<&'a waarborg_policy::Purpose> {
    policy
        .purpose(key)
        .filter(|p| p.legal_basis == Some(LegalBasis::Consent))
}

/// The banner for `register` in `lang`. Fails, saying what to add, when a category that needs
/// consent has no purpose based on consent in the register: without it no choice could be
/// recorded, and no banner is better than one that cannot prove anything.
pub fn config(register: &LoadedRegister, lang: Lang) -> Result<BannerConfig> {
    let policy = &register.policy;
    let t = texts(lang)?;
    let mut categories = Vec::new();
    for cat in ORDER {
        let cookies: Vec<&waarborg_policy::Cookie> = policy
            .cookies
            .iter()
            .filter(|c| c.category == cat)
            .collect();
        if cookies.is_empty() {
            continue;
        }
        let key = key_of(cat);
        let required = cat == CookieCategory::Necessary
            || cookies.iter().all(|c| c.consent == CookieConsent::Exempt);
        let purpose = if required {
            None
        } else {
            let Some(p) = consent_purpose(policy, key) else {
                return Err(AppError::conflict(format!(
                    "the register's cookie table has {key} cookies that need consent, but no purpose \
                     `{key}` based on consent to record the visitor's choice under; add \
                     [[purposes]] id = \"{key}\" with legal_basis = \"consent\" to the register"
                )));
            };
            Some(p)
        };
        let name = capitalised(&waarborg_policy::vocab::cookie_category(cat, lang));
        let description = purpose
            .map(|p| p.description.get(lang).to_owned())
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| text(t, &format!("{key}_description")).to_owned());
        let cookies: Vec<BannerCookie> = cookies
            .iter()
            .map(|c| BannerCookie {
                name: c.name.clone(),
                provider: c.provider.clone(),
                lifetime: c
                    .lifetime
                    .as_ref()
                    .map_or_else(|| text(t, "session").to_owned(), |l| l.words(lang)),
                purpose: c
                    .purpose
                    .as_ref()
                    .map(|p| p.get(lang).to_owned())
                    .unwrap_or_default(),
            })
            .collect();
        let mut wording = format!(
            "{}\n{}\n{name}: {description}\n{}:",
            text(t, "title"),
            text(t, "intro"),
            text(t, "cookies_in")
        );
        for c in &cookies {
            wording.push_str(&format!(
                "\n- {} ({}; {} {}) {}",
                c.name,
                c.provider,
                text(t, "lifetime"),
                c.lifetime,
                c.purpose
            ));
        }
        categories.push(BannerCategory {
            key: key.to_owned(),
            name,
            description,
            required,
            purpose: purpose.map(|p| p.id.clone()),
            cookies,
            wording,
        });
    }
    let shown = serde_json::json!({
        "lang": lang.code(),
        "register": register.digest,
        "categories": categories,
        "texts": t,
    });
    let version = waarborg_store::audit::sha256_hex(shown.to_string().as_bytes());
    Ok(BannerConfig {
        lang: lang.code(),
        controller: policy.controller.name.clone(),
        register_version: register.digest.clone(),
        version,
        categories,
        texts: t.clone(),
    })
}

/// A visitor's choice, as the banner script sends it.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The anonymous visitor id: 32 lowercase hex digits, made by the banner.
    pub visitor: String,
    /// The language the banner was shown in.
    pub lang: Lang,
    /// The [`BannerConfig::version`] the visitor saw.
    pub version: String,
    /// Per chosen category key: allowed or not.
    pub categories: BTreeMap<String, bool>,
    /// `true` when this is the refusal Global Privacy Control asks for, not a choice the
    /// visitor made in the banner.
    pub gpc: bool,
}

/// What was recorded for a choice.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// The subject key in the ledger (`visitor:...`).
    pub subject: String,
    /// The source recorded ([`SOURCE`] or [`SOURCE_GPC`]).
    pub source: &'static str,
    /// One event per chosen category.
    pub events: Vec<ConsentEvent>,
}

/// Checks a visitor id: 32 lowercase hex digits (128 random bits), nothing else, so that the
/// ledger never holds a name or an e-mail address passed off as a visitor id.
pub fn check_visitor(id: &str) -> Result<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(AppError::invalid(
            "the visitor id must be 32 lowercase hexadecimal digits (the banner makes one at random)",
        ))
    }
}

/// Records a visitor's choice in the consent ledger: for every category the visitor chooses, a
/// grant (with the wording shown and the register version) or a withdrawal. Refused when the
/// banner shown is no longer the register's ([`ErrorKind::Conflict`](crate::ErrorKind): reload
/// it), when a category is unknown or missing, or when a Global Privacy Control refusal allows
/// anything.
pub async fn record(store: &Store, register: &LoadedRegister, choice: &Choice) -> Result<Recorded> {
    check_visitor(&choice.visitor)?;
    let cfg = config(register, choice.lang)?;
    if !choice.version.eq_ignore_ascii_case(&cfg.version) {
        return Err(AppError::conflict(
            "the banner shown is not the current one (the register or its wording changed); \
             show the banner again and ask again",
        ));
    }
    let known: Vec<&str> = cfg.choosable().map(|c| c.key.as_str()).collect();
    if let Some(unknown) = choice
        .categories
        .keys()
        .find(|k| !known.contains(&k.as_str()))
    {
        return Err(AppError::invalid(format!(
            "unknown cookie category `{unknown}`; the banner asks about: {}",
            if known.is_empty() {
                "nothing".to_owned()
            } else {
                known.join(", ")
            }
        )));
    }
    if let Some(missing) = known.iter().find(|k| !choice.categories.contains_key(**k)) {
        return Err(AppError::invalid(format!(
            "the choice does not say yes or no to `{missing}`; give every category: {}",
            known.join(", ")
        )));
    }
    if choice.gpc && choice.categories.values().any(|v| *v) {
        return Err(AppError::invalid(
            "a Global Privacy Control refusal (gpc = true) cannot allow a category; a visitor \
             who allows one chooses themselves (gpc = false)",
        ));
    }
    let subject = format!("{VISITOR_PREFIX}{}", choice.visitor);
    let source = if choice.gpc { SOURCE_GPC } else { SOURCE };
    let mut events = Vec::new();
    for cat in cfg.choosable() {
        let Some(purpose) = &cat.purpose else {
            continue;
        };
        let allowed = choice.categories.get(&cat.key).copied().unwrap_or(false);
        let e = if allowed {
            consent::grant(
                store,
                Some(register),
                Grant {
                    subject: subject.clone(),
                    purpose: purpose.clone(),
                    single_use: None,
                    wording: Some(cat.wording.clone()),
                    wording_sha256: None,
                    source: source.to_owned(),
                    register_hash: None,
                },
            )
            .await?
        } else {
            consent::withdraw(store, &subject, purpose, source).await?
        };
        events.push(e);
    }
    Ok(Recorded {
        subject,
        source,
        events,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn texts_parse_in_both_languages() {
        let nl = texts(Lang::Nl).unwrap();
        let en = texts(Lang::En).unwrap();
        assert_eq!(nl.len(), en.len());
        assert_eq!(nl["accept_all"], "Alles accepteren");
        assert_eq!(en["reject_all"], "Reject all");
    }

    fn demo() -> LoadedRegister {
        let policy = waarborg_policy::from_toml_str(
            include_str!("../../../examples/demo/policy.toml"),
            "examples/demo/policy.toml",
        )
        .unwrap();
        LoadedRegister::from_policy(policy, "demo")
    }

    #[test]
    fn categories_come_from_the_cookie_table() {
        let r = demo();
        let cfg = config(&r, Lang::En).unwrap();
        let keys: Vec<(&str, bool, Option<&str>)> = cfg
            .categories
            .iter()
            .map(|c| (c.key.as_str(), c.required, c.purpose.as_deref()))
            .collect();
        assert_eq!(
            keys,
            [
                ("necessary", true, None),
                ("analytics", false, Some("analytics")),
                ("advertising", false, Some("advertising")),
            ]
        );
        let analytics = &cfg.categories[1];
        assert!(
            analytics
                .wording
                .contains("_stats_id (Statistiekendienst; Kept 13 months)")
        );
        // The version follows the wording: another language, another version.
        assert_ne!(cfg.version, config(&r, Lang::Nl).unwrap().version);
        assert_eq!(cfg.version, config(&r, Lang::En).unwrap().version);
    }

    #[test]
    fn exempt_cookies_need_no_choice_and_a_missing_purpose_is_named() {
        let mut r = demo();
        for c in &mut r.policy.cookies {
            if c.category == CookieCategory::Analytics {
                c.consent = CookieConsent::Exempt;
            }
        }
        let cfg = config(&r, Lang::Nl).unwrap();
        assert!(
            cfg.categories
                .iter()
                .any(|c| c.key == "analytics" && c.required)
        );
        r.policy.purposes.retain(|p| p.id != "advertising");
        let err = config(&r, Lang::Nl).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::Conflict);
        assert!(
            err.message.contains("[[purposes]] id = \"advertising\""),
            "{}",
            err.message
        );
    }

    #[test]
    fn visitor_ids_are_checked() {
        check_visitor("0123456789abcdef0123456789abcdef").unwrap();
        for bad in [
            "",
            "0123456789ABCDEF0123456789ABCDEF",
            "jan@example.nl",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0",
        ] {
            assert!(check_visitor(bad).is_err(), "{bad}");
        }
    }
}
