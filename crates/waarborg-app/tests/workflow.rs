#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The application layer's case workflow on the demo organisation, with the store on SQLite
//! and on the real PostgreSQL: what is delivered is what is recorded; a failed delivery records
//! nothing and leaves the case open; errors carry kinds the front ends map.

use waarborg_app::cases::{self, OpenCase};
use waarborg_app::requests::{self, Op, Outcome, Request};
use waarborg_app::{AppError, ErrorKind, LoadedRegister, Workspace, demo};
use waarborg_store::{CaseKind, CaseStatus, Store, audit::sha256_hex};

async fn demo_org(dir: &std::path::Path) -> (demo::DemoOrg, Workspace) {
    let mut quiet = |_: &str| {};
    let org = demo::build(&dir.join("demo"), &mut quiet).await.unwrap();
    let register = LoadedRegister::load(&org.policy).unwrap();
    let ws = Workspace::connect(
        org.keys.clone(),
        Some(register),
        &org.datasets,
        &org.bindings,
    )
    .await
    .unwrap();
    (org, ws)
}

async fn open_case(store: &Store, ws: &Workspace, kind: CaseKind, who: &str) -> String {
    cases::open(
        store,
        OpenCase {
            kind,
            subject: vec![format!("email={who}")],
            received: None,
            deadline: None,
            note: None,
        },
        ws.register(),
    )
    .await
    .unwrap()
    .id
}

async fn workflow(store: &Store, ws: &Workspace) {
    let id = open_case(store, ws, CaseKind::Erasure, "emma.visser@example.nl").await;
    let c = store.case(&id).await.unwrap();

    // Not verified: a conflict, and nothing recorded.
    let before = store.audit_entries(0, 10_000).await.unwrap().len();
    let mut req = Request::new(Op::Erase);
    req.case = Some(id.clone());
    let err = requests::carry_out(ws, Some(store), &req, |o| o.document())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict, "{err}");
    assert!(err.message.contains("not verified"), "{err}");

    // The wrong operation for the case's kind.
    cases::verify(store, &id, "e-mail link").await.unwrap();
    let mut access = Request::new(Op::Access);
    access.case = Some(id.clone());
    let err = requests::carry_out(ws, Some(store), &access, |o| o.document())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert_eq!(
        store.audit_entries(0, 10_000).await.unwrap().len(),
        before + 1,
        "only the verification was recorded"
    );

    // A delivery that fails: nothing recorded, the case not closed.
    let err = requests::carry_out(ws, Some(store), &req, |_| {
        Err(AppError::internal("disk full"))
    })
    .await
    .unwrap_err();
    assert!(err.message.contains("disk full"));
    let after_fail = store.audit_entries(0, 10_000).await.unwrap();
    assert!(
        after_fail
            .iter()
            .all(|e| e.kind != "engine.run" || !e.payload.as_deref().unwrap_or("").contains(&id)),
        "a failed delivery was recorded"
    );
    assert_ne!(store.case(&id).await.unwrap().status, CaseStatus::Done);

    // Dry run: recorded, case stays open; real run: the delivered bytes' hash is recorded.
    let mut dry = req.clone();
    dry.dry_run = true;
    let done = requests::carry_out(ws, Some(store), &dry, |o| o.document())
        .await
        .unwrap();
    assert!(done.audit_seq.is_some());
    assert_ne!(store.case(&id).await.unwrap().status, CaseStatus::Done);
    let mut delivered = Vec::new();
    let done = requests::carry_out(ws, Some(store), &req, |o| {
        delivered = o.document()?;
        Ok(delivered.clone())
    })
    .await
    .unwrap();
    let Outcome::Certificate(cert) = &done.outcome else {
        panic!("an erasure gives a certificate")
    };
    assert_eq!(cert.request_id, c.id, "the certificate names the case");
    assert_eq!(done.case.as_ref().unwrap().status, CaseStatus::Done);
    let seq = done.audit_seq.unwrap();
    let entries = store.audit_entries(seq, 1).await.unwrap();
    let entry = &entries[0];
    assert_eq!(entry.seq, seq);
    assert!(
        entry
            .payload
            .as_deref()
            .unwrap_or("")
            .contains(&sha256_hex(&delivered)),
        "the audit entry holds the hash of the bytes delivered: {:?}",
        entry.payload
    );
    // Closed: a second run is a conflict.
    let err = requests::carry_out(ws, Some(store), &req, |o| o.document())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(store.verify_audit().await.unwrap().ok());

    // Unknown case: not found.
    let mut unknown = Request::new(Op::Access);
    unknown.case = Some("00000000-0000-0000-0000-000000000000".into());
    let err = requests::carry_out(ws, Some(store), &unknown, |o| o.document())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn workflow_on_a_sqlite_store() {
    let dir = tempfile::tempdir().unwrap();
    let (_org, ws) = demo_org(dir.path()).await;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    workflow(&store, &ws).await;
}

