//! ## What it does
//! For each cookie the Open Cookie Database knows by name, suggests the database's values where the register leaves them out: the provider when `provider` is empty, and the lifetime when the register calls the cookie a session cookie (`session = true`) while the database knows a longer one. A cookie with no lifetime at all is WB064.
//!
//! ## Why is this bad?
//! Consent for cookies must be informed (Telecommunicatiewet art. 11.7a, with GDPR Art. 4(11) and Art. 13(1)(e)): visitors must be told who reads the cookie and how long it stays. A cookie table without the provider, or one that calls a two-year cookie a session cookie, misinforms them.
//!
//! ## Article
//! Telecommunicatiewet art. 11.7a; GDPR Art. 13(1)(e), Art. 13(2)(a)
//!
//! ## Nederlands
//! Vermeld bij elke cookie wie hem plaatst of uitleest en hoe lang hij blijft staan.
//!
//! ## Example
//! ```toml
//! [[cookies]]
//! id = "fbp"
//! name = "_fbp"
//! category = "advertising"
//! consent = "opt_in"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[cookies]]
//! id = "fbp"
//! name = "_fbp"
//! provider = "Meta (Facebook)"
//! category = "advertising"
//! consent = "opt_in"
//! lifetime = "P4M"
//! ```

use super::prelude::*;
use crate::cookie_db::{CookieDb, KnownLifetime};

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB059",
    name: "cookie-details-missing",
    severity: Severity::Warning,
    article: "Telecommunicatiewet art. 11.7a; GDPR Art. 13(1)(e), Art. 13(2)(a)",
    summary: "A known cookie lacks its provider or lifetime; the Open Cookie Database's values are suggested.",
    summary_nl: "Bij een bekende cookie ontbreekt wie hem plaatst of hoe lang hij blijft; de waarden uit de Open Cookie Database worden voorgesteld.",
};

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !i.trim().is_empty() && !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let Ok(db) = CookieDb::bundled() else { return };
    for (i, c) in p.cookies.iter().enumerate() {
        // A family (`li_*`) has no single provider or lifetime to suggest.
        if c.name.contains('*') {
            continue;
        }
        let matches = db.reliable_matches(c);
        if matches.is_empty() {
            continue;
        }
        if c.provider.trim().is_empty() {
            let providers = distinct(matches.iter().map(|m| m.cookie.provider()));
            if let [one] = providers.as_slice() {
                out.push(
                    Finding::new(format!("cookies[{i}]"), format!("cookie `{}` names no provider; the Open Cookie Database knows it from {one}", c.name))
                        .help(format!("add `provider = \"{one}\"`")),
                );
            } else if !providers.is_empty() {
                out.push(
                    Finding::new(format!("cookies[{i}]"), format!("cookie `{}` names no provider; the Open Cookie Database knows that name from {}", c.name, providers.join(", ")))
                        .help("add `provider = \"...\"` naming the one your site uses"),
                );
            }
        }
        if c.lifetime.is_none() && c.session {
            let periods = distinct(matches.iter().filter_map(|m| match &m.cookie.lifetime {
                KnownLifetime::Period(d) => Some(d.as_str()),
                _ => None,
            }));
            let session = matches.iter().any(|m| m.cookie.lifetime == KnownLifetime::Session);
            if let ([one], false) = (periods.as_slice(), session) {
                let retention = matches.first().map(|m| m.cookie.retention.as_str()).unwrap_or_default();
                out.push(
                    Finding::new(format!("cookies[{i}]"), format!("cookie `{}` is marked as a session cookie; the Open Cookie Database gives {retention}", c.name))
                        .help(format!("replace `session = true` by `lifetime = \"{one}\"` (or the lifetime your site sets)")),
                );
            }
        }
    }
}

doc_tests!("WB059");
