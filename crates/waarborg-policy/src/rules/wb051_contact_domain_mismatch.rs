//! ## What it does
//! Compares the domains of `controller.email`, `controller.website` and `privacy_officer.email`; domains that are nearly but not exactly the same are flagged as a likely typo.
//!
//! ## Why is this bad?
//! Contact details that lead nowhere make it impossible to exercise rights (Art. 12(2)) and break the information duty of Art. 13(1)(a)–(b). A domain that differs by one letter from the organisation's own is almost always a mistake, and may even belong to someone else.
//!
//! ## Article
//! GDPR Art. 13(1)(a)–(b), Art. 12(2)
//!
//! ## Nederlands
//! Controleer of de contactadressen kloppen; een tikfout in het domein laat verzoeken verdwijnen.
//!
//! ## Example
//! ```toml
//! [controller]
//! email = "info@voorbeeldd.example"
//! website = "https://www.voorbeeld.example"
//! ```
//!
//! ## Use instead
//! ```toml
//! [controller]
//! email = "info@voorbeeld.example"
//! website = "https://www.voorbeeld.example"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB051",
    name: "contact-domain-mismatch",
    severity: Severity::Warning,
    article: "GDPR Art. 13(1)(a)–(b), Art. 12(2)",
    summary: "The controller's e-mail, website and privacy contact use domains that differ by a typo.",
    summary_nl: "Het e-mailadres, de website en het privacycontact gebruiken domeinen die door een tikfout verschillen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let domain = |s: &str| -> Option<String> {
        let host = match s.rsplit_once('@') {
            Some((_, d)) => d,
            None => s.split("://").last().unwrap_or(s).split('/').next().unwrap_or(""),
        };
        let host = host.trim().trim_start_matches("www.").to_lowercase();
        (!host.is_empty()).then_some(host)
    };
    let mut found: Vec<(&str, String)> = Vec::new();
    if let Some(d) = p.controller.email.as_deref().and_then(domain) {
        found.push(("controller.email", d));
    }
    if let Some(d) = p.controller.website.as_deref().and_then(domain) {
        found.push(("controller.website", d));
    }
    if let Some(d) = p.privacy_officer.as_ref().and_then(|o| o.email.as_deref()).and_then(domain) {
        found.push(("privacy_officer.email", d));
    }
    let mut reported = Vec::new();
    for (i, (path_a, a)) in found.iter().enumerate() {
        for (_, b) in found.iter().take(i) {
            let close = strsim::levenshtein(a, b) <= 2 && a != b;
            if close && !reported.contains(a) {
                reported.push(a.clone());
                out.push(
                    Finding::new(*path_a, format!("the domains `{b}` and `{a}` differ by a letter or two; one is probably a typo"))
                        .help("use the organisation's real domain everywhere"),
                );
            }
        }
    }
}

doc_tests!("WB051");
