//! ## What it does
//! Checks that the register either lists the website's cookies and similar trackers (`[[cookies]]`) or says in `[statement]` that there are none (`no_cookies = true`), and that it does not do both.
//!
//! ## Why is this bad?
//! The statement must tell visitors which cookies the website places (Telecommunicatiewet art. 11.7a, GDPR Art. 13(1)(c) and (e)). An empty cookie list is silence, not a fact: rendering it as "our website uses no cookies" would publish a claim nobody made. Waarborg says "no cookies" only when the register does.
//!
//! ## Article
//! Telecommunicatiewet art. 11.7a; GDPR Art. 13(1)(c), Art. 13(1)(e)
//!
//! ## Nederlands
//! Vermeld de cookies van de website, of zeg in het register uitdrukkelijk dat er geen zijn (`no_cookies = true`).
//!
//! ## Example
//! ```toml
//! [rights]
//! deadline = "P1M"
//! ```
//!
//! ## Use instead
//! ```toml
//! [statement]
//! no_cookies = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB061",
    name: "silent-on-cookies",
    severity: Severity::Error,
    article: "Telecommunicatiewet art. 11.7a; GDPR Art. 13(1)(c), Art. 13(1)(e)",
    summary: "The register neither lists cookies nor says there are none.",
    summary_nl: "Het register noemt geen cookies en zegt ook niet dat er geen zijn.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    match (p.cookies.is_empty(), p.statement.no_cookies) {
        (true, false) => out.push(
            Finding::new("statement", "the register lists no cookies and does not say there are none, so the statement cannot say either")
                .help("list the website's cookies as `[[cookies]]`, or add `no_cookies = true` to `[statement]` if it places none"),
        ),
        (false, true) => out.push(
            Finding::new("statement.no_cookies", format!("`no_cookies = true` contradicts the {} cookie(s) the register lists", p.cookies.len()))
                .help("remove `no_cookies`, or remove the `[[cookies]]` the website no longer places"),
        ),
        _ => {}
    }
}

doc_tests!("WB061");
