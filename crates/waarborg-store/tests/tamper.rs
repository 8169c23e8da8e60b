#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The tamper suite: an attacker with write access to the database edits its rows directly (SQL)
//! and `verify_audit` must name what was done, on SQLite and on PostgreSQL.

mod common;

use common::Ctx;
use jiff::Timestamp;
use waarborg_store::audit::{ALG_SHA256, entry_hash, sha256_hex};
use waarborg_store::{
    Backend, CaseKind, ConsentGrant, ConsentScope, Error, Identity, NewCase, ProblemKind,
    StoreOptions,
};

const KEY: &[u8] = b"the organisation's audit key";

fn keyed() -> StoreOptions {
    StoreOptions {
        audit_key: Some(KEY.to_vec()),
        ..Default::default()
    }
}

fn grant(purpose: &str) -> ConsentGrant {
    ConsentGrant {
        subject: "customer:7".into(),
        purpose: purpose.into(),
        scope: ConsentScope::Standing,
        register_hash: None,
        wording: Some("Ja".into()),
        wording_sha256: None,
        source: "web".into(),
    }
}

fn kinds(r: &waarborg_store::VerifyReport) -> Vec<ProblemKind> {
    r.problems.iter().map(|p| p.kind).collect()
}

/// Appends a correctly hashed plain SHA-256 entry at the end, by hand, as an attacker without
/// the key would, and moves the head row along.
async fn forge_plain_entry(ctx: &Ctx, kind: &str, payload: &str) {
    let seq: i64 = ctx
        .raw_text("SELECT CAST(seq AS TEXT) FROM audit_head WHERE id = 1")
        .await
        .parse()
        .unwrap();
    let prev = ctx
        .raw_text("SELECT hash FROM audit_head WHERE id = 1")
        .await;
    let at = "2026-12-01T00:00:00.000000Z";
    let digest = sha256_hex(payload.as_bytes());
    let hash = entry_hash(None, &prev, ALG_SHA256, seq + 1, at, kind, &digest)
        .unwrap()
        .unwrap();
    ctx.raw(&format!(
        "INSERT INTO audit_log (seq, at, kind, alg, payload, payload_digest, prev_hash, hash) \
         VALUES ({}, '{at}', '{kind}', 'sha256', '{payload}', '{digest}', '{prev}', '{hash}')",
        seq + 1
    ))
    .await;
    ctx.raw(&format!(
        "UPDATE audit_head SET seq = {}, hash = '{hash}' WHERE id = 1",
        seq + 1
    ))
    .await;
}

/// Once an entry made with the key is in the chain, a plain SHA-256 entry after it is refused:
/// by verify (a forged one) and by the store itself (a writer without the key).
async fn no_downgrade(b: Backend) {
    let ctx = Ctx::with(b, keyed()).await;
    ctx.store
        .append_engine_run("sweep", &"aa".repeat(32), &serde_json::json!({}))
        .await
        .unwrap();
    ctx.store.grant_consent(&grant("news")).await.unwrap();
    assert!(ctx.store.verify_audit().await.unwrap().ok());

    // A writer without the key cannot extend the keyed chain.
    let plain = ctx.another().await;
    match plain
        .append_engine_run("sweep", &"bb".repeat(32), &serde_json::json!({}))
        .await
    {
        Err(e @ Error::AuditKeyRequired { seq: 2 }) => {
            assert!(e.to_string().contains("WAARBORG_AUDIT_KEY"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(plain.grant_consent(&grant("other")).await.is_err());

    // A forged, correctly hashed plain entry at the end is a downgrade.
    forge_plain_entry(&ctx, "engine.run", r#"{"run_kind":"erasure","summary":{}}"#).await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::Downgrade], "{r:?}");
    assert_eq!(r.problems[0].seq, 3);
}
both!(no_downgrade);

/// Setting a payload to NULL no longer skips the check of the rows it covers.
async fn null_payload_does_not_hide_an_edit(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    s.grant_consent(&grant("news")).await.unwrap();
    let w = s
        .withdraw_consent("customer:7", "news", "portal")
        .await
        .unwrap();
    assert!(!s.consent_state("customer:7", Some("news")).await.unwrap()[0].in_force());
    assert!(s.verify_audit().await.unwrap().ok());

    // Bring the withdrawn consent back into force: move the withdrawal to another purpose and
    // erase the payload that recorded it.
    ctx.raw(&format!(
        "UPDATE consent_events SET purpose = 'elsewhere' WHERE id = {}",
        w.id
    ))
    .await;
    ctx.raw(&format!(
        "UPDATE audit_log SET payload = NULL WHERE seq = {}",
        w.audit_seq
    ))
    .await;
    assert!(s.consent_state("customer:7", Some("news")).await.unwrap()[0].in_force());
    let r = s.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::PayloadRemoved], "{r:?}");
    assert_eq!(r.problems[0].seq, w.audit_seq);

    // A case: a rejection turned into "done", its payload erased although the case was never
    // purged.
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let subject = Identity::parse_pairs(["email=jan@example.nl"]).unwrap();
    let c = s
        .open_case(NewCase::new(CaseKind::Erasure, subject.clone()))
        .await
        .unwrap();
    s.reject_case(&c.id, "identity not verified").await.unwrap();
    assert!(s.verify_audit().await.unwrap().ok());
    let seq: i64 = ctx
        .raw_text(&format!(
            "SELECT CAST(audit_seq AS TEXT) FROM case_events WHERE case_id = '{}' AND event = 'rejected'",
            c.id
        ))
        .await
        .parse()
        .unwrap();
    ctx.raw(&format!(
        "UPDATE case_events SET event = 'done', to_status = 'done' WHERE audit_seq = {seq}"
    ))
    .await;
    ctx.raw(&format!(
        "UPDATE cases SET status = 'done' WHERE id = '{}'",
        c.id
    ))
    .await;
    ctx.raw(&format!(
        "UPDATE audit_log SET payload = NULL, kind = 'case.done' WHERE seq = {seq}"
    ))
    .await;
    let r = s.verify_audit().await.unwrap();
    assert!(!r.ok(), "{r:?}");
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::RecordChanged && p.message.contains("never purged")),
        "{r:?}"
    );

    // A purged case keeps a commitment: its rows still cannot be changed unseen.
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let c = s
        .open_case(NewCase::new(CaseKind::Erasure, subject))
        .await
        .unwrap();
    s.reject_case(&c.id, "identity not verified").await.unwrap();
    let later: Timestamp = "2040-01-01T00:00:00Z".parse().unwrap();
    let report = s.purge_closed_cases(later, None).await.unwrap();
    assert_eq!(report.erased_payloads, 2);
    let r = s.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.erased_payloads, 2);
    ctx.raw(&format!(
        "UPDATE cases SET kind = 'access' WHERE id = '{}'",
        c.id
    ))
    .await;
    let r = s.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::RecordChanged], "{r:?}");
    assert!(r.problems[0].message.contains("committed to"), "{r:?}");
    ctx.raw(&format!(
        "UPDATE cases SET kind = 'erasure' WHERE id = '{}'",
        c.id
    ))
    .await;
    assert!(s.verify_audit().await.unwrap().ok());
    // Nor can the purge's own entry lose its payload.
    ctx.raw("UPDATE audit_log SET payload = NULL WHERE kind = 'case.anonymised'")
        .await;
    let r = s.verify_audit().await.unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::RecordChanged && p.message.contains("never purged")),
        "{r:?}"
    );
}
both!(null_payload_does_not_hide_an_edit);
