//! The JSON API under `/api/v1/`: everything the dashboard does, for scripts and other systems.
//! Callers send an API token (`Authorization: Bearer wb_...`, made with `waarborg token add`);
//! the same permission table as the dashboard applies. Errors are RFC 9457 problem+json.
//! The OpenAPI 3.1 document is generated from this code: `GET /api/openapi.json`.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, OpenApi, ToSchema};
use waarborg_app::auth::Action;
use waarborg_app::cases::{self, OpenCase};
use waarborg_app::requests::{self, Op, Outcome, Request};
use waarborg_app::{AppError, ErrorKind};
use waarborg_policy::Lang;
use waarborg_store::{CaseFilter, CaseKind, CaseStatus, User};

use crate::auth::ApiUser;
use crate::state::AppState;

type S = State<Arc<AppState>>;

/// An RFC 9457 problem detail, the body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `https://waarborg.example/problems/<kind>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// A short title of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong and what to do.
    pub detail: String,
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        let detail = if e.kind == ErrorKind::Internal {
            tracing::error!("internal error: {}", e.message);
            "something went wrong on our side".to_string()
        } else {
            e.message
        };
        Problem {
            type_: format!("https://waarborg.example/problems/{}", e.kind.as_str()),
            title: e.kind.title(Lang::En).to_string(),
            status: e.kind.http_status(),
            detail,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED
            && let Ok(v) = "Bearer realm=\"waarborg\"".parse()
        {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        r
    }
}

type ApiResult<T> = Result<Json<T>, Problem>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/cases", get(list_cases).post(open_case))
        .route("/requests", post(crate::portal::api_request))
        .route("/cases/{id}", get(get_case))
        .route("/cases/{id}/verify", post(verify_case))
        .route("/cases/{id}/extend", post(extend_case))
        .route("/cases/{id}/reject", post(reject_case))
        .route("/cases/{id}/close", post(close_case))
        .route("/cases/{id}/run", post(run))
        .route("/cases/{id}/letter", get(letter))
        .route("/retention", get(retention))
        .route("/retention/sweep", post(sweep))
        .route("/consent", get(consent_summary))
        .route("/consent/{subject}", get(consent_of))
        .route("/register/lint", get(lint))
        .route("/audit/verify", get(audit_verify))
        .route("/me", get(me))
        .route("/breaches", get(list_breaches).post(open_breach))
        .route("/breaches/{id}", get(get_breach))
        .route("/breaches/{id}/assess", post(assess_breach))
        .route("/breaches/{id}/notify", post(notify_breach))
        .route("/breaches/{id}/notification", get(breach_notification))
        .route("/breaches/{id}/facts", post(update_breach))
        .route("/breaches/{id}/inform", post(inform_breach))
        .route("/breaches/{id}/controllers", post(tell_controller))
        .route("/breaches/{id}/close", post(close_breach))
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Waarborg API", description = "Requests of data subjects, retention, consent, register and audit trail of one organisation."),
    paths(list_cases, open_case, get_case, letter, verify_case, extend_case, reject_case, close_case, run, retention, sweep, consent_summary, consent_of, lint, audit_verify, me, list_breaches, open_breach, get_breach, assess_breach, notify_breach, breach_notification, update_breach, inform_breach, tell_controller, close_breach),
    components(schemas(Problem, Letter, CaseView, CaseDetail, EventView, NewCaseBody, VerifyBody, ExtendBody, ReasonBody, RunBody, RunResponse, RuleView, SweepResponse, PurposeCounts, ConsentView, Finding, AuditStatus, Me, BreachView, NewBreachBody, AssessBody, NotifyBody, FactsBody, InformBody, TellControllerBody, CloseBreachBody)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::banner::BannerApiDoc::openapi());
    doc.merge(<crate::portal::PortalApiDoc as OpenApi>::openapi());
    match doc.to_json() {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(e) => Problem::from(AppError::internal(format!("openapi: {e}"))).into_response(),
    }
}

/// A case in a list (no identities).
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    /// The case id.
    pub id: String,
    /// access, rectification, erasure, restriction, portability, objection, consent_withdrawal.
    pub kind: String,
    /// received, verified, in_progress, done, rejected.
    pub status: String,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// The deadline (RFC 3339 instant).
    pub due_at: String,
    /// The last day to answer (local date).
    pub due_date: String,
    /// overdue, due_this_week, later, closed.
    pub urgency: String,
    /// Whether the deadline was extended.
    pub extended: bool,
}

fn case_view(c: &waarborg_store::Case, now: jiff::Timestamp) -> CaseView {
    CaseView {
        id: c.id.clone(),
        kind: c.kind.as_str().into(),
        status: c.status.as_str().into(),
        received_at: c.received_at.to_string(),
        due_at: c.due_at.to_string(),
        due_date: c.due_date.to_string(),
        urgency: serde_json::to_value(cases::urgency(c, now))
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        extended: c.extended,
    }
}

