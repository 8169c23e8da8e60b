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

// ---------------------------------------------------------------------------------------------
// Attacks on the chain as a whole, with and without a signed checkpoint kept outside the store.

use waarborg_store::Checkpoint;
use waarborg_store::checkpoint::SigningKey;

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[9u8; 32])
}

/// Seven entries: a case opened and rejected, an engine run, consent for `news` granted and
/// withdrawn, consent for `other` granted and withdrawn.
async fn seeded(b: Backend, opts: StoreOptions) -> Ctx {
    let ctx = Ctx::with(b, opts).await;
    let s = &ctx.store;
    let c = s
        .open_case(NewCase::new(
            CaseKind::Erasure,
            Identity::parse_pairs(["email=jan@example.nl"]).unwrap(),
        ))
        .await
        .unwrap();
    s.reject_case(&c.id, "identity not verified").await.unwrap();
    s.append_engine_run("sweep", &"aa".repeat(32), &serde_json::json!({"rows": 3}))
        .await
        .unwrap();
    s.grant_consent(&grant("news")).await.unwrap();
    s.withdraw_consent("customer:7", "news", "portal")
        .await
        .unwrap();
    s.grant_consent(&grant("other")).await.unwrap();
    s.withdraw_consent("customer:7", "other", "portal")
        .await
        .unwrap();
    assert_eq!(s.verify_audit().await.unwrap().last_seq, 7);
    ctx
}

async fn news_in_force(ctx: &Ctx) -> bool {
    ctx.store
        .consent_state("customer:7", Some("news"))
        .await
        .unwrap()
        .first()
        .is_some_and(|s| s.in_force())
}

fn q(s: &str) -> String {
    s.replace('\'', "''")
}

