//! The breach register's pages: the incidents with their 72-hour clocks, one incident with its
//! history, its facts (a form the operator fills in as they become known), the next step
//! (assess, notify, inform, tell the controllers we process for, close) and its documents.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use waarborg_app::auth::Action;
use waarborg_app::{AppError, breach};
use waarborg_store::{Assessment, Incident, IncidentFacts, IncidentStatus, Nature, Risk};

use crate::auth::WebUser;
use crate::state::AppState;
use crate::web::{Page, page, render};

type S = State<Arc<AppState>>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/breaches", get(list).post(open))
        .route("/breaches/{id}", get(show))
        .route("/breaches/{id}/assess", post(assess))
        .route("/breaches/{id}/notify", post(notify))
        .route("/breaches/{id}/close", post(close))
        .route("/breaches/{id}/facts", post(facts))
        .route("/breaches/{id}/inform", post(inform))
        .route("/breaches/{id}/controllers", post(tell_controller))
}

/// Who acts, as the incident's history records it.
pub(crate) fn actor(u: &WebUser) -> String {
    format!("user:{}", u.user.id)
}

/// A moment from a form: RFC 3339 with offset, or a `datetime-local` value read in the
/// server's time zone.
pub(crate) fn parse_local(s: &str, tz: &jiff::tz::TimeZone) -> Result<jiff::Timestamp, AppError> {
    if let Ok(t) = s.trim().parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let dt = s
        .trim()
        .parse::<jiff::civil::DateTime>()
        .map_err(|e| AppError::invalid(format!("`{s}` is not a date and time: {e}")))?;
    dt.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| AppError::invalid(e.to_string()))
}

