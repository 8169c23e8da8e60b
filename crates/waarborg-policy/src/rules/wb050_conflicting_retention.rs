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

/// The pairs of rules `(i, j)`, `j < i`, that cover a common data item and count from the same
/// event, in the order the rules are listed. Found through an index of data item and event to
/// rules, so that rules on different data cost nothing (a register of N rules on N data is
/// linear, not N² pairs).
fn candidate_pairs(p: &Policy, covers: &[Vec<&str>]) -> std::collections::BTreeSet<(usize, usize)> {
    let mut by_item: std::collections::HashMap<(&str, &RetentionEvent), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, (r, items)) in p.retention.iter().zip(covers).enumerate() {
        let mut seen = std::collections::HashSet::new();
        for d in items {
            if seen.insert(*d) {
                by_item.entry((*d, &r.from)).or_default().push(i);
            }
        }
    }
    let mut pairs = std::collections::BTreeSet::new();
    for rules in by_item.values() {
        for (x, &i) in rules.iter().enumerate() {
            for &j in rules.iter().take(x) {
                #[cfg(test)]
                PAIRS.with(|n| n.set(n.get() + 1));
                pairs.insert((i.max(j), i.min(j)));
            }
        }
    }
    pairs
}

#[cfg(test)]
thread_local! {
    /// Pairs of rules examined by the last checks on this thread (a complexity count for tests).
    static PAIRS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Runs the rule.
pub(crate) fn check(p: &Policy, out: &mut Vec<Finding>) {
    let covers: Vec<Vec<&str>> = p.retention.iter().map(|r| covered(p, r)).collect();
    for (i, j) in candidate_pairs(p, &covers) {
        let (Some(a), Some(b)) = (p.retention.get(i), p.retention.get(j)) else {
            continue;
        };
        {
            let related = a.purpose == b.purpose || a.purpose.is_none() || b.purpose.is_none();
            if !related || a.from != b.from || a.period.same_length(&b.period) {
                continue;
            }
            let (Some(da), Some(db)) = (covers.get(i), covers.get(j)) else {
                continue;
            };
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

#[cfg(test)]
mod complexity {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn register(n: usize, shared: bool) -> Policy {
        let mut text = String::from(
            "[statement]\nversion = \"1\"\neffective_date = 2026-01-01\nlanguages = [\"nl\"]\n\
             [controller]\nname = \"X B.V.\"\nemail = \"privacy@x.example\"\n",
        );
        for i in 0..n {
            let d = if shared { 0 } else { i };
            text.push_str(&format!(
                "[[data]]\nid = \"d{i}\"\ncategory = \"user.content\"\nlabel = \"D\"\n\
                 [[purposes]]\nid = \"p{i}\"\nname = \"P\"\nlegal_basis = \"contract\"\ndata = [\"d{d}\"]\n\
                 [[retention]]\nid = \"r{i}\"\npurpose = \"p{d}\"\nperiod = \"P{}Y\"\nfrom = \"end_of_contract\"\n",
                1 + i % 3
            ));
        }
        crate::load::from_toml_str(&text, "t").unwrap()
    }

    fn pairs_examined(p: &Policy) -> (u64, usize) {
        PAIRS.with(|n| n.set(0));
        let mut out = Vec::new();
        check(p, &mut out);
        (PAIRS.with(std::cell::Cell::get), out.len())
    }

    /// Rules on different data are never paired: the work is linear in the rules (it was
    /// n(n-1)/2 pairs, each looking its purposes up by a scan: cubic). Rules on the same data
    /// are paired, as their findings are.
    #[test]
    fn disjoint_rules_are_not_paired() {
        for n in [100, 1000, 4000] {
            assert_eq!(pairs_examined(&register(n, false)), (0, 0), "{n}");
        }
        let (pairs, findings) = pairs_examined(&register(30, true));
        assert_eq!(pairs, 30 * 29 / 2);
        assert!(findings > 0);
    }
}
