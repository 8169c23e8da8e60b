//! ## What it does
//! Checks that the register either lists who receives data (`[[recipients]]`: processors, other controllers, authorities) or says in `[statement]` that nobody does (`no_recipients = true`), and that it does not do both.
//!
//! ## Why is this bad?
//! The statement must name the recipients or categories of recipients (GDPR Art. 13(1)(e)). Almost every organisation uses at least a host, a mail provider or an accountant. An empty list is silence: rendering it as "we give your data to nobody" would publish a claim nobody made.
//!
//! ## Article
//! GDPR Art. 13(1)(e), Art. 30(1)(d)
//!
//! ## Nederlands
//! Vermeld wie gegevens krijgt (ook verwerkers zoals de hostingpartij), of zeg uitdrukkelijk dat niemand ze krijgt (`no_recipients = true`).
//!
//! ## Example
//! ```toml
//! [rights]
//! deadline = "P1M"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[recipients]]
//! id = "host"
//! name = "Hosting B.V."
//! role = "processor"
//! country = "NL"
//! processor_agreement = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB062",
    name: "silent-on-recipients",
    severity: Severity::Error,
    article: "GDPR Art. 13(1)(e), Art. 30(1)(d)",
    summary: "The register neither lists recipients nor says there are none.",
    summary_nl: "Het register noemt geen ontvangers en zegt ook niet dat er geen zijn.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    match (p.recipients.is_empty(), p.statement.no_recipients) {
        (true, false) => out.push(
            Finding::new("statement", "the register lists no recipients and does not say there are none, so the statement cannot say either")
                .help("list who receives data as `[[recipients]]` (host, mail provider, accountant, authorities), or add `no_recipients = true` to `[statement]`"),
        ),
        (false, true) => out.push(
            Finding::new("statement.no_recipients", format!("`no_recipients = true` contradicts the {} recipient(s) the register lists", p.recipients.len()))
                .help("remove `no_recipients`"),
        ),
        _ => {}
    }
}

doc_tests!("WB062");