/// Filters of the case list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CaseQuery {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this status (default: all open cases).
    pub status: Option<String>,
    /// At most this many (default 200); page on with `offset`.
    pub limit: Option<u32>,
    /// Skip this many first (default 0): the next page starts at the previous offset plus
    /// the number of cases it returned; a shorter page than `limit` is the last.
    pub offset: Option<u64>,
}

/// The cases `GET /api/v1/cases` returns when no `limit` is given.
pub const DEFAULT_CASE_LIMIT: u32 = 200;

fn parse<T: std::str::FromStr>(s: Option<&str>) -> Result<Option<T>, AppError>
where
    T::Err: std::fmt::Display,
{
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<T>().map_err(|e| AppError::invalid(e.to_string())))
        .transpose()
}

/// Open cases (or those of a status), soonest due first, one page at a time (`limit`, default
/// 200, and `offset`).
#[utoipa::path(get, path = "/api/v1/cases", params(CaseQuery), responses(
    (status = 200, body = Vec<CaseView>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list_cases(
    State(state): S,
    u: ApiUser,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Vec<CaseView>> {
    u.permit(Action::Read)?;
    let kind: Option<CaseKind> = parse(q.kind.as_deref())?;
    let status: Option<CaseStatus> = parse(q.status.as_deref())?;
    let filter = CaseFilter {
        status,
        overdue_at: None,
        open_only: status.is_none(),
        kind,
        limit: Some(q.limit.unwrap_or(DEFAULT_CASE_LIMIT)),
        offset: q.offset.unwrap_or(0),
    };
    let now = jiff::Timestamp::now();
    let list = cases::list(&state.store, &filter).await?;
    Ok(Json(list.iter().map(|c| case_view(c, now)).collect()))
}

/// A new case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCaseBody {
    /// The kind of request.
    pub kind: String,
    /// The person's identities, `kind=value` (e.g. `email=a@b.nl`).
    pub subject: Vec<String>,
    /// When it was received (RFC 3339; default now).
    pub received_at: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// Records a new request; its deadline follows the register's promise, else one month.
#[utoipa::path(post, path = "/api/v1/cases", request_body = NewCaseBody, responses(
    (status = 201, body = CaseDetail), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn open_case(
    State(state): S,
    u: ApiUser,
    Json(b): Json<NewCaseBody>,
) -> Result<(StatusCode, Json<CaseDetail>), Problem> {
    u.permit(Action::WorkCases)?;
    let kind = b
        .kind
        .parse::<CaseKind>()
        .map_err(|e| AppError::invalid(e.to_string()))?;
    let received = parse::<jiff::Timestamp>(b.received_at.as_deref())?;
    let c = cases::open(
        &state.store,
        OpenCase {
            kind,
            subject: b.subject,
            received,
            deadline: None,
            note: b.note,
        },
        state.ws.register(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &c.id).await?)))
}

/// One case with the person's identities and its timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    /// The case.
    #[serde(flatten)]
    pub case: CaseView,
    /// The person's identities (`kind=value`); absent once anonymised.
    pub subject: Option<Vec<String>>,
    /// How the identity was checked.
    pub verification: Option<String>,
    /// The reason given for an extension.
    pub extension_reason: Option<String>,
    /// The outcome.
    pub outcome: Option<String>,
    /// The timeline.
    pub events: Vec<EventView>,
    /// Documents kept for download from the dashboard.
    pub documents: Vec<String>,
}

/// One event of a case's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// When.
    pub at: String,
    /// What (opened, verified, started, extended, closed, rejected, ...).
    pub event: String,
    /// The status after it.
    pub status: String,
    /// Detail.
    pub detail: Option<String>,
    /// Its audit entry.
    pub audit_seq: i64,
}

async fn detail(state: &AppState, id: &str) -> Result<CaseDetail, AppError> {
    let (c, events) = cases::show(&state.store, id).await?;
    let now = jiff::Timestamp::now();
    Ok(CaseDetail {
        case: case_view(&c, now),
        subject: c
            .subject
            .as_ref()
            .map(|s| s.0.iter().map(|(k, v)| format!("{k}={v}")).collect()),
        verification: c.verification.clone(),
        extension_reason: c.extension_reason.clone(),
        outcome: c.outcome.clone(),
        events: events
            .iter()
            .map(|e| EventView {
                at: e.at.to_string(),
                event: e.event.clone(),
                status: e.to_status.as_str().into(),
                detail: e.detail.clone(),
                audit_seq: e.audit_seq,
            })
            .collect(),
        documents: crate::documents::list(&state.config.data_dir, &c.id)?,
    })
}

/// One case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = String, Path, description = "case id or a unique prefix of 8+ characters")), responses(
    (status = 200, body = CaseDetail), (status = 404, body = Problem)))]
