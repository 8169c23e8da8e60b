//! The officer's dashboard: server-rendered pages and plain HTML forms (no JavaScript needed).
//! Every form carries the session's CSRF token; every change is checked against the user's
//! role by the application layer's permission table.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use waarborg_app::auth::Action;
use waarborg_app::cases::{self, OpenCase};
use waarborg_app::requests::Op;
use waarborg_app::{AppError, ErrorKind};
use waarborg_policy::Lang;
use waarborg_store::{CaseFilter, CaseKind, CaseStatus};

use crate::auth::{SESSION_COOKIE, WebUser, session_cookie};
use crate::state::AppState;
use crate::views;

type S = State<Arc<AppState>>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/cases") }))
        .route("/static/app.css", get(css))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/cases", get(queue).post(open_case))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/verify", post(verify))
        .route("/cases/{id}/run", post(run))
        .route("/cases/{id}/extend", post(extend))
        .route("/cases/{id}/reject", post(reject))
        .route("/cases/{id}/close", post(close))
        .route("/cases/{id}/documents/{name}", get(document))
        .route("/retention", get(retention))
        .route("/retention/sweep", post(sweep))
        .route("/consent", get(consent))
        .route("/register", get(register))
        .route("/register/statement", get(statement))
        .route("/register/docx", get(register_docx))
        .route("/audit", get(audit))
        .route("/audit/export", get(audit_export))
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        crate::pages::CSS,
    )
        .into_response()
}

