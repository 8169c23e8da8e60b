#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The store's behaviour, every test on SQLite and on PostgreSQL.

mod common;

use std::collections::HashSet;

use common::Ctx;
use jiff::Timestamp;
use jiff::civil::date;
use waarborg_store::{
    Backend, CaseFilter, CaseKind, CaseStatus, ConsentGrant, ConsentScope, ConsentUse, Error,
    Identity, NewCase, ProblemKind, Store, StoreOptions,
};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn subject() -> Identity {
    Identity::parse_pairs(["email=jan@example.nl", "customer_id=42"]).unwrap()
}

fn case_at(kind: CaseKind, received: &str) -> NewCase {
    NewCase::new(kind, subject()).received(ts(received))
}

async fn deadlines(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    // Month end: 31 January → 28 February (2026) and 29 February (leap year 2028).
    let c = s
        .open_case(case_at(CaseKind::Access, "2026-01-31T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2026, 2, 28));
    assert_eq!(c.due_at, ts("2026-02-28T23:00:00Z"));
    let c = s
        .open_case(case_at(CaseKind::Erasure, "2024-01-31T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2024, 2, 29));
    // Amsterdam date, not UTC date: 22:30 UTC on 31 March is 1 April in Amsterdam (CEST).
    let c = s
        .open_case(case_at(CaseKind::Access, "2026-03-31T22:30:00Z"))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2026, 5, 1));
    // DST starts 29 March 2026: received 28 March 23:30 UTC = 29 March 00:30 CET.
    let c = s
        .open_case(case_at(CaseKind::Access, "2026-03-28T23:30:00Z"))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2026, 4, 29));
    assert_eq!(c.due_at, ts("2026-04-29T22:00:00Z"), "end of day in CEST");
    // DST ends 25 October 2026: received 24 October 22:30 UTC = 25 October 00:30 CEST.
    let c = s
        .open_case(case_at(CaseKind::Access, "2026-10-24T22:30:00Z"))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2026, 11, 25));
    assert_eq!(c.due_at, ts("2026-11-25T23:00:00Z"), "end of day in CET");
    // A shorter promise from the register wins; a longer one does not.
    let four_weeks = "P4W".parse().ok();
    let c = s
        .open_case(case_at(CaseKind::Access, "2026-03-02T09:00:00Z").promise(four_weeks))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2026, 3, 30));
    let c = s
        .open_case(case_at(CaseKind::Erasure, "2026-03-02T09:00:00Z").promise("PT48H".parse().ok()))
        .await
        .unwrap();
    assert_eq!(c.due_at, ts("2026-03-04T09:00:00Z"));
    let c = s
        .open_case(case_at(CaseKind::Access, "2026-03-02T09:00:00Z").promise("P2M".parse().ok()))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2026, 4, 2));
    // Stored and read back identically.
    assert_eq!(s.case(&c.id).await.unwrap(), c);

    // Overdue detection.
    let overdue = s.overdue_cases(ts("2026-03-01T00:00:00Z")).await.unwrap();
    let ids: Vec<_> = overdue.iter().map(|c| c.due_date).collect();
    assert_eq!(ids, vec![date(2024, 2, 29), date(2026, 2, 28)]);
    assert!(overdue[1].is_overdue(ts("2026-03-01T00:00:00Z")));
    assert!(!overdue[1].is_overdue(ts("2026-02-28T22:59:59Z")));
    // Closed cases are never overdue.
    s.reject_case(&overdue[0].id, "identity could not be verified")
        .await
        .unwrap();
    assert_eq!(
        s.overdue_cases(ts("2026-03-01T00:00:00Z"))
            .await
            .unwrap()
            .len(),
        1
    );
}
both!(deadlines);