async fn get_case(State(state): S, u: ApiUser, Path(id): Path<String>) -> ApiResult<CaseDetail> {
    u.permit(Action::Read)?;
    Ok(Json(detail(&state, &id).await?))
}

/// The letter to send the person.
#[derive(Debug, Serialize, ToSchema)]
pub struct Letter {
    /// receipt, extension, answer or refusal: the one the case's state calls for.
    pub kind: String,
    /// nl or en.
    pub lang: String,
    /// The text.
    pub text: String,
}

/// The language of a letter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LangQuery {
    /// nl (default) or en.
    pub lang: Option<String>,
}

/// The letter to send the person now (receipt, extension notice, answer or refusal), from the
/// register, in plain Dutch or English.
#[utoipa::path(get, path = "/api/v1/cases/{id}/letter", params(("id" = String, Path), LangQuery), responses(
    (status = 200, body = Letter), (status = 404, body = Problem)))]
async fn letter(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Letter> {
    u.permit(Action::Read)?;
    let lang = parse::<Lang>(q.lang.as_deref())?.unwrap_or(Lang::Nl);
    let c = state.store.case(&id).await.map_err(AppError::from)?;
    let kind = waarborg_app::letters::LetterKind::for_case(&c);
    let text = waarborg_app::letters::letter(
        &c,
        kind,
        state.ws.register().map(|r| &r.policy),
        lang,
        &state.config.time_zone,
    )?;
    Ok(Json(Letter {
        kind: serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        lang: lang.code().into(),
        text,
    }))
}

/// How the identity was checked.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyBody {
    /// E.g. `e-mail link`.
    pub method: String,
}

/// Records that the person's identity was checked (Art. 12(6)).
#[utoipa::path(post, path = "/api/v1/cases/{id}/verify", request_body = VerifyBody, params(("id" = String, Path)), responses(
    (status = 200, body = CaseDetail), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn verify_case(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<VerifyBody>,
) -> ApiResult<CaseDetail> {
    u.permit(Action::WorkCases)?;
    let c = cases::verify(&state.store, &id, &b.method).await?;
    Ok(Json(detail(&state, &c.id).await?))
}

/// An extension.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtendBody {
    /// 1 or 2.
    pub months: u8,
    /// The reason the person is told.
    pub reason: String,
}

/// Extends the deadline by one or two months, within the first month (Art. 12(3)).
#[utoipa::path(post, path = "/api/v1/cases/{id}/extend", request_body = ExtendBody, params(("id" = String, Path)), responses(
    (status = 200, body = CaseDetail), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn extend_case(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ExtendBody>,
) -> ApiResult<CaseDetail> {
    u.permit(Action::WorkCases)?;
    let c = cases::extend(
        &state.store,
        &id,
        b.months,
        &b.reason,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Json(detail(&state, &c.id).await?))
}

/// A reason or note.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonBody {
    /// The reason (reject) or closing note (close).
    #[serde(default)]
    pub reason: String,
}

/// Refuses the request with the reason the person is told (Art. 12(4)).
#[utoipa::path(post, path = "/api/v1/cases/{id}/reject", request_body = ReasonBody, params(("id" = String, Path)), responses(
    (status = 200, body = CaseDetail), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn reject_case(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<CaseDetail> {
    u.permit(Action::WorkCases)?;
    let c = cases::reject(&state.store, &id, &b.reason).await?;
    Ok(Json(detail(&state, &c.id).await?))
}

/// Closes a request answered by hand (restriction, objection, ...), with a note.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", request_body = ReasonBody, params(("id" = String, Path)), responses(
    (status = 200, body = CaseDetail), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn close_case(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ReasonBody>,
) -> ApiResult<CaseDetail> {
    u.permit(Action::WorkCases)?;
    let note = Some(b.reason.trim()).filter(|s| !s.is_empty());
    let c = cases::close(&state.store, &id, &format!("user {}", u.user.id), note).await?;
    Ok(Json(detail(&state, &c.id).await?))
}

/// Carrying out a case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RunBody {
    /// Plan and certify only; change nothing (erasure, rectification).
    #[serde(default)]
    pub dry_run: bool,
    /// Rectification: `column=value` lines.
    #[serde(default)]
    pub sets: Vec<String>,
    /// Language of the Art. 15(1) information (`nl`, `en`).
    pub lang: Option<String>,
}

/// The result of carrying out a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunResponse {
    /// The case's status after the run.
    pub status: String,
    /// Whether the identities matched anyone.
    pub subject_found: bool,
    /// The audit entry recording the run.
    pub audit_seq: Option<i64>,
    /// The document kept for download (not for a dry run).
    pub document: Option<String>,
    /// The certificate or the access export itself.
    #[schema(value_type = Object)]
    pub result: Value,
}

