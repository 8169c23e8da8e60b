#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The portal's links, requests and outbox, every test on SQLite and on PostgreSQL.

mod common;

use std::time::Duration;

use common::Ctx;
use jiff::{SignedDuration, Timestamp};
use waarborg_store::{
    Backend, CaseKind, Error, Identity, LinkPurpose, NewCase, NewLink, NewMail, PortalRequest,
};

const HOUR: Duration = Duration::from_secs(3600);

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn link(purpose: LinkPurpose, case: Option<&str>) -> NewLink {
    NewLink {
        purpose,
        subject: "a@example.nl".into(),
        kind: Some("access".into()),
        lang: "nl".into(),
        case_id: case.map(str::to_string),
        purpose_id: None,
    }
}

fn mail(to: &str) -> NewMail {
    NewMail {
        kind: "verification".into(),
        to: to.into(),
        subject: "Bevestig".into(),
        body: "klik hier".into(),
        list_unsubscribe: None,
        case_id: None,
    }
}

fn case_mail(case: &str) -> NewMail {
    NewMail {
        case_id: Some(case.to_string()),
        ..mail("a@example.nl")
    }
}

async fn single_use_link_is_spent_once_and_stored_hashed(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let now = ts("2026-12-03T10:00:00Z");
    let token = ctx
        .store
        .create_link(&link(LinkPurpose::Verify, None), now, HOUR)
        .await
        .unwrap();
    assert_eq!(token.len(), 64);
    // Only the hash is kept.
    let stored = ctx.raw_text("SELECT token_sha256 FROM portal_tokens").await;
    assert_ne!(stored, token);
    assert_eq!(
        ctx.raw_text("SELECT subject FROM portal_tokens").await,
        "a@example.nl"
    );
    // For another purpose the token is unknown.
    assert!(matches!(
        ctx.store.use_link(&token, LinkPurpose::Status, now).await,
        Err(Error::LinkNotFound)
    ));
    let l = ctx
        .store
        .use_link(&token, LinkPurpose::Verify, now)
        .await
        .unwrap();
    assert_eq!(l.kind.as_deref(), Some("access"));
    assert_eq!(l.subject, "a@example.nl");
    // Second use: gone, also from another pool (another process).
    let other = ctx.another().await;
    assert!(matches!(
        other.use_link(&token, LinkPurpose::Verify, now).await,
        Err(Error::LinkGone(_))
    ));
    assert!(matches!(
        ctx.store
            .use_link(&"0".repeat(64), LinkPurpose::Verify, now)
            .await,
        Err(Error::LinkNotFound)
    ));
    assert!(matches!(
        ctx.store
            .use_link("not-a-token", LinkPurpose::Verify, now)
            .await,
        Err(Error::LinkNotFound)
    ));
}
both!(single_use_link_is_spent_once_and_stored_hashed);

async fn links_expire_and_status_links_are_reusable(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let now = ts("2026-12-03T10:00:00Z");
    let later = now.checked_add(SignedDuration::from_secs(3600)).unwrap();
    let verify = ctx
        .store
        .create_link(&link(LinkPurpose::Verify, None), now, HOUR)
        .await
        .unwrap();
    // Exactly at expiry the link no longer works, and it is not spent by trying.
    assert!(matches!(
        ctx.store.use_link(&verify, LinkPurpose::Verify, later).await,
        Err(Error::LinkGone(m)) if m.contains("expired")
    ));
    let status = ctx
        .store
        .create_link(&link(LinkPurpose::Status, Some("case-1")), now, HOUR)
        .await
        .unwrap();
    for _ in 0..3 {
        let l = ctx
            .store
            .use_link(&status, LinkPurpose::Status, now)
            .await
            .unwrap();
        assert_eq!(l.case_id.as_deref(), Some("case-1"));
    }
    assert!(matches!(
        ctx.store
            .use_link(&status, LinkPurpose::Status, later)
            .await,
        Err(Error::LinkGone(_))
    ));
    assert_eq!(ctx.store.purge_expired_links(later).await.unwrap(), 2);
    assert!(matches!(
        ctx.store.use_link(&status, LinkPurpose::Status, now).await,
        Err(Error::LinkNotFound)
    ));
}
both!(links_expire_and_status_links_are_reusable);

async fn concurrent_uses_of_a_single_use_link_have_one_winner(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let now = ts("2026-12-03T10:00:00Z");
    let token = ctx
        .store
        .create_link(&link(LinkPurpose::Download, Some("c")), now, HOUR)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = ctx.another().await;
        let t = token.clone();
        tasks.push(tokio::spawn(async move {
            s.use_link(&t, LinkPurpose::Download, now).await.is_ok()
        }));
    }
    let mut wins = 0;
    for t in tasks {
        if t.await.unwrap() {
            wins += 1;
        }
    }
    assert_eq!(wins, 1);
}
both!(concurrent_uses_of_a_single_use_link_have_one_winner);

