#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
//! Accounts, sessions and API tokens, every test on SQLite and on PostgreSQL.

mod common;

use std::time::{Duration, Instant};

use common::Ctx;
use jiff::{SignedDuration, Timestamp};
use sqlx::{Column as _, Connection as _, Row as _};
use waarborg_policy::Lang;
use waarborg_store::{Backend, Error, LOGIN_MAX_FAILURES, ProblemKind, Role, Store};

const PW: &str = "correct horse battery staple";
const PW2: &str = "tweede wachtwoord, lang genoeg";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn secs(t: Timestamp, s: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(s)).unwrap()
}

const HOUR: Duration = Duration::from_secs(3600);

/// Every text value of every row of `table`, one string per value.
async fn texts(ctx: &Ctx, table: &str) -> Vec<String> {
    let sql = format!("SELECT * FROM {table}");
    let mut out = Vec::new();
    match ctx.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", ctx.url))
                .await
                .unwrap();
            for row in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut c)
                .await
                .unwrap()
            {
                for col in row.columns() {
                    if let Ok(Some(s)) = row.try_get::<Option<String>, _>(col.ordinal()) {
                        out.push(s);
                    }
                }
            }
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(&ctx.url).await.unwrap();
            for row in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut c)
                .await
                .unwrap()
            {
                for col in row.columns() {
                    if let Ok(Some(s)) = row.try_get::<Option<String>, _>(col.ordinal()) {
                        out.push(s);
                    }
                }
            }
        }
    }
    out
}

async fn officer(s: &Store) -> waarborg_store::User {
    s.add_user("Officer@Example.NL", PW, Role::Officer, Lang::Nl)
        .await
        .unwrap()
}

async fn accounts(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let o = s
        .add_user("  Anna.de.Vries@Example.NL ", PW, Role::Officer, Lang::En)
        .await
        .unwrap();
    assert_eq!(o.email, "anna.de.vries@example.nl");
    assert_eq!(
        (o.role, o.lang, o.disabled),
        (Role::Officer, Lang::En, false)
    );
    assert_eq!(s.user(o.id).await.unwrap(), Some(o.clone()));
    assert_eq!(
        s.user_by_email("ANNA.DE.VRIES@example.nl").await.unwrap(),
        Some(o.clone())
    );
    assert_eq!(s.user(o.id + 100).await.unwrap(), None);

    // The same address in other letters is taken.
    let e = s
        .add_user("anna.DE.vries@example.nl", PW, Role::Operator, Lang::Nl)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::EmailTaken), "{e}");
    // A short password is refused, by characters (12), not bytes.
    let e = s
        .add_user("kort@example.nl", "éénééné", Role::Operator, Lang::Nl)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::PasswordTooShort { min: 12, got: 7 }),
        "{e}"
    );
    assert!(e.to_string().contains("at least 12"), "{e}");
    assert!(
        s.add_user("not an address", PW, Role::Operator, Lang::Nl)
            .await
            .is_err()
    );

    let op = s
        .add_user("piet@example.nl", PW, Role::Operator, Lang::Nl)
        .await
        .unwrap();
    let au = s
        .add_user("auditor@example.nl", PW, Role::Auditor, Lang::Nl)
        .await
        .unwrap();
    let all = s.users().await.unwrap();
    assert_eq!(
        all.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![o.id, op.id, au.id]
    );

    // Roles.
    let now = Timestamp::now();
    let op2 = s.set_role(op.id, Role::Auditor).await.unwrap();
    assert_eq!(op2.role, Role::Auditor);
    assert_eq!(
        s.login("piet@example.nl", PW, now).await.unwrap().role,
        Role::Auditor
    );
    // The last enabled officer can be neither demoted nor disabled.
    let e = s.set_role(o.id, Role::Operator).await.unwrap_err();
    assert!(matches!(e, Error::LastOfficer(id) if id == o.id), "{e}");
    let e = s.disable_user(o.id).await.unwrap_err();
    assert!(matches!(e, Error::LastOfficer(_)), "{e}");
    s.set_role(au.id, Role::Officer).await.unwrap();
    s.set_role(o.id, Role::Operator).await.unwrap();
    assert_eq!(s.user(o.id).await.unwrap().unwrap().role, Role::Operator);
    assert!(matches!(
        s.set_role(9999, Role::Officer).await.unwrap_err(),
        Error::UserNotFound(9999)
    ));

    // Password change: the old one stops working, the new one works, sessions end.
    let (tok, _) = s.create_session(o.id, now, HOUR).await.unwrap();
    assert!(matches!(
        s.set_password(o.id, "short").await.unwrap_err(),
        Error::PasswordTooShort { .. }
    ));
    s.set_password(o.id, PW2).await.unwrap();
    assert!(s.session(tok.as_str(), now).await.unwrap().is_none());
    assert!(matches!(
        s.login("anna.de.vries@example.nl", PW, now)
            .await
            .unwrap_err(),
        Error::LoginFailed
    ));
    assert_eq!(
        s.login(" Anna.de.Vries@example.nl", PW2, now)
            .await
            .unwrap()
            .id,
        o.id
    );
    ctx.store.close().await;
}
both!(accounts);