/// What a run gives the dashboard and the API.
pub(crate) struct RunOutcome {
    pub(crate) view: Value,
    pub(crate) response: RunResponse,
}

/// `column=value` lines.
pub(crate) fn parse_sets(text: &str) -> Result<Vec<(String, String)>, AppError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split_once('=')
                .map(|(c, v)| (c.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| AppError::invalid(format!("`{l}`: expected column=value")))
        })
        .collect()
}

/// Carries out case `id` (or its dry run) as `user`; keeps the delivered document for download.
pub(crate) async fn run_case(
    state: &AppState,
    user: &User,
    id: &str,
    dry_run: bool,
    sets: Vec<(String, String)>,
    lang: Lang,
) -> Result<RunOutcome, AppError> {
    let case = state.store.case(id).await?;
    let op = Op::for_kind(case.kind).ok_or_else(|| {
        AppError::conflict(format!(
            "a {} request is answered by hand; close it with a note when done",
            case.kind.as_str()
        ))
    })?;
    let mut req = Request::new(op);
    req.case = Some(case.id.clone());
    req.dry_run = dry_run && op != Op::Access;
    req.sets = sets;
    req.lang = lang;
    req.worker = format!("user {}", user.id);
    let name = match op {
        Op::Access => "access.json",
        Op::Erase => "erasure-certificate.json",
        Op::Rectify => "rectification-certificate.json",
    };
    let data = state.config.data_dir.clone();
    let case_id = case.id.clone();
    let keep = !req.dry_run;
    let done = requests::carry_out(&state.ws, Some(&state.store), &req, |o| {
        let bytes = o.document()?;
        if keep {
            crate::documents::save(&data, &case_id, name, &bytes)?;
            // The letter that goes with an access answer: the same texts in the portal's
            // download and on the dashboard's case page.
            if let Some((text, html)) = o.letter() {
                crate::documents::save(&data, &case_id, "information.txt", text.as_bytes())?;
                crate::documents::save(&data, &case_id, "information.html", html.as_bytes())?;
            }
        }
        Ok(bytes)
    })
    .await?;
    let (view, result) = match &done.outcome {
        Outcome::Certificate(cert) => (
            json!({
                "dry_run": cert.dry_run,
                "subject_found": cert.subject_found,
                "tables": cert.tables.iter().map(|t| json!({
                    "table": format!("{}.{}", t.database, t.table),
                    "deleted": t.deleted, "masked": t.masked, "kept": t.kept,
                    "rows": t.deleted + t.masked + t.kept + t.unchanged + t.rectified,
                    "reasons": t.reasons.iter().map(|r| format!("{} {}: {} ({}) {}", r.action, r.rows, r.rule, r.article, r.explanation)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }),
            serde_json::to_value(cert)?,
        ),
        Outcome::Access { report, info } => (
            json!({
                "dry_run": false,
                "subject_found": report.total_rows > 0,
                "tables": report.tables.iter().filter(|t| !t.rows.is_empty()).map(|t| json!({
                    "table": format!("{}.{}", t.database, t.table),
                    "deleted": 0, "masked": 0, "kept": 0, "rows": t.rows.len(),
                    "reasons": t.purposes,
                })).collect::<Vec<_>>(),
            }),
            waarborg_engine::access_document(report, info),
        ),
    };
    let status = done
        .case
        .as_ref()
        .map(|c| c.status.as_str().to_string())
        .unwrap_or_default();
    Ok(RunOutcome {
        view,
        response: RunResponse {
            status,
            subject_found: done.outcome.subject_found(),
            audit_seq: done.audit_seq,
            document: keep.then(|| name.to_string()),
            result,
        },
    })
}

/// Carries out the case on the organisation's databases: access, erasure or rectification,
/// as its kind says. With `dry_run`, nothing changes and the case stays open.
#[utoipa::path(post, path = "/api/v1/cases/{id}/run", request_body = RunBody, params(("id" = String, Path)), responses(
    (status = 200, body = RunResponse), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn run(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<RunBody>,
) -> ApiResult<RunResponse> {
    u.permit(Action::WorkCases)?;
    let sets = parse_sets(&b.sets.join("\n"))?;
    let lang = parse::<Lang>(b.lang.as_deref())?.unwrap_or(u.user.lang);
    Ok(Json(
        run_case(&state, &u.user, &id, b.dry_run, sets, lang)
            .await?
            .response,
    ))
}

/// One retention rule's rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    /// The rule id.
    pub rule: String,
    /// `database.table`.
    pub table: String,
    /// The period (ISO 8601).
    pub period: String,
    /// delete or anonymise.
    pub action: String,
    /// Rows past the period.
    pub expired: u64,
    /// Of those, kept under a legal hold.
    pub held: u64,
    /// Of those, kept alive by references.
    pub blocked: u64,
    /// Deleted (not in a dry run).
    pub deleted: u64,
    /// Anonymised (not in a dry run).
    pub anonymised: u64,
}

/// A sweep.
#[derive(Debug, Serialize, ToSchema)]
pub struct SweepResponse {
    /// Whether only counted.
    pub dry_run: bool,
    /// Per rule and table.
    pub rules: Vec<RuleView>,
    /// The audit entry (not for the overview's dry run).
    pub audit_seq: Option<i64>,
}

fn sweep_response(r: &waarborg_engine::SweepReport, audit_seq: Option<i64>) -> SweepResponse {
    SweepResponse {
        dry_run: r.dry_run,
        rules: r
            .rules
            .iter()
            .map(|x| RuleView {
                rule: x.rule.clone(),
                table: format!("{}.{}", x.database, x.table),
                period: x.period.clone(),
                action: x.action.clone(),
                expired: x.expired,
                held: x.held,
                blocked: x.blocked,
                deleted: x.deleted,
                anonymised: x.anonymised,
            })
            .collect(),
        audit_seq,
    }
}

/// The retention overview: a dry run, not recorded.
pub(crate) async fn retention_dry_run(
    state: &AppState,
) -> Result<waarborg_engine::SweepReport, AppError> {
    let sweep = waarborg_app::sweep::Sweep {
        dry_run: true,
        ..Default::default()
    };
    Ok(
        waarborg_app::sweep::run(&state.ws, None, sweep, waarborg_app::sweep::report_json)
            .await?
            .report,
    )
}

/// Runs the sweep, recorded in the audit trail.
pub(crate) async fn run_sweep(
    state: &AppState,
    dry_run: bool,
) -> Result<waarborg_app::sweep::Swept, AppError> {
    let sweep = waarborg_app::sweep::Sweep {
        dry_run,
        ..Default::default()
    };
    waarborg_app::sweep::run(
        &state.ws,
        Some(&state.store),
        sweep,
        waarborg_app::sweep::report_json,
    )
    .await
}

/// Earlier sweeps, newest first, from the audit trail.
pub(crate) async fn sweep_history(
    state: &AppState,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<Value>, AppError> {
    let mut out = Vec::new();
    let mut from = 0;
    loop {
        let batch = state.store.audit_entries(from, 1000).await?;
        let Some(last) = batch.last() else { break };
        from = last.seq + 1;
        for e in batch.iter().filter(|e| e.kind == "engine.run") {
            let Some(p) = e
                .payload
                .as_deref()
                .and_then(|p| serde_json::from_str::<Value>(p).ok())
            else {
                continue;
            };
            if p.get("run_kind").and_then(Value::as_str) != Some("sweep") {
                continue;
            }
            let s = p.get("summary").cloned().unwrap_or(Value::Null);
            let at =
                e.at.parse::<jiff::Timestamp>()
                    .map(|t| crate::views::local(t, tz))
                    .unwrap_or_else(|_| e.at.clone());
            let field = |k: &str| s.get(k).cloned().unwrap_or(Value::Null);
            out.push(json!({
                "at": at, "seq": e.seq, "dry_run": field("dry_run"), "deleted": field("deleted"),
                "anonymised": field("anonymised"), "held": field("held"),
            }));
        }
        if batch.len() < 1000 {
            break;
        }
    }
    out.reverse();
    Ok(out)
}

/// Rows past their retention period now, per rule (a dry run; nothing changes).
#[utoipa::path(get, path = "/api/v1/retention", responses((status = 200, body = SweepResponse), (status = 422, body = Problem)))]
async fn retention(State(state): S, u: ApiUser) -> ApiResult<SweepResponse> {
    u.permit(Action::Read)?;
    Ok(Json(sweep_response(
        &retention_dry_run(&state).await?,
        None,
    )))
}

/// A sweep to run.
#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct SweepBody {
    /// Count only (recorded all the same).
    #[serde(default)]
    pub dry_run: bool,
}

/// Runs the retention sweep (officer only), recorded in the audit trail.
#[utoipa::path(post, path = "/api/v1/retention/sweep", request_body = SweepBody, responses((status = 200, body = SweepResponse), (status = 403, body = Problem)))]
async fn sweep(State(state): S, u: ApiUser, Json(b): Json<SweepBody>) -> ApiResult<SweepResponse> {
    u.permit(if b.dry_run {
        Action::WorkCases
    } else {
        Action::Sweep
    })?;
    let swept = run_sweep(&state, b.dry_run).await?;
    Ok(Json(sweep_response(&swept.report, swept.audit_seq)))
}

/// Counts of one purpose.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurposeCounts {
    /// The purpose id.
    pub purpose: String,
    /// People with a standing consent in force.
    pub standing: u64,
    /// People whose consent was withdrawn.
    pub withdrawn: u64,
    /// Single-use consents not used yet.
    pub single_use_open: u64,
    /// Single-use consents used.
    pub single_use_used: u64,
}

/// Consent counts per purpose.
#[utoipa::path(get, path = "/api/v1/consent", responses((status = 200, body = Vec<PurposeCounts>)))]
async fn consent_summary(State(state): S, u: ApiUser) -> ApiResult<Vec<PurposeCounts>> {
    u.permit(Action::Read)?;
    let s = waarborg_app::consent::summary(&state.store).await?;
    Ok(Json(
        s.into_iter()
            .map(|p| PurposeCounts {
                purpose: p.purpose,
                standing: p.standing,
                withdrawn: p.withdrawn,
                single_use_open: p.single_use_open,
                single_use_used: p.single_use_used,
            })
            .collect(),
    ))
}

/// One person's consent for one purpose.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    /// The purpose.
    pub purpose: String,
    /// Whether any consent is in force.
    pub in_force: bool,
    /// Since when a standing consent is in force.
    pub standing_since: Option<String>,
    /// Single-use consents not used yet.
    pub single_use_open: usize,
    /// The last withdrawal.
    pub withdrawn_at: Option<String>,
}

/// One person's consents.
#[utoipa::path(get, path = "/api/v1/consent/{subject}", params(("subject" = String, Path, description = "the person's key in the ledger")), responses((status = 200, body = Vec<ConsentView>)))]
async fn consent_of(
    State(state): S,
    u: ApiUser,
    Path(subject): Path<String>,
) -> ApiResult<Vec<ConsentView>> {
    u.permit(Action::Read)?;
    let states = waarborg_app::consent::show(&state.store, &subject, None).await?;
    Ok(Json(
        states
            .iter()
            .map(|s| ConsentView {
                purpose: s.purpose.clone(),
                in_force: s.in_force(),
                standing_since: s.standing.as_ref().map(|g| g.at.to_string()),
                single_use_open: s.open_single_use.len(),
                withdrawn_at: s.withdrawn_at.map(|w| w.to_string()),
            })
            .collect(),
    ))
}

/// A lint finding of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct Finding {
    /// The rule (WB001...).
    pub rule: String,
    /// error, warning, info.
    pub severity: String,
    /// The article of law.
    pub article: String,
    /// What is wrong.
    pub message: String,
    /// Where in the register.
    pub path: String,
}

