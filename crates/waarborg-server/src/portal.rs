//! The data subject's portal: the privacy statement from the register (`/privacy`), the request
//! form (`/portal`), the links people get by mail (verify, status, download, preferences,
//! unsubscribe), the same intake as public API (`POST /api/v1/requests`), the officer's view of
//! the outbox (`/mail`) and, in the demo only, the mailbox of the built-in SMTP sink
//! (`/demo/mail`). The use cases are in [`waarborg_app::portal`].
//!
//! The public forms have no session; they carry a double-submit CSRF token: a random value in an
//! HttpOnly, SameSite=Strict cookie and, in the form, its HMAC under a key of this process.
//! Rate limits per client address and per e-mail address are kept in memory (per process; they
//! reset on restart): over the per-client limit the portal answers 429; over the per-address
//! limit it answers exactly as always but sends nothing more, so the answer never tells whether
//! an address is known or was asked for before.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;
use waarborg_app::mail::MailTemplates;
use waarborg_app::portal::{self as app, PortalSettings, Verified};
use waarborg_app::requests::{self, Op, Request};
use waarborg_app::{AppError, ErrorKind};
use waarborg_policy::Lang;
use waarborg_store::CaseKind;

use crate::auth::WebUser;
use crate::mailer::Mailer;
use crate::smtp_sink::SmtpSink;
use crate::state::AppState;

type S = State<Arc<AppState>>;

/// The name of the public forms' CSRF cookie.
pub const CSRF_COOKIE: &str = "wb_pcsrf";

/// How the portal is set up: mail, limits, the demo's sink.
#[derive(Debug, Clone)]
pub struct PortalConfig {
    /// Where mail is sent; without one, mails wait in the outbox.
    pub mailer: Option<Mailer>,
    /// The demo's SMTP sink, shown at `/demo/mail` (demo only).
    pub sink: Option<SmtpSink>,
    /// The mail texts (built in, or overridden by `--mail-templates`).
    pub templates: MailTemplates,
    /// Requests per client address per window.
    pub per_client: (u32, Duration),
    /// Requests per e-mail address per window.
    pub per_address: (u32, Duration),
    /// How often the mail worker runs.
    pub worker_every: Duration,
}

impl PortalConfig {
    /// No mailer, built-in texts, 20 requests per client and 5 per address per 15 minutes, the
    /// worker every 2 seconds.
    pub fn new(templates: MailTemplates) -> PortalConfig {
        PortalConfig {
            mailer: None,
            sink: None,
            templates,
            per_client: (20, Duration::from_secs(900)),
            per_address: (5, Duration::from_secs(900)),
            worker_every: Duration::from_secs(2),
        }
    }
}

/// A fixed-window counter per key, in memory.
#[derive(Debug, Default)]
struct Limiter {
    map: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// Counts one hit of `key`; `false` when over `limit` in the window.
    fn hit(&self, key: &str, (limit, window): (u32, Duration)) -> bool {
        let Ok(mut m) = self.map.lock() else {
            return true;
        };
        let now = Instant::now();
        if m.len() > 100_000 {
            m.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let e = m.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= window {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
        e.1 <= limit
    }
}

/// The portal's state in the server.
pub struct Portal {
    config: PortalConfig,
    settings: OnceLock<PortalSettings>,
    public_url: Option<String>,
    time_zone: jiff::tz::TimeZone,
    csrf_key: [u8; 32],
    limiter: Limiter,
    /// Where mail is sent.
    pub mailer: Option<Mailer>,
}

impl std::fmt::Debug for Portal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the CSRF key, the limiter's keys or the mailbox.
        f.debug_struct("Portal")
            .field("public_url", &self.public_url)
            .field("mailer", &self.mailer.is_some())
            .finish_non_exhaustive()
    }
}

impl Portal {
    pub(crate) fn new(
        config: PortalConfig,
        public_url: Option<String>,
        time_zone: jiff::tz::TimeZone,
    ) -> Result<Portal, AppError> {
        let mut csrf_key = [0u8; 32];
        getrandom::fill(&mut csrf_key)
            .map_err(|e| AppError::internal(format!("no randomness for the CSRF key: {e}")))?;
        Ok(Portal {
            mailer: config.mailer.clone(),
            config,
            settings: OnceLock::new(),
            public_url,
            time_zone,
            csrf_key,
            limiter: Limiter::default(),
        })
    }