fn now_local(tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::now()
        .to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

fn row(i: &Incident, tz: &jiff::tz::TimeZone) -> Value {
    let c = breach::clock(i, jiff::Timestamp::now(), tz);
    json!({
        "id": i.id,
        "short_id": i.id.chars().take(13).collect::<String>(),
        "summary": i.summary,
        "status": i.status.as_str(),
        "aware": crate::views::local(i.aware_at, tz),
        "deadline": crate::views::local(i.ap_deadline, tz),
        "overdue": c.overdue,
        "due": c.notification_due,
        "hours_left": c.hours_left.max(0),
        "risk": i.assessment.as_ref().map(|a| match a.risk { Risk::None => "none", Risk::Risk => "risk", Risk::High => "high" }),
        "risk_reasons": i.assessment.as_ref().map(|a| a.reasons.clone()),
        "notifications": i.notifications.iter().map(|n| format!("{} · {}{}", n.phase, crate::views::local(n.at, tz), n.reference.as_deref().map(|r| format!(" · {r}")).unwrap_or_default())).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn list(State(state): S, u: WebUser, Query(q): Query<NoticeQuery>) -> Page {
    let r = async {
        let tz = &state.config.time_zone;
        let incidents = breach::register(&state.store).await?;
        Ok(render(
            &state,
            "breaches.html",
            Some(&u),
            u.lang(),
            "breaches",
            "breaches_title",
            json!({
                "incidents": incidents.iter().map(|i| row(i, tz)).collect::<Vec<_>>(),
                "can_record": u.permit(Action::RecordBreach).is_ok(),
                "now_local": now_local(tz),
                "notice": crate::web::notice(&state, u.lang(), q.notice.as_deref()),
            }),
        ))
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct OpenForm {
    csrf: String,
    summary: String,
    aware: String,
}

async fn open(State(state): S, u: WebUser, axum::Form(f): axum::Form<OpenForm>) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::RecordBreach)?;
        let aware = parse_local(&f.aware, &state.config.time_zone)?;
        let i = breach::open(
            &state.store,
            state.ws.register().map(|r| &r.policy),
            &actor(&u),
            &f.summary,
            aware,
            IncidentFacts::default(),
        )
        .await?;
        Ok(Redirect::to(&format!("/breaches/{}?notice=done_breach_opened", i.id)).into_response())
    }
    .await;
    page(&state, &u, r)
}

async fn show(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Page {
    let r = async {
        let tz = &state.config.time_zone;
        let i = state.store.incident(&id).await?;
        let events = state.store.incident_events(&i.id).await?;
        let policy = state.ws.register().map(|r| &r.policy);
        let notification = breach::notification_markdown(&breach::ap_notification(&i, policy, u.lang(), tz)?);
        let people = breach::people_notice(&i, policy, u.lang())?;
        let controllers = breach::processor_clocks(&i, policy, u.lang(), jiff::Timestamp::now(), tz)?;
        let controller_notices = controllers
            .iter()
            .map(|c| {
                Ok(json!({
                    "controller": c.controller,
                    "text": breach::controller_notice(&i, &c.activity, policy, u.lang(), tz)?,
                }))
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(render(
            &state,
            "breach.html",
            Some(&u),
            u.lang(),
            "breaches",
            "breaches_title",
            json!({
                "incident": row(&i, tz),
                "open": i.status != IncidentStatus::Closed,
                "can_decide": u.permit(Action::DecideBreach).is_ok(),
                "can_record": u.permit(Action::RecordBreach).is_ok(),
                "now_local": now_local(tz),
                "facts": facts_view(&i.facts, tz),
                "natures": Nature::ALL.iter().map(|n| json!({"id": n.as_str(), "checked": i.facts.nature.contains(n)})).collect::<Vec<_>>(),
                "categories": category_choices(&i.facts, policy, u.lang()),
                "activities": activity_choices(&i.facts, policy, u.lang()),
                "controllers": controllers.iter().map(|c| json!({
                    "activity": c.activity,
                    "controller": c.controller,
                    "deadline": c.deadline,
                    "told": c.told,
                    "overdue": c.overdue,
                    "hours_left": c.hours_left.max(0),
                })).collect::<Vec<_>>(),
                "controller_notices": controller_notices,
                "informed": i.people_informed.as_ref().map(|(t, how)| format!("{} ({how})", crate::views::local(*t, tz))),
                "notification": notification,
                "people": people,
                "events": events.iter().map(|e| json!({"at": crate::views::local(e.at, tz), "event": e.event, "by": e.actor, "audit_seq": e.audit_seq})).collect::<Vec<_>>(),
                "notice": crate::web::notice(&state, u.lang(), q.notice.as_deref()),
            }),
        ))
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct AssessForm {
    csrf: String,
    risk: String,
    reasons: String,
    notify_ap: String,
    notify_reason: String,
    inform: String,
    inform_reason: String,
}

fn done(id: &str) -> Response {
    Redirect::to(&format!("/breaches/{id}?notice=done_breach_changed")).into_response()
}

async fn assess(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<AssessForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::DecideBreach)?;
        let a = Assessment {
            risk: f.risk.parse::<Risk>()?,
            reasons: f.reasons,
            notify_ap: f.notify_ap == "yes",
            notify_ap_reason: f.notify_reason,
            inform_people: f.inform == "yes",
            inform_people_reason: f.inform_reason,
            at: jiff::Timestamp::now(),
        };
        let i = breach::assess(&state.store, &actor(&u), &id, a).await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct NotifyForm {
    csrf: String,
    at: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    late_reason: String,
}

async fn notify(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<NotifyForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::DecideBreach)?;
        let at = parse_local(&f.at, &state.config.time_zone)?;
        let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(String::from);
        let i = breach::notify(
            &state.store,
            &actor(&u),
            &id,
            at,
            opt(&f.reference).as_deref(),
            opt(&f.late_reason).as_deref(),
        )
        .await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct CloseForm {
    csrf: String,
    note: String,
}

async fn close(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<CloseForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::DecideBreach)?;
        let i = breach::close(&state.store, &actor(&u), &id, &f.note).await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}

fn facts_view(f: &IncidentFacts, tz: &jiff::tz::TimeZone) -> Value {
    let yn = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let local_input = |t: jiff::Timestamp| {
        t.to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    };
    json!({
        "discovered": f.discovered_at.map(local_input),
        "reported_by": f.reported_by,
        "ongoing": yn(f.ongoing),
        "systems": f.systems.join(", "),
        "special": f.special_categories,
        "bsn": f.bsn,
        "people_min": f.people_min,
        "people_max": f.people_max,
        "records_min": f.records_min,
        "records_max": f.records_max,
        "groups": f.groups.join(", "),
        "encrypted": yn(f.encrypted),
        "consequences": f.consequences,
        "measures_taken": f.measures_taken,
        "measures_planned": f.measures_planned,
        "cross_border": f.cross_border,
        "contact": f.contact,
    })
}

/// The register's data categories as check boxes (by fideslang key), plus any key recorded
/// that the register does not name.
fn category_choices(
    f: &IncidentFacts,
    register: Option<&waarborg_policy::Policy>,
    lang: waarborg_policy::Lang,
) -> Vec<Value> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for d in register.map(|p| p.data.as_slice()).unwrap_or_default() {
        if seen.insert(d.category.clone()) {
            out.push(json!({
                "key": d.category,
                "label": d.label.get(lang),
                "checked": f.categories.contains(&d.category),
            }));
        }
    }
    for c in &f.categories {
        if seen.insert(c.clone()) {
            out.push(json!({"key": c, "label": c, "checked": true}));
        }
    }
    out
}

/// The register's processor activities as check boxes.
fn activity_choices(
    f: &IncidentFacts,
    register: Option<&waarborg_policy::Policy>,
    lang: waarborg_policy::Lang,
) -> Vec<Value> {
    register
        .map(|p| p.processor_activities.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "controller": a.controller.get(lang),
                "checked": f.processor_activities.contains(&a.id),
            })
        })
        .collect()
}

/// A posted form with repeated fields (check boxes), as name/value pairs.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &[u8]) -> Fields {
        Fields(form_urlencoded::parse(body).into_owned().collect())
    }

    fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.one(name).map(String::from)
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    fn list(&self, name: &str) -> Vec<String> {
        self.one(name)
            .map(|v| {
                v.split([',', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn yes_no(&self, name: &str) -> Option<bool> {
        match self.one(name) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        }
    }

    fn number(&self, name: &str, label: &str) -> Result<Option<u64>, AppError> {
        self.one(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| AppError::invalid(format!("{label}: `{v}` is not a whole number")))
            })
            .transpose()
    }
}

async fn facts(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Page {
    let r = async {
        let f = Fields::parse(&body);
        u.check_csrf(f.one("csrf").unwrap_or_default())?;
        u.permit(Action::RecordBreach)?;
        let tz = &state.config.time_zone;
        let facts = IncidentFacts {
            discovered_at: f
                .one("discovered")
                .map(|d| parse_local(d, tz))
                .transpose()?,
            reported_by: f.text("reported_by"),
            ongoing: f.yes_no("ongoing"),
            nature: f
                .all("nature")
                .iter()
                .map(|n| n.parse::<Nature>())
                .collect::<Result<_, _>>()?,
            systems: f.list("systems"),
            categories: f.all("category"),
            special_categories: f.one("special").is_some(),
            bsn: f.one("bsn").is_some(),
            people_min: f.number("people_min", "people (at least)")?,
            people_max: f.number("people_max", "people (at most)")?,
            records_min: f.number("records_min", "records (at least)")?,
            records_max: f.number("records_max", "records (at most)")?,
            groups: f.list("groups"),
            encrypted: f.yes_no("encrypted"),
            consequences: f.text("consequences"),
            measures_taken: f.text("measures_taken"),
            measures_planned: f.text("measures_planned"),
            cross_border: f.text("cross_border"),
            contact: f.text("contact"),
            processor_activities: f.all("processor_activity"),
        };
        let i = breach::update(
            &state.store,
            state.ws.register().map(|r| &r.policy),
            &actor(&u),
            &id,
            None,
            facts,
        )
        .await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct InformForm {
    csrf: String,
    at: String,
    how: String,
}

async fn inform(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<InformForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::DecideBreach)?;
        let at = parse_local(&f.at, &state.config.time_zone)?;
        let i = breach::inform(&state.store, &actor(&u), &id, at, &f.how).await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct TellForm {
    csrf: String,
    activity: String,
    at: String,
    how: String,
}

async fn tell_controller(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<TellForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::DecideBreach)?;
        let at = parse_local(&f.at, &state.config.time_zone)?;
        let i =
            breach::tell_controller(&state.store, &actor(&u), &id, &f.activity, at, &f.how).await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}