async fn login_failures_look_alike(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let o = officer(s).await;
    let d = s
        .add_user("weg@example.nl", PW, Role::Operator, Lang::Nl)
        .await
        .unwrap();
    s.disable_user(d.id).await.unwrap();
    let now = Timestamp::now();
    let wrong = s.login("officer@example.nl", "wrong password!", now).await;
    let unknown = s.login("nobody@example.nl", PW, now).await;
    let disabled = s.login("weg@example.nl", PW, now).await;
    let malformed = s.login("no address", PW, now).await;
    for (what, r) in [
        ("wrong", wrong),
        ("unknown", unknown),
        ("disabled", disabled),
        ("malformed", malformed),
    ] {
        let e = r.unwrap_err();
        assert!(matches!(e, Error::LoginFailed), "{what}: {e}");
        assert_eq!(
            e.to_string(),
            "login failed: unknown e-mail address or wrong password"
        );
    }
    assert_eq!(
        s.login("officer@example.nl", PW, now).await.unwrap().id,
        o.id
    );

    ctx.store.close().await;
}
both!(login_failures_look_alike);

/// An unknown address costs an argon2id check too. Timed on an in-memory SQLite store, where
/// the database work is well under a millisecond, so that the ~20 ms of argon2id dominate (on
/// a file or a server the commit's fsync is of the same size and would hide a missing check).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_address_takes_as_long_as_a_wrong_password() {
    let s = Store::open_with(
        "sqlite::memory:",
        waarborg_store::StoreOptions {
            max_connections: Some(1),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    officer(&s).await;
    let now = Timestamp::now();
    let mut known = Duration::MAX;
    let mut nobody = Duration::MAX;
    for i in 0..4 {
        let t = Instant::now();
        let _ = s.login("officer@example.nl", "wrong password!", now).await;
        known = known.min(t.elapsed());
        let t = Instant::now();
        let _ = s.login(&format!("nobody{i}@example.nl"), PW, now).await;
        nobody = nobody.min(t.elapsed());
    }
    // Without the dummy check the unknown address answers some 50 times faster (measured:
    // 0.4 ms against 25 ms); with it both take about as long.
    assert!(
        nobody * 2 > known,
        "unknown address {nobody:?} vs wrong password {known:?}"
    );
    s.close().await;
}

async fn throttling(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let o = officer(s).await;
    let t0 = ts("2026-12-03T10:00:00Z");
    for i in 0..LOGIN_MAX_FAILURES as i64 {
        let e = s
            .login("officer@example.nl", "wrong password!", secs(t0, i))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::LoginFailed), "attempt {i}: {e}");
    }
    // The sixth attempt is refused, even with the right password, until the first failure
    // (at t0) is 15 minutes old.
    let e = s
        .login("officer@example.nl", PW, secs(t0, 10))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooManyAttempts {
                retry_after_secs: 890
            }
        ),
        "{e}"
    );
    // Refused attempts are not counted: the lock does not grow.
    let e = s
        .login("officer@example.nl", PW, secs(t0, 899))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooManyAttempts {
                retry_after_secs: 1
            }
        ),
        "{e}"
    );
    // Other addresses are not affected.
    assert!(matches!(
        s.login("ander@example.nl", PW, secs(t0, 10))
            .await
            .unwrap_err(),
        Error::LoginFailed
    ));
    // At t0 + 15 min the first failure has left the window: four are left, so one more try.
    let u = s
        .login("OFFICER@example.nl", PW, secs(t0, 900))
        .await
        .unwrap();
    assert_eq!(u.id, o.id);
    // The success cleared the count: four more failures do not lock.
    for i in 0..(LOGIN_MAX_FAILURES as i64 - 1) {
        let _ = s
            .login("officer@example.nl", "wrong password!", secs(t0, 1000 + i))
            .await;
    }
    assert_eq!(
        s.login("officer@example.nl", PW, secs(t0, 1010))
            .await
            .unwrap()
            .id,
        o.id
    );

    // An unknown address is locked the same way (no user enumeration).
    for i in 0..LOGIN_MAX_FAILURES as i64 {
        let _ = s.login("nobody@example.nl", PW, secs(t0, i)).await;
    }
    let e = s
        .login("nobody@example.nl", PW, secs(t0, 60))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooManyAttempts {
                retry_after_secs: 840
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("840 s"), "{e}");
    assert!(matches!(
        s.login("nobody@example.nl", PW, secs(t0, 901))
            .await
            .unwrap_err(),
        Error::LoginFailed
    ));

    // The failures are kept under a hash, never the address.
    let rows = texts(&ctx, "login_failures").await;
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|t| !t.contains('@')), "{rows:?}");
    // Purging removes failures older than the window.
    s.purge_expired_sessions(secs(t0, 10_000)).await.unwrap();
    assert!(texts(&ctx, "login_failures").await.is_empty());
    ctx.store.close().await;
}
both!(throttling);