pub(crate) fn lint_findings(r: &waarborg_app::LoadedRegister) -> Vec<Value> {
    findings(r)
        .into_iter()
        .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
        .collect()
}

fn findings(r: &waarborg_app::LoadedRegister) -> Vec<Finding> {
    waarborg_policy::lint_policy(&r.policy)
        .into_iter()
        .map(|d| Finding {
            rule: d.code.to_string(),
            severity: serde_json::to_value(d.severity)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            article: d.article.to_string(),
            message: d.message,
            path: d.path,
        })
        .collect()
}

/// The register's lint findings.
#[utoipa::path(get, path = "/api/v1/register/lint", responses((status = 200, body = Vec<Finding>), (status = 422, body = Problem)))]
async fn lint(State(state): S, u: ApiUser) -> ApiResult<Vec<Finding>> {
    u.permit(Action::Read)?;
    let r = state.ws.require_register("linting")?;
    Ok(Json(findings(r)))
}

/// The audit chain's status.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditStatus {
    /// Whether the chain verifies.
    pub ok: bool,
    /// Entries.
    pub entries: u64,
    /// The last sequence number.
    pub last_seq: i64,
    /// The head hash.
    pub head_hash: String,
    /// Problems found.
    pub problems: Vec<String>,
}

/// Verifies the audit chain.
#[utoipa::path(get, path = "/api/v1/audit/verify", responses((status = 200, body = AuditStatus)))]
async fn audit_verify(State(state): S, u: ApiUser) -> ApiResult<AuditStatus> {
    u.permit(Action::Read)?;
    let r = waarborg_app::audit::verify(&state.store, None).await?;
    Ok(Json(AuditStatus {
        ok: r.ok(),
        entries: r.entries,
        last_seq: r.last_seq,
        head_hash: r.head_hash.clone(),
        problems: r
            .problems
            .iter()
            .map(|p| format!("seq {}: {}", p.seq, p.message))
            .collect(),
    }))
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// E-mail address.
    pub email: String,
    /// officer, operator, auditor.
    pub role: String,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(u: ApiUser) -> ApiResult<Me> {
    Ok(Json(Me {
        email: u.user.email.clone(),
        role: u.user.role.as_str().into(),
    }))
}

/// An incident of the breach register with its clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct BreachView {
    /// The id.
    pub id: String,
    /// What happened.
    pub summary: String,
    /// open, notified, closed.
    pub status: String,
    /// When the organisation became aware (RFC 3339 with offset).
    pub aware_at: String,
    /// The AP deadline: aware_at + 72 hours (RFC 3339 with offset).
    pub ap_deadline: String,
    /// Whether a notification to the AP is still due.
    pub notification_due: bool,
    /// Whether the deadline passed without it.
    pub overdue: bool,
    /// As a processor: the clock of each controller to be told (Art. 33(2)): `activity`,
    /// `controller`, `deadline` (RFC 3339), `told`, `overdue`.
    #[schema(value_type = Vec<Object>)]
    pub controllers: Value,
    /// The whole incident (facts, assessment, notifications).
    #[schema(value_type = Object)]
    pub incident: Value,
}