/// Renders page `name` with the common context (language, texts, user, CSRF token).
pub(crate) fn render(
    state: &AppState,
    name: &str,
    user: Option<&WebUser>,
    lang: Lang,
    nav: &str,
    title_key: &str,
    mut ctx: Value,
) -> Response {
    let t = state.messages.table(lang);
    let common = json!({
        "lang": lang.code(),
        "t": t,
        "nav": nav,
        "title": state.messages.get(lang, title_key),
        "user": user.map(|u| json!({"email": u.user.email, "role": u.user.role.as_str()})),
        "csrf": user.map(WebUser::csrf).unwrap_or_default(),
        "notice": Value::Null,
    });
    if let (Some(obj), Some(c)) = (ctx.as_object_mut(), common.as_object()) {
        for (k, v) in c {
            obj.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let html = state
        .templates
        .get_template(name)
        .and_then(|tpl| tpl.render(minijinja::value::Serde(&ctx)));
    match html {
        Ok(h) => Html(h).into_response(),
        Err(e) => {
            tracing::error!("template {name}: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The error page for `err`, with its HTTP status.
pub(crate) fn error_page(state: &AppState, lang: Lang, err: &AppError) -> Response {
    error_page_for(state, None, lang, err)
}

/// The error page, with the navigation of the user when logged in.
fn error_page_for(
    state: &AppState,
    user: Option<&WebUser>,
    lang: Lang,
    err: &AppError,
) -> Response {
    if err.kind == ErrorKind::Internal {
        tracing::error!("internal error: {}", err.message);
    }
    let status =
        StatusCode::from_u16(err.kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = if err.kind == ErrorKind::Internal {
        "Er ging iets mis aan onze kant. / Something went wrong on our side.".to_string()
    } else {
        err.message.clone()
    };
    let mut resp = render(
        state,
        "error.html",
        user,
        lang,
        "",
        "cases_title",
        json!({"heading": err.kind.title(lang), "message": message}),
    );
    *resp.status_mut() = status;
    resp
}

/// A page's result: the page, or the error page in the user's language.
pub(crate) struct Page(Result<Response, AppError>, WebUser, Arc<AppState>);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        match self.0 {
            Ok(r) => r,
            Err(e) => error_page_for(&self.2, Some(&self.1), self.1.lang(), &e),
        }
    }
}

pub(crate) fn page(state: &Arc<AppState>, u: &WebUser, r: Result<Response, AppError>) -> Page {
    Page(r, u.clone(), state.clone())
}

/// The language a visitor without an account reads: from `Accept-Language`, default Dutch.
pub(crate) fn accept_lang(headers: &HeaderMap) -> Lang {
    let v = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for part in v.split(',') {
        let tag = part
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if tag.starts_with("nl") {
            return Lang::Nl;
        }
        if tag.starts_with("en") {
            return Lang::En;
        }
    }
    Lang::Nl
}

/// A local path to return to after logging in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/cases".to_string(),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(State(state): S, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let lang = accept_lang(&headers);
    render(
        &state,
        "login.html",
        None,
        lang,
        "",
        "login_title",
        json!({"next": safe_next(q.next.as_deref()), "email": "", "error": Value::Null}),
    )
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): S,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    let lang = accept_lang(&headers);
    let now = jiff::Timestamp::now();
    let failed = |key: &str, status: StatusCode| {
        let mut r = render(
            &state,
            "login.html",
            None,
            lang,
            "",
            "login_title",
            json!({
                "next": safe_next(f.next.as_deref()),
                "email": f.email,
                "error": state.messages.get(lang, key),
            }),
        );
        *r.status_mut() = status;
        r
    };
    match state.store.login(&f.email, &f.password, now).await {
        Ok(user) => match state
            .store
            .create_session(user.id, now, state.config.session_ttl)
            .await
        {
            Ok((token, _)) => {
                let cookie = session_cookie(
                    token.as_str(),
                    state.config.session_ttl.as_secs(),
                    state.config.secure_cookies(),
                );
                let mut r = Redirect::to(&safe_next(f.next.as_deref())).into_response();
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    r.headers_mut().insert(header::SET_COOKIE, v);
                }
                r
            }
            Err(e) => error_page(&state, lang, &AppError::from(e)),
        },
        Err(waarborg_store::Error::LoginFailed) => failed("login_failed", StatusCode::UNAUTHORIZED),
        Err(waarborg_store::Error::TooManyAttempts { .. }) => {
            failed("login_throttled", StatusCode::TOO_MANY_REQUESTS)
        }
        Err(e) => error_page(&state, lang, &AppError::from(e)),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): S,
    u: WebUser,
    headers: HeaderMap,
    axum::Form(f): axum::Form<CsrfForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        if let Some(token) = crate::auth::cookie(&headers, SESSION_COOKIE) {
            state.store.end_session(token).await?;
        }
        let mut r = Redirect::to("/login").into_response();
        if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0, state.config.secure_cookies()))
        {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        Ok(r)
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    kind: Option<String>,
    status: Option<String>,
    notice: Option<String>,
    /// Skip this many cases (the "more" link's next page).
    offset: Option<u64>,
}

/// The cases on one page of the queue; the page links to the next.
pub(crate) const QUEUE_PAGE: u32 = 200;

async fn queue(State(state): S, u: WebUser, Query(q): Query<QueueQuery>) -> Page {
    let r = async {
        let kind = non_empty(q.kind.as_deref())
            .map(str::parse::<CaseKind>)
            .transpose()
            .map_err(|e| AppError::invalid(e.to_string()))?;
        let status = non_empty(q.status.as_deref())
            .map(str::parse::<CaseStatus>)
            .transpose()
            .map_err(|e| AppError::invalid(e.to_string()))?;
        let now = jiff::Timestamp::now();
        let offset = q.offset.unwrap_or(0);
        let filter = CaseFilter {
            status,
            overdue_at: None,
            open_only: status.is_none(),
            kind,
            limit: Some(QUEUE_PAGE),
            offset,
        };
        let list = cases::list(&state.store, &filter).await?;
        let counts = cases::counts(&state.store, &filter, now).await?;
        let shown = offset.saturating_add(list.len() as u64);
        // The next page keeps the filters (parsed values only, so the link needs no escaping).
        let more = (shown < counts.total).then(|| {
            let mut href = format!("/cases?offset={shown}");
            if let Some(k) = kind {
                href.push_str(&format!("&kind={}", k.as_str()));
            }
            if let Some(s) = status {
                href.push_str(&format!("&status={}", s.as_str()));
            }
            href
        });
        let tz = &state.config.time_zone;
        let rows: Vec<Value> = list.iter().map(|c| views::case_row(c, now, tz)).collect();
        Ok(render(
            &state,
            "cases.html",
            Some(&u),
            u.lang(),
            "cases",
            "cases_title",
            json!({
                "cases": rows,
                "kinds": CaseKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                "statuses": CaseStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "filter": {"kind": q.kind.unwrap_or_default(), "status": q.status.unwrap_or_default()},
                "counts": {
                    "total": counts.total,
                    "overdue": counts.overdue,
                    "due_this_week": counts.due_soon,
                },
                "page": {"from": offset.saturating_add(1), "to": shown, "more": more},
                "can_work": u.permit(Action::WorkCases).is_ok(),
                "notice": notice(&state, u.lang(), q.notice.as_deref()),
            }),
        ))
    }
    .await;
    page(&state, &u, r)
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A confirmation text by key (only known `done_*` keys are shown).
pub(crate) fn notice(state: &AppState, lang: Lang, key: Option<&str>) -> Value {
    match key {
        Some(k) if k.starts_with("done_") && state.messages.table(lang).contains_key(k) => {
            Value::String(state.messages.get(lang, k).to_string())
        }
        _ => Value::Null,
    }
}

#[derive(Deserialize)]
struct OpenForm {
    csrf: String,
    kind: String,
    subject: String,
}

async fn open_case(State(state): S, u: WebUser, axum::Form(f): axum::Form<OpenForm>) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::WorkCases)?;
        let kind = f
            .kind
            .parse::<CaseKind>()
            .map_err(|e| AppError::invalid(e.to_string()))?;
        let subject: Vec<String> = f
            .subject
            .split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let c = cases::open(
            &state.store,
            OpenCase {
                kind,
                subject,
                received: None,
                deadline: None,
                note: None,
            },
            state.ws.register(),
        )
        .await?;
        Ok(Redirect::to(&format!("/cases/{}?notice=done_opened", c.id)).into_response())
    }
    .await;
    page(&state, &u, r)
}