async fn extension(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let c = s
        .open_case(case_at(CaseKind::Portability, "2025-11-30T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(c.due_date, date(2025, 12, 30));
    // After the first deadline: refused.
    let late = s
        .extend_case(&c.id, 2, "many requests", ts("2025-12-31T12:00:00Z"))
        .await;
    assert!(
        matches!(late, Err(Error::ExtensionRefused { .. })),
        "{late:?}"
    );
    // No reason: refused.
    assert!(matches!(
        s.extend_case(&c.id, 2, " ", ts("2025-12-01T00:00:00Z"))
            .await,
        Err(Error::Invalid(_))
    ));
    // Three months: refused.
    assert!(
        s.extend_case(&c.id, 3, "x", ts("2025-12-01T00:00:00Z"))
            .await
            .is_err()
    );
    let e = s
        .extend_case(
            &c.id,
            2,
            "complex request over four systems",
            ts("2025-12-10T00:00:00Z"),
        )
        .await
        .unwrap();
    assert!(e.extended);
    assert_eq!(e.due_date, date(2026, 2, 28), "30 Nov + 3 months, clamped");
    assert_eq!(e.original_due_at, c.due_at);
    // Only once.
    let again = s
        .extend_case(&c.id, 1, "again", ts("2025-12-11T00:00:00Z"))
        .await;
    assert!(matches!(again, Err(Error::ExtensionRefused { .. })));
    let events = s.case_events(&c.id).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(),
        ["opened", "extended"]
    );
    assert_eq!(
        events[1].detail.as_deref(),
        Some("complex request over four systems")
    );
}
both!(extension);

async fn status_machine(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let c = s
        .open_case(NewCase::new(CaseKind::Rectification, subject()).note("address wrong"))
        .await
        .unwrap();
    assert_eq!(c.status, CaseStatus::Received);
    // received → done is not allowed.
    match s.close_case(&c.id, None).await {
        Err(Error::InvalidTransition { from, to, .. }) => {
            assert_eq!((from, to), (CaseStatus::Received, CaseStatus::Done))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.start_case(&c.id, "w1").await,
        Err(Error::InvalidTransition { .. })
    ));
    let prefix = c.id.get(..13).unwrap();
    let c2 = s.verify_case(prefix, "email-link").await.unwrap();
    assert_eq!(c2.verification.as_deref(), Some("email-link"));
    let c3 = s.start_case(&c.id, "worker-1").await.unwrap();
    assert_eq!(c3.status, CaseStatus::InProgress);
    assert_eq!(c3.claimed_by.as_deref(), Some("worker-1"));
    let c4 = s
        .close_case(&c.id, Some("address corrected"))
        .await
        .unwrap();
    assert_eq!(c4.status, CaseStatus::Done);
    assert!(c4.closed_at.is_some());
    // Closed: nothing more.
    assert!(matches!(
        s.reject_case(&c.id, "x").await,
        Err(Error::InvalidTransition { .. })
    ));
    let events = s.case_events(&c.id).await.unwrap();
    let names: Vec<_> = events
        .iter()
        .map(|e| (e.event.as_str(), e.to_status))
        .collect();
    assert_eq!(
        names,
        [
            ("opened", CaseStatus::Received),
            ("verified", CaseStatus::Verified),
            ("started", CaseStatus::InProgress),
            ("done", CaseStatus::Done)
        ]
    );
    // Every event has its own audit entry, in order.
    let seqs: Vec<_> = events.iter().map(|e| e.audit_seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    // Rejection needs reasons.
    let r = s
        .open_case(NewCase::new(CaseKind::Objection, subject()))
        .await
        .unwrap();
    assert!(matches!(
        s.reject_case(&r.id, "").await,
        Err(Error::Invalid(_))
    ));
    let r = s
        .reject_case(&r.id, "manifestly unfounded: repeated")
        .await
        .unwrap();
    assert_eq!(r.outcome.as_deref(), Some("manifestly unfounded: repeated"));
    // Unknown ids and listing.
    assert!(matches!(
        s.case("0190aaaa-0000-7000-8000-000000000000").await,
        Err(Error::CaseNotFound(_))
    ));
    let open = s
        .list_cases(&CaseFilter {
            open_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(open.is_empty());
    let all = s.list_cases(&CaseFilter::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(s.verify_audit().await.unwrap().ok());
    // Empty identity and bad keys are refused.
    assert!(
        s.open_case(NewCase::new(CaseKind::Access, Identity::default()))
            .await
            .is_err()
    );
    assert!(Identity::parse_pairs(["E-mail=x"]).is_err());
}
both!(status_machine);

/// A page of the queue: filtered and ordered in SQL (soonest due first), limit and offset,
/// and the counts of the whole filter.
async fn queue_pages(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    // Received on days 1..=12 of January 2026: due (one month later) in the same order.
    let mut ids = Vec::new();
    for day in (1..=12).rev() {
        let kind = if day % 2 == 0 {
            CaseKind::Access
        } else {
            CaseKind::Erasure
        };
        let c = s
            .open_case(case_at(kind, &format!("2026-01-{day:02}T10:00:00Z")))
            .await
            .unwrap();
        ids.push((day, c.id));
    }
    ids.sort();
    // Day 1 rejected, day 2 verified.
    s.reject_case(&ids[0].1, "unfounded").await.unwrap();
    s.verify_case(&ids[1].1, "e-mail link").await.unwrap();
    let page = |offset, limit| CaseFilter {
        open_only: true,
        limit: Some(limit),
        offset,
        ..CaseFilter::default()
    };
    let first = s.list_cases(&page(0, 4)).await.unwrap();
    let days: Vec<_> = first.iter().map(|c| c.received_at.to_string()).collect();
    assert_eq!(first.len(), 4);
    assert_eq!(
        first[0].id, ids[1].1,
        "soonest due open case first: {days:?}"
    );
    assert!(first.windows(2).all(|w| w[0].due_at <= w[1].due_at));
    let next = s.list_cases(&page(4, 4)).await.unwrap();
    assert_eq!(next[0].id, ids[5].1);
    let last = s.list_cases(&page(8, 4)).await.unwrap();
    assert_eq!(last.len(), 3, "11 open cases");
    // Kind and status in the filter.
    let access = CaseFilter {
        kind: Some(CaseKind::Access),
        open_only: true,
        ..CaseFilter::default()
    };
    let list = s.list_cases(&access).await.unwrap();
    assert_eq!(list.len(), 6);
    assert!(list.iter().all(|c| c.kind == CaseKind::Access));
    let rejected = CaseFilter {
        status: Some(CaseStatus::Rejected),
        ..CaseFilter::default()
    };
    assert_eq!(s.list_cases(&rejected).await.unwrap().len(), 1);
    assert_eq!(
        s.list_cases(&CaseFilter::default()).await.unwrap().len(),
        12
    );
    // Counts: at 10 February 2026 the cases of 1..=9 January are overdue (day 1 is rejected,
    // so 8), those of 10..=12 January due within the week.
    let now = ts("2026-02-10T12:00:00Z");
    let week = ts("2026-02-17T12:00:00Z");
    let c = s.count_cases(&page(0, 4), now, week).await.unwrap();
    assert_eq!((c.total, c.overdue, c.due_soon), (11, 8, 3));
    let c = s.count_cases(&access, now, week).await.unwrap();
    assert_eq!((c.total, c.overdue, c.due_soon), (6, 4, 2));
    let c = s.count_cases(&rejected, now, week).await.unwrap();
    assert_eq!((c.total, c.overdue, c.due_soon), (1, 0, 0));
}
both!(queue_pages);

async fn single_use_consent(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let grant = ConsentGrant {
        subject: "customer:42".into(),
        purpose: "whitepaper_sponsor".into(),
        scope: ConsentScope::SingleUse {
            object: "whitepaper-2026".into(),
            recipient: "sponsor:acme".into(),
        },
        register_hash: Some("ab".repeat(32)),
        wording: Some(
            "Ik geef toestemming om mijn gegevens eenmalig te delen met de sponsor.".into(),
        ),
        wording_sha256: None,
        source: "web-form".into(),
    };
    let g = s.grant_consent(&grant).await.unwrap();
    assert_eq!(g.wording_sha256.as_deref().map(str::len), Some(64));
    let use_it = ConsentUse {
        subject: "customer:42".into(),
        purpose: "whitepaper_sponsor".into(),
        object: Some("whitepaper-2026".into()),
        recipient: Some("sponsor:acme".into()),
        source: "download".into(),
    };
    // Another recipient: no consent.
    let other = ConsentUse {
        recipient: Some("sponsor:other".into()),
        ..use_it.clone()
    };
    assert!(matches!(
        s.use_consent(&other).await,
        Err(Error::NoConsent { .. })
    ));
    // Without object: no standing consent.
    let plain = ConsentUse {
        object: None,
        recipient: None,
        ..use_it.clone()
    };
    assert!(matches!(
        s.use_consent(&plain).await,
        Err(Error::NoConsent { .. })
    ));
    let u = s.use_consent(&use_it).await.unwrap();
    assert_eq!(u.grant_id, Some(g.id));
    // The second use fails clearly.
    match s.use_consent(&use_it).await {
        Err(e @ Error::ConsentUsedUp { .. }) => {
            assert!(e.to_string().contains("already been used"))
        }
        other => panic!("{other:?}"),
    }
    let st = &s
        .consent_state("customer:42", Some("whitepaper_sponsor"))
        .await
        .unwrap()[0];
    assert!(!st.in_force());
    assert_eq!(st.used_single_use.len(), 1);
    // A new single-use grant can be used once again; concurrent uses: exactly one wins.
    s.grant_consent(&grant).await.unwrap();
    let mut handles = Vec::new();
    for _ in 0..4 {
        let s2 = ctx.another().await;
        let u = use_it.clone();
        handles.push(tokio::spawn(
            async move { s2.use_consent(&u).await.is_ok() },
        ));
    }
    let mut wins = 0;
    for h in handles {
        wins += usize::from(h.await.unwrap());
    }
    assert_eq!(wins, 1);

    // Standing consent: used many times until withdrawn.
    let standing = ConsentGrant {
        purpose: "newsletter".into(),
        scope: ConsentScope::Standing,
        wording: None,
        wording_sha256: Some("cd".repeat(32)),
        ..grant.clone()
    };
    s.grant_consent(&standing).await.unwrap();
    let nl = ConsentUse {
        purpose: "newsletter".into(),
        object: None,
        recipient: None,
        ..use_it.clone()
    };
    s.use_consent(&nl).await.unwrap();
    s.use_consent(&nl).await.unwrap();
    s.withdraw_consent("customer:42", "newsletter", "portal")
        .await
        .unwrap();
    assert!(matches!(
        s.use_consent(&nl).await,
        Err(Error::NoConsent { .. })
    ));
    let states = s.consent_state("customer:42", None).await.unwrap();
    assert_eq!(states.len(), 2);
    let nl_state = states.iter().find(|s| s.purpose == "newsletter").unwrap();
    assert!(!nl_state.in_force() && nl_state.withdrawn_at.is_some());
    assert_eq!(nl_state.events, 4);
    // Wording is required.
    let bad = ConsentGrant {
        wording: None,
        wording_sha256: None,
        ..standing
    };
    assert!(matches!(
        s.grant_consent(&bad).await,
        Err(Error::Invalid(_))
    ));
    assert!(s.verify_audit().await.unwrap().ok());
}
both!(single_use_consent);

/// Builds a store with a few entries of every kind; returns it.
async fn populated(b: Backend) -> Ctx {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let c = s
        .open_case(NewCase::new(CaseKind::Access, subject()))
        .await
        .unwrap(); // 1
    s.verify_case(&c.id, "email-link").await.unwrap(); // 2
    s.append_engine_run("access", &"0f".repeat(32), &serde_json::json!({"rows": 3}))
        .await
        .unwrap(); // 3
    s.append_register_change(&"1e".repeat(32), &serde_json::json!({"purposes": 4}))
        .await
        .unwrap(); // 4
    s.start_case(&c.id, "w").await.unwrap(); // 5
    s.close_case(&c.id, None).await.unwrap(); // 6
    let r = s.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.entries, 6);
    ctx
}

async fn tamper_detection(b: Backend) {
    // Changed field.
    let ctx = populated(b).await;
    ctx.raw("UPDATE audit_log SET kind = 'engine.other' WHERE seq = 3")
        .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(
        (r.problems[0].seq, r.problems[0].kind),
        (3, ProblemKind::Changed),
        "{r:?}"
    );
    assert_eq!(r.problems.len(), 1);

    // Changed payload (digest kept).
    let ctx = populated(b).await;
    ctx.raw(
        "UPDATE audit_log SET payload = replace(payload, '\"rows\":3', '\"rows\":0') WHERE seq = 3",
    )
    .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(
        (r.problems[0].seq, r.problems[0].kind),
        (3, ProblemKind::PayloadChanged),
        "{r:?}"
    );

    // Changed payload and digest: the hash no longer matches.
    let ctx = populated(b).await;
    ctx.raw(
        "UPDATE audit_log SET payload_digest = (CASE WHEN substr(payload_digest, 1, 2) = '00' THEN 'ff' ELSE '00' END) || substr(payload_digest, 3) WHERE seq = 2",
    )
    .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(r.problems[0].seq, 2, "{r:?}");

    // Removed entry in the middle.
    let ctx = populated(b).await;
    ctx.raw("DELETE FROM audit_log WHERE seq = 4").await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(
        (r.problems[0].seq, r.problems[0].kind),
        (4, ProblemKind::Missing),
        "{r:?}"
    );
    assert!(r.problems[0].message.contains("seq 4"));

    // Removed entry at the end.
    let ctx = populated(b).await;
    ctx.raw("DELETE FROM audit_log WHERE seq = 6").await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(
        (r.problems[0].seq, r.problems[0].kind),
        (6, ProblemKind::HeadMismatch),
        "{r:?}"
    );

    // Reordered: entries 2 and 3 swap places.
    let ctx = populated(b).await;
    ctx.raw("UPDATE audit_log SET seq = -2 WHERE seq = 2").await;
    ctx.raw("UPDATE audit_log SET seq = 2 WHERE seq = 3").await;
    ctx.raw("UPDATE audit_log SET seq = 3 WHERE seq = -2").await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(r.problems[0].seq, 2, "{r:?}");

    // Inserted: a forged entry with a correct hash after seq 2, later entries renumbered.
    let ctx = populated(b).await;
    ctx.raw("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3")
        .await;
    ctx.raw("UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100")
        .await;
    let prev = ctx
        .raw_text("SELECT hash FROM audit_log WHERE seq = 2")
        .await;
    let at = "2026-01-01T00:00:00.000000Z";
    let digest = waarborg_store::audit::sha256_hex(b"{}");
    let hash =
        waarborg_store::audit::entry_hash(None, &prev, "sha256", 3, at, "engine.run", &digest)
            .unwrap()
            .unwrap();
    ctx.raw(&format!(
        "INSERT INTO audit_log (seq, at, kind, alg, payload, payload_digest, prev_hash, hash) \
         VALUES (3, '{at}', 'engine.run', 'sha256', '{{}}', '{digest}', '{prev}', '{hash}')"
    ))
    .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(
        (r.problems[0].seq, r.problems[0].kind),
        (4, ProblemKind::BrokenLink),
        "{r:?}"
    );
    assert!(r.problems[0].message.contains("before seq 4"));

    // A case event row changed by hand does not touch the chain, but its audit entry still
    // proves the original: the stored detail no longer matches the payload.
    let ctx = populated(b).await;
    ctx.raw("UPDATE audit_log SET hash = (CASE WHEN substr(hash, 1, 2) = '00' THEN 'ff' ELSE '00' END) || substr(hash, 3) WHERE seq = 5")
        .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(r.problems[0].seq, 5, "{r:?}");
    assert_eq!(r.problems[1].seq, 6, "{r:?}");
}
both!(tamper_detection);

async fn keyed_chain(b: Backend) {
    let ctx = Ctx::with(
        b,
        StoreOptions {
            audit_key: Some(b"k3y".to_vec()),
            ..Default::default()
        },
    )
    .await;
    ctx.store
        .append_engine_run("sweep", &"aa".repeat(32), &serde_json::json!({}))
        .await
        .unwrap();
    assert!(ctx.store.verify_audit().await.unwrap().ok());
    assert_eq!(
        ctx.raw_text("SELECT alg FROM audit_log WHERE seq = 1")
            .await,
        "hmac-sha256"
    );
    let without = ctx.another().await;
    let r = without.verify_audit().await.unwrap();
    assert_eq!(r.problems[0].kind, ProblemKind::KeyRequired);
    let wrong = Store::open_with(
        &ctx.url,
        StoreOptions {
            audit_key: Some(b"other".to_vec()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        wrong.verify_audit().await.unwrap().problems[0].kind,
        ProblemKind::Changed
    );
}
both!(keyed_chain);

async fn register_changes(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let v1 = "11".repeat(32);
    let v2 = "22".repeat(32);
    assert!(
        s.append_register_change_if_changed(&v1, &serde_json::json!({}))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.append_register_change_if_changed(&v1, &serde_json::json!({}))
            .await
            .unwrap()
            .is_none()
    );
    s.append_engine_run("sweep", &"aa".repeat(32), &serde_json::json!({}))
        .await
        .unwrap();
    assert!(
        s.append_register_change_if_changed(&v2, &serde_json::json!({}))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.append_register_change_if_changed(&v1, &serde_json::json!({}))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.append_register_change("nothex", &serde_json::json!({}))
            .await
            .is_err()
    );
    assert_eq!(s.verify_audit().await.unwrap().entries, 4);
}
both!(register_changes);

async fn concurrent_writers(b: Backend) {
    let ctx = Ctx::new(b).await;
    let writers = 6;
    let each = 15;
    let mut handles = Vec::new();
    for w in 0..writers {
        // Each writer has its own pool, as a separate process would.
        let s = ctx.another().await;
        handles.push(tokio::spawn(async move {
            for i in 0..each {
                if i % 3 == 0 {
                    let c = s
                        .open_case(NewCase::new(CaseKind::Erasure, subject()))
                        .await
                        .unwrap();
                    s.verify_case(&c.id, "letter").await.unwrap();
                } else {
                    s.append_engine_run(
                        &format!("w{w}"),
                        &"ab".repeat(32),
                        &serde_json::json!({ "i": i }),
                    )
                    .await
                    .unwrap();
                }
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let r = ctx.store.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
    // 15 per writer: 5 cases × 2 events + 10 runs = 20.
    assert_eq!(r.entries, (writers * 20) as u64);
    assert_eq!(r.last_seq, (writers * 20) as i64);
}
both!(concurrent_writers);

async fn claimers_never_share(b: Backend) {
    let ctx = Ctx::new(b).await;
    let n = 24;
    for _ in 0..n {
        let c = ctx
            .store
            .open_case(NewCase::new(CaseKind::Access, subject()))
            .await
            .unwrap();
        ctx.store.verify_case(&c.id, "id-check").await.unwrap();
    }
    let mut handles = Vec::new();
    for w in 0..4 {
        let s = ctx.another().await;
        handles.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(c) = s.claim_next(&format!("worker-{w}")).await.unwrap() {
                assert_eq!(
                    c.claimed_by.as_deref(),
                    Some(format!("worker-{w}").as_str())
                );
                got.push(c.id);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), n, "every case claimed exactly once");
    assert_eq!(unique.len(), n);
    assert!(ctx.store.claim_next("late").await.unwrap().is_none());
    assert!(ctx.store.verify_audit().await.unwrap().ok());
}
both!(claimers_never_share);

async fn retention_purge(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let old = s
        .open_case(NewCase::new(CaseKind::Erasure, subject()).note("erase all"))
        .await
        .unwrap();
    s.verify_case(&old.id, "email-link").await.unwrap();
    s.reject_case(&old.id, "not a customer of ours")
        .await
        .unwrap();
    let open = s
        .open_case(NewCase::new(CaseKind::Access, subject()))
        .await
        .unwrap();
    s.append_engine_run("access", &"0f".repeat(32), &serde_json::json!({}))
        .await
        .unwrap();
    // Not yet: within the evidence period.
    let r = s
        .purge_closed_cases(waarborg_store::deadline::now(), None)
        .await
        .unwrap();
    assert!(r.anonymised.is_empty());
    let later = waarborg_store::deadline::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * 366 * 5 + 48))
        .unwrap();
    let r = s.purge_closed_cases(later, None).await.unwrap();
    assert_eq!(r.anonymised, vec![old.id.clone()]);
    assert_eq!(r.erased_payloads, 3);
    let c = s.case(&old.id).await.unwrap();
    assert!(c.subject.is_none() && c.verification.is_none() && c.outcome.is_none());
    assert!(c.anonymised_at.is_some());
    assert_eq!(c.kind, CaseKind::Erasure);
    assert!(
        s.case_events(&old.id)
            .await
            .unwrap()
            .iter()
            .all(|e| e.detail.is_none())
    );
    // The open case keeps its data; the chain still verifies, with erased payloads.
    assert!(s.case(&open.id).await.unwrap().subject.is_some());
    let v = s.verify_audit().await.unwrap();
    assert!(v.ok(), "{v:?}");
    assert_eq!(v.erased_payloads, 3);
    // The personal data are gone from the audit log too.
    let mut out = Vec::new();
    s.export_audit(&mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text.matches("jan@example.nl").count(),
        1,
        "only the open case's opening event"
    );
    // Idempotent.
    assert!(
        s.purge_closed_cases(later, None)
            .await
            .unwrap()
            .anonymised
            .is_empty()
    );
}
both!(retention_purge);

async fn schema_newer_is_refused(b: Backend) {
    let ctx = Ctx::new(b).await;
    assert_eq!(
        ctx.store.schema_version().await.unwrap(),
        Some(waarborg_store::SCHEMA_VERSION)
    );
    // Reopening an up-to-date store is fine.
    ctx.another().await;
    let future = match b {
        Backend::Sqlite => {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                            VALUES (29991231000000, 'future', 1, x'00', 0)"
        }
        Backend::Postgres => {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                              VALUES (29991231000000, 'future', true, '\\x00'::bytea, 0)"
        }
    };
    ctx.raw(future).await;
    match Store::open(&ctx.url).await {
        Err(
            e @ Error::SchemaTooNew {
                found: 29991231000000,
                ..
            },
        ) => {
            assert!(e.to_string().contains("newer"), "{e}")
        }
        other => panic!("{other:?}"),
    }
}
both!(schema_newer_is_refused);

async fn export_is_json_lines(b: Backend) {
    let ctx = populated(b).await;
    let mut out = Vec::new();
    assert_eq!(ctx.store.export_audit(&mut out).await.unwrap(), 6);
    let text = String::from_utf8(out).unwrap();
    let mut prev = waarborg_store::audit::GENESIS.to_string();
    for (i, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["seq"], i as i64 + 1);
        // An auditor's independent re-computation, from the documented format.
        let msg = format!(
            "{}\nwaarborg-audit-v1\n{}\n{}\n{}\n{}\n{}",
            prev,
            v["alg"].as_str().unwrap(),
            v["seq"],
            v["at"].as_str().unwrap(),
            v["kind"].as_str().unwrap(),
            v["payload_digest"].as_str().unwrap()
        );
        let h = waarborg_store::audit::sha256_hex(msg.as_bytes());
        assert_eq!(h, v["hash"].as_str().unwrap());
        assert_eq!(
            waarborg_store::audit::sha256_hex(v["payload"].as_str().unwrap().as_bytes()),
            v["payload_digest"].as_str().unwrap()
        );
        prev = h;
    }
}
both!(export_is_json_lines);

async fn state_rows_changed_by_hand(b: Backend) {
    // The chain's entries are intact, but the rows that cases and consent are read from were
    // edited by hand: verify names the row and the audit entry that proves the original.
    async fn with_consent(b: Backend) -> Ctx {
        let ctx = populated(b).await;
        let s = &ctx.store;
        let grant = ConsentGrant {
            subject: "customer:7".into(),
            purpose: "newsletter".into(),
            scope: ConsentScope::Standing,
            register_hash: None,
            wording: Some("Ja, stuur mij de nieuwsbrief.".into()),
            wording_sha256: None,
            source: "web-form".into(),
        };
        s.grant_consent(&grant).await.unwrap(); // 7
        s.withdraw_consent("customer:7", "newsletter", "portal")
            .await
            .unwrap(); // 8
        let c = s
            .open_case(NewCase::new(CaseKind::Erasure, subject()))
            .await
            .unwrap(); // 9
        s.extend_case(&c.id, 2, "four systems", waarborg_store::deadline::now())
            .await
            .unwrap(); // 10
        assert!(s.verify_audit().await.unwrap().ok());
        ctx
    }
    let cases: &[(&str, i64, ProblemKind)] = &[
        // A withdrawal turned into a grant: the consent would be in force again.
        (
            "UPDATE consent_events SET action = 'granted' WHERE audit_seq = 8",
            8,
            ProblemKind::RecordChanged,
        ),
        // A withdrawal removed.
        (
            "DELETE FROM consent_events WHERE audit_seq = 8",
            8,
            ProblemKind::RecordMissing,
        ),
        // The wording kept no longer matches its hash.
        (
            "UPDATE consent_events SET wording = 'Nee' WHERE audit_seq = 7",
            7,
            ProblemKind::RecordChanged,
        ),
        (
            "UPDATE consent_events SET purpose = 'other' WHERE audit_seq = 7",
            7,
            ProblemKind::RecordChanged,
        ),
        // A closed case reopened, a deadline moved, a reason rewritten, an extension removed.
        (
            "UPDATE cases SET status = 'in_progress' WHERE status = 'done'",
            6,
            ProblemKind::RecordChanged,
        ),
        (
            "UPDATE cases SET due_at = '2099-01-01T00:00:00.000000Z' WHERE kind = 'erasure'",
            9,
            ProblemKind::RecordChanged,
        ),
        (
            "UPDATE case_events SET detail = 'other reason' WHERE audit_seq = 10",
            10,
            ProblemKind::RecordChanged,
        ),
        (
            "DELETE FROM case_events WHERE audit_seq = 10",
            9,
            ProblemKind::RecordChanged,
        ),
    ];
    for (sql, seq, kind) in cases {
        let ctx = with_consent(b).await;
        ctx.raw(sql).await;
        let r = ctx.store.verify_audit().await.unwrap();
        assert!(
            r.problems.iter().any(|p| p.seq == *seq && p.kind == *kind),
            "{sql}: {r:?}"
        );
    }
    // Purging a closed case erases payloads and identities: that still verifies.
    let ctx = with_consent(b).await;
    let far = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * 365 * 6))
        .unwrap();
    let purged = ctx.store.purge_closed_cases(far, None).await.unwrap();
    assert_eq!(purged.anonymised.len(), 1);
    let r = ctx.store.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
}
both!(state_rows_changed_by_hand);

async fn empty_consent_wording_is_refused(b: Backend) {
    let ctx = Ctx::new(b).await;
    let grant = ConsentGrant {
        subject: "customer:7".into(),
        purpose: "newsletter".into(),
        scope: ConsentScope::Standing,
        register_hash: None,
        wording: Some("  ".into()),
        wording_sha256: None,
        source: "web-form".into(),
    };
    assert!(matches!(
        ctx.store.grant_consent(&grant).await,
        Err(Error::Invalid(_))
    ));
}
both!(empty_consent_wording_is_refused);

async fn use_after_withdrawal_says_withdrawn(b: Backend) {
    // Granted once, used, granted again and withdrawn: a further use is refused because the
    // person withdrew, not because "it was already used".
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let grant = ConsentGrant {
        subject: "customer:9".into(),
        purpose: "whitepaper_sponsor".into(),
        scope: ConsentScope::SingleUse {
            object: "wp".into(),
            recipient: "sponsor:acme".into(),
        },
        register_hash: None,
        wording: Some("Eenmalig delen met de sponsor.".into()),
        wording_sha256: None,
        source: "form".into(),
    };
    let use_it = ConsentUse {
        subject: "customer:9".into(),
        purpose: "whitepaper_sponsor".into(),
        object: Some("wp".into()),
        recipient: Some("sponsor:acme".into()),
        source: "download".into(),
    };
    s.grant_consent(&grant).await.unwrap();
    s.use_consent(&use_it).await.unwrap();
    assert!(matches!(
        s.use_consent(&use_it).await,
        Err(Error::ConsentUsedUp { .. })
    ));
    s.grant_consent(&grant).await.unwrap();
    s.withdraw_consent("customer:9", "whitepaper_sponsor", "portal")
        .await
        .unwrap();
    match s.use_consent(&use_it).await {
        Err(e @ Error::NoConsent { .. }) => assert!(e.to_string().contains("withdrawn"), "{e}"),
        other => panic!("{other:?}"),
    }
    // A new grant after the withdrawal can be used once again.
    s.grant_consent(&grant).await.unwrap();
    s.use_consent(&use_it).await.unwrap();
    assert!(matches!(
        s.use_consent(&use_it).await,
        Err(Error::ConsentUsedUp { .. })
    ));
    // A short id prefix is refused with what to give instead.
    let e = s.case("01a1").await.unwrap_err();
    assert!(
        e.to_string().contains("at least its first 8 characters"),
        "{e}"
    );
}
both!(use_after_withdrawal_says_withdrawn);

/// A PostgreSQL store that cannot be reached says why at once (here: nothing listens on the
/// port), instead of the pool's "timed out" after 30 s.
#[tokio::test]
async fn unreachable_postgres_store_names_the_cause_at_once() {
    let t0 = std::time::Instant::now();
    let err = waarborg_store::Store::open("postgres://postgres@127.0.0.1:1/waarborg")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t0.elapsed()
    );
    assert!(err.contains("Connection refused"), "{err}");
    assert!(!err.contains("timed out"), "{err}");
}
