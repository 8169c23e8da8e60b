//! The cookie banner for the organisation's own website and the public cookie page:
//!
//! - `GET /consent.js`, `GET /consent.css`: the banner (hand-written, embedded, no build step);
//! - `GET /api/v1/banner/config?lang=nl`: what it shows, from the register's cookie table;
//! - `POST /api/v1/banner/choice`: a visitor's choice, recorded in the consent ledger;
//! - `GET /cookies` (`?lang=en`): the cookie table, public, no login;
//! - `GET /demo/shop` (only with `waarborg serve --demo`): an example shop page using it.
//!
//! The two API endpoints answer cross-origin requests (CORS, no credentials) from the origins
//! allowed: the register's controller website, `--banner-origin`, and Waarborg's own. They are
//! rate-limited per client address. See docs/banner.md.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, OpenApi, ToSchema};
use waarborg_app::AppError;
use waarborg_app::banner::{self, BannerConfig, Choice};
use waarborg_policy::Lang;

use crate::api::Problem;
use crate::state::AppState;

type S = State<Arc<AppState>>;

/// The banner script.
pub const CONSENT_JS: &str = include_str!("../static/consent.js");
/// The banner's stylesheet.
pub const CONSENT_CSS: &str = include_str!("../static/consent.css");

const COOKIES_HTML: &str = include_str!("../templates/banner/cookies.html");
const SHOP_HTML: &str = include_str!("../templates/banner/shop.html");
const DEMO_ANALYTICS_JS: &str = include_str!("../static/demo-analytics.js");
const DEMO_ADS_JS: &str = include_str!("../static/demo-ads.js");

/// Settings of the banner.
#[derive(Debug, Clone)]
pub struct BannerSettings {
    /// Further origins (`https://www.example.nl`) whose pages may use the banner, besides the
    /// register's controller website (`waarborg serve --banner-origin`).
    pub origins: Vec<String>,
    /// Serve the demo shop page (`waarborg serve --demo`).
    pub demo: bool,
    /// Choices recorded per client address per minute; the config (asked on every page view
    /// before a choice) may be asked ten times as often.
    pub per_minute: u32,
}

impl Default for BannerSettings {
    fn default() -> Self {
        BannerSettings {
            origins: Vec::new(),
            demo: false,
            per_minute: 60,
        }
    }
}

/// The banner's share of the server state: settings, templates and the rate limiter.
pub struct BannerState {
    settings: BannerSettings,
    templates: minijinja::Environment<'static>,
    hits: Mutex<HashMap<(IpAddr, Kind), (Instant, u32)>>,
}

/// Which budget a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Config,
    Choice,
}

impl std::fmt::Debug for BannerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BannerState")
            .field("settings", &self.settings)
            .finish()
    }
}

impl BannerState {
    /// The banner state for `settings`.
    pub fn new(settings: BannerSettings) -> Result<BannerState, AppError> {
        let mut templates = minijinja::Environment::new();
        templates.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in [("cookies.html", COOKIES_HTML), ("shop.html", SHOP_HTML)] {
            templates
                .add_template(name, source)
                .map_err(|e| AppError::internal(format!("template {name}: {e}")))?;
        }
        Ok(BannerState {
            settings,
            templates,
            hits: Mutex::new(HashMap::new()),
        })
    }

    /// Counts a request of `ip`; `false` when it is over the limit of this minute.
    fn admit(&self, ip: IpAddr, kind: Kind) -> bool {
        let Ok(mut hits) = self.hits.lock() else {
            return false;
        };
        let now = Instant::now();
        let window = Duration::from_secs(60);
        if hits.len() > 10_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = hits.entry((ip, kind)).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let limit = match kind {
            Kind::Choice => self.settings.per_minute,
            Kind::Config => self.settings.per_minute.saturating_mul(10),
        };
        entry.1 <= limit
    }
}

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/consent.js", get(consent_js))
        .route("/consent.css", get(consent_css))
        .route("/cookies", get(cookies_page))
        .route("/demo/shop", get(demo_shop))
        .route("/demo/analytics.js", get(demo_analytics))
        .route("/demo/ads.js", get(demo_ads))
        .route(
            "/api/v1/banner/config",
            get(config).options(preflight_config),
        )
        .route(
            "/api/v1/banner/choice",
            axum::routing::post(choice).options(preflight_choice),
        )
}

