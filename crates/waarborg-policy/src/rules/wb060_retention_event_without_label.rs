//! ## What it does
//! Flags retention rules and legal holds that run from an event of the register's own (`from = "appointment_date"`) that the vocabulary does not know and that has no label in `[[events]]` for every language the statement is published in.
//!
//! ## Why is this bad?
//! The statement must tell people in clear and plain language how long their data are kept (Art. 12(1), Art. 13(2)(a)). An unlabelled event appears as its key (`the event 'appointment date'`, in English words even in the Dutch statement).
//!
//! ## Article
//! GDPR Art. 12(1), Art. 13(2)(a)
//!
//! ## Nederlands
//! Geef een eigen bewaarmoment een naam in het Nederlands en het Engels, zodat de privacyverklaring het in gewone woorden noemt.
//!
//! ## Example
//! ```toml
//! [[purposes]]
//! id = "reminders"
//! name = "Afspraakherinneringen"
//! legal_basis = "contract"
//!
//! [[retention]]
//! id = "reminders-after-appointment"
//! purpose = "reminders"
//! period = "P1M"
//! from = "appointment_date"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[events]]
//! id = "appointment_date"
//! label = { nl = "de datum van de afspraak", en = "the appointment date" }
//!
//! [[purposes]]
//! id = "reminders"
//! name = "Afspraakherinneringen"
//! legal_basis = "contract"
//!
//! [[retention]]
//! id = "reminders-after-appointment"
//! purpose = "reminders"
//! period = "P1M"
//! from = "appointment_date"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB060",
    name: "retention-event-without-label",
    severity: Severity::Warning,
    article: "GDPR Art. 12(1), Art. 13(2)(a)",
    summary: "A retention period runs from an event of the register's own that has no label in the statement's languages.",
    summary_nl: "Een bewaartermijn loopt vanaf een eigen moment zonder omschrijving in de talen van de verklaring.",
};

fn check_event(p: &Policy, path: String, id: &str, event: &RetentionEvent, out: &mut Vec<Finding>) {
    if event.is_built_in() {
        return;
    }
    let label = p.events.iter().find(|e| e.id == event.key());
    let missing: Vec<&str> = p
        .statement
        .languages
        .iter()
        .filter(|lang| {
            let text = label.map(|l| match lang {
                Lang::Nl => l.label.nl.as_str(),
                Lang::En => l.label.en.as_str(),
            });
            text.is_none_or(|t| t.trim().is_empty())
        })
        .map(|l| l.code())
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push(
        Finding::new(path, format!("`{id}` runs from `{}`, which has no label in {}", event.key(), missing.join(" and ")))
            .help(format!(
                "add `[[events]]` with `id = \"{}\"` and `label = {{ nl = \"...\", en = \"...\" }}`",
                event.key()
            )),
    );
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, r) in p.retention.iter().enumerate() {
        check_event(p, format!("retention[{i}].from"), &r.id, &r.from, out);
    }
    for (i, h) in p.legal_holds.iter().enumerate() {
        check_event(p, format!("legal_holds[{i}].from"), &h.id, &h.from, out);
    }
}

doc_tests!("WB060");
