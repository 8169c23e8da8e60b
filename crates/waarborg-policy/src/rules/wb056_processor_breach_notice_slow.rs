//! ## What it does
//! For processing done as a processor (`[[processor_activities]]`), checks that the agreed time to tell the controller about a personal data breach (`breach_notice`) is at most 48 hours.
//!
//! ## Why is this bad?
//! The controller must notify the AP within 72 hours of becoming aware of a breach (Art. 33(1)); the processor must tell the controller without undue delay (Art. 33(2)) and help it meet that deadline (Art. 28(3)(f)). A processor that takes longer than about 48 hours leaves the controller too little of its 72 to assess the breach, inform the AP and, where needed, the people concerned.
//!
//! ## Article
//! GDPR Art. 28(3)(f), Art. 33(2)
//!
//! ## Nederlands
//! Meld een datalek binnen 48 uur aan de verwerkingsverantwoordelijke, zodat die de 72 uur voor de melding aan de AP haalt.
//!
//! ## Example
//! ```toml
//! [[processor_activities]]
//! id = "hosting"
//! controller = "Klanten (sportclubs)"
//! description = "Ledenadministratie in de cloud"
//! agreement = true
//! audits = true
//! breach_notice = "P5D"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[processor_activities]]
//! id = "hosting"
//! controller = "Klanten (sportclubs)"
//! description = "Ledenadministratie in de cloud"
//! agreement = true
//! audits = true
//! breach_notice = "PT36H"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB056",
    name: "processor-breach-notice-slow",
    severity: Severity::Warning,
    article: "GDPR Art. 28(3)(f), Art. 33(2)",
    summary: "As a processor, the time to tell the controller about a breach is longer than 48 hours.",
    summary_nl: "Als verwerker meldt u een datalek later dan 48 uur aan de verwerkingsverantwoordelijke.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let Ok(limit) = IsoDuration::parse("PT48H") else { return };
    for (i, a) in p.processor_activities.iter().enumerate() {
        let Some(notice) = &a.breach_notice else { continue };
        if notice.may_exceed(&limit) {
            out.push(
                Finding::new(
                    format!("processor_activities[{i}].breach_notice"),
                    format!(
                        "processor activity `{}` tells the controller about a breach within {}: that leaves the controller less than a day of its 72 hours",
                        a.id,
                        notice.words(Lang::En)
                    ),
                )
                .help("agree to notify within 48 hours at most (`breach_notice = \"PT48H\"` or shorter), and without undue delay"),
            );
        }
    }
}

doc_tests!("WB056");
