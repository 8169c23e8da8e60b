//! The breach register as use cases (GDPR Art. 33, 34): record an incident, keep its 72-hour
//! clock, assess it, record the notifications, and write the documents: the notification as
//! the Autoriteit Persoonsgegevens' form asks for it (Markdown and JSON, Dutch and English) and
//! the notice to the people affected (Art. 34(2)). The wording is data (`breach/{nl,en}.toml`).

use std::collections::BTreeMap;

use jiff::Timestamp;
use waarborg_policy::{Lang, Policy};
use waarborg_store::{Incident, Risk, Store};

use crate::error::{AppError, Result};

const NL: &str = include_str!("../breach/nl.toml");
const EN: &str = include_str!("../breach/en.toml");

/// An incident's clock at a moment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Clock {
    /// The AP deadline (RFC 3339 with the offset of the time zone).
    pub ap_deadline: String,
    /// Whether a notification to the AP is still due.
    pub notification_due: bool,
    /// Whole hours left until the deadline (negative once passed).
    pub hours_left: i64,
    /// Whether the deadline passed without the notification that is due.
    pub overdue: bool,
}

/// A moment as RFC 3339 with the offset of `tz` (`2026-03-31T14:00:00+02:00`).
pub fn rfc3339(ts: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Parses a moment given with its offset (RFC 3339), e.g. `2026-03-28T12:00:00+01:00`.
pub fn parse_moment(s: &str) -> Result<Timestamp> {
    s.trim().parse::<Timestamp>().map_err(|e| {
        AppError::invalid(format!(
            "`{s}`: give the moment with its offset, e.g. 2026-03-28T12:00:00+01:00 ({e})"
        ))
    })
}

/// The clock of `i` at `now`.
pub fn clock(i: &Incident, now: Timestamp, tz: &jiff::tz::TimeZone) -> Clock {
    let left = i.ap_deadline.duration_since(now);
    Clock {
        ap_deadline: rfc3339(i.ap_deadline, tz),
        notification_due: i.ap_notification_due(),
        hours_left: left.as_secs().div_euclid(3600),
        overdue: i.ap_overdue(now),
    }
}

/// The categories in words people read: the register's label of each fideslang key (or of a
/// narrower key under it), else the key itself.
pub fn category_words(categories: &[String], register: Option<&Policy>, lang: Lang) -> Vec<String> {
    categories
        .iter()
        .map(|c| {
            register
                .and_then(|p| {
                    p.data
                        .iter()
                        .find(|d| d.category == *c || d.category.starts_with(&format!("{c}.")))
                })
                .map(|d| d.label.get(lang).to_string())
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| c.clone())
        })
        .collect()
}

/// The incidents, with their clocks (the Art. 33(5) register, notified or not).
pub async fn register(store: &Store) -> Result<Vec<Incident>> {
    Ok(store.incidents().await?)
}

fn texts(lang: Lang) -> Result<BTreeMap<String, String>> {
    let src = match lang {
        Lang::Nl => NL,
        Lang::En => EN,
    };
    toml::from_str(src)
        .map_err(|e| AppError::internal(format!("the breach texts do not parse: {e}")))
}

/// One section of the AP notification: a heading and its questions with answers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    /// The heading.
    pub title: String,
    /// (question, answer) pairs.
    pub items: Vec<(String, String)>,
}

/// The notification to the AP, section by section as the online form asks.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApNotification {
    /// The title.
    pub title: String,
    /// First notification or follow-up.
    pub phase: String,
    /// The incident id.
    pub incident: String,
    /// The sections.
    pub sections: Vec<Section>,
}

