//! ## What it does
//! Compares every pair of retention rules whose data overlap: two rules of the same purpose (a rule without a `data` list covers all the purpose's data), or a rule without a purpose that names data a purpose rule also covers. When both run from the same `from` event, their periods are compared as lengths of time (`P2Y` is `P24M`, `P4W` is `P28D`); different lengths are flagged, and the finding says which promise wins: the shorter one, because data deleted after the shorter period can no longer be kept for the longer one. Rules from different events are not compared.
//!
//! ## Why is this bad?
//! When the register (and so the statement) promises two periods for the same data, at least one promise is broken, and people cannot know which applies (Art. 13(2)(a)). A whole-purpose rule beside a rule for some of its data promises both periods for those data, unless the whole-purpose rule lists the other data only.
//!
//! ## Article
//! GDPR Art. 5(1)(e), Art. 13(2)(a)
//!
//! ## Nederlands
//! Geef per soort gegevens één bewaartermijn; een regel voor het hele doel geldt ook voor de gegevens waarvoor een aparte regel staat.
//!
//! ## Example
//! ```toml
//! [[data]]
//! id = "tickets"
//! category = "user.content"
//! label = { nl = "Supportvragen", en = "Support tickets" }
//!
//! [[data]]
//! id = "attachments"
//! category = "user.content"
//! label = { nl = "Bijlagen", en = "Attachments" }
//!
//! [[purposes]]
//! id = "support"
//! name = "Klantenservice"
//! legal_basis = "contract"
//! data = ["tickets", "attachments"]
//!
//! [[retention]]
//! id = "support-all"
//! purpose = "support"
//! period = "P2Y"
//! from = "end_of_contract"
//!
//! [[retention]]
//! id = "support-attachments"
//! purpose = "support"
//! data = ["attachments"]
//! period = "P6M"
//! from = "end_of_contract"
//! ```
//!
//! ## Use instead
//! ```toml
//! [[data]]
//! id = "tickets"
//! category = "user.content"
//! label = { nl = "Supportvragen", en = "Support tickets" }
//!
//! [[data]]
//! id = "attachments"
//! category = "user.content"
//! label = { nl = "Bijlagen", en = "Attachments" }
//!
//! [[purposes]]
//! id = "support"
//! name = "Klantenservice"
//! legal_basis = "contract"
//! data = ["tickets", "attachments"]
//!
//! [[retention]]
//! id = "support-tickets"
//! purpose = "support"
//! data = ["tickets"]
//! period = "P24M"
//! from = "end_of_contract"
//!
//! [[retention]]
//! id = "support-tickets-same"
//! purpose = "support"
//! data = ["tickets"]
//! period = "P2Y"
//! from = "end_of_contract"
//!
//! [[retention]]
//! id = "support-attachments"
//! purpose = "support"
//! data = ["attachments"]
//! period = "P6M"
//! from = "end_of_contract"
//! ```

use super::prelude::*;

/// Code, name, severity and article of this rule.
pub(crate) static META: RuleMeta = RuleMeta {
    code: "WB050",
    name: "conflicting-retention",
    severity: Severity::Warning,
    article: "GDPR Art. 5(1)(e), Art. 13(2)(a)",
    summary: "Two retention rules give different periods for the same data from the same event.",
    summary_nl: "Twee bewaarregels geven verschillende termijnen voor dezelfde gegevens vanaf hetzelfde moment.",
};

/// The data a rule covers: its list, or else all data of its purpose.
fn covered<'a>(p: &'a Policy, r: &'a RetentionRule) -> Vec<&'a str> {
    if !r.data.is_empty() {
        return r.data.iter().map(String::as_str).collect();
    }
    r.purpose
        .as_deref()
        .and_then(|id| p.purpose(id))
        .map(|pu| pu.data.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

fn scope(r: &RetentionRule) -> String {
    match (&r.purpose, r.data.is_empty()) {
        (Some(pu), true) => format!("all data of purpose `{pu}`"),
        (_, false) => format!("`{}`", r.data.join("`, `")),
        (None, true) => "no data".into(),
    }
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    for (i, a) in p.retention.iter().enumerate() {
        for b in p.retention.iter().take(i) {
            let related = a.purpose == b.purpose || a.purpose.is_none() || b.purpose.is_none();
            if !related || a.from != b.from || a.period.same_length(&b.period) {
                continue;
            }
            let (da, db) = (covered(p, a), covered(p, b));
            let mut both: Vec<&str> = da.iter().copied().filter(|d| db.contains(d)).collect();
            both.dedup();
            if both.is_empty() {
                continue;
            }
            let (short, long) = if a.period.exceeds(&b.period) { (b, a) } else { (a, b) };
            let event = p.event_words(&a.from, Lang::En);
            out.push(
                Finding::new(
                    format!("retention[{i}].period"),
                    format!(
                        "retention rules `{}` ({} after {event}, {}) and `{}` ({} after {event}, {}) both cover `{}`: the shorter promise wins, `{}` ({}), so `{}` ({}) cannot be kept for these data",
                        b.id, b.period.words(Lang::En), scope(b), a.id, a.period.words(Lang::En), scope(a),
                        both.join("`, `"), short.id, short.period, long.id, long.period,
                    ),
                )
                .help(match [a, b].into_iter().find(|r| r.data.is_empty()) {
                    Some(general) => format!(
                        "give these data one period: list in `{}`'s `data` only the data its period is meant for, or change one of the periods",
                        general.id
                    ),
                    None => "give these data one period: remove or change one of the rules".to_owned(),
                }),
            );
        }
    }
}

doc_tests!("WB050");
