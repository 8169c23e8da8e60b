//! ## What it does
//! Flags purposes with a `consent` table whose `legal_basis` is not `consent` (unless the consent is the explicit consent of Art. 9(2)(a) for special-category data, `art9_exception = "explicit_consent"`).
//!
//! ## Why is this bad?
//! Asking for consent while relying on another basis misleads people: withdrawing would not stop the processing. The EDPB advises choosing one basis and telling people which.
//!
//! ## Article
//! GDPR Art. 6(1), Art. 7
//!
//! ## Nederlands
//! Vraag geen toestemming als u de gegevens toch op een andere grondslag verwerkt.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! consent = { withdrawal = [{ kind = "email" }] }
//! ```
//!
//! ## Use instead
//! ```toml
//! [[purposes]]
//! id = "orders"
//! name = "Bestellingen"
//! legal_basis = "contract"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB024",
    name: "consent-on-other-basis",
    severity: Severity::Warning,
    article: "GDPR Art. 6(1), Art. 7",
    summary: "A purpose has consent settings but another legal basis.",
    summary_nl: "Een doel vraagt toestemming, maar heeft een andere grondslag.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, pu) in p.purposes.iter().enumerate() {
        if pu.consent.is_some() && pu.legal_basis.is_some_and(|b| b != LegalBasis::Consent) && !relies_on_consent(pu) {
            out.push(
                Finding::new(format!("purposes[{i}].consent"), format!("purpose `{}` has consent settings but relies on another legal basis", pu.id))
                    .help("remove the `consent` table, or change `legal_basis` to \"consent\""),
            );
        }
    }
}

doc_tests!("WB024");