#[tokio::test]
async fn workflow_on_a_postgres_store() {
    let dir = tempfile::tempdir().unwrap();
    let (_org, ws) = demo_org(dir.path()).await;
    let pg = waarborg_testkit::PgTestDb::create()
        .await
        .expect("PostgreSQL must answer on 127.0.0.1:5432 for this test");
    let store = Store::open(pg.url()).await.unwrap();
    workflow(&store, &ws).await;
    store.close().await;
}

#[test]
fn error_kinds_map_to_exit_codes_and_statuses() {
    let all = [
        (ErrorKind::Invalid, 2, 422),
        (ErrorKind::NotFound, 2, 404),
        (ErrorKind::Conflict, 2, 409),
        (ErrorKind::Unauthenticated, 2, 401),
        (ErrorKind::Forbidden, 2, 403),
        (ErrorKind::RateLimited, 2, 429),
        (ErrorKind::Unavailable, 4, 503),
        (ErrorKind::Internal, 70, 500),
    ];
    for (k, code, status) in all {
        assert_eq!(k.exit_code(), code, "{k}");
        assert_eq!(k.http_status(), status, "{k}");
    }
    let e: AppError = waarborg_store::Error::CaseNotFound("x".into()).into();
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[test]
fn secrets_do_not_print() {
    let s = waarborg_app::Secret::new(b"hunter2-key".to_vec());
    assert!(!format!("{s:?}").contains("hunter2"));
}

#[tokio::test]
async fn letters_follow_the_case_and_the_register() {
    use waarborg_app::letters::{LetterKind, letter};
    use waarborg_policy::Lang;
    let dir = tempfile::tempdir().unwrap();
    let (_org, ws) = demo_org(dir.path()).await;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("l.db").display()))
        .await
        .unwrap();
    let tz = waarborg_app::config::time_zone(None).unwrap();
    let id = open_case(&store, &ws, CaseKind::Access, "daan.bakker@example.nl").await;
    let c = store.case(&id).await.unwrap();
    assert_eq!(LetterKind::for_case(&c), LetterKind::Receipt);
    let policy = ws.register().map(|r| &r.policy);
    let nl = letter(&c, LetterKind::Receipt, policy, Lang::Nl, &tz).unwrap();
    let controller = &policy.unwrap().controller.name;
    assert!(nl.contains(controller.as_str()), "{nl}");
    assert!(nl.contains("inzage"), "{nl}");
    let c = cases::extend(
        &store,
        &id,
        2,
        "many requests this month",
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    assert_eq!(LetterKind::for_case(&c), LetterKind::Extension);
    let en = letter(&c, LetterKind::Extension, policy, Lang::En, &tz).unwrap();
    assert!(
        en.contains("many requests this month") && en.contains("12(3)"),
        "{en}"
    );
    let c = cases::reject(&store, &id, "manifestly unfounded")
        .await
        .unwrap();
    let en = letter(&c, LetterKind::for_case(&c), policy, Lang::En, &tz).unwrap();
    assert!(
        en.contains("manifestly unfounded") && en.contains("complain"),
        "{en}"
    );
}

#[tokio::test]
async fn a_changed_schema_is_noticed_and_refused_until_it_matches_again() {
    let dir = tempfile::tempdir().unwrap();
    let (org, ws) = demo_org(dir.path()).await;
    let shop = &org.bindings[0].1;
    assert!(ws.recheck().await.unwrap());
    waarborg_engine::run_script(shop, "ALTER TABLE customers RENAME COLUMN email TO e_mail;")
        .await
        .unwrap();
    assert!(
        !ws.recheck().await.unwrap(),
        "the renamed column is noticed"
    );
    let err = ws.engine().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict, "{err}");
    assert!(err.message.contains("no longer matches"), "{err}");
    let mut req = Request::new(Op::Access);
    req.subject = vec![("email".into(), "sanne.devries@example.nl".into())];
    assert!(
        requests::carry_out(&ws, None, &req, |o| o.document())
            .await
            .is_err()
    );
    waarborg_engine::run_script(shop, "ALTER TABLE customers RENAME COLUMN e_mail TO email;")
        .await
        .unwrap();
    assert!(ws.recheck().await.unwrap());
    let done = requests::carry_out(&ws, None, &req, |o| o.document())
        .await
        .unwrap();
    assert!(done.outcome.subject_found());
}
