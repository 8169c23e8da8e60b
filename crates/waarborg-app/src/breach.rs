//! The breach register as use cases (GDPR Art. 33, 34): record an incident, keep its 72-hour
//! clock, assess it, record the notifications, and write the documents: the notification as
//! the Autoriteit Persoonsgegevens' form asks for it (Markdown and JSON, Dutch and English) and
//! the notice to the people affected (Art. 34(2)). The wording is data (`breach/{nl,en}.toml`).
//!
//! When the organisation is a processor for others (the register's `processor_activities`),
//! an incident that touches such an activity also has a clock per controller: the period of the
//! processor agreement (`breach_notice`), or [`DEFAULT_PROCESSOR_NOTICE`] ("without undue
//! delay", Art. 33(2)) where the agreement names none, and [`controller_notice`] writes the
//! notice to that controller.
//!
//! Every change goes through the use cases here ([`open`], [`update`], [`assess`], [`notify`],
//! [`inform`], [`tell_controller`], [`close`]), which record who made it; the CLI, the
//! dashboard and the API call them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use waarborg_policy::{Lang, Policy};
use waarborg_store::{Assessment, Incident, IncidentFacts, Risk, Store};

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

/// An approximate number as a range: `40`, `40 – 60`, `≥ 40`, `≤ 60`, or `unknown`.
fn range_words(a: Option<u64>, b: Option<u64>, unknown: &str) -> String {
    match (a, b) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => unknown.to_string(),
    }
}

