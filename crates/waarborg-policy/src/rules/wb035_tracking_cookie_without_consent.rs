//! ## What it does
//! Flags cookies with `category = "advertising"`, or `"analytics"` without `privacy_friendly = true`, whose `consent` is `none` or `exempt`.
//!
//! ## Why is this bad?
//! Art. 11.7a Tw allows placing or reading cookies without consent only when they are necessary for the service or analytics with little or no privacy impact. Tracking and advertising cookies (and social media buttons that set them) need prior consent.
//!
//! ## Article
//! Telecommunicatiewet art. 11.7a; ePrivacy Directive Art. 5(3)
//!
//! ## Nederlands
//! Voor tracking-, advertentie- en de meeste analytische cookies is vooraf toestemming nodig.
//!
//! ## Example
//! ```toml
//! [[cookies]]
//! id = "ads"
//! name = "IDE"
//! provider = "Google (DoubleClick)"
//! category = "advertising"
//! consent = "none"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[cookies]]
//! id = "ads"
//! name = "IDE"
//! provider = "Google (DoubleClick)"
//! category = "advertising"
//! consent = "opt_in"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB035",
    name: "tracking-cookie-without-consent",
    severity: Severity::Error,
    article: "Telecommunicatiewet art. 11.7a; ePrivacy Directive Art. 5(3)",
    summary: "An advertising or analytics cookie is placed without consent.",
    summary_nl: "Een advertentie- of analytische cookie wordt geplaatst zonder toestemming.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, c) in p.cookies.iter().enumerate() {
        let tracking = match c.category {
            CookieCategory::Advertising => true,
            CookieCategory::Analytics => !c.privacy_friendly,
            _ => false,
        };
        if tracking && matches!(c.consent, CookieConsent::None | CookieConsent::Exempt) {
            out.push(
                Finding::new(format!("cookies[{i}].consent"), format!("cookie `{}` of {} is placed without consent", c.id, c.provider))
                    .help("place it only after an opt-in (`consent = \"opt_in\"`); analytics may be exempt only when configured privacy-friendly (`privacy_friendly = true`)"),
            );
        }
    }
}

doc_tests!("WB035");