async fn case_page(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    Query(q): Query<QueueQuery>,
) -> Page {
    let r = case_view(&state, &u, &id, None, q.notice.as_deref()).await;
    page(&state, &u, r)
}

/// The case page, with the result of a run when there is one.
async fn case_view(
    state: &Arc<AppState>,
    u: &WebUser,
    id: &str,
    result: Option<Value>,
    notice_key: Option<&str>,
) -> Result<Response, AppError> {
    let (c, events) = cases::show(&state.store, id).await?;
    let now = jiff::Timestamp::now();
    let tz = &state.config.time_zone;
    let op = Op::for_kind(c.kind);
    let documents = crate::documents::list(&state.config.data_dir, &c.id)?;
    Ok(render(
        state,
        "case.html",
        Some(u),
        u.lang(),
        "cases",
        "cases_title",
        json!({
            "case": views::case_detail(&c, now, tz),
            "events": events.iter().map(|e| views::event_row(e, tz)).collect::<Vec<_>>(),
            "open": !c.status.is_closed(),
            "op": op.map(Op::as_str),
            "can_work": u.permit(Action::WorkCases).is_ok(),
            "can_extend": cases::can_extend(&c, now),
            "result": result,
            "documents": documents,
            "letter": waarborg_app::letters::letter(
                &c,
                waarborg_app::letters::LetterKind::for_case(&c),
                state.ws.register().map(|r| &r.policy),
                u.lang(),
                tz,
            )
            .ok(),
            "sets": "",
            "notice": notice(state, u.lang(), notice_key),
        }),
    ))
}

#[derive(Deserialize)]
struct VerifyForm {
    csrf: String,
    method: String,
}

async fn verify(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<VerifyForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::WorkCases)?;
        let c = cases::verify(&state.store, &id, &f.method).await?;
        Ok(Redirect::to(&format!("/cases/{}?notice=done_verified", c.id)).into_response())
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct RunForm {
    csrf: String,
    mode: String,
    #[serde(default)]
    sets: String,
}

async fn run(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<RunForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::WorkCases)?;
        let dry_run = match f.mode.as_str() {
            "dry_run" => true,
            "carry_out" => false,
            other => return Err(AppError::invalid(format!("unknown mode `{other}`"))),
        };
        let sets = crate::api::parse_sets(&f.sets)?;
        let run = crate::api::run_case(&state, &u.user, &id, dry_run, sets, u.lang()).await?;
        case_view(
            &state,
            &u,
            &id,
            Some(run.view),
            (!dry_run).then_some("done_carried_out"),
        )
        .await
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct ExtendForm {
    csrf: String,
    months: u8,
    reason: String,
}