/// The OpenAPI description of the banner endpoints (merged into `/api/openapi.json`).
#[derive(OpenApi)]
#[openapi(
    paths(config, choice),
    components(schemas(
        ConfigView,
        CategoryView,
        CookieView,
        ChoiceBody,
        ChoiceResponse,
        RecordedView
    ))
)]
pub struct BannerApiDoc;

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

async fn consent_js() -> Response {
    asset("text/javascript; charset=utf-8", CONSENT_JS)
}

async fn consent_css() -> Response {
    asset("text/css; charset=utf-8", CONSENT_CSS)
}

/// The client's address: the connection's peer (the server does not trust `X-Forwarded-For`;
/// behind a proxy every visitor shares the proxy's budget). Without connection information
/// (in-process tests) all requests share one budget.
pub struct ClientIp(pub IpAddr);

impl<St: Send + Sync> FromRequestParts<St> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &St) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// `scheme://host[:port]` of a URL, lower-cased, without path.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

/// The origin of a request if it may use the banner API: a listed origin, or Waarborg's own.
fn allowed_origin(state: &AppState, headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let o = origin.to_str().ok()?.to_ascii_lowercase();
    let own_host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    let own = own_host.is_some_and(|h| o == format!("http://{h}") || o == format!("https://{h}"));
    let public = state
        .config
        .public_url
        .as_deref()
        .and_then(origin_of)
        .is_some_and(|p| p == o);
    let website = state
        .ws
        .register()
        .and_then(|r| r.policy.controller.website.as_deref())
        .and_then(origin_of)
        .is_some_and(|w| w == o);
    let listed = state
        .banner
        .settings
        .origins
        .iter()
        .filter_map(|x| origin_of(x))
        .any(|x| x == o);
    (own || public || website || listed).then(|| origin.clone())
}

/// Adds the CORS headers for an allowed origin (never with credentials).
fn with_cors(mut resp: Response, origin: Option<HeaderValue>) -> Response {
    let h = resp.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(o) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
    }
    resp
}

fn preflight(state: &AppState, headers: &HeaderMap, methods: &'static str) -> Response {
    let Some(origin) = allowed_origin(state, headers) else {
        return with_cors(StatusCode::FORBIDDEN.into_response(), None);
    };
    let mut resp = StatusCode::NO_CONTENT.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    with_cors(resp, Some(origin))
}

async fn preflight_config(State(state): S, headers: HeaderMap) -> Response {
    preflight(&state, &headers, "GET, OPTIONS")
}

async fn preflight_choice(State(state): S, headers: HeaderMap) -> Response {
    preflight(&state, &headers, "POST, OPTIONS")
}

/// A cookie as the banner shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CookieView {
    /// Its name.
    pub name: String,
    /// Who places it.
    pub provider: String,
    /// How long it stays, in words.
    pub lifetime: String,
    /// What it is for.
    pub purpose: String,
}

/// A cookie category of the banner.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryView {
    /// `necessary`, `functional`, `analytics` or `advertising`.
    pub key: String,
    /// Its name in words.
    pub name: String,
    /// What its cookies do.
    pub description: String,
    /// Always on (no choice).
    pub required: bool,
    /// Its cookies.
    pub cookies: Vec<CookieView>,
}

/// What the banner shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigView {
    /// `nl` or `en`.
    pub lang: String,
    /// The organisation.
    pub controller: String,
    /// The register version (digest).
    pub register_version: String,
    /// SHA-256 of everything shown; send it back with the choice.
    pub version: String,
    /// `true` when the request carried `Sec-GPC: 1`.
    pub gpc: bool,
    /// The categories.
    pub categories: Vec<CategoryView>,
    /// The banner's texts by key.
    pub texts: BTreeMap<String, String>,
}

