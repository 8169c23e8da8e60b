#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The cookie banner's endpoints in-process on the demo organisation (SQLite store): the
//! config from the register, CORS for exactly the allowed origins (no credentials), input
//! validation with problem+json, Global Privacy Control recorded as such in the ledger and the
//! audit trail, the rate limit per client address, the public `/cookies` page in both
//! languages, the demo page only in demo mode, and the script's size (at most 15 KB gzipped).

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use waarborg_app::{LoadedRegister, Workspace, demo};
use waarborg_server::{AppState, BannerSettings, ServerConfig};
use waarborg_store::ConsentAction;

const SHOP: &str = "https://voorbeeldwebwinkel.example";
const PARTNER: &str = "https://partner.example";
const VISITOR: &str = "0123456789abcdef0123456789abcdef";

struct Env {
    _dir: tempfile::TempDir,
    state: Arc<AppState>,
}

async fn env(per_minute: u32) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let mut quiet = |_: &str| {};
    let org = demo::build(&dir.path().join("demo"), &mut quiet)
        .await
        .unwrap();
    let register = LoadedRegister::load(&org.policy).unwrap();
    let ws = Workspace::connect(
        org.keys.clone(),
        Some(register),
        &org.datasets,
        &org.bindings,
    )
    .await
    .unwrap();
    let store = waarborg_store::Store::open(&org.store_url).await.unwrap();
    let config = ServerConfig {
        public_url: None,
        data_dir: dir.path().join("data"),
        session_ttl: Duration::from_secs(3600),
        time_zone: waarborg_app::config::time_zone(None).unwrap(),
        schema_check: None,
    };
    let state = AppState::new(store, ws, config)
        .unwrap()
        .with_banner(BannerSettings {
            origins: vec![PARTNER.to_owned()],
            demo: false,
            per_minute,
        })
        .unwrap();
    Env {
        _dir: dir,
        state: Arc::new(state),
    }
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Env {
    async fn send(&self, req: Request<Body>) -> Resp {
        let resp = waarborg_server::router(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), 10 << 20)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::builder().uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, body: Value, headers: &[(&str, &str)], from: Option<SocketAddr>) -> Resp {
        let mut b = Request::builder()
            .method("POST")
            .uri("/api/v1/banner/choice")
            .header(header::CONTENT_TYPE, "application/json");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let mut req = b.body(Body::from(body.to_string())).unwrap();
        if let Some(a) = from {
            req.extensions_mut().insert(ConnectInfo(a));
        }
        self.send(req).await
    }

    async fn version(&self, lang: &str) -> String {
        let r = self
            .get(&format!("/api/v1/banner/config?lang={lang}"), &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["version"].as_str().unwrap().to_owned()
    }
}

fn problem(r: &Resp, status: StatusCode, needle: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(
        r.header(header::CONTENT_TYPE),
        Some("application/problem+json")
    );
    let detail = r.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains(needle), "`{needle}` not in: {detail}");
}

