#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
//! The JSON API and the dashboard's security, in-process (no socket), on a SQLite store and on
//! the real PostgreSQL store: every endpoint, the role matrix (an auditor changes nothing),
//! problem+json errors, token and session expiry, CSRF, cookie flags, login throttling.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use waarborg_app::{LoadedRegister, Workspace, demo};
use waarborg_policy::Lang;
use waarborg_server::{AppState, ServerConfig};
use waarborg_store::{Role, Store};

const PASSWORD: &str = "correct horse battery staple";

struct Env {
    _dir: tempfile::TempDir,
    state: Arc<AppState>,
    tokens: Vec<(Role, String)>,
}

impl Env {
    async fn new(store: Option<Store>, public_url: Option<&str>) -> Env {
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
        let store = match store {
            Some(s) => {
                // A fresh store: the demo's waiting requests, one overdue.
                for (kind, who, days) in [
                    (
                        waarborg_store::CaseKind::Access,
                        "daan.bakker@example.nl",
                        33,
                    ),
                    (
                        waarborg_store::CaseKind::Erasure,
                        "lucas.smit@example.nl",
                        25,
                    ),
                    (
                        waarborg_store::CaseKind::Access,
                        "julia.mulder@example.nl",
                        2,
                    ),
                    (
                        waarborg_store::CaseKind::Rectification,
                        "sanne.devries@example.nl",
                        1,
                    ),
                ] {
                    let received =
                        jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
                    waarborg_app::cases::open(
                        &s,
                        waarborg_app::cases::OpenCase {
                            kind,
                            subject: vec![format!("email={who}")],
                            received: Some(received),
                            deadline: None,
                            note: None,
                        },
                        None,
                    )
                    .await
                    .unwrap();
                }
                s
            }
            None => Store::open(&org.store_url).await.unwrap(),
        };
        let now = jiff::Timestamp::now();
        let mut tokens = Vec::new();
        for role in Role::ALL {
            let u = store
                .add_user(
                    &format!("{}@example.org", role.as_str()),
                    PASSWORD,
                    role,
                    Lang::Nl,
                )
                .await
                .unwrap();
            let (t, _) = store
                .create_api_token(u.id, "test", now, Duration::from_secs(3600))
                .await
                .unwrap();
            tokens.push((role, t.into_string()));
        }
        let config = ServerConfig {
            public_url: public_url.map(String::from),
            data_dir: dir.path().join("data"),
            session_ttl: Duration::from_secs(3600),
            time_zone: waarborg_app::config::time_zone(None).unwrap(),
            schema_check: None,
        };
        let state = Arc::new(AppState::new(store, ws, config).unwrap());
        Env {
            _dir: dir,
            state,
            tokens,
        }
    }

    fn token(&self, role: Role) -> &str {
        &self.tokens.iter().find(|(r, _)| *r == role).unwrap().1
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
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
        (status, headers, body)
    }

