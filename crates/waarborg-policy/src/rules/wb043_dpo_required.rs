//! ## What it does
//! Checks for `[privacy_officer]` with `formal_dpo = true` when a DPO is mandatory: the
//! controller is a public authority (`controller.public_authority = true`), or a purpose that is
//! a core activity (`core_activity = true`) is done on a large scale (`large_scale = true`) and
//! either monitors people systematically (`systematic_monitoring = true`) or uses special-category
//! (Art. 9) or criminal (Art. 10) data.
//!
//! ## Why is this bad?
//! Art. 37(1) requires a data protection officer for (a) every public authority or body (except
//! courts acting judicially), (b) core activities of regular and systematic monitoring of people
//! on a large scale, and (c) core activities of large-scale processing of Art. 9 or Art. 10 data.
//!
//! ## Article
//! GDPR Art. 37(1)
//!
//! ## Nederlands
//! Een overheidsorgaan, en een organisatie die als kernactiviteit op grote schaal mensen
//! stelselmatig volgt of bijzondere of strafrechtelijke gegevens verwerkt, moet een functionaris
//! gegevensbescherming aanstellen.
//!
//! ## Example
//! ```toml
//! [controller]
//! public_authority = true
//! ```
//!
//! ## Use instead
//! ```toml
//! [controller]
//! public_authority = true
//!
//! [privacy_officer]
//! name = "Functionaris gegevensbescherming"
//! email = "fg@gemeente.example"
//! formal_dpo = true
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB043",
    name: "dpo-required",
    severity: Severity::Error,
    article: "GDPR Art. 37(1)",
    summary: "A DPO is mandatory (public authority, or large-scale monitoring or special data as core activity) but none is appointed.",
    summary_nl: "Een functionaris gegevensbescherming is verplicht (overheid, of op grote schaal volgen of bijzondere gegevens als kernactiviteit) maar ontbreekt.",
};

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    if p.privacy_officer.as_ref().is_some_and(|o| o.formal_dpo) {
        return;
    }
    if p.controller.public_authority {
        out.push(
            Finding::new("controller.public_authority", "a public authority must designate a data protection officer (Art. 37(1)(a))")
                .help("add `[privacy_officer]` with `formal_dpo = true` and contact details"),
        );
        return;
    }
    for (i, pu) in p.purposes.iter().enumerate() {
        if !(pu.core_activity && pu.large_scale) {
            continue;
        }
        let sensitive = purpose_data(p, pu)
            .any(|d| d.criminal || d.special.or_else(|| crate::fideslang::implied_special(&d.category)).is_some());
        let why = if pu.systematic_monitoring {
            "monitors people regularly and systematically on a large scale as a core activity (Art. 37(1)(b))"
        } else if sensitive {
            "processes special-category or criminal data on a large scale as a core activity (Art. 37(1)(c))"
        } else {
            continue;
        };
        out.push(
            Finding::new(format!("purposes[{i}]"), format!("purpose `{}` {why}, so a data protection officer is mandatory", pu.id))
                .help("add `[privacy_officer]` with `formal_dpo = true` and contact details, and report the DPO to the Autoriteit Persoonsgegevens"),
        );
        return;
    }
}

#[cfg(test)]
mod more_tests {
    use crate::rules::testing::run;

    const HEALTH: &str = r#"
[[data]]
id = "health"
category = "user.health_and_medical"
label = { nl = "Gezondheid", en = "Health" }
special = "health"
"#;

    #[test]
    fn large_scale_special_data_as_core_activity() {
        let frag = format!("{HEALTH}\n[[purposes]]\nid = \"care\"\nname = \"Zorg\"\ndata = [\"health\"]\ncore_activity = true\nlarge_scale = true\n");
        let found = run("WB043", &frag);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("37(1)(c)"), "{found:?}");
        // Not large scale, or not a core activity: no DPO duty from this purpose.
        assert!(run("WB043", &frag.replace("large_scale = true", "large_scale = false")).is_empty());
        assert!(run("WB043", &frag.replace("core_activity = true", "core_activity = false")).is_empty());
        // A formal DPO satisfies it.
        let with_dpo = format!("{frag}\n[privacy_officer]\nname = \"FG\"\nemail = \"fg@voorbeeld.nl\"\nformal_dpo = true\n");
        assert!(run("WB043", &with_dpo).is_empty());
    }

    #[test]
    fn large_scale_monitoring_as_core_activity() {
        let frag = "[[purposes]]\nid = \"tracking\"\nname = \"Volgen\"\ncore_activity = true\nlarge_scale = true\nsystematic_monitoring = true\n";
        let found = run("WB043", frag);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("37(1)(b)"), "{found:?}");
        assert!(run("WB043", &frag.replace("systematic_monitoring = true", "systematic_monitoring = false")).is_empty());
    }
}

doc_tests!("WB043");
