#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `audit keygen`, `audit checkpoint` and `audit verify --checkpoint`, on SQLite and PostgreSQL.
//! The SQL-level attacks are in `waarborg-store`'s tamper suite; here a store replaced by another
//! one (reset, rewritten) and a tampered checkpoint file are caught through the CLI.

use std::path::Path;
use std::process::{Command, Output};

use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("WAARBORG_STORE", url)
        .env_remove("WAARBORG_AUDIT_KEY")
        .env_remove("WAARBORG_CHECKPOINT_KEY")
        .current_dir(dir)
        .output()
        .unwrap()
}

fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = run(dir, url, args);
    assert!(
        out.status.success(),
        "waarborg {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn grant(dir: &Path, url: &str, purpose: &str) {
    ok(
        dir,
        url,
        &[
            "consent",
            "grant",
            "--subject",
            "c:1",
            "--purpose",
            purpose,
            "--wording",
            "ja",
            "--source",
            "web",
        ],
    );
}

/// `first` and `second` are two empty stores (the second stands in for the first after an
/// attacker replaced it).
fn checkpoints(dir: &Path, first: &str, second: &str) {
    let key = dir.join("org.key");
    let public = ok(dir, first, &["audit", "keygen", "--out", "org.key"]);
    let public = public.trim().to_string();
    assert_eq!(public.len(), 64, "{public}");
    assert!(public.bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        !String::from_utf8_lossy(&std::fs::read(&key).unwrap()).contains(&public),
        "the private key file is not the public key"
    );
    // Never overwrites a key.
    let again = run(dir, first, &["audit", "keygen", "--out", "org.key"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwritten"));

    for p in ["a", "b", "c"] {
        grant(dir, first, p);
    }
    ok(
        dir,
        first,
        &[
            "audit",
            "checkpoint",
            "--key",
            "org.key",
            "--out",
            "cp.json",
        ],
    );
    let cp: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("cp.json")).unwrap()).unwrap();
    assert_eq!(cp["entries"], 3);
    assert_eq!(cp["public_key"], public.as_str());
    assert_eq!(cp["format"], "waarborg-checkpoint-v1");
    assert_eq!(cp["signature"].as_str().unwrap().len(), 128);

    // The intact store, and the store grown since, agree with it.
    let v = ok(
        dir,
        first,
        &[
            "audit",
            "verify",
            "--checkpoint",
            "cp.json",
            "--public-key",
            &public,
        ],
    );
    assert!(v.contains("consistent with the checkpoint"), "{v}");
    grant(dir, first, "d");
    ok(
        dir,
        first,
        &[
            "audit",
            "verify",
            "--checkpoint",
            "cp.json",
            "--public-key",
            &public,
        ],
    );

    // A store replaced by a fresh one (reset, then one new entry): caught.
    grant(dir, second, "x");
    let out = run(
        dir,
        second,
        &[
            "audit",
            "verify",
            "--checkpoint",
            "cp.json",
            "--public-key",
            &public,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("entries at the end were removed"), "{text}");
    // ... or by a rewritten one with as many entries: caught.
    grant(dir, second, "y");
    grant(dir, second, "z");
    let out = run(
        dir,
        second,
        &[
            "audit",
            "verify",
            "--checkpoint",
            "cp.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["problems"][0]["kind"], "rewritten", "{r}");
    // Without the checkpoint the replaced store looks intact: that is what checkpoints are for.
    ok(dir, second, &["audit", "verify"]);

    // A checkpoint edited after signing, or signed by another key, is refused.
    let mut edited = cp.clone();
    edited["entries"] = 1.into();
    std::fs::write(dir.join("edited.json"), edited.to_string()).unwrap();
    let out = run(
        dir,
        first,
        &["audit", "verify", "--checkpoint", "edited.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("signature does not verify"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = ok(dir, first, &["audit", "keygen", "--out", "other.key"]);
    let out = run(
        dir,
        first,
        &[
            "audit",
            "verify",
            "--checkpoint",
            "cp.json",
            "--public-key",
            other.trim(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not by the trusted key"));
}

#[tokio::test]
async fn checkpoints_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.db").to_str().unwrap().to_string();
    let second = dir.path().join("b.db").to_str().unwrap().to_string();
    checkpoints(dir.path(), &first, &second);
}

#[tokio::test]
async fn checkpoints_postgres() {
    let a = PgTestDb::create()
        .await
        .expect("the test PostgreSQL server must run");
    let b = PgTestDb::create()
        .await
        .expect("the test PostgreSQL server must run");
    let dir = tempfile::tempdir().unwrap();
    let (ua, ub) = (a.url().to_string(), b.url().to_string());
    let d = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || checkpoints(&d, &ua, &ub))
        .await
        .unwrap();
}