fn breach_view(state: &AppState, i: &waarborg_store::Incident) -> BreachView {
    let tz = &state.config.time_zone;
    let c = waarborg_app::breach::clock(i, jiff::Timestamp::now(), tz);
    BreachView {
        id: i.id.clone(),
        summary: i.summary.clone(),
        status: i.status.as_str().into(),
        aware_at: waarborg_app::breach::rfc3339(i.aware_at, tz),
        ap_deadline: c.ap_deadline,
        notification_due: c.notification_due,
        overdue: c.overdue,
        controllers: waarborg_app::breach::processor_clocks(
            i,
            state.ws.register().map(|r| &r.policy),
            Lang::En,
            jiff::Timestamp::now(),
            tz,
        )
        .ok()
        .and_then(|c| serde_json::to_value(c).ok())
        .unwrap_or(Value::Null),
        incident: serde_json::to_value(i).unwrap_or(Value::Null),
    }
}

/// Who acts, as the incident's history records it.
fn actor(u: &ApiUser) -> String {
    format!("user:{}", u.user.id)
}

/// The breach register (Art. 33(5)): every incident, the earliest AP deadline first.
#[utoipa::path(get, path = "/api/v1/breaches", responses((status = 200, body = Vec<BreachView>)))]
async fn list_breaches(State(state): S, u: ApiUser) -> ApiResult<Vec<BreachView>> {
    u.permit(Action::Read)?;
    let list = waarborg_app::breach::register(&state.store).await?;
    Ok(Json(list.iter().map(|i| breach_view(&state, i)).collect()))
}

