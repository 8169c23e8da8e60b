//! Missing GDPR Art. 28(3) terms in a processor agreement (or a processor chapter in terms).

use super::{Doc, Draft};

/// (pattern group, rule code, GDPR item)
const ITEMS: &[(&str, &str, &str)] = &[
    ("art28_subject", "RD-ART28-SUBJECT", "28(3)"),
    ("art28_instructions", "RD-ART28-INSTRUCTIONS", "28(3)(a)"),
    (
        "art28_confidentiality",
        "RD-ART28-CONFIDENTIALITY",
        "28(3)(b)",
    ),
    ("art28_security", "RD-ART28-SECURITY", "28(3)(c)"),
    ("art28_subprocessors", "RD-ART28-SUBPROCESSORS", "28(3)(d)"),
    ("art28_rights", "RD-ART28-RIGHTS", "28(3)(e)"),
    ("art28_breach", "RD-ART28-BREACH", "28(3)(f)"),
    ("art28_deletion", "RD-ART28-DELETION", "28(3)(g)"),
    ("art28_audit", "RD-ART28-AUDIT", "28(3)(h)"),
];

pub(crate) fn run(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if !doc.parts.dpa {
        return;
    }
    for (group, code, item) in ITEMS {
        // An item stated only in the negative ("een audit ... maakt geen deel uit van deze
        // overeenkomst", "no audits or inspections") is missing; the negation is the evidence.
        let negated = format!("{group}_negated");
        let hits = doc.sentences_with(group);
        let (denied, stated): (Vec<_>, Vec<_>) = hits
            .iter()
            .partition(|(i, _)| doc.sentence_has(*i, &negated));
        if !stated.is_empty() {
            continue;
        }
        let evidence = if !denied.is_empty() {
            denied
                .iter()
                .take(2)
                .map(|(i, h)| doc.evidence(*i, h))
                .collect()
        } else if *code == "RD-ART28-SUBPROCESSORS" {
            doc.sentences_with("third_party_engagement")
                .iter()
                .take(3)
                .map(|(i, h)| doc.evidence(*i, h))
                .collect()
        } else {
            Vec::new()
        };
        out.push(Draft::new(code, evidence).item(item));
    }
}
