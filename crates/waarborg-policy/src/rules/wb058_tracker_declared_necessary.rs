//! ## What it does
//! Looks up every cookie declared `necessary` or `functional` in the Open Cookie Database (bundled with Waarborg, Apache-2.0) by its name: exactly, ignoring case, by the database's prefix entries (`_ga_` covers `_ga_ABC123`), or as a family written with `*` (`li_*` covers every LinkedIn `li_` cookie). When the database knows it as an analytics or marketing cookie, the declaration is flagged. When the register names a provider that is not the database's (a first-party cookie that shares a short name such as `c` or `token` with someone's tracker), only distinctive names are trusted; aliases such as Meta = Facebook are data (`data/cookie-providers.toml`).
//!
//! ## Why is this bad?
//! Only cookies strictly necessary for the service the visitor asks for, and analytics with little or no privacy impact, may be placed without consent (Telecommunicatiewet art. 11.7a). `_ga`, `NID`, `IDE`, `_fbp` or LinkedIn's `li_` cookies declared "necessary" are placed before anyone consents, and the cookie table tells visitors they cannot refuse them.
//!
//! ## Article
//! Telecommunicatiewet art. 11.7a; ePrivacy Directive Art. 5(3)
//!
//! ## Nederlands
//! Een cookie die bekendstaat als analytisch of als advertentiecookie is niet noodzakelijk; daarvoor is toestemming nodig.
//!
//! ## Example
//! ```toml
//! [[cookies]]
//! id = "ga"
//! name = "_ga"
//! provider = "Google"
//! category = "necessary"
//! consent = "exempt"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[cookies]]
//! id = "ga"
//! name = "_ga"
//! provider = "Google"
//! category = "analytics"
//! consent = "opt_in"
//! lifetime = "P2Y"
//!
//! [[cookies]]
//! id = "session"
//! name = "PHPSESSID"
//! provider = "Eigen website"
//! category = "necessary"
//! consent = "exempt"
//! ```

use super::prelude::*;
use crate::cookie_db::CookieDb;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB058",
    name: "tracker-declared-necessary",
    severity: Severity::Error,
    article: "Telecommunicatiewet art. 11.7a; ePrivacy Directive Art. 5(3)",
    summary: "A cookie declared necessary or functional is known as an analytics or marketing cookie.",
    summary_nl: "Een cookie staat als noodzakelijk of functioneel vermeld, maar is een bekende analytische of advertentiecookie.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let Ok(db) = CookieDb::bundled() else { return };
    for (i, c) in p.cookies.iter().enumerate() {
        if !matches!(c.category, CookieCategory::Necessary | CookieCategory::Functional) {
            continue;
        }
        let matches = db.reliable_matches(c);
        let trackers: Vec<_> = matches.iter().filter(|m| m.cookie.is_tracker()).collect();
        let pattern = c.name.contains('*');
        // A family (`li_*`) is wrong when any member is a tracker; one name when every entry is.
        let wrong = if pattern { !trackers.is_empty() } else { !trackers.is_empty() && trackers.len() == matches.len() };
        if !wrong {
            continue;
        }
        let mut known: Vec<String> = trackers
            .iter()
            .map(|m| format!("`{}{}` ({} {})", m.cookie.name, if m.cookie.wildcard { "*" } else { "" }, m.cookie.platform, m.cookie.category_label))
            .collect();
        known.dedup();
        let shown = known.iter().take(4).cloned().collect::<Vec<_>>().join(", ");
        let more = known.len().saturating_sub(4);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let category = if trackers.iter().any(|m| m.cookie.category == CookieCategory::Advertising) { "advertising" } else { "analytics" };
        out.push(
            Finding::new(
                format!("cookies[{i}].category"),
                format!(
                    "cookie `{}` is declared {}, but the Open Cookie Database knows it as {shown}{more}",
                    c.name,
                    if c.category == CookieCategory::Necessary { "necessary" } else { "functional" },
                ),
            )
            .help(format!(
                "set `category = \"{category}\"` and `consent = \"opt_in\"` (analytics may be exempt only when configured privacy-friendly); if it really is your own cookie with the same name, name your organisation as `provider`"
            )),
        );
    }
}

doc_tests!("WB058");
