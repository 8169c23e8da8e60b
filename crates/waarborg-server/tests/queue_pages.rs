#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The case queue and `GET /api/v1/cases` show one page of cases, soonest due first, with a
//! link to the next (the load benchmark's fix: a queue of 10,000 cases read them all).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use waarborg_app::{Keys, Workspace};
use waarborg_server::{AppState, ServerConfig, router};
use waarborg_store::{CaseKind, Identity, NewCase, Role, Store};

async fn get(app: &axum::Router, uri: &str, header: (&str, &str)) -> (StatusCode, String) {
    let resp = app
        .clone()
        .oneshot(
            Request::get(uri)
                .header(header.0, header.1)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn queue_and_list_show_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store.db").display().to_string())
        .await
        .unwrap();
    let total = waarborg_server::api::DEFAULT_CASE_LIMIT as usize + 5;
    for i in 0..total {
        let subject = Identity::parse_pairs([format!("email=p{i}@example.nl")]).unwrap();
        let kind = if i % 2 == 0 {
            CaseKind::Access
        } else {
            CaseKind::Erasure
        };
        store.open_case(NewCase::new(kind, subject)).await.unwrap();
    }
    let user = store
        .add_user(
            "officer@example.nl",
            "a-long-enough-password",
            Role::Officer,
            waarborg_policy::Lang::En,
        )
        .await
        .unwrap();
    let now = jiff::Timestamp::now();
    let (session, _) = store
        .create_session(user.id, now, Duration::from_secs(3600))
        .await
        .unwrap();
    let (token, _) = store
        .create_api_token(user.id, "test", now, Duration::from_secs(3600))
        .await
        .unwrap();
    let config = ServerConfig {
        public_url: None,
        data_dir: dir.path().join("data"),
        session_ttl: Duration::from_secs(3600),
        time_zone: jiff::tz::TimeZone::UTC,
        schema_check: None,
    };
    let state = AppState::new(store, Workspace::new(Keys::default(), None), config).unwrap();
    let app = router(Arc::new(state));
    let cookie = format!("wb_session={}", session.as_str());
    let bearer = format!("Bearer {}", token.as_str());

    // The queue: 200 rows, the count of all, and a link to the rest.
    let (status, html) = get(&app, "/cases", ("cookie", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<a href=\"/cases/").count(), 200);
    assert!(html.contains(&format!("{total} requests")), "count of all");
    assert!(html.contains("offset=200"), "link to the next page: {html}");
    let (_, next) = get(&app, "/cases?offset=200", ("cookie", &cookie)).await;
    assert_eq!(next.matches("<a href=\"/cases/").count(), 5);
    assert!(!next.contains("offset=205"), "no link after the last page");
    // The kind filter is kept on the next page's link.
    let (_, access) = get(&app, "/cases?kind=access", ("cookie", &cookie)).await;
    assert_eq!(access.matches("<a href=\"/cases/").count(), 103);
    assert!(!access.contains("offset="));

    // The API: 200 by default, then the rest from the offset, soonest due first.
    let (status, body) = get(&app, "/api/v1/cases", ("authorization", &bearer)).await;
    assert_eq!(status, StatusCode::OK);
    let first: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(first.len(), 200);
    let due: Vec<&str> = first
        .iter()
        .map(|c| c["due_at"].as_str().unwrap())
        .collect();
    assert!(due.windows(2).all(|w| w[0] <= w[1]), "soonest due first");
    let (_, body) = get(
        &app,
        "/api/v1/cases?offset=200&limit=50",
        ("authorization", &bearer),
    )
    .await;
    let rest: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(rest.len(), 5);
    let (_, body) = get(
        &app,
        "/api/v1/cases?kind=erasure&limit=3",
        ("authorization", &bearer),
    )
    .await;
    let erasures: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(erasures.len(), 3);
    assert!(erasures.iter().all(|c| c["kind"] == "erasure"));
}