async fn sessions(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let o = officer(s).await;
    let op = s
        .add_user("piet@example.nl", PW, Role::Operator, Lang::Nl)
        .await
        .unwrap();
    let t0 = ts("2026-12-03T10:00:00Z");
    let (tok, sess) = s.create_session(o.id, t0, 8 * HOUR).await.unwrap();
    assert_eq!(tok.as_str().len(), 64);
    assert!(!format!("{tok:?}").contains(tok.as_str()));
    assert_eq!(sess.user_id, o.id);
    assert_eq!(sess.expires_at, secs(t0, 8 * 3600));
    let (found, user) = s
        .session(tok.as_str(), secs(t0, 60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, sess);
    assert_eq!(user.id, o.id);
    // The CSRF secret is per session.
    let csrf = found.csrf_token().unwrap();
    assert!(found.check_csrf(&csrf));
    let (tok2, sess2) = s.create_session(o.id, t0, HOUR).await.unwrap();
    assert_ne!(tok, tok2);
    assert_ne!(sess.csrf_secret, sess2.csrf_secret);
    assert!(!sess2.check_csrf(&csrf));

    // Absolute expiry.
    assert!(
        s.session(tok.as_str(), secs(t0, 8 * 3600 - 1))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.session(tok.as_str(), secs(t0, 8 * 3600))
            .await
            .unwrap()
            .is_none()
    );
    // Unknown and malformed tokens.
    assert!(s.session(&"0".repeat(64), t0).await.unwrap().is_none());
    assert!(s.session("nonsense", t0).await.unwrap().is_none());
    assert!(s.session("", t0).await.unwrap().is_none());
    // Logout.
    assert!(s.end_session(tok2.as_str()).await.unwrap());
    assert!(!s.end_session(tok2.as_str()).await.unwrap());
    assert!(s.session(tok2.as_str(), t0).await.unwrap().is_none());
    // A role change shows at once.
    let (tok3, _) = s.create_session(op.id, t0, HOUR).await.unwrap();
    s.set_role(op.id, Role::Auditor).await.unwrap();
    assert_eq!(
        s.session(tok3.as_str(), t0).await.unwrap().unwrap().1.role,
        Role::Auditor
    );
    // A disabled user's sessions end; a disabled user gets none.
    s.disable_user(op.id).await.unwrap();
    assert!(s.session(tok3.as_str(), t0).await.unwrap().is_none());
    assert!(s.create_session(op.id, t0, HOUR).await.is_err());
    assert!(matches!(
        s.create_session(424242, t0, HOUR).await.unwrap_err(),
        Error::UserNotFound(424242)
    ));
    // Purge: the first session has expired by t0 + 9 h.
    let (tok4, _) = s
        .create_session(o.id, secs(t0, 9 * 3600), HOUR)
        .await
        .unwrap();
    assert_eq!(
        s.purge_expired_sessions(secs(t0, 9 * 3600)).await.unwrap(),
        1
    );
    assert!(
        s.session(tok4.as_str(), secs(t0, 9 * 3600))
            .await
            .unwrap()
            .is_some()
    );
    // One row left: token hash, CSRF secret, created and expires.
    assert_eq!(texts(&ctx, "sessions").await.len(), 4);
    ctx.store.close().await;
}
both!(sessions);

async fn api_tokens(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let o = officer(s).await;
    let op = s
        .add_user("piet@example.nl", PW, Role::Operator, Lang::Nl)
        .await
        .unwrap();
    let t0 = ts("2026-12-03T10:00:00Z");
    let ttl = Duration::from_secs(90 * 86400);
    let (secret, tok) = s.create_api_token(o.id, "ci", t0, ttl).await.unwrap();
    assert!(secret.as_str().starts_with("wb_"));
    assert_eq!(secret.as_str().len(), 3 + 64);
    assert!(secret.as_str().starts_with(&tok.prefix));
    assert_eq!(tok.prefix.len(), 11);
    assert!(!format!("{secret:?}").contains(secret.as_str()));
    assert_eq!(tok.expires_at, secs(t0, 90 * 86400));
    assert_eq!(tok.last_used_at, None);
    assert!(s.create_api_token(o.id, "  ", t0, ttl).await.is_err());

    let (t, u) = s
        .api_token_user(secret.as_str(), secs(t0, 5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((t.id, u.id, u.role), (tok.id, o.id, Role::Officer));
    assert_eq!(t.last_used_at, Some(secs(t0, 5)));
    // Use is recorded at most once a minute.
    s.api_token_user(secret.as_str(), secs(t0, 30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.api_tokens(o.id).await.unwrap()[0].last_used_at,
        Some(secs(t0, 5))
    );
    s.api_token_user(secret.as_str(), secs(t0, 120))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.api_tokens(o.id).await.unwrap()[0].last_used_at,
        Some(secs(t0, 120))
    );

    // Expiry.
    assert!(
        s.api_token_user(secret.as_str(), secs(t0, 90 * 86400 - 1))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.api_token_user(secret.as_str(), secs(t0, 90 * 86400))
            .await
            .unwrap()
            .is_none()
    );
    // Unknown, changed and malformed tokens.
    let mut changed = secret.as_str().to_string();
    let last = if changed.ends_with('0') { "1" } else { "0" };
    changed.replace_range(changed.len() - 1.., last);
    assert!(s.api_token_user(&changed, t0).await.unwrap().is_none());
    assert!(s.api_token_user("wb_nonsense", t0).await.unwrap().is_none());
    assert!(
        s.api_token_user(&secret.as_str()[3..], t0)
            .await
            .unwrap()
            .is_none()
    );

    // Revocation: at once, idempotent.
    let (secret2, tok2) = s.create_api_token(o.id, "portal", t0, ttl).await.unwrap();
    let r = s.revoke_api_token(tok2.id).await.unwrap();
    assert!(r.revoked_at.is_some());
    assert!(
        s.api_token_user(secret2.as_str(), t0)
            .await
            .unwrap()
            .is_none()
    );
    let before = s.verify_audit().await.unwrap().last_seq;
    assert_eq!(
        s.revoke_api_token(tok2.id).await.unwrap().revoked_at,
        r.revoked_at
    );
    assert_eq!(
        s.verify_audit().await.unwrap().last_seq,
        before,
        "no second entry"
    );
    assert!(matches!(
        s.revoke_api_token(777).await.unwrap_err(),
        Error::TokenNotFound(777)
    ));
    let list = s.api_tokens(o.id).await.unwrap();
    assert_eq!(
        list.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![tok.id, tok2.id]
    );
    assert!(list[0].active(t0) && !list[1].active(t0));

    // A disabled user's tokens stop working; a disabled user gets none.
    let (secret3, _) = s.create_api_token(op.id, "script", t0, ttl).await.unwrap();
    assert!(
        s.api_token_user(secret3.as_str(), t0)
            .await
            .unwrap()
            .is_some()
    );
    s.disable_user(op.id).await.unwrap();
    assert!(
        s.api_token_user(secret3.as_str(), t0)
            .await
            .unwrap()
            .is_none()
    );
    assert!(s.create_api_token(op.id, "again", t0, ttl).await.is_err());
    ctx.store.close().await;
}
both!(api_tokens);

async fn no_secrets_stored_and_audited(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let o = officer(s).await;
    let op = s
        .add_user("Piet.Geheim@Example.NL", PW2, Role::Operator, Lang::Nl)
        .await
        .unwrap();
    let now = Timestamp::now();
    let (session, _) = s.create_session(op.id, now, HOUR).await.unwrap();
    let (api, tok) = s.create_api_token(op.id, "ci", now, HOUR).await.unwrap();
    let _ = s
        .login("piet.geheim@example.nl", "a wrong password", now)
        .await;
    s.set_role(op.id, Role::Auditor).await.unwrap();
    s.set_password(op.id, "derde wachtwoord, ook lang")
        .await
        .unwrap();
    s.revoke_api_token(tok.id).await.unwrap();
    s.disable_user(op.id).await.unwrap();

    let mut all = Vec::new();
    for table in [
        "users",
        "sessions",
        "api_tokens",
        "login_failures",
        "audit_log",
    ] {
        let t = texts(&ctx, table).await;
        for secret in [
            PW,
            PW2,
            "derde wachtwoord",
            "a wrong password",
            session.as_str(),
            api.as_str(),
            &api.as_str()[3..],
        ] {
            assert!(
                t.iter().all(|v| !v.contains(secret)),
                "{table} holds a secret in the clear"
            );
        }
        if table != "users" {
            assert!(
                t.iter().all(|v| !v.contains("example.nl")),
                "{table} holds an e-mail address: {t:?}"
            );
        }
        all.push((table, t));
    }
    let users = &all[0].1;
    assert_eq!(
        users
            .iter()
            .filter(|v| v.starts_with("$argon2id$v=19$"))
            .count(),
        2
    );

    // The audit trail: what changed, by user id and role; the chain verifies.
    let entries = s.audit_entries(1, 100).await.unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "user.added",
            "user.added",
            "token.created",
            "user.role_changed",
            "user.password_set",
            "token.revoked",
            "user.disabled"
        ]
    );
    let payload = |i: usize| -> serde_json::Value {
        serde_json::from_str(entries[i].payload.as_deref().unwrap()).unwrap()
    };
    assert_eq!(payload(0)["user_id"], o.id);
    assert_eq!(payload(0)["role"], "officer");
    assert_eq!(payload(1)["role"], "operator");
    assert_eq!(payload(2)["token_id"], tok.id);
    assert_eq!(payload(2)["user_id"], op.id);
    assert_eq!(
        (payload(3)["from"].as_str(), payload(3)["role"].as_str()),
        (Some("operator"), Some("auditor"))
    );
    assert_eq!(payload(6)["user_id"], op.id);
    let report = s.verify_audit().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.entries, 7);
    ctx.store.close().await;
}
both!(no_secrets_stored_and_audited);

