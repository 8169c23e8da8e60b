#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! kill -9 of the real CLI: `waarborg case open` processes are killed with SIGKILL at staggered
//! moments (before, during and after their transaction); afterwards the chain verifies, every
//! process that reported success has its case, and no case lacks its audit entry.

use std::process::{Command, Stdio};

use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");

fn run(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("WAARBORG_STORE", url)
        .env_remove("WAARBORG_AUDIT_KEY")
        .output()
        .unwrap()
}

/// `settle` runs after the last writer is gone and before the store is read: for a server
/// store it waits until no killed client's session can still commit.
fn kill_writers(url: &str, settle: &dyn Fn()) {
    // Create the store first (a writing command; reading ones never create it), so that every
    // writer below only appends.
    let created = run(
        url,
        &[
            "case",
            "open",
            "--kind",
            "access",
            "--subject",
            "customer_id=0",
            "--format",
            "json",
        ],
    );
    assert!(created.status.success());
    let created: serde_json::Value = serde_json::from_slice(&created.stdout).unwrap();
    // How long one uninterrupted writer takes; the kills are spread over 0..1.2 of that.
    let t0 = std::time::Instant::now();
    let first = run(
        url,
        &[
            "case",
            "open",
            "--kind",
            "erasure",
            "--subject",
            "customer_id=1",
            "--format",
            "json",
        ],
    );
    assert!(first.status.success());
    let full = t0.elapsed();
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let mut committed = vec![
        created["id"].as_str().unwrap().to_string(),
        first["id"].as_str().unwrap().to_string(),
    ];
    let mut killed = 0;
    let rounds = 40u32;
    for round in 0..rounds {
        let mut child = Command::new(BIN)
            .args([
                "case",
                "open",
                "--kind",
                "erasure",
                "--subject",
                "customer_id=1",
                "--format",
                "json",
            ])
            .env("WAARBORG_STORE", url)
            .env_remove("WAARBORG_AUDIT_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(1.2 * f64::from(round) / f64::from(rounds)));
        if child.try_wait().unwrap().is_none() {
            // SIGKILL (std's kill on Unix).
            child.kill().unwrap();
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            committed.push(v["id"].as_str().unwrap().to_string());
        }
    }
    settle();
    let verify = run(url, &["audit", "verify", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert!(verify.status.success(), "{report}");
    let list = run(url, &["case", "list", "--format", "json"]);
    let cases: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let ids: Vec<&str> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in &committed {
        assert!(ids.contains(&id.as_str()), "committed case {id} lost");
    }
    // One opening entry per case: no case without its entry, no entry without its case.
    assert_eq!(
        report["entries"].as_u64().unwrap() as usize,
        ids.len(),
        "{report}"
    );
    eprintln!(
        "{rounds} writers ({full:?} each), {killed} killed while running, {} cases committed",
        ids.len()
    );
    assert!(killed > 0, "no writer was killed while running");
}

#[test]
fn kill_minus_nine_cli_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    kill_writers(dir.path().join("w.db").to_str().unwrap(), &|| {});
}

#[tokio::test]
async fn kill_minus_nine_cli_postgres() {
    on_postgres(kill_writers).await;
}

/// kill -9 during `waarborg breach update`: every update that reported success is in the
/// incident's history, each change is one event with its audit entry (none half-written), and
/// the incident is the state its last event left.
/// `settle`: as in [`kill_writers`].
fn kill_breach_updates(url: &str, settle: &dyn Fn()) {
    let opened = run(
        url,
        &[
            "breach",
            "open",
            "--summary",
            "Export sent to the wrong address",
            "--aware",
            "2026-03-28T12:00:00+01:00",
            "--format",
            "json",
        ],
    );
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    let opened: serde_json::Value = serde_json::from_slice(&opened.stdout).unwrap();
    let id = opened["id"].as_str().unwrap().to_string();
    let update = |n: u32| {
        vec![
            "breach".to_string(),
            "update".into(),
            id.clone(),
            "--system".into(),
            format!("system-{n}"),
            "--by".into(),
            format!("writer-{n}"),
        ]
    };
    let t0 = std::time::Instant::now();
    let first = run(
        url,
        &update(0).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(first.status.success());
    let full = t0.elapsed();
    let mut succeeded = vec!["writer-0".to_string()];
    let mut killed = 0;
    let rounds = 30u32;
    for round in 1..=rounds {
        let mut child = Command::new(BIN)
            .args(update(round))
            .env("WAARBORG_STORE", url)
            .env_remove("WAARBORG_AUDIT_KEY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(1.2 * f64::from(round) / f64::from(rounds)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        if child.wait().unwrap().success() {
            succeeded.push(format!("writer-{round}"));
        }
    }
    settle();
    let verify = run(url, &["audit", "verify", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert!(verify.status.success(), "{report}");
    let show = run(url, &["breach", "show", &id, "--format", "json"]);
    assert!(show.status.success());
    let show: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let history = show["history"].as_array().unwrap();
    let by: Vec<&str> = history
        .iter()
        .filter(|e| e["event"] == "updated")
        .map(|e| e["by"].as_str().unwrap())
        .collect();
    for w in &succeeded {
        assert!(by.contains(&w.as_str()), "committed update of {w} lost");
    }
    // The incident is what the last recorded update left.
    let last = by.last().unwrap().trim_start_matches("writer-");
    assert_eq!(
        show["facts"]["systems"],
        serde_json::json!([format!("system-{last}")]),
        "{show}"
    );
    // One entry per event: the opening plus each update, nothing more.
    assert_eq!(
        report["entries"].as_u64().unwrap() as usize,
        history.len(),
        "{report}"
    );
    eprintln!(
        "{rounds} updates ({full:?} each), {killed} killed while running, {} committed",
        by.len()
    );
    assert!(killed > 0, "no update was killed while running");
}

#[test]
fn kill_minus_nine_breach_update_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    kill_breach_updates(dir.path().join("w.db").to_str().unwrap(), &|| {});
}

#[tokio::test]
async fn kill_minus_nine_breach_update_postgres() {
    on_postgres(kill_breach_updates).await;
}

/// Runs `body` (one of the kill tests above) on a fresh PostgreSQL database; its `settle` step
/// waits until no killed client's session can still commit.
async fn on_postgres(body: fn(&str, &dyn Fn())) {
    let pg = std::sync::Arc::new(
        PgTestDb::create()
            .await
            .expect("the test PostgreSQL server must run"),
    );
    let url = pg.url().to_string();
    let rt = tokio::runtime::Handle::current();
    let db = pg.clone();
    let settle = move || {
        rt.block_on(db.wait_idle(std::time::Duration::from_secs(30)))
            .expect("the killed clients' sessions end");
    };
    tokio::task::spawn_blocking(move || body(&url, &settle))
        .await
        .unwrap();
}