/// Builds the AP notification of `i` (for its next phase) from the incident and the register.
pub fn ap_notification(
    i: &Incident,
    register: Option<&Policy>,
    lang: Lang,
    tz: &jiff::tz::TimeZone,
) -> Result<ApNotification> {
    let t = texts(lang)?;
    let g = |k: &str| t.get(k).cloned().unwrap_or_else(|| k.to_string());
    let unknown = g("unknown");
    let opt = |v: &Option<String>| {
        v.clone()
            .filter(|s| !s.is_empty())
            .unwrap_or(unknown.clone())
    };
    let yn = |v: Option<bool>| match v {
        Some(true) => g("yes"),
        Some(false) => g("no"),
        None => unknown.clone(),
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            unknown.clone()
        } else {
            v.join(", ")
        }
    };
    let range = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => unknown.clone(),
    };
    let f = &i.facts;
    let phase_n = i.notifications.len() + 1;
    let phase = if phase_n == 1 {
        g("phase_first")
    } else {
        g("phase_follow_up").replace("{phase}", &phase_n.to_string())
    };
    let controller = register
        .map(|p| p.controller.name.clone())
        .unwrap_or_default();
    let kvk = register.and_then(|p| p.controller.kvk.clone());
    let contact = f.contact.clone().or_else(|| {
        register.and_then(|p| {
            p.privacy_officer
                .as_ref()
                .map(|o| match &o.email {
                    Some(e) => format!("{} <{e}>", o.name),
                    None => o.name.clone(),
                })
                .or_else(|| p.controller.email.clone())
        })
    });
    let late = i
        .notifications
        .first()
        .and_then(|n| n.late_reason.clone())
        .or_else(|| (phase_n == 1 && Timestamp::now() > i.ap_deadline).then(|| unknown.clone()));
    let natures: Vec<String> = f
        .nature
        .iter()
        .map(|n| g(&format!("nature_{}", n.as_str())))
        .collect();
    let a = i.assessment.as_ref();
    let risk = a.map(|a| match a.risk {
        Risk::None => g("risk_none"),
        Risk::Risk => g("risk_risk"),
        Risk::High => g("risk_high"),
    });
    let mut timeline = vec![
        (
            g("discovered_at"),
            f.discovered_at
                .map(|d| rfc3339(d, tz))
                .unwrap_or(unknown.clone()),
        ),
        (g("aware_at"), rfc3339(i.aware_at, tz)),
        (g("deadline"), rfc3339(i.ap_deadline, tz)),
        (g("ongoing"), yn(f.ongoing)),
    ];
    if let Some(l) = late {
        timeline.push((g("late_reason"), l));
    }
    let sections = vec![
        Section {
            title: g("s_law"),
            items: vec![(g("s_law"), g("law"))],
        },
        Section {
            title: g("s_contact"),
            items: vec![
                (
                    g("controller"),
                    if controller.is_empty() {
                        unknown.clone()
                    } else {
                        controller.clone()
                    },
                ),
                (g("kvk"), opt(&kvk)),
                (g("contact"), opt(&contact)),
            ],
        },
        Section {
            title: g("s_timeline"),
            items: timeline,
        },
        Section {
            title: g("s_nature"),
            items: vec![
                (g("summary"), i.summary.clone()),
                (g("nature"), list(&natures)),
                (g("systems"), list(&f.systems)),
            ],
        },
        Section {
            title: g("s_data"),
            items: vec![
                (
                    g("categories"),
                    list(&category_words(&f.categories, register, lang)),
                ),
                (g("special"), yn(Some(f.special_categories))),
                (g("bsn"), yn(Some(f.bsn))),
                (g("records"), range(f.records_min, f.records_max)),
            ],
        },
        Section {
            title: g("s_people"),
            items: vec![
                (g("people"), range(f.people_min, f.people_max)),
                (g("groups"), list(&f.groups)),
            ],
        },
        Section {
            title: g("s_encryption"),
            items: vec![(g("encrypted"), yn(f.encrypted))],
        },
        Section {
            title: g("s_consequences"),
            items: vec![
                (g("consequences"), opt(&f.consequences)),
                (g("risk"), risk.unwrap_or(unknown.clone())),
                (
                    g("risk_reasons"),
                    a.map(|a| a.reasons.clone()).unwrap_or(unknown.clone()),
                ),
            ],
        },
        Section {
            title: g("s_measures"),
            items: vec![
                (g("inform_people"), yn(a.map(|a| a.inform_people))),
                (
                    g("inform_reason"),
                    a.map(|a| a.inform_people_reason.clone())
                        .unwrap_or(unknown.clone()),
                ),
                (
                    g("informed"),
                    i.people_informed
                        .as_ref()
                        .map(|(t, how)| format!("{} ({how})", rfc3339(*t, tz)))
                        .unwrap_or(unknown.clone()),
                ),
                (g("measures_taken"), opt(&f.measures_taken)),
                (g("measures_planned"), opt(&f.measures_planned)),
            ],
        },
        Section {
            title: g("s_cross_border"),
            items: vec![(g("cross_border"), opt(&f.cross_border))],
        },
        Section {
            title: g("s_other"),
            items: vec![(
                g("reference"),
                i.notifications
                    .iter()
                    .filter_map(|n| n.reference.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        },
    ];
    Ok(ApNotification {
        title: g("notification_title"),
        phase: format!("{phase} · {}", g("notification_intro")),
        incident: i.id.clone(),
        sections,
    })
}

/// The notification as Markdown.
pub fn notification_markdown(n: &ApNotification) -> String {
    let mut out = format!(
        "# {}\n\n{}\n\nIncident `{}`\n",
        n.title, n.phase, n.incident
    );
    for s in &n.sections {
        out.push_str(&format!("\n## {}\n\n", s.title));
        for (q, a) in &s.items {
            let a = if a.is_empty() { "–" } else { a.as_str() };
            out.push_str(&format!("- **{q}**: {a}\n"));
        }
    }
    out
}

/// The notice to the people affected (Art. 34(2)): what happened, which data, the likely
/// consequences, the measures, and whom to contact; in plain language.
pub fn people_notice(i: &Incident, register: Option<&Policy>, lang: Lang) -> Result<String> {
    let t = texts(lang)?;
    let g = |k: &str| t.get(k).cloned().unwrap_or_default();
    let f = &i.facts;
    let unknown = g("unknown");
    let categories = category_words(&f.categories, register, lang);
    let controller = register
        .map(|p| p.controller.name.clone())
        .unwrap_or_default();
    let contact = f
        .contact
        .clone()
        .or_else(|| register.and_then(|p| p.controller.email.clone()))
        .unwrap_or(unknown.clone());
    let measures = [f.measures_taken.clone(), f.measures_planned.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let fill = |k: &str, key: &str, v: &str| g(k).replace(&format!("{{{key}}}"), v);
    let parts = [
        format!("# {}", g("people_title")),
        g("people_greeting"),
        fill("people_what", "summary", &i.summary),
        fill(
            "people_data",
            "categories",
            &if categories.is_empty() {
                unknown.clone()
            } else {
                categories.join(", ")
            },
        ),
        fill(
            "people_consequences",
            "consequences",
            f.consequences.as_deref().unwrap_or(&unknown),
        ),
        fill(
            "people_measures",
            "measures",
            if measures.is_empty() {
                &unknown
            } else {
                &measures
            },
        ),
        g("people_advice"),
        fill("people_contact", "contact", &contact),
        fill("people_closing", "controller", &controller),
    ];
    Ok(parts.join("\n\n") + "\n")
}