/// Rows of `users` and `api_tokens` changed behind the trail's back are named by verify.
async fn account_rows_are_checked(b: Backend) {
    let ctx = Ctx::new(b).await;
    let s = &ctx.store;
    let _o = officer(s).await;
    let op = s
        .add_user("piet@example.nl", PW, Role::Operator, Lang::Nl)
        .await
        .unwrap();
    let now = Timestamp::now();
    let (_, tok) = s.create_api_token(op.id, "ci", now, HOUR).await.unwrap();
    s.revoke_api_token(tok.id).await.unwrap();
    s.disable_user(op.id).await.unwrap();
    assert!(s.verify_audit().await.unwrap().ok());

    let problems = |r: waarborg_store::VerifyReport| -> Vec<(ProblemKind, String)> {
        r.problems
            .into_iter()
            .map(|p| (p.kind, p.message))
            .collect()
    };
    // Escalation: the operator made officer by SQL.
    ctx.raw(&format!(
        "UPDATE users SET role = 'officer' WHERE id = {}",
        op.id
    ))
    .await;
    let p = problems(s.verify_audit().await.unwrap());
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, ProblemKind::RecordChanged);
    assert!(p[0].1.contains("has role `officer`"), "{p:?}");
    ctx.raw(&format!(
        "UPDATE users SET role = 'operator' WHERE id = {}",
        op.id
    ))
    .await;
    // Re-enabled by SQL.
    ctx.raw(&format!(
        "UPDATE users SET disabled_at = NULL WHERE id = {}",
        op.id
    ))
    .await;
    let p = problems(s.verify_audit().await.unwrap());
    assert!(p.len() == 1 && p[0].1.contains("is enabled"), "{p:?}");
    ctx.raw(&format!(
        "UPDATE users SET disabled_at = '2026-01-01T00:00:00.000000Z' WHERE id = {}",
        op.id
    ))
    .await;
    assert!(s.verify_audit().await.unwrap().ok());
    // A revoked token brought back, with a longer life.
    ctx.raw("UPDATE api_tokens SET revoked_at = NULL, expires_at = '2099-01-01T00:00:00.000000Z'")
        .await;
    let p = problems(s.verify_audit().await.unwrap());
    assert!(
        p.len() == 1 && p[0].1.contains("expires_at, revoked_at"),
        "{p:?}"
    );
    // A user added by hand; a token deleted.
    ctx.raw(
        "INSERT INTO users (email, password_hash, role, lang, created_at, updated_at) VALUES \
         ('mallory@example.nl', 'x', 'officer', 'nl', '2026-01-01T00:00:00.000000Z', \
         '2026-01-01T00:00:00.000000Z')",
    )
    .await;
    ctx.raw("DELETE FROM api_tokens").await;
    let p = problems(s.verify_audit().await.unwrap());
    assert!(
        p.iter()
            .any(|(k, m)| *k == ProblemKind::RecordChanged && m.contains("added by hand")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|(k, m)| *k == ProblemKind::RecordMissing && m.contains("API token")),
        "{p:?}"
    );
    ctx.store.close().await;
}
both!(account_rows_are_checked);

/// Axum handlers need `Send` futures: every method of this API gives one (checked at compile
/// time; the futures are dropped unpolled).
#[test]
fn futures_are_send() {
    fn send<T: Send>(_: T) {}
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let _guard = rt.enter();
    let s = Store::open("sqlite::memory:");
    send(s);
    let store: Option<Store> = None;
    if let Some(s) = &store {
        let now = Timestamp::now();
        send(s.add_user("a@b.nl", PW, Role::Officer, Lang::Nl));
        send(s.set_password(1, PW));
        send(s.set_role(1, Role::Auditor));
        send(s.disable_user(1));
        send(s.users());
        send(s.user(1));
        send(s.user_by_email("a@b.nl"));
        send(s.login("a@b.nl", PW, now));
        send(s.create_session(1, now, HOUR));
        send(s.session("t", now));
        send(s.end_session("t"));
        send(s.purge_expired_sessions(now));
        send(s.create_api_token(1, "ci", now, HOUR));
        send(s.api_token_user("t", now));
        send(s.api_tokens(1));
        send(s.revoke_api_token(1));
    }
}