impl ConfigView {
    fn of(cfg: BannerConfig, gpc: bool) -> ConfigView {
        ConfigView {
            lang: cfg.lang.to_owned(),
            controller: cfg.controller,
            register_version: cfg.register_version,
            version: cfg.version,
            gpc,
            categories: cfg
                .categories
                .into_iter()
                .map(|c| CategoryView {
                    key: c.key,
                    name: c.name,
                    description: c.description,
                    required: c.required,
                    cookies: c
                        .cookies
                        .into_iter()
                        .map(|k| CookieView {
                            name: k.name,
                            provider: k.provider,
                            lifetime: k.lifetime,
                            purpose: k.purpose,
                        })
                        .collect(),
                })
                .collect(),
            texts: cfg.texts,
        }
    }
}

/// The language asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LangQuery {
    /// `nl` or `en` (default: from `Accept-Language`, else Dutch).
    pub lang: Option<String>,
}

fn lang_of(q: Option<&str>, headers: &HeaderMap) -> Result<Lang, AppError> {
    match q {
        Some(l) => l
            .parse::<Lang>()
            .map_err(|e| AppError::invalid(e.to_string())),
        None => Ok(crate::web::accept_lang(headers)),
    }
}

fn sec_gpc(headers: &HeaderMap) -> bool {
    headers
        .get("sec-gpc")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "1")
}

fn limited() -> Problem {
    Problem::from(AppError::new(
        waarborg_app::ErrorKind::RateLimited,
        "too many banner requests from this address; wait a minute",
    ))
}

fn register(state: &AppState) -> Result<&waarborg_app::LoadedRegister, AppError> {
    state.ws.require_register("the cookie banner")
}

/// What the banner shows, from the register's cookie table.
#[utoipa::path(get, path = "/api/v1/banner/config", tag = "banner", params(LangQuery), security(()),
    responses((status = 200, body = ConfigView), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn config(
    State(state): S,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let origin = allowed_origin(&state, &headers);
    let r = if state.banner.admit(ip, Kind::Config) {
        lang_of(q.lang.as_deref(), &headers)
            .and_then(|lang| register(&state).and_then(|r| banner::config(r, lang)))
            .map(|cfg| Json(ConfigView::of(cfg, sec_gpc(&headers))).into_response())
            .map_err(Problem::from)
    } else {
        Err(limited())
    };
    with_cors(r.unwrap_or_else(IntoResponse::into_response), origin)
}

/// A visitor's choice.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceBody {
    /// The anonymous visitor id: 32 lowercase hex digits.
    pub visitor: String,
    /// The language the banner was shown in (`nl`, `en`).
    pub lang: String,
    /// The `version` of the banner config shown.
    pub version: String,
    /// Allowed or not, for every category that is not required.
    pub categories: BTreeMap<String, bool>,
    /// `true`: the refusal Global Privacy Control asks for, not the visitor's own choice.
    #[serde(default)]
    pub gpc: bool,
}

/// One ledger event recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedView {
    /// The register purpose.
    pub purpose: String,
    /// `granted` or `withdrawn`.
    pub action: String,
    /// Its audit entry.
    pub audit_seq: i64,
}

/// What was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceResponse {
    /// The subject key in the ledger.
    pub subject: String,
    /// The source recorded (`cookie-banner` or `cookie-banner (Global Privacy Control)`).
    pub source: String,
    /// The events.
    pub recorded: Vec<RecordedView>,
}

