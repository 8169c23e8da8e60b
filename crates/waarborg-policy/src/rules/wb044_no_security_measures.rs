//! ## What it does
//! Checks that `[[security]]` has at least one measure.
//!
//! ## Why is this bad?
//! Art. 30(1)(g) asks, where possible, for a general description of the technical and organisational measures of Art. 32(1).
//!
//! ## Article
//! GDPR Art. 30(1)(g), Art. 32
//!
//! ## Nederlands
//! Beschrijf in het register hoe u de gegevens beveiligt.
//!
//! ## Example
//! ```toml
//! [controller]
//! name = "Voorbeeld B.V."
//! ```
//!
//! ## Use instead
//! ```toml
//! [[security]]
//! id = "tls"
//! description = "Versleutelde verbindingen (HTTPS)"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB044",
    name: "no-security-measures",
    severity: Severity::Warning,
    article: "GDPR Art. 30(1)(g), Art. 32",
    summary: "The register describes no security measures.",
    summary_nl: "Het register beschrijft geen beveiligingsmaatregelen.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.security.is_empty() {
        out.push(
            Finding::new("controller", "the register describes no security measures")
                .help("add `[[security]]` items such as encryption, access control and back-ups"),
        );
    }
}

doc_tests!("WB044");