#[tokio::test]
async fn the_config_comes_from_the_register_with_cors_for_allowed_origins() {
    let e = env(1000).await;
    let r = e
        .get(
            "/api/v1/banner/config?lang=nl",
            &[("origin", SHOP), ("sec-gpc", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some(SHOP));
    assert_eq!(r.header(header::VARY), Some("Origin"));
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_CREDENTIALS), None);
    let v = r.json();
    assert_eq!(v["gpc"], json!(true), "Sec-GPC: 1 is passed on");
    assert_eq!(v["lang"], "nl");
    let keys: Vec<&str> = v["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["necessary", "analytics", "advertising"]);
    assert_eq!(v["categories"][0]["required"], json!(true));
    assert_eq!(v["categories"][1]["required"], json!(false));
    assert_eq!(v["categories"][1]["cookies"][0]["name"], "_stats_id");
    assert_eq!(v["categories"][1]["cookies"][0]["lifetime"], "13 maanden");
    assert_eq!(v["texts"]["reject_all"], "Alles weigeren");
    assert_eq!(
        v["register_version"].as_str().unwrap(),
        e.state.ws.register().unwrap().digest
    );
    // English has its own version: the wording differs.
    let en = e.version("en").await;
    assert_ne!(en, v["version"].as_str().unwrap());
    // No Sec-GPC, no gpc.
    let r = e.get("/api/v1/banner/config?lang=en", &[]).await;
    assert_eq!(r.json()["gpc"], json!(false));

    // A listed origin is allowed; another is not (no CORS header, preflight refused).
    let r = e
        .get("/api/v1/banner/config?lang=en", &[("origin", PARTNER)])
        .await;
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some(PARTNER));
    let r = e
        .get(
            "/api/v1/banner/config?lang=en",
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);
    let pre = |origin: &'static str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/v1/banner/choice")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let r = e.send(pre(SHOP)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some(SHOP));
    assert_eq!(
        r.header(header::ACCESS_CONTROL_ALLOW_METHODS),
        Some("POST, OPTIONS")
    );
    assert_eq!(
        r.header(header::ACCESS_CONTROL_ALLOW_HEADERS),
        Some("content-type")
    );
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_CREDENTIALS), None);
    let r = e.send(pre("https://evil.example")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);

    let r = e.get("/api/v1/banner/config?lang=de", &[]).await;
    problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "use nl or en");

    // The OpenAPI document describes both endpoints.
    let r = e.get("/api/openapi.json", &[]).await;
    let doc = r.json();
    assert!(doc["paths"]["/api/v1/banner/config"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/banner/choice"]["post"].is_object());
}

#[tokio::test]
async fn choices_are_validated_and_recorded_with_gpc() {
    let e = env(1000).await;
    let store = &e.state.store;
    let version = e.version("nl").await;
    let good = |categories: Value, gpc: bool| json!({"visitor": VISITOR, "lang": "nl", "version": version, "categories": categories, "gpc": gpc});
    let origin = [("origin", SHOP)];
    let audit_before = store.audit_entries(0, 100_000).await.unwrap().len();

    // Malformed input: problem+json, nothing recorded.
    for (body, needle) in [
        (
            json!({"visitor": "jan@example.nl", "lang": "nl", "version": version, "categories": {"analytics": true, "advertising": false}}),
            "32 lowercase hexadecimal",
        ),
        (
            good(
                json!({"analytics": true, "advertising": false, "social": true}),
                false,
            ),
            "unknown cookie category `social`",
        ),
        (
            good(json!({"analytics": true}), false),
            "does not say yes or no to `advertising`",
        ),
        (
            good(
                json!({"necessary": true, "analytics": true, "advertising": false}),
                false,
            ),
            "unknown cookie category `necessary`",
        ),
        (
            good(json!({"analytics": true, "advertising": false}), true),
            "cannot allow a category",
        ),
        (
            json!({"visitor": VISITOR, "lang": "nl", "version": version, "categories": {}, "extra": 1}),
            "not valid JSON of the expected form",
        ),
        (
            json!({"visitor": VISITOR, "lang": "fr", "version": version, "categories": {}}),
            "use nl or en",
        ),
    ] {
        let r = e.post(body, &origin, None).await;
        problem(&r, StatusCode::UNPROCESSABLE_ENTITY, needle);
        assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some(SHOP));
    }
    let r = e
        .post(
            json!({"visitor": VISITOR, "lang": "nl", "version": "0".repeat(64), "categories": {"analytics": true, "advertising": true}}),
            &origin,
            None,
        )
        .await;
    problem(&r, StatusCode::CONFLICT, "not the current one");
    // The English version is not the Dutch banner's.
    let en = e.version("en").await;
    let r = e
        .post(
            json!({"visitor": VISITOR, "lang": "nl", "version": en, "categories": {"analytics": true, "advertising": true}}),
            &origin,
            None,
        )
        .await;
    problem(&r, StatusCode::CONFLICT, "not the current one");
    // Another website may not record choices.
    let r = e
        .post(
            good(json!({"analytics": true, "advertising": true}), false),
            &[("origin", "https://evil.example")],
            None,
        )
        .await;
    problem(&r, StatusCode::FORBIDDEN, "--banner-origin");
    assert_eq!(
        store.audit_entries(0, 100_000).await.unwrap().len(),
        audit_before,
        "a refused choice left a trace in the ledger"
    );
    assert!(
        store
            .consent_state(&format!("visitor:{VISITOR}"), None)
            .await
            .unwrap()
            .is_empty()
    );

    // A GPC refusal: a withdrawal per category, source says GPC, each with its audit entry.
    let r = e
        .post(
            good(json!({"analytics": false, "advertising": false}), true),
            &origin,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some(SHOP));
    let v = r.json();
    assert_eq!(v["subject"], format!("visitor:{VISITOR}"));
    assert_eq!(v["source"], waarborg_app::banner::SOURCE_GPC);
    assert_eq!(v["recorded"].as_array().unwrap().len(), 2);
    let audit = store.audit_entries(0, 100_000).await.unwrap();
    assert_eq!(audit.len(), audit_before + 2);
    for purpose in ["analytics", "advertising"] {
        let events = store
            .consent_events(&format!("visitor:{VISITOR}"), purpose)
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, ConsentAction::Withdrawn);
        assert_eq!(events[0].source, waarborg_app::banner::SOURCE_GPC);
        let entry = audit.iter().find(|a| a.seq == events[0].audit_seq).unwrap();
        assert_eq!(entry.kind, "consent.withdrawn");
    }

    // The visitor chooses otherwise: analytics yes, advertising no, with wording and version.
    let r = e
        .post(
            good(json!({"analytics": true, "advertising": false}), false),
            &origin,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["source"], "cookie-banner");
    let states = store
        .consent_state(&format!("visitor:{VISITOR}"), None)
        .await
        .unwrap();
    let analytics = states.iter().find(|s| s.purpose == "analytics").unwrap();
    assert!(analytics.in_force());
    let grant = analytics.standing.as_ref().unwrap();
    assert_eq!(grant.source, "cookie-banner");
    assert_eq!(
        grant.register_hash.as_deref(),
        Some(e.state.ws.register().unwrap().digest.as_str())
    );
    let wording = grant.wording.as_deref().unwrap();
    assert!(
        wording.contains("Cookies op deze website") && wording.contains("_stats_id"),
        "{wording}"
    );
    assert!(
        !states
            .iter()
            .find(|s| s.purpose == "advertising")
            .unwrap()
            .in_force()
    );
    assert!(store.verify_audit().await.unwrap().ok());
}