/// Records a visitor's choice in the consent ledger.
#[utoipa::path(post, path = "/api/v1/banner/choice", tag = "banner", request_body = ChoiceBody, security(()),
    responses((status = 200, body = ChoiceResponse), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn choice(
    State(state): S,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let origin = allowed_origin(&state, &headers);
    let r = record(&state, ip, &headers, origin.is_some(), &body).await;
    with_cors(
        r.map_or_else(IntoResponse::into_response, |v| Json(v).into_response()),
        origin,
    )
}

async fn record(
    state: &AppState,
    ip: IpAddr,
    headers: &HeaderMap,
    origin_ok: bool,
    body: &[u8],
) -> Result<ChoiceResponse, Problem> {
    if headers.contains_key(header::ORIGIN) && !origin_ok {
        return Err(Problem::from(AppError::forbidden(
            "this website may not record cookie choices here; add its origin with \
             `waarborg serve --banner-origin` or as the controller's website in the register",
        )));
    }
    if !state.banner.admit(ip, Kind::Choice) {
        return Err(limited());
    }
    let b: ChoiceBody = serde_json::from_slice(body).map_err(|e| {
        Problem::from(AppError::invalid(format!(
            "the choice is not valid JSON of the expected form: {e}"
        )))
    })?;
    let lang = lang_of(Some(&b.lang), headers)?;
    let recorded = banner::record(
        &state.store,
        register(state)?,
        &Choice {
            visitor: b.visitor,
            lang,
            version: b.version,
            categories: b.categories,
            gpc: b.gpc,
        },
    )
    .await?;
    Ok(ChoiceResponse {
        subject: recorded.subject,
        source: recorded.source.to_owned(),
        recorded: recorded
            .events
            .iter()
            .map(|e| RecordedView {
                purpose: e.purpose.clone(),
                action: e.action.as_str().to_owned(),
                audit_seq: e.audit_seq,
            })
            .collect(),
    })
}

fn page(state: &AppState, name: &str, ctx: serde_json::Value) -> Response {
    match state
        .banner
        .templates
        .get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(&ctx)))
    {
        Ok(h) => Html(h).into_response(),
        Err(e) => {
            tracing::error!("template {name}: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// `GET /cookies`: the register's cookie table, public.
async fn cookies_page(State(state): S, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = q
        .lang
        .as_deref()
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or_else(|| crate::web::accept_lang(&headers));
    let cfg = match register(&state).and_then(|r| banner::config(r, lang)) {
        Ok(c) => c,
        Err(e) => return crate::web::error_page(&state, lang, &e),
    };
    let intro = cfg
        .texts
        .get("page_intro")
        .cloned()
        .unwrap_or_default()
        .replace("{controller}", &cfg.controller)
        .replace(
            "{version}",
            cfg.register_version
                .get(..12)
                .unwrap_or(&cfg.register_version),
        );
    let other = match lang {
        Lang::Nl => "en",
        Lang::En => "nl",
    };
    page(
        &state,
        "cookies.html",
        json!({"lang": lang.code(), "other_lang": other, "t": cfg.texts, "intro": intro, "cfg": cfg}),
    )
}

fn demo_only(state: &AppState) -> Option<Response> {
    (!state.banner.settings.demo).then(|| StatusCode::NOT_FOUND.into_response())
}

/// `GET /demo/shop`: the demo shop page with the banner (only in demo mode).
async fn demo_shop(State(state): S, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    if let Some(r) = demo_only(&state) {
        return r;
    }
    let lang = q
        .lang
        .as_deref()
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or_else(|| crate::web::accept_lang(&headers));
    let t = match banner::texts(lang) {
        Ok(t) => t,
        Err(e) => return crate::web::error_page(&state, lang, &e),
    };
    page(
        &state,
        "shop.html",
        json!({"lang": lang.code(), "reopen": t.get("reopen"), "all_cookies": t.get("all_cookies")}),
    )
}

async fn demo_analytics(State(state): S) -> Response {
    demo_only(&state).unwrap_or_else(|| asset("text/javascript; charset=utf-8", DEMO_ANALYTICS_JS))
}

async fn demo_ads(State(state): S) -> Response {
    demo_only(&state).unwrap_or_else(|| asset("text/javascript; charset=utf-8", DEMO_ADS_JS))
}
