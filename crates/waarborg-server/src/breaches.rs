//! The breach register's pages: the incidents with their 72-hour clocks, one incident with its
//! history, the next step (assess, notify, close) and its documents.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use waarborg_app::auth::Action;
use waarborg_app::{AppError, breach};
use waarborg_store::{Assessment, Incident, IncidentFacts, IncidentStatus, Risk};

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
        let i = state
            .store
            .open_incident(&f.summary, aware, IncidentFacts::default())
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
                "now_local": now_local(tz),
                "notification": notification,
                "people": people,
                "events": events.iter().map(|e| json!({"at": crate::views::local(e.at, tz), "event": e.event, "audit_seq": e.audit_seq})).collect::<Vec<_>>(),
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
        let i = state.store.assess_incident(&id, a).await?;
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
        let i = state
            .store
            .record_ap_notification(
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
        let i = state.store.close_incident(&id, &f.note).await?;
        Ok(done(&i.id))
    }
    .await;
    page(&state, &u, r)
}