    async fn api(
        &self,
        role: Option<Role>,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(r) = role {
            b = b.header(header::AUTHORIZATION, format!("Bearer {}", self.token(r)));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let (status, headers, body) = self.send(req).await;
        if !status.is_success() {
            assert_eq!(
                headers.get(header::CONTENT_TYPE).unwrap(),
                "application/problem+json",
                "{method} {path}: errors are problem+json"
            );
        }
        let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
        (status, v)
    }

    async fn audit_len(&self) -> usize {
        self.state
            .store
            .audit_entries(0, 100_000)
            .await
            .unwrap()
            .len()
    }

    async fn open_case(&self, kind: &str, who: &str) -> String {
        let (s, v) = self
            .api(
                Some(Role::Operator),
                "POST",
                "/api/v1/cases",
                Some(json!({"kind": kind, "subject": [format!("email={who}")]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_string()
    }

    /// Logs in through the form; returns the session cookie (`wb_session=...`).
    async fn login(
        &self,
        email: &str,
        password: &str,
    ) -> (StatusCode, Option<String>, Option<String>) {
        let body = format!(
            "email={}&password={}&next=/cases",
            email.replace('@', "%40"),
            password.replace(' ', "+")
        );
        let req = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (s, h, _) = self.send(req).await;
        let set = h
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_string());
        let cookie = set
            .as_ref()
            .map(|c| c.split(';').next().unwrap().to_string());
        (s, cookie, set)
    }

    async fn page(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .uri(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let (s, h, b) = self.send(req).await;
        if s.is_success() {
            assert!(
                h.get(header::CONTENT_SECURITY_POLICY)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .contains("default-src 'none'"),
                "strict CSP on {path}"
            );
        }
        (s, String::from_utf8_lossy(&b).to_string())
    }

    async fn post_form(&self, cookie: &str, path: &str, form: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .unwrap();
        let (s, _, b) = self.send(req).await;
        (s, String::from_utf8_lossy(&b).to_string())
    }
}

fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    html[i + 19..i + 19 + 64].to_string()
}

async fn api_suite(env: &Env) {
    // Health and the OpenAPI document.
    let (s, _, b) = env
        .send(
            Request::builder()
                .uri("/healthz")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!((s, b.as_slice()), (StatusCode::OK, b"ok".as_slice()));
    let (s, _, b) = env
        .send(
            Request::builder()
                .uri("/api/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&b).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for p in [
        "/api/v1/cases",
        "/api/v1/cases/{id}/run",
        "/api/v1/retention/sweep",
        "/api/v1/audit/verify",
    ] {
        assert!(doc["paths"].get(p).is_some(), "OpenAPI lists {p}");
    }

    // No token, a wrong token: 401 problem+json.
    let (s, v) = env.api(None, "GET", "/api/v1/cases", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["status"], 401);
    let mut bad = Request::builder().uri("/api/v1/cases");
    bad = bad.header(header::AUTHORIZATION, "Bearer wb_notatoken");
    let (s, _, _) = env.send(bad.body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // The queue: the demo's open cases, soonest first, one overdue; no identities in a list.
    let (s, v) = env
        .api(Some(Role::Auditor), "GET", "/api/v1/cases", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let list = v.as_array().unwrap();
    assert!(list.len() >= 4, "{v}");
    assert_eq!(list[0]["urgency"], "overdue", "{v}");
    assert!(
        list.windows(2)
            .all(|w| w[0]["due_at"].as_str() <= w[1]["due_at"].as_str())
    );
    assert!(list.iter().all(|c| c.get("subject").is_none()));
    let (s, v) = env
        .api(
            Some(Role::Auditor),
            "GET",
            "/api/v1/cases?kind=nonsense",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // The role matrix: what an auditor may not do changes nothing.
    let id = env.open_case("erasure", "noor.jansen@example.nl").await;
    let before = env.audit_len().await;
    let writes: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            "/api/v1/cases".into(),
            json!({"kind": "access", "subject": ["email=x@example.nl"]}),
        ),
        (
            "POST",
            format!("/api/v1/cases/{id}/verify"),
            json!({"method": "e-mail link"}),
        ),
        (
            "POST",
            format!("/api/v1/cases/{id}/extend"),
            json!({"months": 1, "reason": "many requests"}),
        ),
        (
            "POST",
            format!("/api/v1/cases/{id}/reject"),
            json!({"reason": "excessive"}),
        ),
        (
            "POST",
            format!("/api/v1/cases/{id}/close"),
            json!({"reason": "done"}),
        ),
        (
            "POST",
            format!("/api/v1/cases/{id}/run"),
            json!({"dry_run": true}),
        ),
        ("POST", "/api/v1/retention/sweep".into(), json!({})),
    ];
    for (m, p, b) in &writes {
        let (s, v) = env.api(Some(Role::Auditor), m, p, Some(b.clone())).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "auditor {m} {p}: {v}");
    }
    let (s, _) = env
        .api(
            Some(Role::Operator),
            "POST",
            "/api/v1/retention/sweep",
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an operator does not sweep");
    assert_eq!(
        env.audit_len().await,
        before,
        "refused requests wrote nothing"
    );
    let reads = [
        "/api/v1/cases".to_string(),
        format!("/api/v1/cases/{id}"),
        "/api/v1/retention".into(),
        "/api/v1/consent".into(),
        "/api/v1/consent/julia.mulder@example.nl".into(),
        "/api/v1/register/lint".into(),
        "/api/v1/audit/verify".into(),
        "/api/v1/me".into(),
    ];
    for role in Role::ALL {
        for p in &reads {
            let (s, v) = env.api(Some(role), "GET", p, None).await;
            assert_eq!(s, StatusCode::OK, "{role} GET {p}: {v}");
        }
    }

    // The case flow: run before verification is a conflict; dry run, then carry out.
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id}/run"),
            Some(json!({"dry_run": true})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id}/verify"),
            Some(json!({"method": "e-mail link"})),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("verified")),
        "{v}"
    );
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id}/run"),
            Some(json!({"dry_run": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"]["dry_run"], true);
    assert!(v["subject_found"].as_bool().unwrap(), "{v}");
    assert_eq!(v["document"], Value::Null);
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/cases/{id}/run"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "done");
    assert_eq!(v["document"], "erasure-certificate.json");
    let (_, v) = env
        .api(
            Some(Role::Auditor),
            "GET",
            &format!("/api/v1/cases/{id}"),
            None,
        )
        .await;
    assert_eq!(v["status"], "done");
    assert_eq!(v["documents"][0], "erasure-certificate.json");
    let (s, _) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/cases/{id}/run"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a closed case does not run twice");

    // Extend and reject.
    let id2 = env.open_case("access", "daan.bakker@example.nl").await;
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id2}/extend"),
            Some(json!({"months": 2, "reason": "veel verzoeken"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["extended"], true);
    let (s, _) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id2}/extend"),
            Some(json!({"months": 1, "reason": "again"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "extended once only");
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id2}/reject"),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (_, v) = env
        .api(
            Some(Role::Auditor),
            "GET",
            &format!("/api/v1/cases/{id2}/letter"),
            None,
        )
        .await;
    assert_eq!(v["kind"], "extension", "{v}");
    assert!(
        v["text"].as_str().unwrap().contains("veel verzoeken"),
        "{v}"
    );
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/cases/{id2}/reject"),
            Some(json!({"reason": "kennelijk ongegrond"})),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("rejected")),
        "{v}"
    );
    let (_, v) = env
        .api(
            Some(Role::Auditor),
            "GET",
            &format!("/api/v1/cases/{id2}/letter?lang=en"),
            None,
        )
        .await;
    assert_eq!(v["kind"], "refusal", "{v}");
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("kennelijk ongegrond") && text.contains("Autoriteit Persoonsgegevens"),
        "{text}"
    );
    let (s, _) = env
        .api(
            Some(Role::Operator),
            "GET",
            "/api/v1/cases/00000000-dead",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The officer sweeps; recorded; the chain verifies.
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            "/api/v1/retention/sweep",
            Some(json!({"dry_run": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["audit_seq"].as_i64().is_some());
    let (_, v) = env
        .api(Some(Role::Auditor), "GET", "/api/v1/audit/verify", None)
        .await;
    assert_eq!(v["ok"], true, "{v}");

    // The breach register: an operator records, only the officer decides; the clock is 72 h.
    let body = json!({"summary": "Laptop stolen", "aware_at": "2026-03-27T12:00:00+01:00", "facts": {"nature": ["stolen"], "people_min": 10}});
    let (s, _) = env
        .api(
            Some(Role::Auditor),
            "POST",
            "/api/v1/breaches",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = env
        .api(Some(Role::Operator), "POST", "/api/v1/breaches", Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["ap_deadline"], "2026-03-30T13:00:00+02:00");
    assert_eq!(v["overdue"], true);
    let bid = v["id"].as_str().unwrap().to_string();
    let assess = json!({"risk": "high", "reasons": "unencrypted", "notify_ap": true, "notify_ap_reason": "risk", "inform_people": true, "inform_people_reason": "high risk"});
    let (s, _) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/breaches/{bid}/assess"),
            Some(assess.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an operator does not decide");
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/breaches/{bid}/assess"),
            Some(assess),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/breaches/{bid}/notify"),
            Some(json!({"at": "2026-04-01T10:00:00+02:00"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "late without a reason: {v}"
    );
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/breaches/{bid}/notify"),
            Some(json!({"at": "2026-04-01T10:00:00+02:00", "late_reason": "found out late"})),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("notified")),
        "{v}"
    );
    let (s, v) = env
        .api(
            Some(Role::Auditor),
            "GET",
            &format!("/api/v1/breaches/{bid}/notification?lang=en"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["sections"].as_array().unwrap().len() >= 10, "{v}");
    // The facts are filled in later (operator); a processor activity the register does not
    // know is refused; the officer records informing the people and closes.
    let facts =
        json!({"facts": {"nature": ["stolen", "read"], "people_min": 10, "people_max": 12}});
    let (s, _) = env
        .api(
            Some(Role::Auditor),
            "POST",
            &format!("/api/v1/breaches/{bid}/facts"),
            Some(facts.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/breaches/{bid}/facts"),
            Some(facts),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["incident"]["facts"]["people_max"], 12);
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/breaches/{bid}/facts"),
            Some(json!({"facts": {"processor_activities": ["not-in-the-register"]}})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = env
        .api(
            Some(Role::Operator),
            "POST",
            &format!("/api/v1/breaches/{bid}/controllers"),
            Some(json!({"activity": "x", "how": "e-mail"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/breaches/{bid}/inform"),
            Some(json!({"at": "2026-04-02T10:00:00+02:00", "how": "e-mail to each customer"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = env
        .api(
            Some(Role::Officer),
            "POST",
            &format!("/api/v1/breaches/{bid}/close"),
            Some(json!({"note": "laptop wiped, customers warned"})),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{v}"
    );
    let (s, _) = env
        .api(Some(Role::Auditor), "GET", "/api/v1/breaches/nope", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, v) = env
        .api(Some(Role::Auditor), "GET", "/api/v1/breaches", None)
        .await;
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|b| b["id"] == bid.as_str())
    );

    // An expired token no longer works.
    let officer = env
        .state
        .store
        .user_by_email("officer@example.org")
        .await
        .unwrap()
        .unwrap();
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2);
    let (old, _) = env
        .state
        .store
        .create_api_token(officer.id, "old", past, Duration::from_secs(60))
        .await
        .unwrap();
    let req = Request::builder()
        .uri("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {}", old.as_str()))
        .body(Body::empty())
        .unwrap();
    assert_eq!(env.send(req).await.0, StatusCode::UNAUTHORIZED);
}

async fn web_suite(env: &Env) {
    // Not logged in: to the login page, which names no user.
    let req = Request::builder()
        .uri("/cases")
        .body(Body::empty())
        .unwrap();
    let (s, h, _) = env.send(req).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(
        h.get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/login")
    );

    // Unknown user and wrong password get the same answer.
    let (s1, c1, _) = env.login("nobody@example.org", "whatever it is").await;
    let (s2, c2, _) = env.login("officer@example.org", "wrong password!!").await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert!(c1.is_none() && c2.is_none());

    // Log in: the cookie is HttpOnly, SameSite=Lax, Secure only behind https.
    let (s, cookie, set) = env.login("auditor@example.org", PASSWORD).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let set = set.unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert_eq!(
        set.contains("Secure"),
        env.state.config.secure_cookies(),
        "{set}"
    );
    let auditor = cookie.unwrap();

    // The auditor reads every page and sees no action forms.
    let (s, html) = env.page(&auditor, "/cases").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("overdue") || html.contains("te laat"),
        "the overdue case is marked"
    );
    assert!(
        !html.contains("method=\"post\" action=\"/cases\""),
        "no form to open a case"
    );
    let id = html
        .split("href=\"/cases/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let (s, case_html) = env.page(&auditor, &format!("/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!case_html.contains("/run\""), "no run form for an auditor");
    for p in [
        "/retention",
        "/consent",
        "/consent?subject=julia.mulder%40example.nl",
        "/register",
        "/register/statement?lang=en",
        "/audit",
        "/audit/export",
    ] {
        let (s, body) = env.page(&auditor, p).await;
        assert_eq!(s, StatusCode::OK, "{p}: {body}");
    }
    // The register and the statement as Word documents, for the auditor.
    let (s, page) = env.page(&auditor, "/register").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("href=\"/register/docx?what=register&amp;lang=nl\""),
        "{page}"
    );
    for (what, lang) in [("register", "nl"), ("statement", "en")] {
        let req = Request::builder()
            .uri(format!("/register/docx?what={what}&lang={lang}"))
            .header(header::COOKIE, &auditor)
            .body(Body::empty())
            .unwrap();
        let (s, h, body) = env.send(req).await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        assert_eq!(
            h[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(
            h[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"{what}-{lang}.docx\"").as_str()
        );
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert!(doc.contains("<w:pStyle w:val=\"Heading1\" />"), "{doc}");
    }
    let (s, body) = env.page(&auditor, "/register/docx?what=everything").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("use register, statement or cookies"),
        "{body}"
    );
    // An auditor who posts a form anyway: 403, nothing changes.
    let csrf = csrf_of(&case_html);
    let before = env.audit_len().await;
    let status_before = env.state.store.case(&id).await.unwrap().status;
    for (path, form) in [
        (
            format!("/cases/{id}/verify"),
            format!("csrf={csrf}&method=x"),
        ),
        (
            format!("/cases/{id}/run"),
            format!("csrf={csrf}&mode=carry_out"),
        ),
        (
            format!("/cases/{id}/reject"),
            format!("csrf={csrf}&reason=x"),
        ),
        ("/retention/sweep".to_string(), format!("csrf={csrf}")),
    ] {
        let (s, _) = env.post_form(&auditor, &path, &form).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "auditor POST {path}");
    }
    assert_eq!(env.audit_len().await, before);
    assert_eq!(
        env.state.store.case(&id).await.unwrap().status,
        status_before
    );

    // An operator: a form without the right CSRF token is refused; with it, it works.
    let (_, cookie, _) = env.login("operator@example.org", PASSWORD).await;
    let operator = cookie.unwrap();
    let (_, html) = env.page(&operator, "/cases").await;
    let csrf = csrf_of(&html);
    let (s, _) = env
        .post_form(
            &operator,
            "/cases",
            "kind=access&subject=email%3Dq%40example.nl",
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no token: the form does not parse"
    );
    let (s, _) = env
        .post_form(
            &operator,
            "/cases",
            &format!(
                "csrf={}&kind=access&subject=email%3Dq%40example.nl",
                "0".repeat(64)
            ),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a wrong token");
    let (s, _) = env
        .post_form(
            &operator,
            "/cases",
            &format!("csrf={csrf}&kind=access&subject=email%3Dq%40example.nl"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // The auditor's token does not work in the operator's session.
    let (_, a_html) = env.page(&auditor, "/cases").await;
    let (s, _) = env
        .post_form(
            &operator,
            "/cases",
            &format!(
                "csrf={}&kind=access&subject=email%3Dq%40example.nl",
                csrf_of(&a_html)
            ),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a CSRF token is bound to its session"
    );

    // Log out ends the session.
    let (s, _) = env
        .post_form(&operator, "/logout", &format!("csrf={csrf}"))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _) = env.page(&operator, "/cases").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the session is gone");

    // An expired session leads to the login page.
    let user = env
        .state
        .store
        .user_by_email("officer@example.org")
        .await
        .unwrap()
        .unwrap();
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(3);
    let (tok, _) = env
        .state
        .store
        .create_session(user.id, past, Duration::from_secs(3600))
        .await
        .unwrap();
    let (s, _) = env
        .page(&format!("wb_session={}", tok.as_str()), "/cases")
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // Throttling: after five failures, even the right password waits.
    for _ in 0..5 {
        env.login("officer@example.org", "not the password").await;
    }
    let (s, c, _) = env.login("officer@example.org", PASSWORD).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(c.is_none());
}

#[tokio::test]
async fn api_and_dashboard_on_sqlite() {
    let env = Env::new(None, None).await;
    api_suite(&env).await;
    web_suite(&env).await;
}

#[tokio::test]
async fn api_and_dashboard_on_postgres_behind_https() {
    let pg = waarborg_testkit::PgTestDb::create()
        .await
        .expect("PostgreSQL must answer on 127.0.0.1:5432 for this test");
    let store = Store::open(pg.url()).await.unwrap();
    let env = Env::new(Some(store), Some("https://privacy.example.nl")).await;
    api_suite(&env).await;
    web_suite(&env).await;
    env.state.store.close().await;
}

#[test]
fn every_kind_and_status_has_a_text_in_both_languages() {
    let m = waarborg_server::i18n::Messages::load().unwrap();
    for lang in Lang::ALL {
        for k in waarborg_store::CaseKind::ALL {
            let key = format!("kind_{}", k.as_str());
            assert!(m.table(lang).contains_key(&key), "{lang:?} {key}");
        }
        for st in waarborg_store::CaseStatus::ALL {
            let key = format!("status_{}", st.as_str());
            assert!(m.table(lang).contains_key(&key), "{lang:?} {key}");
        }
    }
}

#[tokio::test]
async fn serve_answers_on_a_socket_and_stops_gracefully() {
    let env = Env::new(None, None).await;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
    let state = env.state.clone();
    let server = tokio::spawn(async move {
        waarborg_server::serve(
            state,
            "127.0.0.1:0".parse().unwrap(),
            async move {
                let _ = stop_rx.await;
            },
            move |a| {
                let _ = addr_tx.send(a);
            },
        )
        .await
    });
    let addr = addr_rx.await.unwrap();
    let body = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "ok");
    stop_tx.send(()).unwrap();
    let done = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        matches!(done, Ok(Ok(Ok(())))),
        "the server stops when asked: {done:?}"
    );
    assert!(
        reqwest::get(format!("http://{addr}/healthz"))
            .await
            .is_err(),
        "and no longer answers"
    );
}