async fn extend(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ExtendForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::WorkCases)?;
        let c = cases::extend(
            &state.store,
            &id,
            f.months,
            &f.reason,
            jiff::Timestamp::now(),
        )
        .await?;
        Ok(Redirect::to(&format!("/cases/{}?notice=done_extended", c.id)).into_response())
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct ReasonForm {
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

async fn reject(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ReasonForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::WorkCases)?;
        let c = cases::reject(&state.store, &id, &f.reason).await?;
        Ok(Redirect::to(&format!("/cases/{}?notice=done_rejected", c.id)).into_response())
    }
    .await;
    page(&state, &u, r)
}

async fn close(
    State(state): S,
    u: WebUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<ReasonForm>,
) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::WorkCases)?;
        let worker = format!("user {}", u.user.id);
        let note = non_empty(Some(&f.note));
        let c = cases::close(&state.store, &id, &worker, note).await?;
        Ok(Redirect::to(&format!("/cases/{}?notice=done_carried_out", c.id)).into_response())
    }
    .await;
    page(&state, &u, r)
}

async fn document(State(state): S, u: WebUser, Path((id, name)): Path<(String, String)>) -> Page {
    let r = async {
        let c = state.store.case(&id).await?;
        let bytes = crate::documents::read(&state.config.data_dir, &c.id, &name)?;
        let disposition = format!("attachment; filename=\"{name}\"");
        Ok((
            [
                (header::CONTENT_TYPE, "application/json".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    page(&state, &u, r)
}

async fn retention(State(state): S, u: WebUser, Query(q): Query<QueueQuery>) -> Page {
    let r = async {
        let (rules, error) = match crate::api::retention_dry_run(&state).await {
            Ok(report) => (
                report
                    .rules
                    .iter()
                    .map(|r| {
                        json!({
                            "rule": r.rule, "table": format!("{}.{}", r.database, r.table),
                            "period": r.period, "expired": r.expired, "held": r.held,
                            "blocked": r.blocked, "action": r.action,
                        })
                    })
                    .collect::<Vec<_>>(),
                Value::Null,
            ),
            Err(e) => (Vec::new(), Value::String(e.message)),
        };
        let history = crate::api::sweep_history(&state, &state.config.time_zone).await?;
        Ok(render(
            &state,
            "retention.html",
            Some(&u),
            u.lang(),
            "retention",
            "retention_title",
            json!({
                "rules": rules,
                "error": error,
                "history": history,
                "can_sweep": u.permit(Action::Sweep).is_ok(),
                "notice": notice(&state, u.lang(), q.notice.as_deref()),
            }),
        ))
    }
    .await;
    page(&state, &u, r)
}

async fn sweep(State(state): S, u: WebUser, axum::Form(f): axum::Form<CsrfForm>) -> Page {
    let r = async {
        u.check_csrf(&f.csrf)?;
        u.permit(Action::Sweep)?;
        crate::api::run_sweep(&state, false).await?;
        Ok(Redirect::to("/retention?notice=done_sweep").into_response())
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct SubjectQuery {
    subject: Option<String>,
}

async fn consent(State(state): S, u: WebUser, Query(q): Query<SubjectQuery>) -> Page {
    let r = async {
        let lang = u.lang();
        let summary = waarborg_app::consent::summary(&state.store).await?;
        let name = |id: &str| {
            state
                .ws
                .register()
                .and_then(|r| r.policy.purpose(id))
                .map(|p| p.name.get(lang).to_string())
                .unwrap_or_default()
        };
        let purposes: Vec<Value> = summary
            .iter()
            .map(|p| {
                json!({
                    "purpose": p.purpose, "name": name(&p.purpose), "standing": p.standing,
                    "withdrawn": p.withdrawn, "single_use_open": p.single_use_open,
                    "single_use_used": p.single_use_used,
                })
            })
            .collect();
        let subject = non_empty(q.subject.as_deref()).map(str::to_string);
        let states: Vec<Value> = match &subject {
            Some(s) => waarborg_app::consent::show(&state.store, s, None)
                .await?
                .iter()
                .map(|st| {
                    json!({
                        "purpose": st.purpose,
                        "in_force": st.in_force(),
                        "since": st.standing.as_ref().map(|g| views::local(g.at, &state.config.time_zone)).unwrap_or_default(),
                        "withdrawn_at": st.withdrawn_at.map(|w| views::local(w, &state.config.time_zone)).unwrap_or_default(),
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(render(
            &state,
            "consent.html",
            Some(&u),
            lang,
            "consent",
            "consent_title",
            json!({"purposes": purposes, "subject": subject.unwrap_or_default(), "states": states}),
        ))
    }
    .await;
    page(&state, &u, r)
}

async fn register(State(state): S, u: WebUser) -> Page {
    let r = async {
        let (register, findings) = match state.ws.register() {
            Some(r) => (
                json!({"source": r.source, "digest": r.digest}),
                crate::api::lint_findings(r),
            ),
            None => (Value::Null, Vec::new()),
        };
        Ok(render(
            &state,
            "register.html",
            Some(&u),
            u.lang(),
            "register",
            "register_title",
            json!({"register": register, "findings": findings}),
        ))
    }
    .await;
    page(&state, &u, r)
}

/// The language asked for in `?lang=`, or the user's own.
fn asked_lang(asked: Option<&str>, u: &WebUser) -> Result<Lang, AppError> {
    match non_empty(asked) {
        Some(l) => l
            .parse::<Lang>()
            .map_err(|e| AppError::invalid(e.to_string())),
        None => Ok(u.lang()),
    }
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn statement(State(state): S, u: WebUser, Query(q): Query<LangQuery>) -> Page {
    let r = async {
        let lang = asked_lang(q.lang.as_deref(), &u)?;
        let reg = state.ws.require_register("the statement")?;
        // The privacy officer sees the statement as it would be published, or, while the
        // register is not ready, the marked draft with its gaps.
        let (bytes, _draft) = waarborg_policy::render::final_or_draft(
            &reg.policy,
            waarborg_policy::render::What::Statement,
            lang,
            waarborg_policy::render::Format::Html,
            None,
        )
        .map_err(|e| AppError::internal(format!("cannot render the statement: {e}")))?;
        let html = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Html(html).into_response())
    }
    .await;
    page(&state, &u, r)
}

#[derive(Deserialize)]
struct DocxQuery {
    what: Option<String>,
    lang: Option<String>,
}

/// The Art. 30 register, the statement or the cookie table as a Word document, for auditors.
async fn register_docx(State(state): S, u: WebUser, Query(q): Query<DocxQuery>) -> Page {
    use waarborg_policy::render::{Format, What};
    let r = async {
        let lang = asked_lang(q.lang.as_deref(), &u)?;
        let (what, name) = match non_empty(q.what.as_deref()).unwrap_or("register") {
            "register" => (What::Register, "register"),
            "statement" => (What::Statement, "statement"),
            "cookies" => (What::Cookies, "cookies"),
            other => {
                return Err(AppError::invalid(format!(
                    "what=`{other}`: use register, statement or cookies"
                )));
            }
        };
        let reg = state.ws.require_register("the document")?;
        // As on the statement page: final when ready to publish, otherwise the marked draft.
        let (bytes, _draft) =
            waarborg_policy::render::final_or_draft(&reg.policy, what, lang, Format::Docx, None)
                .map_err(|e| AppError::internal(format!("cannot render the {name}: {e}")))?;
        Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                        .to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}-{}.docx\"", lang.code()),
                ),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    page(&state, &u, r)
}

async fn audit(State(state): S, u: WebUser) -> Page {
    let r = async {
        let report = waarborg_app::audit::verify(&state.store, None).await?;
        Ok(render(
            &state,
            "audit.html",
            Some(&u),
            u.lang(),
            "audit",
            "audit_title",
            json!({
                "report": {
                    "ok": report.ok(), "entries": report.entries, "last_seq": report.last_seq,
                    "head_hash": report.head_hash,
                    "problems": report.problems.iter().map(|p| json!({"seq": p.seq, "message": p.message})).collect::<Vec<_>>(),
                },
            }),
        ))
    }
    .await;
    page(&state, &u, r)
}

async fn audit_export(State(state): S, u: WebUser) -> Page {
    let r = async {
        let mut out = Vec::new();
        waarborg_app::audit::export(&state.store, &mut out).await?;
        Ok((
            [
                (header::CONTENT_TYPE, "application/jsonl"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"audit.jsonl\"",
                ),
            ],
            out,
        )
            .into_response())
    }
    .await;
    page(&state, &u, r)
}
