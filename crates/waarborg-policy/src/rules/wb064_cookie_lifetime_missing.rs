//! ## What it does
//! Checks that every cookie states how long it stays: a `lifetime` (e.g. `P13M`), or `session = true` for a cookie that goes when the browser closes. Where the Open Cookie Database knows the cookie, its lifetime is suggested.
//!
//! ## Why is this bad?
//! Visitors must be told how long a cookie stays (Telecommunicatiewet art. 11.7a with GDPR Art. 13(2)(a)). A cookie without a lifetime is not a session cookie by default: many tracking cookies stay for years. The statement says "until you close the browser" only when the register says so.
//!
//! ## Article
//! Telecommunicatiewet art. 11.7a; GDPR Art. 13(2)(a)
//!
//! ## Nederlands
//! Vermeld bij elke cookie hoe lang hij blijft staan, of `session = true` als hij verdwijnt wanneer de browser sluit.
//!
//! ## Example
//! ```toml
//! [[cookies]]
//! id = "lang"
//! name = "taal"
//! provider = "Voorbeeld B.V."
//! category = "functional"
//! consent = "exempt"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[cookies]]
//! id = "lang"
//! name = "taal"
//! provider = "Voorbeeld B.V."
//! category = "functional"
//! consent = "exempt"
//! lifetime = "P1Y"
//! ```

use super::prelude::*;
use crate::cookie_db::{CookieDb, KnownLifetime};

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB064",
    name: "cookie-lifetime-missing",
    severity: Severity::Error,
    article: "Telecommunicatiewet art. 11.7a; GDPR Art. 13(2)(a)",
    summary: "A cookie states neither a lifetime nor that it is a session cookie.",
    summary_nl: "Bij een cookie staat niet hoe lang hij blijft, en ook niet dat het een sessiecookie is.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let db = CookieDb::bundled().ok();
    for (i, c) in p.cookies.iter().enumerate() {
        if c.lifetime.is_some() || c.session {
            continue;
        }
        let known = db
            .as_ref()
            .filter(|_| !c.name.contains('*'))
            .map(|db| db.reliable_matches(c))
            .unwrap_or_default();
        let mut periods: Vec<&str> = Vec::new();
        let mut session = false;
        for m in &known {
            match &m.cookie.lifetime {
                KnownLifetime::Period(d) if !periods.contains(&d.as_str()) => periods.push(d.as_str()),
                KnownLifetime::Session => session = true,
                _ => {}
            }
        }
        let help = match (periods.as_slice(), session) {
            ([one], false) => format!("add `lifetime = \"{one}\"` (the Open Cookie Database's value; check what your site sets)"),
            ([], true) => "the Open Cookie Database knows it as a session cookie: add `session = true` if yours is one".to_owned(),
            _ => "add `lifetime = \"P1Y\"` (the period your site sets), or `session = true`".to_owned(),
        };
        out.push(
            Finding::new(format!("cookies[{i}]"), format!("cookie `{}` states no lifetime and is not marked as a session cookie", c.name))
                .help(help),
        );
    }
}

doc_tests!("WB064");