    /// The settings; the links point at `--public-url`, else at the address the server is
    /// bound to (set by [`Portal::bound`]).
    pub fn settings(&self) -> &PortalSettings {
        self.settings.get_or_init(|| {
            PortalSettings::new(
                self.public_url
                    .as_deref()
                    .unwrap_or("http://127.0.0.1:8080"),
                self.config.templates.clone(),
                self.time_zone.clone(),
            )
        })
    }

    /// Tells the portal the address the server listens on (the links' default base).
    pub fn bound(&self, addr: SocketAddr) {
        let url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let _ = self.settings.set(PortalSettings::new(
            &url,
            self.config.templates.clone(),
            self.time_zone.clone(),
        ));
    }

    /// How often the mail worker runs.
    pub fn worker_every(&self) -> Duration {
        self.config.worker_every
    }

    fn mac(&self, nonce: &str) -> String {
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(&self.csrf_key) else {
            return String::new();
        };
        m.update(b"waarborg-portal-csrf-v1\0");
        m.update(nonce.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    fn check_csrf(&self, headers: &HeaderMap, token: &str) -> bool {
        let Some(nonce) = crate::auth::cookie(headers, CSRF_COOKIE) else {
            return false;
        };
        let Ok(given) = hex::decode(token.trim()) else {
            return false;
        };
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(&self.csrf_key) else {
            return false;
        };
        m.update(b"waarborg-portal-csrf-v1\0");
        m.update(nonce.as_bytes());
        m.verify_slice(&given).is_ok()
    }
}

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/privacy", get(privacy))
        .route("/portal", get(form))
        .route("/portal/request", post(submit))
        .route("/portal/verify/{token}", get(verify_page).post(verify))
        .route("/portal/status/{token}", get(status))
        .route(
            "/portal/download/{token}",
            get(download_page).post(download),
        )
        .route(
            "/portal/preferences/{token}",
            get(preferences).post(change_preference),
        )
        .route(
            "/portal/unsubscribe/{token}",
            get(unsubscribe_page).post(unsubscribe),
        )
        .route("/mail", get(outbox))
        .route("/demo/mail", get(demo_mail))
}

#[derive(Deserialize, Default)]
pub(crate) struct LangQuery {
    lang: Option<String>,
    notice: Option<String>,
}

/// The visitor's language: `?lang=`, else `Accept-Language`, else Dutch.
fn lang_of(q: &LangQuery, headers: &HeaderMap) -> Lang {
    q.lang
        .as_deref()
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or_else(|| crate::web::accept_lang(headers))
}

/// The CSRF nonce of the request's cookie, or a new one (with its `Set-Cookie`).
fn csrf_nonce(headers: &HeaderMap, secure: bool) -> (String, Option<String>) {
    if let Some(n) = crate::auth::cookie(headers, CSRF_COOKIE)
        && n.len() == 64
        && n.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return (n.to_string(), None);
    }
    let mut b = [0u8; 32];
    let _ = getrandom::fill(&mut b);
    let n = hex::encode(b);
    let cookie = format!(
        "{CSRF_COOKIE}={n}; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400{}",
        if secure { "; Secure" } else { "" }
    );
    (n, Some(cookie))
}