/// A moment given with its offset, or now when none is given.
pub fn moment_or_now(s: Option<&str>) -> Result<Timestamp> {
    s.map_or_else(|| Ok(Timestamp::now()), parse_moment)
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

/// The period within which a processor tells its controller when the processor agreement
/// names none: "without undue delay" (Art. 33(2)) read as 24 hours, so that the controller
/// keeps most of its own 72.
pub const DEFAULT_PROCESSOR_NOTICE: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The clock of one controller to be told, when the organisation is its processor.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ControllerClock {
    /// The register's processor activity.
    pub activity: String,
    /// Who the controller is, in the register's words.
    pub controller: String,
    /// The deadline (RFC 3339 with the offset of the time zone).
    pub deadline: String,
    /// Where the period comes from: the agreement's `breach_notice` (ISO 8601) or `default`.
    pub period: String,
    /// When and how the controller was told, once it was.
    pub told: Option<String>,
    /// Whole hours left until the deadline (negative once passed).
    pub hours_left: i64,
    /// Whether the deadline passed without the controller being told.
    pub overdue: bool,
}

/// The deadline to tell the controller of `activity`: `aware_at` plus the agreement's period,
/// or plus [`DEFAULT_PROCESSOR_NOTICE`]. Calendar arithmetic in `tz` (a period of days keeps
/// the clock time across a daylight-saving change).
fn controller_deadline(
    i: &Incident,
    period: Option<&waarborg_policy::IsoDuration>,
    tz: &jiff::tz::TimeZone,
) -> Result<Timestamp> {
    match period {
        Some(p) => p
            .add_to_zoned(&i.aware_at.to_zoned(tz.clone()))
            .map(|z| z.timestamp())
            .map_err(|e| {
                AppError::invalid(format!(
                    "the processor agreement's breach notice period {} cannot be added: {e}",
                    p.as_str()
                ))
            }),
        None => i
            .aware_at
            .checked_add(DEFAULT_PROCESSOR_NOTICE)
            .map_err(|e| AppError::internal(e.to_string())),
    }
}

/// The clocks of the controllers to be told of `i` (one per processor activity its facts
/// name), soonest first. An activity the register does not know gets the default period.
pub fn processor_clocks(
    i: &Incident,
    register: Option<&Policy>,
    lang: Lang,
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<ControllerClock>> {
    let mut out = Vec::new();
    for id in &i.facts.processor_activities {
        let activity = register.and_then(|p| p.processor_activities.iter().find(|a| a.id == *id));
        let period = activity.and_then(|a| a.breach_notice.as_ref());
        let deadline = controller_deadline(i, period, tz)?;
        let told = i
            .controllers_told
            .iter()
            .find(|t| t.activity == *id)
            .map(|t| (t.at, format!("{} ({})", rfc3339(t.at, tz), t.how)));
        out.push(ControllerClock {
            activity: id.clone(),
            controller: activity
                .map(|a| a.controller.get(lang).to_string())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| id.clone()),
            deadline: rfc3339(deadline, tz),
            period: period.map_or_else(|| "default".to_string(), |p| p.as_str().to_string()),
            hours_left: deadline.duration_since(now).as_secs().div_euclid(3600),
            overdue: match told {
                Some((at, _)) => at > deadline,
                None => now >= deadline,
            },
            told: told.map(|(_, s)| s),
        });
    }
    out.sort_by(|a, b| a.deadline.cmp(&b.deadline));
    Ok(out)
}

/// Checks the processor activities named in `facts` against the register.
fn check_facts(facts: &IncidentFacts, register: Option<&Policy>) -> Result<()> {
    let Some(p) = register else {
        return Ok(());
    };
    for id in &facts.processor_activities {
        if !p.processor_activities.iter().any(|a| a.id == *id) {
            let known: Vec<&str> = p
                .processor_activities
                .iter()
                .map(|a| a.id.as_str())
                .collect();
            return Err(AppError::invalid(format!(
                "the register has no processor activity `{id}`; known: {}",
                if known.is_empty() {
                    "none (the register describes no processing for other controllers)".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// Records a breach (who records it: `actor`); the AP deadline is `aware_at` + 72 hours.
pub async fn open(
    store: &Store,
    register: Option<&Policy>,
    actor: &str,
    summary: &str,
    aware_at: Timestamp,
    facts: IncidentFacts,
) -> Result<Incident> {
    check_facts(&facts, register)?;
    Ok(store.open_incident(actor, summary, aware_at, facts).await?)
}

/// Replaces the facts (and the summary, when given).
pub async fn update(
    store: &Store,
    register: Option<&Policy>,
    actor: &str,
    id: &str,
    summary: Option<&str>,
    facts: IncidentFacts,
) -> Result<Incident> {
    check_facts(&facts, register)?;
    Ok(store.update_incident(actor, id, summary, facts).await?)
}

/// Records the assessment (Art. 33(1), 34).
pub async fn assess(store: &Store, actor: &str, id: &str, a: Assessment) -> Result<Incident> {
    Ok(store.assess_incident(actor, id, a).await?)
}

/// Records a notification to the AP (a late first one needs its reason, Art. 33(1)).
pub async fn notify(
    store: &Store,
    actor: &str,
    id: &str,
    at: Timestamp,
    reference: Option<&str>,
    late_reason: Option<&str>,
) -> Result<Incident> {
    Ok(store
        .record_ap_notification(actor, id, at, reference, late_reason)
        .await?)
}

/// Records that the people were informed (Art. 34), and how.
pub async fn inform(
    store: &Store,
    actor: &str,
    id: &str,
    at: Timestamp,
    how: &str,
) -> Result<Incident> {
    Ok(store.record_people_informed(actor, id, at, how).await?)
}

/// Records that the controller of `activity` was told (Art. 33(2)), and how.
pub async fn tell_controller(
    store: &Store,
    actor: &str,
    id: &str,
    activity: &str,
    at: Timestamp,
    how: &str,
) -> Result<Incident> {
    Ok(store
        .record_controller_told(actor, id, activity, at, how)
        .await?)
}

/// Closes an incident with a note; it stays in the register.
pub async fn close(store: &Store, actor: &str, id: &str, note: &str) -> Result<Incident> {
    Ok(store.close_incident(actor, id, note).await?)
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
    let range = |a: Option<u64>, b: Option<u64>| range_words(a, b, &unknown);
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

/// The processor's notice to the controller of `activity` (Art. 33(2)): what happened, when we
/// became aware, which data and people, the likely consequences, the measures, and whom to
/// contact, so that the controller can make its own assessment and notification (Art. 33(3)).
pub fn controller_notice(
    i: &Incident,
    activity: &str,
    register: Option<&Policy>,
    lang: Lang,
    tz: &jiff::tz::TimeZone,
) -> Result<String> {
    if !i.facts.processor_activities.iter().any(|a| a == activity) {
        return Err(AppError::invalid(format!(
            "incident {} names no processor activity `{activity}`",
            i.id
        )));
    }
    let t = texts(lang)?;
    let g = |k: &str| t.get(k).cloned().unwrap_or_default();
    let unknown = g("unknown");
    let f = &i.facts;
    let clock = processor_clocks(i, register, lang, Timestamp::now(), tz)?
        .into_iter()
        .find(|c| c.activity == activity);
    let to = clock
        .as_ref()
        .map(|c| c.controller.clone())
        .unwrap_or_else(|| activity.to_string());
    let us = register
        .map(|p| p.controller.name.clone())
        .unwrap_or_default();
    let contact = f
        .contact
        .clone()
        .or_else(|| register.and_then(|p| p.controller.email.clone()))
        .unwrap_or(unknown.clone());
    let natures: Vec<String> = f
        .nature
        .iter()
        .map(|n| g(&format!("nature_{}", n.as_str())))
        .collect();
    let or_unknown = |v: Vec<String>| {
        if v.is_empty() {
            unknown.clone()
        } else {
            v.join(", ")
        }
    };
    let range = |a: Option<u64>, b: Option<u64>| range_words(a, b, &unknown);
    let fill = |k: &str, key: &str, v: &str| g(k).replace(&format!("{{{key}}}"), v);
    let items = [
        (g("summary"), i.summary.clone()),
        (g("aware_at"), rfc3339(i.aware_at, tz)),
        (
            g("ongoing"),
            match f.ongoing {
                Some(true) => g("yes"),
                Some(false) => g("no"),
                None => unknown.clone(),
            },
        ),
        (g("nature"), or_unknown(natures)),
        (g("systems"), or_unknown(f.systems.clone())),
        (
            g("categories"),
            or_unknown(category_words(&f.categories, register, lang)),
        ),
        (g("people"), range(f.people_min, f.people_max)),
        (g("records"), range(f.records_min, f.records_max)),
        (
            g("encrypted"),
            match f.encrypted {
                Some(true) => g("yes"),
                Some(false) => g("no"),
                None => unknown.clone(),
            },
        ),
        (
            g("consequences"),
            f.consequences.clone().unwrap_or(unknown.clone()),
        ),
        (
            g("measures_taken"),
            f.measures_taken.clone().unwrap_or(unknown.clone()),
        ),
        (
            g("measures_planned"),
            f.measures_planned.clone().unwrap_or(unknown.clone()),
        ),
        (g("contact"), contact),
    ];
    let mut out = format!(
        "# {}\n\n{}\n\n{}\n\n",
        g("controller_title"),
        fill("controller_to", "controller", &to),
        fill("controller_intro", "processor", &us),
    );
    for (q, a) in items {
        out.push_str(&format!("- **{q}**: {a}\n"));
    }
    out.push('\n');
    out.push_str(&g("controller_next"));
    out.push_str("\n\n");
    out.push_str(&fill("people_closing", "controller", &us));
    out.push('\n');
    Ok(out)
}