async fn portal_requests_join_open_cases_and_are_answered_once(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let now = ts("2026-12-03T10:00:00Z");
    let c = ctx
        .store
        .open_case(NewCase::new(
            CaseKind::Access,
            Identity::parse_pairs(["email=a@example.nl"]).unwrap(),
        ))
        .await
        .unwrap();
    let req = PortalRequest {
        case_id: c.id.clone(),
        kind: "access".into(),
        subject: "a@example.nl".into(),
        lang: "en".into(),
    };
    ctx.store.record_portal_request(&req, now).await.unwrap();
    assert_eq!(
        ctx.store
            .open_portal_case("a@example.nl", "access")
            .await
            .unwrap(),
        Some(c.id.clone())
    );
    assert_eq!(
        ctx.store
            .open_portal_case("b@example.nl", "access")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        ctx.store
            .open_portal_case("a@example.nl", "erasure")
            .await
            .unwrap(),
        None
    );
    // The address is not the join key in the clear.
    assert_ne!(
        ctx.raw_text("SELECT subject_key FROM portal_requests")
            .await,
        "a@example.nl"
    );
    assert!(
        ctx.store
            .unanswered_portal_requests(10)
            .await
            .unwrap()
            .is_empty()
    );
    ctx.store.verify_case(&c.id, "email_link").await.unwrap();
    // An extension is told once.
    assert!(
        ctx.store
            .unnotified_extensions(10)
            .await
            .unwrap()
            .is_empty()
    );
    ctx.store
        .extend_case(&c.id, 1, "many requests", Timestamp::now())
        .await
        .unwrap();
    assert_eq!(ctx.store.unnotified_extensions(10).await.unwrap().len(), 1);
    assert!(
        ctx.store
            .notify_extension(&c.id, &case_mail(&c.id), now)
            .await
            .unwrap()
    );
    assert!(
        !ctx.store
            .notify_extension(&c.id, &case_mail(&c.id), now)
            .await
            .unwrap()
    );
    assert!(
        ctx.store
            .unnotified_extensions(10)
            .await
            .unwrap()
            .is_empty()
    );
    ctx.store.start_case(&c.id, "t").await.unwrap();
    ctx.store.close_case(&c.id, Some("done")).await.unwrap();
    // Closed: no longer joined, and due for its answer.
    assert_eq!(
        ctx.store
            .open_portal_case("a@example.nl", "access")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        ctx.store.unanswered_portal_requests(10).await.unwrap(),
        vec![req]
    );
    assert!(
        ctx.store
            .answer_portal_request(&c.id, &case_mail(&c.id), now)
            .await
            .unwrap()
    );
    assert!(
        !ctx.store
            .answer_portal_request(&c.id, &case_mail(&c.id), now)
            .await
            .unwrap()
    );
    assert!(
        ctx.store
            .unanswered_portal_requests(10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(ctx.store.outbox(10).await.unwrap().len(), 2);
    // Purging the closed case forgets the portal's copy of the address too.
    ctx.store
        .purge_closed_cases(ts("2032-01-01T00:00:00Z"), Some(jiff::Span::new().years(5)))
        .await
        .unwrap();
    assert_eq!(ctx.store.portal_request(&c.id).await.unwrap(), None);
    assert!(
        ctx.store
            .outbox(10)
            .await
            .unwrap()
            .iter()
            .all(|m| m.to.is_empty() && m.body.is_empty())
    );
}
both!(portal_requests_join_open_cases_and_are_answered_once);

async fn outbox_retries_with_backoff_and_counts(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let now = ts("2026-12-03T10:00:00Z");
    let a = ctx
        .store
        .enqueue_mail(&mail("a@example.nl"), now)
        .await
        .unwrap();
    let b = ctx
        .store
        .enqueue_mail(&mail("b@example.nl"), now)
        .await
        .unwrap();
    let due: Vec<i64> = ctx
        .store
        .due_mails(now, 10)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(due, vec![a, b]);
    ctx.store.mail_sent(a, now).await.unwrap();
    let retry = now.checked_add(SignedDuration::from_secs(30)).unwrap();
    ctx.store
        .mail_failed(b, "SMTP: connection refused", retry)
        .await
        .unwrap();
    // Not due again before the backoff ends; never lost.
    assert!(ctx.store.due_mails(now, 10).await.unwrap().is_empty());
    let again = ctx.store.due_mails(retry, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    assert_eq!(
        again[0].last_error.as_deref(),
        Some("SMTP: connection refused")
    );
    let c = ctx.store.outbox_counts().await.unwrap();
    assert_eq!((c.sent, c.waiting, c.failing), (1, 0, 1));
    ctx.store.mail_sent(b, retry).await.unwrap();
    let c = ctx.store.outbox_counts().await.unwrap();
    assert_eq!((c.sent, c.waiting, c.failing), (2, 0, 0));
    assert!(ctx.store.due_mails(retry, 10).await.unwrap().is_empty());
    // A sent mail keeps no live link: its body and unsubscribe URL are blanked.
    let sent = ctx.store.outbox(10).await.unwrap();
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|m| m.body.is_empty() && m.list_unsubscribe.is_none()),
        "{sent:?}"
    );
}
both!(outbox_retries_with_backoff_and_counts);