/// Recomputes digests and hashes (plain SHA-256, as an attacker without the key) from `from`
/// to the end, and the head row: the chain is consistent again.
async fn recompute_from(ctx: &Ctx, from: i64) {
    let entries = ctx.store.audit_entries(1, 10_000).await.unwrap();
    let mut prev = waarborg_store::audit::GENESIS.to_string();
    for e in &entries {
        if e.seq < from {
            prev = e.hash.clone();
            continue;
        }
        let digest = match &e.payload {
            Some(p) => sha256_hex(p.as_bytes()),
            None => e.payload_digest.clone(),
        };
        let hash = entry_hash(None, &prev, ALG_SHA256, e.seq, &e.at, &e.kind, &digest)
            .unwrap()
            .unwrap();
        ctx.raw(&format!(
            "UPDATE audit_log SET alg = 'sha256', payload_digest = '{digest}', prev_hash = '{prev}', \
             hash = '{hash}' WHERE seq = {}",
            e.seq
        ))
        .await;
        prev = hash;
    }
    let last = entries.last().map_or(0, |e| e.seq);
    ctx.raw(&format!(
        "UPDATE audit_head SET seq = {last}, hash = '{prev}' WHERE id = 1"
    ))
    .await;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attack {
    /// Remove the last three entries (and the consent rows they recorded), rewrite the head row.
    TruncateTail,
    /// Empty the chain and every table it covers; head back to genesis.
    Reset,
    /// Edit a withdrawal (and its payload) and recompute the chain from there.
    RecomputeAfterEdit,
    /// Replace the last entry by a forged, correctly hashed one.
    ForgedEnd,
}

async fn attack(ctx: &Ctx, a: Attack) {
    match a {
        Attack::TruncateTail => {
            ctx.raw("DELETE FROM consent_events WHERE audit_seq > 4")
                .await;
            ctx.raw("DELETE FROM audit_log WHERE seq > 4").await;
            let h = ctx
                .raw_text("SELECT hash FROM audit_log WHERE seq = 4")
                .await;
            ctx.raw(&format!(
                "UPDATE audit_head SET seq = 4, hash = '{h}' WHERE id = 1"
            ))
            .await;
        }
        Attack::Reset => {
            for t in ["consent_events", "case_events", "cases", "audit_log"] {
                ctx.raw(&format!("DELETE FROM {t}")).await;
            }
            ctx.raw(&format!(
                "UPDATE audit_head SET seq = 0, hash = '{}' WHERE id = 1",
                waarborg_store::audit::GENESIS
            ))
            .await;
        }
        Attack::RecomputeAfterEdit => {
            ctx.raw("UPDATE consent_events SET purpose = 'elsewhere' WHERE audit_seq = 5")
                .await;
            let p = ctx
                .raw_text("SELECT payload FROM audit_log WHERE seq = 5")
                .await;
            let p = p.replace("\"news\"", "\"elsewhere\"");
            ctx.raw(&format!(
                "UPDATE audit_log SET payload = '{}' WHERE seq = 5",
                q(&p)
            ))
            .await;
            recompute_from(ctx, 5).await;
        }
        Attack::ForgedEnd => {
            ctx.raw("DELETE FROM consent_events WHERE audit_seq = 7")
                .await;
            ctx.raw("DELETE FROM audit_log WHERE seq = 7").await;
            ctx.raw(&format!(
                "UPDATE audit_head SET seq = 6, hash = '{}' WHERE id = 1",
                ctx.raw_text("SELECT hash FROM audit_log WHERE seq = 6")
                    .await
            ))
            .await;
            forge_plain_entry(ctx, "engine.run", r#"{"run_kind":"sweep","summary":{}}"#).await;
        }
    }
}

/// Every attack with and without a checkpoint: without one, an attacker who makes the chain
/// consistent again is not seen (documented in docs/store.md); with one, every attack is.
async fn chain_attacks(b: Backend) {
    for a in [
        Attack::TruncateTail,
        Attack::Reset,
        Attack::RecomputeAfterEdit,
        Attack::ForgedEnd,
    ] {
        let ctx = seeded(b, StoreOptions::default()).await;
        let cp: Checkpoint = ctx.store.checkpoint(&signing_key()).await.unwrap();
        assert_eq!((cp.entries, cp.head_hash.len()), (7, 64));
        cp.verify_signature(Some(&signing_key().verifying_key()))
            .unwrap();
        assert!(ctx.store.verify_audit_with(Some(&cp)).await.unwrap().ok());
        assert!(!news_in_force(&ctx).await);

        attack(&ctx, a).await;

        // Without a checkpoint the database alone looks intact.
        let r = ctx.store.verify_audit().await.unwrap();
        assert!(r.ok(), "{a:?} without checkpoint: {r:?}");
        if matches!(a, Attack::TruncateTail | Attack::RecomputeAfterEdit) {
            assert!(news_in_force(&ctx).await, "{a:?} brings consent back");
        }
        // The checkpoint shows it.
        let r = ctx.store.verify_audit_with(Some(&cp)).await.unwrap();
        let expected = match a {
            Attack::TruncateTail | Attack::Reset => (
                ProblemKind::Truncated,
                if a == Attack::Reset { 1 } else { 5 },
            ),
            Attack::RecomputeAfterEdit | Attack::ForgedEnd => (ProblemKind::Rewritten, 7),
        };
        assert_eq!(
            r.problems
                .iter()
                .map(|p| (p.kind, p.seq))
                .collect::<Vec<_>>(),
            vec![expected],
            "{a:?} with checkpoint: {r:?}"
        );
        if a == Attack::Reset {
            assert!(r.problems[0].message.contains("reset"), "{r:?}");
        }
    }
}
both!(chain_attacks);

/// A forged entry appended *after* the last checkpoint is out of a checkpoint's reach; on a
/// keyed chain it is still caught (a downgrade), as is a recomputation from an edit onward.
async fn keyed_chain_attacks(b: Backend) {
    let ctx = seeded(b, keyed()).await;
    let cp = ctx.store.checkpoint(&signing_key()).await.unwrap();
    forge_plain_entry(&ctx, "engine.run", r#"{"run_kind":"sweep","summary":{}}"#).await;
    let r = ctx.store.verify_audit_with(Some(&cp)).await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::Downgrade], "{r:?}");

    let ctx = seeded(b, keyed()).await;
    attack(&ctx, Attack::RecomputeAfterEdit).await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(
        kinds(&r),
        vec![
            ProblemKind::Downgrade,
            ProblemKind::Downgrade,
            ProblemKind::Downgrade
        ],
        "{r:?}"
    );

    // Unkeyed, the forged entry after the checkpoint is not caught: documented.
    let ctx = seeded(b, StoreOptions::default()).await;
    let cp = ctx.store.checkpoint(&signing_key()).await.unwrap();
    forge_plain_entry(&ctx, "engine.run", r#"{"run_kind":"sweep","summary":{}}"#).await;
    assert!(ctx.store.verify_audit_with(Some(&cp)).await.unwrap().ok());
}
both!(keyed_chain_attacks);

/// A checkpoint is refused for a chain that already has problems, and a tampered checkpoint
/// does not verify.
async fn checkpoint_integrity(b: Backend) {
    let ctx = seeded(b, StoreOptions::default()).await;
    let cp = ctx.store.checkpoint(&signing_key()).await.unwrap();
    let mut lowered = cp.clone();
    lowered.entries = 4;
    assert!(lowered.verify_signature(None).is_err());
    let other = SigningKey::from_bytes(&[1u8; 32]);
    assert!(cp.verify_signature(Some(&other.verifying_key())).is_err());
    ctx.raw("UPDATE audit_log SET kind = 'x' WHERE seq = 3")
        .await;
    assert!(ctx.store.checkpoint(&signing_key()).await.is_err());
}
both!(checkpoint_integrity);

/// Engine runs: an intent and its outcome pair up; a run without an outcome is listed as
/// unfinished (not a problem of the chain); a second outcome is refused; a row of
/// `engine_runs` changed, deleted or given an outcome by hand is named.
async fn engine_run_records(b: Backend) {
    let ctx = Ctx::new(b).await;
    let fp = ctx
        .store
        .subject_fingerprint(&[("email".into(), "a@example.nl".into())])
        .await
        .unwrap();
    // Keyed: not the plain SHA-256 of the identity, and stable within the store.
    assert_ne!(fp, sha256_hex(b"email\0a@example.nl\0"));
    assert_eq!(
        fp,
        ctx.store
            .subject_fingerprint(&[("email".into(), "a@example.nl".into())])
            .await
            .unwrap()
    );
    let intent = waarborg_store::RunIntent {
        op: "erase".into(),
        subject_fingerprint: Some(fp),
        worker: "host:1".into(),
        plan: serde_json::json!({"tables": [{"database": "shop", "table": "t", "deleted": 2}]}),
        ..Default::default()
    };
    let a = ctx.store.record_intent(&intent).await.unwrap();
    let b2 = ctx.store.record_intent(&intent).await.unwrap();
    let r = ctx.store.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.unfinished_runs.len(), 2);
    let unfinished: Vec<String> = ctx
        .store
        .unfinished_runs()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(unfinished.len(), 2);
    let outcome = waarborg_store::RunOutcome {
        outcome: "applied",
        certificate_sha256: Some(&"ab".repeat(32)),
        summary: serde_json::json!({"deleted": 2}),
        close_case: None,
    };
    ctx.store.record_outcome(&a.id, &outcome).await.unwrap();
    assert!(ctx.store.record_outcome(&a.id, &outcome).await.is_err());
    let r = ctx.store.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.unfinished_runs, vec![b2.id.clone()]);

    // The outcome rewritten by hand.
    ctx.raw(&format!(
        "UPDATE engine_runs SET outcome = 'recovered: not applied' WHERE id = '{}'",
        a.id
    ))
    .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::RecordChanged], "{r:?}");
    ctx.raw(&format!(
        "UPDATE engine_runs SET outcome = 'applied' WHERE id = '{}'",
        a.id
    ))
    .await;
    assert!(ctx.store.verify_audit().await.unwrap().ok());
    // An unfinished run given an outcome by hand (to hide it) has no outcome entry.
    ctx.raw(&format!(
        "UPDATE engine_runs SET outcome = 'recovered: not applied' WHERE id = '{}'",
        b2.id
    ))
    .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::RecordChanged], "{r:?}");
    // The plan changed by hand.
    ctx.raw(&format!(
        "UPDATE engine_runs SET outcome = NULL, plan = '{{}}' WHERE id = '{}'",
        b2.id
    ))
    .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::RecordChanged], "{r:?}");
    // The row deleted (to hide the run): its intent entry names it.
    ctx.raw(&format!("DELETE FROM engine_runs WHERE id = '{}'", b2.id))
        .await;
    let r = ctx.store.verify_audit().await.unwrap();
    assert_eq!(kinds(&r), vec![ProblemKind::RecordMissing], "{r:?}");
    assert!(r.unfinished_runs.is_empty());
}
both!(engine_run_records);
