//! ## What it does
//! Flags cookies with `consent = "implied"`.
//!
//! ## Why is this bad?
//! Continuing to browse, scrolling or using the site is never a clear affirmative act (EDPB 05/2020); the AP called this practice non-compliant in 2019.
//!
//! ## Article
//! Telecommunicatiewet art. 11.7a; GDPR Art. 4(11); EDPB Guidelines 05/2020
//!
//! ## Nederlands
//! 'Door deze website te gebruiken gaat u akkoord met cookies' is geen geldige toestemming.
//!
//! ## Example
//! ```toml
//! [[cookies]]
//! id = "ga"
//! name = "_ga"
//! provider = "Google Analytics"
//! category = "analytics"
//! consent = "implied"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[cookies]]
//! id = "ga"
//! name = "_ga"
//! provider = "Google Analytics"
//! category = "analytics"
//! consent = "opt_in"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB036",
    name: "implied-cookie-consent",
    severity: Severity::Error,
    article: "Telecommunicatiewet art. 11.7a; GDPR Art. 4(11); EDPB Guidelines 05/2020",
    summary: "Cookie consent is taken from continuing to use the site.",
    summary_nl: "Toestemming voor cookies wordt afgeleid uit verder gebruik van de website.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, c) in p.cookies.iter().enumerate() {
        if c.consent == CookieConsent::Implied {
            out.push(
                Finding::new(format!("cookies[{i}].consent"), format!("consent for cookie `{}` is implied from using the site", c.id))
                    .help("ask for consent with a banner that has an equal 'refuse' choice, then `consent = \"opt_in\"`"),
            );
        }
    }
}

doc_tests!("WB036");