/// Renders a portal page with the common context; sets the CSRF cookie when new.
fn page(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    lang: Lang,
    nav: &str,
    title_key: &str,
    mut ctx: Value,
) -> Response {
    let (nonce, set) = csrf_nonce(headers, state.config.secure_cookies());
    let controller = state
        .ws
        .register()
        .map(|r| r.policy.controller.name.clone())
        .unwrap_or_else(|| "Waarborg".to_string());
    let common = json!({
        "lang": lang.code(),
        "t": state.messages.table(lang),
        "nav": nav,
        "title": state.messages.get(lang, title_key),
        "controller": controller,
        "pcsrf": state.portal.mac(&nonce),
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
    let mut resp = match html {
        Ok(h) => Html(h).into_response(),
        Err(e) => {
            tracing::error!("template {name}: {e}");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    if let Some(c) = set
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// A message page with `status`.
fn message(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    status: StatusCode,
    heading: &str,
    text: &str,
    is_error: bool,
) -> Response {
    let mut r = page(
        state,
        headers,
        "portal_message.html",
        lang,
        "",
        "p_request_title",
        json!({"heading": heading, "message": text, "is_error": is_error}),
    );
    *r.status_mut() = status;
    r
}

/// The page for a failed use case: links that are gone or unknown get their own words; other
/// messages are shown as they are (they name no person).
fn failure(state: &AppState, headers: &HeaderMap, lang: Lang, e: &AppError) -> Response {
    let m = &state.messages;
    let status =
        StatusCode::from_u16(e.kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match e.kind {
        ErrorKind::Gone => message(
            state,
            headers,
            lang,
            status,
            m.get(lang, "p_link_gone_title"),
            m.get(lang, "p_link_gone"),
            true,
        ),
        ErrorKind::NotFound => message(
            state,
            headers,
            lang,
            status,
            m.get(lang, "p_link_gone_title"),
            m.get(lang, "p_link_unknown"),
            true,
        ),
        ErrorKind::Internal | ErrorKind::Unavailable => {
            tracing::error!("portal: {}", e.kind);
            message(
                state,
                headers,
                lang,
                status,
                e.kind.title(lang),
                "Er ging iets mis aan onze kant. / Something went wrong on our side.",
                true,
            )
        }
        _ => message(
            state,
            headers,
            lang,
            status,
            e.kind.title(lang),
            &format!("{} {}", m.get(lang, "p_invalid"), e.message),
            true,
        ),
    }
}

/// The statement as Markdown: final when the register is ready to publish, otherwise the
/// marked draft.
pub(crate) fn statement_markdown(
    p: &waarborg_policy::Policy,
    lang: Lang,
) -> Result<String, waarborg_policy::render::RenderError> {
    use waarborg_policy::render::{Format, What, final_or_draft};
    final_or_draft(p, What::Statement, lang, Format::Markdown, None)
        .map(|(bytes, _)| String::from_utf8_lossy(&bytes).into_owned())
}

async fn privacy(State(state): S, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = lang_of(&q, &headers);
    let Some(reg) = state.ws.register() else {
        return failure(
            &state,
            &headers,
            lang,
            &AppError::not_found("no register: this server publishes no privacy statement"),
        );
    };
    let p = &reg.policy;
    // A register that is not ready to publish gives the marked draft (its gaps shown as gaps,
    // never as claims): people still see what is known, and the page says it is not final.
    let md = match statement_markdown(p, lang) {
        Ok(md) => md,
        Err(e) => {
            return failure(
                &state,
                &headers,
                lang,
                &AppError::internal(format!("cannot render the statement: {e}")),
            );
        }
    };
    let (body, toc) = waarborg_policy::render::statement_html(&md, false);
    let addresses: Vec<String> = p
        .controller
        .addresses
        .iter()
        .map(|a| format!("{}, {} {}", a.street, a.postcode, a.city))
        .collect();
    page(
        &state,
        &headers,
        "privacy.html",
        lang,
        "privacy",
        "p_privacy_title",
        json!({
            "body": body,
            "toc": toc,
            "version": p.statement.version,
            "effective": waarborg_policy::render::date_words(p.statement.effective_date.0, lang),
            "addresses": addresses,
            "email": p.controller.email,
            "phone": p.controller.phone,
            "dpo_name": p.privacy_officer.as_ref().map(|o| o.name.clone()),
            "dpo_email": p.privacy_officer.as_ref().and_then(|o| o.email.clone()),
        }),
    )
}

async fn form(State(state): S, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = lang_of(&q, &headers);
    form_page(&state, &headers, lang, None, StatusCode::OK)
}

fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let kinds = app::offered_kinds(state.ws.register());
    let mut r = page(
        state,
        headers,
        "portal_form.html",
        lang,
        "request",
        "p_request_title",
        json!({"kinds": kinds, "error": error}),
    );
    *r.status_mut() = status;
    r
}

#[derive(Deserialize)]
struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    lang: String,
}

/// The client's address for rate limiting (never logged): the peer address when the server
/// was started with connection info ([`crate::serve`] is), else one shared bucket.
pub(crate) struct Client(String);

impl<S2: Send + Sync> axum::extract::FromRequestParts<S2> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S2,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// What the intake decided (the same for every address, known or not).
enum Intake {
    Accepted,
    TooMany,
}

/// Takes a request from the form or the API: rate limits, then the use case; over the
/// per-address limit nothing is sent but the answer is the same.
async fn intake(
    state: &AppState,
    client: &str,
    kind: &str,
    email: &str,
    lang: Lang,
) -> Result<Intake, AppError> {
    if !state
        .portal
        .limiter
        .hit(&format!("client:{client}"), state.portal.config.per_client)
    {
        return Ok(Intake::TooMany);
    }
    let normalised = waarborg_store::normalize_email(email)?;
    if !app::offered_kinds(state.ws.register()).contains(&kind) {
        // Checked before the address limit, so that a wrong kind is reported either way.
        return app::request(
            &state.store,
            state.ws.register(),
            state.portal.settings(),
            kind,
            &normalised,
            lang,
            jiff::Timestamp::now(),
        )
        .await
        .map(|()| Intake::Accepted);
    }
    let key = format!("address:{}", waarborg_store::subject_key(&normalised));
    if !state
        .portal
        .limiter
        .hit(&key, state.portal.config.per_address)
    {
        return Ok(Intake::Accepted);
    }
    app::request(
        &state.store,
        state.ws.register(),
        state.portal.settings(),
        kind,
        &normalised,
        lang,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Intake::Accepted)
}

async fn submit(
    State(state): S,
    client: Client,
    headers: HeaderMap,
    axum::Form(f): axum::Form<RequestForm>,
) -> Response {
    let lang = f
        .lang
        .parse::<Lang>()
        .unwrap_or_else(|_| crate::web::accept_lang(&headers));
    let m = &state.messages;
    if !state.portal.check_csrf(&headers, &f.csrf) {
        return form_page(
            &state,
            &headers,
            lang,
            Some(m.get(lang, "p_form_expired").to_string()),
            StatusCode::FORBIDDEN,
        );
    }
    match intake(&state, &client.0, &f.kind, &f.email, lang).await {
        Ok(Intake::Accepted) => message(
            &state,
            &headers,
            lang,
            StatusCode::OK,
            m.get(lang, "p_sent_title"),
            m.get(lang, "p_sent"),
            false,
        ),
        Ok(Intake::TooMany) => message(
            &state,
            &headers,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::RateLimited.title(lang),
            m.get(lang, "p_too_many"),
            true,
        ),
        Err(e) if e.kind == ErrorKind::Invalid => form_page(
            &state,
            &headers,
            lang,
            Some(format!("{} {}", m.get(lang, "p_invalid"), e.message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => failure(&state, &headers, lang, &e),
    }
}

/// The answer to a public form whose CSRF token no longer matches (403).
fn form_expired(state: &AppState, headers: &HeaderMap, lang: Lang) -> Response {
    message(
        state,
        headers,
        lang,
        StatusCode::FORBIDDEN,
        ErrorKind::Forbidden.title(lang),
        state.messages.get(lang, "p_form_expired"),
        true,
    )
}

/// The page a mailed link opens: what the button will do, and the button, which posts to
/// `/portal/{step}/{token}`. A GET never spends a link (mail scanners open links before people
/// do). The texts are `p_{key}_title` and `p_{key}_button`, with `key` the step's short name.
fn confirm_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    step: &str,
    message: &str,
    token: &str,
) -> Response {
    let key = if step == "unsubscribe" { "unsub" } else { step };
    let m = &state.messages;
    let title = format!("p_{key}_title");
    page(
        state,
        headers,
        "portal_confirm.html",
        lang,
        "",
        &title,
        json!({
            "heading": m.get(lang, &title),
            "message": message,
            "button": m.get(lang, &format!("p_{key}_button")),
            "action": format!("/portal/{step}/{}?lang={}", crate::auth::urlencode(token), lang.code()),
        }),
    )
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn verify_page(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    // A GET never spends the link: mail scanners open links before people do.
    let lang = lang_of(&q, &headers);
    let m = &state.messages;
    let message = m.get(lang, "p_verify_text").to_string();
    confirm_page(&state, &headers, lang, "verify", &message, &token)
}

async fn verify(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    let lang = lang_of(&q, &headers);
    if !state.portal.check_csrf(&headers, &f.csrf) {
        return form_expired(&state, &headers, lang);
    }
    let now = jiff::Timestamp::now();
    let v = match app::verify(
        &state.store,
        state.ws.register(),
        state.portal.settings(),
        &token,
        now,
    )
    .await
    {
        Ok(v) => v,
        Err(e) => return failure(&state, &headers, lang, &e),
    };
    match v {
        Verified::Preferences { token } => {
            Redirect::to(&format!("/portal/preferences/{token}?lang={}", lang.code()))
                .into_response()
        }
        Verified::Case {
            case,
            status_token,
            self_service,
            ..
        } => {
            if self_service && let Err(e) = self_service_erasure(&state, &case.id, lang).await {
                // The case stays verified in the officer's queue; the person follows it there.
                tracing::warn!(
                    "self-service erasure of case {} not carried out: {}",
                    case.id,
                    e.kind
                );
            }
            Redirect::to(&format!(
                "/portal/status/{status_token}?lang={}",
                lang.code()
            ))
            .into_response()
        }
    }
}

/// Carries out a verified erasure at once, as the register promises self-service; the
/// certificate is kept with the case and its summary mailed by the mail worker.
async fn self_service_erasure(state: &AppState, case_id: &str, lang: Lang) -> Result<(), AppError> {
    let mut req = Request::new(Op::Erase);
    req.case = Some(case_id.to_string());
    req.lang = lang;
    req.worker = "portal self-service".into();
    let data = state.config.data_dir.clone();
    let id = case_id.to_string();
    requests::carry_out(&state.ws, Some(&state.store), &req, |o| {
        let bytes = o.document()?;
        crate::documents::save(&data, &id, "erasure-certificate.json", &bytes)?;
        Ok(bytes)
    })
    .await?;
    Ok(())
}

async fn status(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let (case, link_lang) = match app::status(&state.store, &token, jiff::Timestamp::now()).await {
        Ok(x) => x,
        Err(e) => return failure(&state, &headers, lang_of(&q, &headers), &e),
    };
    let lang = q
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(link_lang);
    let tz = &state.config.time_zone;
    let done = case.status.is_closed();
    page(
        &state,
        &headers,
        "portal_status.html",
        lang,
        "",
        "p_status_title",
        json!({
            "case": {
                "short_id": case.id.chars().take(13).collect::<String>(),
                "kind": case.kind.as_str(),
                "status": case.status.as_str(),
                "received": crate::views::local(case.received_at, tz),
                "due": case.due_date.to_string(),
            },
            "outcome": if done { case.outcome.clone() } else { None },
            "done": done,
            "download": matches!(case.kind, CaseKind::Access | CaseKind::Portability),
        }),
    )
}

async fn download_page(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = lang_of(&q, &headers);
    let m = &state.messages;
    let message = m.get(lang, "p_download_text").to_string();
    confirm_page(&state, &headers, lang, "download", &message, &token)
}

async fn download(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    let lang = lang_of(&q, &headers);
    if !state.portal.check_csrf(&headers, &f.csrf) {
        return form_expired(&state, &headers, lang);
    }
    let r = async {
        let case = app::download(&state.store, &token, jiff::Timestamp::now()).await?;
        export_zip(&state.config.data_dir, &case.id)
    }
    .await;
    match r {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/zip"),
                (
                    header::CONTENT_DISPOSITION,
                    if lang == Lang::Nl {
                        "attachment; filename=\"inzage.zip\""
                    } else {
                        "attachment; filename=\"access.zip\""
                    },
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => failure(&state, &headers, lang, &e),
    }
}

/// The person's export as one ZIP archive: the Art. 15 letter (`information.html`,
/// `information.txt`) and the data (`access.json`).
fn export_zip(data: &std::path::Path, case_id: &str) -> Result<Vec<u8>, AppError> {
    use std::io::Write as _;
    let zip_err =
        |e: zip::result::ZipError| AppError::internal(format!("cannot pack the export: {e}"));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for name in ["information.html", "information.txt", "access.json"] {
        let bytes = match crate::documents::read(data, case_id, name) {
            Ok(bytes) => bytes,
            // A case answered before the letter was kept has only its data.
            Err(_) if name != "access.json" => continue,
            Err(e) => return Err(e),
        };
        w.start_file(name, options).map_err(zip_err)?;
        w.write_all(&bytes)
            .map_err(|e| AppError::internal(format!("cannot pack the export: {e}")))?;
    }
    Ok(w.finish().map_err(zip_err)?.into_inner())
}

async fn preferences(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let r = async {
        let (subject, link_lang) =
            app::preferences(&state.store, &token, jiff::Timestamp::now()).await?;
        let lang = q
            .lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(link_lang);
        let purposes =
            app::consent_purposes(&state.store, state.ws.register(), &subject, lang).await?;
        Ok::<_, AppError>((purposes, lang))
    }
    .await;
    match r {
        Ok((purposes, lang)) => {
            let notice = match q.notice.as_deref() {
                Some("grant") => Some(state.messages.get(lang, "p_done_grant")),
                Some("withdraw") => Some(state.messages.get(lang, "p_done_withdraw")),
                _ => None,
            };
            page(
                &state,
                &headers,
                "portal_preferences.html",
                lang,
                "",
                "p_prefs_title",
                json!({"purposes": purposes, "token": token, "notice": notice}),
            )
        }
        Err(e) => failure(&state, &headers, lang_of(&q, &headers), &e),
    }
}

#[derive(Deserialize)]
struct PreferenceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    action: String,
}

async fn change_preference(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    axum::Form(f): axum::Form<PreferenceForm>,
) -> Response {
    let lang = lang_of(&q, &headers);
    if !state.portal.check_csrf(&headers, &f.csrf) {
        return form_expired(&state, &headers, lang);
    }
    let r = async {
        let now = jiff::Timestamp::now();
        let (subject, link_lang) = app::preferences(&state.store, &token, now).await?;
        let grant = match f.action.as_str() {
            "grant" => true,
            "withdraw" => false,
            other => return Err(AppError::invalid(format!("unknown action `{other}`"))),
        };
        // Only the register's consent purposes can be changed here.
        let offered =
            app::consent_purposes(&state.store, state.ws.register(), &subject, link_lang).await?;
        if !offered.iter().any(|p| p.id == f.purpose) {
            return Err(AppError::invalid(format!(
                "`{}` is not a consent purpose of the register",
                f.purpose
            )));
        }
        app::set_consent(
            &state.store,
            state.ws.register(),
            state.portal.settings(),
            &app::ConsentChange {
                subject: &subject,
                purpose: &f.purpose,
                grant,
                lang: link_lang,
            },
            now,
        )
        .await?;
        Ok(f.action.clone())
    }
    .await;
    match r {
        Ok(action) => Redirect::to(&format!(
            "/portal/preferences/{token}?notice={action}&lang={}",
            lang.code()
        ))
        .into_response(),
        Err(e) => failure(&state, &headers, lang, &e),
    }
}

async fn unsubscribe_page(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    match app::unsubscribe_target(
        &state.store,
        state.ws.register(),
        &token,
        jiff::Timestamp::now(),
    )
    .await
    {
        Ok((_, _, name, link_lang)) => {
            let lang = q
                .lang
                .as_deref()
                .and_then(|l| l.parse().ok())
                .unwrap_or(link_lang);
            let m = &state.messages;
            let message = format!("{} {name}", m.get(lang, "p_unsub_text"));
            confirm_page(&state, &headers, lang, "unsubscribe", &message, &token)
        }
        Err(e) => failure(&state, &headers, lang_of(&q, &headers), &e),
    }
}

/// One-click unsubscribe (RFC 8058): the mail provider POSTs `List-Unsubscribe=One-Click`
/// without cookies, so no CSRF token is asked; the link's random token is the authority, and
/// withdrawing twice changes nothing.
async fn unsubscribe(
    State(state): S,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    match app::unsubscribe(
        &state.store,
        state.ws.register(),
        &token,
        jiff::Timestamp::now(),
    )
    .await
    {
        Ok((name, link_lang)) => {
            let lang = q
                .lang
                .as_deref()
                .and_then(|l| l.parse().ok())
                .unwrap_or(link_lang);
            let m = &state.messages;
            message(
                &state,
                &headers,
                lang,
                StatusCode::OK,
                m.get(lang, "p_unsub_title"),
                &format!("{} {name}", m.get(lang, "p_unsub_done")),
                false,
            )
        }
        Err(e) => failure(&state, &headers, lang_of(&q, &headers), &e),
    }
}

async fn outbox(State(state): S, u: WebUser) -> crate::web::Page {
    let r = async {
        u.permit(waarborg_app::auth::Action::WorkCases)?;
        let counts = state.store.outbox_counts().await?;
        let tz = &state.config.time_zone;
        let mails: Vec<Value> = state
            .store
            .outbox(200)
            .await?
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "kind": m.kind,
                    "case_id": m.case_id,
                    "case_short": m.case_id.as_deref().map(|c| c.chars().take(13).collect::<String>()),
                    "created": crate::views::local(m.created_at, tz),
                    "sent": m.sent_at.is_some(),
                    "attempts": m.attempts,
                    "next": crate::views::local(m.next_attempt_at, tz),
                    "error": m.last_error.clone().unwrap_or_default(),
                })
            })
            .collect();
        Ok(crate::web::render(&state, "outbox.html", Some(&u), u.lang(), "mail", "p_outbox_title", json!({"counts": counts, "mails": mails})))
    }
    .await;
    crate::web::page(&state, &u, r)
}

/// Splits a text into parts, links (http/https) apart, for the demo mailbox.
fn linkify(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("http://").or_else(|| rest.find("https://")) {
        let (before, from) = rest.split_at(i);
        let end = from
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(from.len());
        let (url, after) = from.split_at(end);
        out.push(json!({"text": before, "href": null}));
        out.push(json!({"text": null, "href": url}));
        rest = after;
    }
    out.push(json!({"text": rest, "href": null}));
    out
}

async fn demo_mail(State(state): S, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = lang_of(&q, &headers);
    let Some(sink) = &state.portal.config.sink else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mails: Vec<Value> = sink
        .mails()
        .iter()
        .rev()
        .map(|m| {
            json!({
                "subject": m.header("Subject").unwrap_or_default(),
                "to": m.to.join(", "),
                "unsubscribe": m.header("List-Unsubscribe"),
                "parts": linkify(&m.body()),
            })
        })
        .collect();
    page(
        &state,
        &headers,
        "demo_mail.html",
        lang,
        "",
        "p_demo_mail_title",
        json!({"mails": mails}),
    )
}

/// The body of `POST /api/v1/requests`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PortalRequestBody {
    /// The request: `access`, `rectification`, `erasure`, `restriction`, `objection`,
    /// `portability` or `withdraw_consent` (as far as the register offers it).
    pub kind: String,
    /// The person's e-mail address; the verification link is sent there.
    pub email: String,
    /// The language of the mail: `nl` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The answer of `POST /api/v1/requests`: the same for every address.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PortalAccepted {
    /// Always `accepted`.
    pub status: String,
    /// What happens next, in the request's language.
    pub message: String,
}

/// Takes a data subject's request: a verification link is mailed to the address. The answer
/// is the same whether or not the address is known (no enumeration). No authentication.
#[utoipa::path(
    post,
    path = "/api/v1/requests",
    request_body = PortalRequestBody,
    responses(
        (status = 202, description = "Accepted; a verification link is mailed", body = PortalAccepted),
        (status = 422, description = "The kind is not offered or the address is malformed", body = crate::api::Problem),
        (status = 429, description = "Too many requests from this client", body = crate::api::Problem)
    ),
    security(())
)]
pub(crate) async fn api_request(
    State(state): S,
    client: Client,
    axum::Json(b): axum::Json<PortalRequestBody>,
) -> Response {
    let lang = b
        .lang
        .as_deref()
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or(Lang::Nl);
    match intake(&state, &client.0, &b.kind, &b.email, lang).await {
        Ok(Intake::Accepted) => (
            StatusCode::ACCEPTED,
            axum::Json(PortalAccepted {
                status: "accepted".into(),
                message: state.messages.get(lang, "p_sent").to_string(),
            }),
        )
            .into_response(),
        Ok(Intake::TooMany) => crate::api::Problem::from(AppError::new(
            ErrorKind::RateLimited,
            state.messages.get(lang, "p_too_many"),
        ))
        .into_response(),
        Err(e) => crate::api::Problem::from(e).into_response(),
    }
}

/// The OpenAPI paths of the portal.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(api_request),
    components(schemas(PortalRequestBody, PortalAccepted))
)]
pub struct PortalApiDoc;
