#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
//! The portal's intake over real HTTP and real SMTP (loopback): no enumeration, single-use and
//! expiring links, duplicates joined, CSRF, rate limits, failed mail kept and retried.

mod portal_common;

use std::time::Duration;

use portal_common::{client, csrf, start};
use reqwest::StatusCode;
use serde_json::{Value, json};
use waarborg_store::{CaseFilter, CaseKind, LinkPurpose, NewLink};

/// A customer of the demo shop, and an address nobody there has.
const KNOWN: &str = "sanne.devries@example.nl";
const UNKNOWN: &str = "niemand.bekend@example.nl";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn known_and_unknown_addresses_get_identical_answers() {
    // As in the demo: the sink's mailbox is shown at /demo/mail.
    let s = start(|p, sink| p.sink = Some(sink.clone())).await;
    let c = client();
    let token = csrf(&c, &s.url("/portal?lang=en")).await;
    let mut answers = Vec::new();
    for email in [KNOWN, UNKNOWN] {
        let r = c
            .post(s.url("/portal/request"))
            .form(&[
                ("csrf", token.as_str()),
                ("kind", "access"),
                ("email", email),
                ("lang", "en"),
            ])
            .send()
            .await
            .unwrap();
        answers.push((r.status(), r.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, StatusCode::OK);
    assert_eq!(
        answers[0], answers[1],
        "the form answers differ between a known and an unknown address"
    );
    assert!(answers[0].1.contains("Check your mailbox"));

    let mut api = Vec::new();
    for email in [KNOWN, UNKNOWN] {
        let r = c
            .post(s.url("/api/v1/requests"))
            .json(&json!({"kind": "access", "email": email}))
            .send()
            .await
            .unwrap();
        api.push((r.status(), r.text().await.unwrap()));
    }
    assert_eq!(api[0].0, StatusCode::ACCEPTED);
    assert_eq!(
        api[0], api[1],
        "the API answers differ between a known and an unknown address"
    );
    let body: Value = serde_json::from_str(&api[0].1).unwrap();
    assert_eq!(body["status"], "accepted");

    // Both addresses got their verification mail (the same way), pointing at the bound address.
    for email in [KNOWN, UNKNOWN] {
        let m = s.mail(email, "Confirm your request").await;
        assert!(m.body().contains(&s.url("/portal/verify/")), "{}", m.body());
        assert!(
            m.body()
                .contains("never ask for a copy of your identity document")
        );
    }
    // The demo's mailbox shows the mails with their links to click.
    let page = c
        .get(s.url("/demo/mail"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(page.contains("<a href=\"http://127.0.0.1:"), "{page}");
    assert!(page.contains("/portal/verify/"));
    // The OpenAPI document describes the intake.
    let doc: Value = c
        .get(s.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        doc["paths"]["/api/v1/requests"]["post"].is_object(),
        "{}",
        doc["paths"]
    );
    // A kind the register does not offer and a malformed address are refused alike for all.
    let r = c
        .post(s.url("/api/v1/requests"))
        .json(&json!({"kind": "no_automated_decision", "email": KNOWN}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    s.stop().await;
}

async fn verify(c: &reqwest::Client, link: &str) -> reqwest::Response {
    let token = csrf(c, link).await;
    c.post(link)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn links_are_single_use_and_expire_and_duplicates_are_joined() {
    let s = start(|_, _| {}).await;
    let c = client();
    let ask = |email: &'static str| {
        let c = c.clone();
        let url = s.url("/api/v1/requests");
        async move {
            let r = c
                .post(url)
                .json(&json!({"kind": "access", "email": email, "lang": "en"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::ACCEPTED);
        }
    };
    ask(KNOWN).await;
    let first = s.link(&s.mail(KNOWN, "Confirm your request").await, "verify");
    // A GET (as a mail scanner does) does not spend the link.
    assert_eq!(c.get(&first).send().await.unwrap().status(), StatusCode::OK);
    let r = verify(&c, &first).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let status1 = r.headers()["location"].to_str().unwrap().to_string();
    assert!(status1.starts_with("/portal/status/"), "{status1}");
    // Reuse is refused with 410.
    let again = verify(&c, &first).await;
    assert_eq!(again.status(), StatusCode::GONE);
    assert!(again.text().await.unwrap().contains("no longer works"));
    // An unknown token: 404.
    let unknown = verify(&c, &s.url(&format!("/portal/verify/{}", "ab".repeat(32)))).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // Without the CSRF cookie/token pair: 403.
    let bare = client()
        .post(&first)
        .form(&[("csrf", "00")])
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::FORBIDDEN);

    // The case is verified and open in the officer's queue.
    let open = |store: waarborg_store::Store| async move {
        store
            .list_cases(&CaseFilter {
                open_only: true,
                kind: Some(CaseKind::Access),
                ..CaseFilter::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|c| {
                c.subject
                    .as_ref()
                    .is_some_and(|s| s.0.iter().any(|(_, v)| v == KNOWN))
            })
            .collect::<Vec<_>>()
    };
    let cases = open(s.store.clone()).await;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].status, waarborg_store::CaseStatus::Verified);
    assert_eq!(cases[0].verification.as_deref(), Some("email_link"));

    // The same request again while the first is open: joined, not doubled.
    ask(KNOWN).await;
    let mut second = String::new();
    for _ in 0..50 {
        let m = s.mail(KNOWN, "Confirm your request").await;
        let l = s.link(&m, "verify");
        if l != first {
            second = l;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!second.is_empty(), "no second verification mail");
    let r = verify(&c, &second).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        open(s.store.clone()).await.len(),
        1,
        "a duplicate request opened a second case"
    );
    let status2 = r.headers()["location"].to_str().unwrap().to_string();
    let page1 = c
        .get(s.url(&status1))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let page2 = c
        .get(s.url(&status2))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let short = &cases[0].id[..13];
    assert!(page1.contains(short) && page2.contains(short));

    // The officer extends the case: the person is told once, by mail, with the reason.
    s.store
        .extend_case(
            &cases[0].id,
            1,
            "many requests at once",
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    let notice = s.mail(KNOWN, "We need more time").await;
    assert!(
        notice.body().contains("many requests at once"),
        "{}",
        notice.body()
    );

    // An expired link is refused with 410.
    let old = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(48))
        .unwrap();
    let expired = s
        .store
        .create_link(
            &NewLink {
                purpose: LinkPurpose::Verify,
                subject: UNKNOWN.into(),
                kind: Some("access".into()),
                lang: "en".into(),
                case_id: None,
                purpose_id: None,
            },
            old,
            Duration::from_secs(24 * 3600),
        )
        .await
        .unwrap();
    let r = verify(&c, &s.url(&format!("/portal/verify/{expired}"))).await;
    assert_eq!(r.status(), StatusCode::GONE);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_and_a_failed_mail_is_kept_and_retried() {
    // Mail to a port where nothing listens: sending fails, the mail stays in the outbox.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("smtp://{}", dead.local_addr().unwrap());
    drop(dead);
    let s = start(|p, _| {
        p.per_client = (3, Duration::from_secs(600));
        p.mailer =
            Some(waarborg_server::mailer::Mailer::new(&dead_url, "privacy@example.nl").unwrap());
    })
    .await;
    let c = client();
    // Not a demo: no mailbox page.
    assert_eq!(
        c.get(s.url("/demo/mail")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let mut statuses = Vec::new();
    for i in 0..4 {
        let r = c
            .post(s.url("/api/v1/requests"))
            .json(&json!({"kind": "access", "email": format!("p{i}@example.nl")}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status());
    }
    assert_eq!(statuses[..3], [StatusCode::ACCEPTED; 3]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    let start = std::time::Instant::now();
    loop {
        let counts = s.store.outbox_counts().await.unwrap();
        if counts.failing == 3 {
            assert_eq!(counts.sent, 0);
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the failures were not recorded: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mails = s.store.outbox(10).await.unwrap();
    assert!(mails.iter().all(|m| {
        m.attempts == 1
            && m.last_error
                .as_deref()
                .is_some_and(|e| e.starts_with("SMTP"))
    }));
    // The next attempt waits (30 s backoff), so nothing is lost or hammered.
    assert!(
        mails
            .iter()
            .all(|m| m.next_attempt_at > jiff::Timestamp::now())
    );
    s.stop().await;
}