/// A new breach.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewBreachBody {
    /// What happened.
    pub summary: String,
    /// When the organisation became aware (RFC 3339 with offset).
    pub aware_at: String,
    /// The facts known so far (see the incident's `facts`).
    #[schema(value_type = Object)]
    #[serde(default)]
    pub facts: Value,
}

/// Records a breach; the AP deadline is 72 hours after `aware_at`.
#[utoipa::path(post, path = "/api/v1/breaches", request_body = NewBreachBody, responses((status = 201, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn open_breach(
    State(state): S,
    u: ApiUser,
    Json(b): Json<NewBreachBody>,
) -> Result<(StatusCode, Json<BreachView>), Problem> {
    u.permit(Action::RecordBreach)?;
    let aware = waarborg_app::breach::parse_moment(&b.aware_at)?;
    let facts: waarborg_store::IncidentFacts = if b.facts.is_null() {
        Default::default()
    } else {
        serde_json::from_value(b.facts).map_err(|e| AppError::invalid(format!("facts: {e}")))?
    };
    let i = waarborg_app::breach::open(
        &state.store,
        state.ws.register().map(|r| &r.policy),
        &actor(&u),
        &b.summary,
        aware,
        facts,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(breach_view(&state, &i))))
}

/// One incident.
#[utoipa::path(get, path = "/api/v1/breaches/{id}", params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 422, body = Problem)))]
async fn get_breach(State(state): S, u: ApiUser, Path(id): Path<String>) -> ApiResult<BreachView> {
    u.permit(Action::Read)?;
    let i = state.store.incident(&id).await.map_err(AppError::from)?;
    Ok(Json(breach_view(&state, &i)))
}

/// An assessment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssessBody {
    /// none, risk or high.
    pub risk: String,
    /// Why.
    pub reasons: String,
    /// Notify the AP.
    pub notify_ap: bool,
    /// Why (not).
    pub notify_ap_reason: String,
    /// Inform the people.
    pub inform_people: bool,
    /// Why (not).
    pub inform_people_reason: String,
}

/// Records the assessment (officer).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/assess", request_body = AssessBody, params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn assess_breach(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<AssessBody>,
) -> ApiResult<BreachView> {
    u.permit(Action::DecideBreach)?;
    let a = waarborg_store::Assessment {
        risk: b.risk.parse().map_err(AppError::from)?,
        reasons: b.reasons,
        notify_ap: b.notify_ap,
        notify_ap_reason: b.notify_ap_reason,
        inform_people: b.inform_people,
        inform_people_reason: b.inform_people_reason,
        at: jiff::Timestamp::now(),
    };
    let i = waarborg_app::breach::assess(&state.store, &actor(&u), &id, a).await?;
    Ok(Json(breach_view(&state, &i)))
}