#[tokio::test]
async fn the_rate_limit_is_per_client_address() {
    let e = env(3).await;
    let version = e.version("en").await;
    let a: SocketAddr = "192.0.2.1:5000".parse().unwrap();
    let b: SocketAddr = "192.0.2.2:5000".parse().unwrap();
    let body = json!({"visitor": VISITOR, "lang": "en", "version": version, "categories": {"analytics": false, "advertising": false}});
    for _ in 0..3 {
        let r = e.post(body.clone(), &[], Some(a)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let r = e.post(body.clone(), &[], Some(a)).await;
    problem(&r, StatusCode::TOO_MANY_REQUESTS, "wait a minute");
    let r = e.post(body, &[], Some(b)).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "another address has its own budget"
    );
}

#[tokio::test]
async fn the_cookie_page_and_the_script() {
    let e = env(1000).await;
    let r = e
        .get("/cookies", &[("accept-language", "en-GB,en;q=0.9")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains("_stats_id")
            && html.contains("13 months")
            && html.contains("Statistiekendienst")
    );
    assert!(html.contains("Only with your consent") && html.contains("No consent needed"));
    let nl = e.get("/cookies", &[]).await.text();
    assert!(nl.contains("<html lang=\"nl\">") && nl.contains("13 maanden"));
    let en = e
        .get("/cookies?lang=en", &[("accept-language", "nl")])
        .await
        .text();
    assert!(en.contains("<html lang=\"en\">"));
    // No login needed; the strict CSP stays.
    let r = e.get("/cookies?lang=en", &[]).await;
    assert!(
        r.header(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .contains("script-src 'self'")
    );

    // The demo shop exists only in demo mode.
    assert_eq!(e.get("/demo/shop", &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        e.get("/demo/analytics.js", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // The script and its stylesheet: right types, at most 15 KB gzipped together.
    let js = e.get("/consent.js", &[]).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(
        js.header(header::CONTENT_TYPE),
        Some("text/javascript; charset=utf-8")
    );
    let css = e.get("/consent.css", &[]).await;
    assert_eq!(
        css.header(header::CONTENT_TYPE),
        Some("text/css; charset=utf-8")
    );
    let gz = |bytes: &[u8]| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap().len()
    };
    let (js_gz, css_gz) = (gz(&js.body), gz(&css.body));
    eprintln!(
        "consent.js: {} bytes, {js_gz} gzipped; consent.css: {} bytes, {css_gz} gzipped",
        js.body.len(),
        css.body.len()
    );
    assert!(
        js_gz + css_gz <= 15 * 1024,
        "the banner is {} bytes gzipped, more than 15 KB",
        js_gz + css_gz
    );
    // No third-party code: every request the script makes goes to the origin it came from.
    let text = js.text();
    assert_eq!(
        text.matches("fetch(").count(),
        text.matches("fetch(base + '/api/v1/banner/").count()
    );
}