/// A notification to the AP.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NotifyBody {
    /// When it was sent (RFC 3339 with offset; default now).
    pub at: Option<String>,
    /// The AP's reference.
    pub reference: Option<String>,
    /// The reason for a late first notification (required then).
    pub late_reason: Option<String>,
}

/// Records a notification to the AP (officer).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/notify", request_body = NotifyBody, params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn notify_breach(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<NotifyBody>,
) -> ApiResult<BreachView> {
    u.permit(Action::DecideBreach)?;
    let at = waarborg_app::breach::moment_or_now(b.at.as_deref())?;
    let i = waarborg_app::breach::notify(
        &state.store,
        &actor(&u),
        &id,
        at,
        b.reference.as_deref(),
        b.late_reason.as_deref(),
    )
    .await?;
    Ok(Json(breach_view(&state, &i)))
}

/// The notification as the AP's form asks for it (JSON sections).
#[utoipa::path(get, path = "/api/v1/breaches/{id}/notification", params(("id" = String, Path), LangQuery), responses((status = 200, body = Object)))]
async fn breach_notification(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Value> {
    u.permit(Action::Read)?;
    let lang = parse::<Lang>(q.lang.as_deref())?.unwrap_or(Lang::Nl);
    let i = state.store.incident(&id).await.map_err(AppError::from)?;
    let n = waarborg_app::breach::ap_notification(
        &i,
        state.ws.register().map(|r| &r.policy),
        lang,
        &state.config.time_zone,
    )?;
    Ok(Json(serde_json::to_value(n).map_err(AppError::from)?))
}

/// The facts of an incident (they replace what was recorded; see the incident's `facts`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FactsBody {
    /// A new summary, when it changes.
    pub summary: Option<String>,
    /// The facts: `discovered_at`, `nature`, `categories`, `people_min`, ...,
    /// `processor_activities`.
    #[schema(value_type = Object)]
    pub facts: Value,
}

/// Replaces the facts of an incident (operator or officer).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/facts", request_body = FactsBody, params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn update_breach(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<FactsBody>,
) -> ApiResult<BreachView> {
    u.permit(Action::RecordBreach)?;
    let facts: waarborg_store::IncidentFacts =
        serde_json::from_value(b.facts).map_err(|e| AppError::invalid(format!("facts: {e}")))?;
    let i = waarborg_app::breach::update(
        &state.store,
        state.ws.register().map(|r| &r.policy),
        &actor(&u),
        &id,
        b.summary.as_deref(),
        facts,
    )
    .await?;
    Ok(Json(breach_view(&state, &i)))
}

/// The people were informed (Art. 34).
#[derive(Debug, Deserialize, ToSchema)]
pub struct InformBody {
    /// When (RFC 3339 with offset; default now).
    pub at: Option<String>,
    /// How: letter, e-mail, public notice.
    pub how: String,
}

/// Records that the people affected were informed (officer).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/inform", request_body = InformBody, params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn inform_breach(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<InformBody>,
) -> ApiResult<BreachView> {
    u.permit(Action::DecideBreach)?;
    let at = waarborg_app::breach::moment_or_now(b.at.as_deref())?;
    let i = waarborg_app::breach::inform(&state.store, &actor(&u), &id, at, &b.how).await?;
    Ok(Json(breach_view(&state, &i)))
}

/// A controller we process for was told (Art. 33(2)).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TellControllerBody {
    /// The register's processor activity whose controller was told.
    pub activity: String,
    /// When (RFC 3339 with offset; default now).
    pub at: Option<String>,
    /// How: e-mail to the contact in the agreement, phone, portal.
    pub how: String,
}

/// Records that the controller of a processor activity was told (officer).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/controllers", request_body = TellControllerBody, params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn tell_controller(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<TellControllerBody>,
) -> ApiResult<BreachView> {
    u.permit(Action::DecideBreach)?;
    let at = waarborg_app::breach::moment_or_now(b.at.as_deref())?;
    let i = waarborg_app::breach::tell_controller(
        &state.store,
        &actor(&u),
        &id,
        &b.activity,
        at,
        &b.how,
    )
    .await?;
    Ok(Json(breach_view(&state, &i)))
}

/// Closing an incident.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseBreachBody {
    /// What was done.
    pub note: String,
}

/// Closes an incident; it stays in the register (officer).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/close", request_body = CloseBreachBody, params(("id" = String, Path)), responses((status = 200, body = BreachView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn close_breach(
    State(state): S,
    u: ApiUser,
    Path(id): Path<String>,
    Json(b): Json<CloseBreachBody>,
) -> ApiResult<BreachView> {
    u.permit(Action::DecideBreach)?;
    let i = waarborg_app::breach::close(&state.store, &actor(&u), &id, &b.note).await?;
    Ok(Json(breach_view(&state, &i)))
}
